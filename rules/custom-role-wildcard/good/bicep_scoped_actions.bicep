// A custom role limited to reading and restarting VMs; a second one whose actions come from an unresolved parameter.
targetScope = 'subscription'

param extraActions array

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'vm-restarter')
  properties: {
    roleName: 'VM Restarter'
    permissions: [
      {
        actions: [
          'Microsoft.Compute/virtualMachines/read'
          'Microsoft.Compute/virtualMachines/restart/action'
        ]
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

resource role2 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'from-param')
  properties: {
    roleName: 'From Parameter'
    permissions: [
      {
        actions: extraActions
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}
