// A custom role whose actions are '*', assignable at subscription scope.
targetScope = 'subscription'

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'ops-everything')
  properties: {
    roleName: 'Ops Everything'
    permissions: [
      {
        actions: [
          '*'
        ]
        notActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}
