// Get and list only; permissions from a parameter are not judged.
param appPrincipalId string
param keyPermissions array

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-app'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    accessPolicies: [
      {
        tenantId: subscription().tenantId
        objectId: appPrincipalId
        permissions: {
          secrets: [
            'get'
            'list'
          ]
          keys: keyPermissions
        }
      }
    ]
  }
}
