// The directive suppresses the Owner assignment's findings.
targetScope = 'subscription'

param principalId string

resource owner 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
}

// idlint-ignore broad-role-scope: landing-zone deployer, reviewed 2026-11
resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, owner.id)
  properties: {
    roleDefinitionId: owner.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
