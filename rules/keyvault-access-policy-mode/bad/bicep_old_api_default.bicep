// enableRbacAuthorization left out on an API version whose default is access policies.
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-legacy'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    accessPolicies: []
  }
}
