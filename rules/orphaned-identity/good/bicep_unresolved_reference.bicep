// Unresolved: the app's identities come from a parameter, which might name this identity.
param identities object

resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'maybe-used'
  location: 'westeurope'
}

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app1'
  location: 'westeurope'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: identities
  }
}
