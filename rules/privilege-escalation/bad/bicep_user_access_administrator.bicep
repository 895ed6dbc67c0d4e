// A web app's identity holds User Access Administrator on its resource group.
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
resource uaa 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'uaa')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9')
    principalId: appId.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
