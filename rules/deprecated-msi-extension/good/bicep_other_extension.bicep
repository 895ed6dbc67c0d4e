// Entra ID login extension; an extension type from a parameter is not judged.
param extensionType string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' existing = {
  name: 'vm1'
}

resource aadLogin 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  parent: vm
  name: 'AADSSHLoginForLinux'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Azure.ActiveDirectory'
    type: 'AADSSHLoginForLinux'
    typeHandlerVersion: '1.0'
  }
}

resource configured 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  parent: vm
  name: 'configured'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.ManagedIdentity'
    type: extensionType
    typeHandlerVersion: '1.0'
  }
}
