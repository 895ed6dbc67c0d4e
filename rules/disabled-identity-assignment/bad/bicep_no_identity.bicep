// A role for the system identity of a web app that has no identity.
resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: resourceGroup().location
  properties: {}
}
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}
