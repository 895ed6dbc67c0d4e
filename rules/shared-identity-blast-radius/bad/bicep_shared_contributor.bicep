// One identity with Contributor shared by two web apps.
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
resource contrib 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'contrib')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
    principalId: shared.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
