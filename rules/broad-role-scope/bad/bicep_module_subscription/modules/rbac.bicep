// Module: Contributor at the subscription it is deployed to.
targetScope = 'subscription'

@description('Object id of the principal to grant Contributor.')
param principalId string

var contributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, contributor)
  properties: {
    roleDefinitionId: contributor
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
