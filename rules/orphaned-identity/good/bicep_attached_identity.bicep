// The identity is attached to a web app through its identity block.
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'app-identity'
  location: 'westeurope'
}

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app1'
  location: 'westeurope'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${uami.id}': {}
    }
  }
  properties: {
    keyVaultReferenceIdentity: uami.id
  }
}
