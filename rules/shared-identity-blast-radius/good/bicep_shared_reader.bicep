// A shared identity with only Reader.
resource shared 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'shared-id'
  location: resourceGroup().location
}
resource api 'Microsoft.Web/sites@2022-09-01' = {
  name: 'api'
  location: resourceGroup().location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${shared.id}': {}
    }
  }
  properties: {}
}
resource worker 'Microsoft.Web/sites@2022-09-01' = {
  name: 'worker'
  location: resourceGroup().location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${shared.id}': {}
    }
  }
  properties: {}
}
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    principalId: shared.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
