// Reader at subscription scope is not a finding: the directive is unused.
targetScope = 'subscription'

param principalId string

resource reader 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
}

// idlint-ignore broad-role-scope: readers everywhere
resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, reader.id)
  properties: {
    roleDefinitionId: reader.id
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
