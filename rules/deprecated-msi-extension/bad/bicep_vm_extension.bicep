// The deprecated extension on a VM.
resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' existing = {
  name: 'vm1'
}

resource msi 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  parent: vm
  name: 'ManagedIdentityExtensionForLinux'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.ManagedIdentity'
    type: 'ManagedIdentityExtensionForLinux'
    typeHandlerVersion: '1.0'
    settings: {
      port: 50342
    }
  }
}
