// Reader granted to a hard-coded object id.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    principalId: '4f1c3a52-0c1e-4a8b-9f3e-2d6b7c8a9e10'
    principalType: 'ServicePrincipal'
  }
}
