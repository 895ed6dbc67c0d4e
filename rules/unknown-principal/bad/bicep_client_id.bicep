// The identity's client id where its principal id belongs.
resource appId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'app-id'
  location: resourceGroup().location
}
resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: resourceGroup().location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${appId.id}': {}
    }
  }
  properties: {}
}
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    principalId: appId.properties.clientId
    principalType: 'ServicePrincipal'
  }
}
