// A module deploys at subscription() and makes the caller's identity Contributor there.
param location string = resourceGroup().location

resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'app-identity'
  location: location
}

resource spare 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'spare-identity'
  location: location
}

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${uami.id}': {}
    }
  }
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_B2s'
    }
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: subscription()
  params: {
    principalId: uami.properties.principalId
  }
}
