// The assignment is only deployed when the identity is enabled; here it is not, so nothing is deployed.
param identityType string = 'None'
resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: resourceGroup().location
  identity: {
    type: identityType
  }
}
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (identityType == 'SystemAssigned') {
  name: guid(resourceGroup().id, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    principalId: app.identity.principalId
  }
}
