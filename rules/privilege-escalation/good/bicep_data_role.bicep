// A web app's identity with a data-plane role; another role comes from a parameter without a value.
param roleId string
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
resource blob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'blob')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: appId.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
resource other 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'other')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: appId.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
