// Bicep's own directive needs no reason; the Bicep linter rule name beside it is ignored.
targetScope = 'subscription'

param principalId string

resource owner 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
}

#disable-next-line broad-role-scope use-recent-api-versions
resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, owner.id)
  properties: {
    roleDefinitionId: owner.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
