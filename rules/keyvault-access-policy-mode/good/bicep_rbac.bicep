// RBAC explicitly; RBAC by default from API version 2026-02-01; a parameter is not judged.
param useRbac bool

resource kvRbac 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-rbac'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
  }
}

resource kvNew 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: 'kv-new'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}

resource kvParam 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-param'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: useRbac
  }
}
