// Every secret permission for an application identity.
param appPrincipalId string

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
            'all'
          ]
        }
      }
    ]
  }
}
