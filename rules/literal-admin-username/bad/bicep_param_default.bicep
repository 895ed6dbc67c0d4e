// A parameter whose default is a guessable admin name.
param adminUsername string = 'azureuser'
@secure()
param adminPassword string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  location: resourceGroup().location
  properties: {
    osProfile: {
      computerName: 'vm1'
      adminUsername: adminUsername
      adminPassword: adminPassword
    }
  }
}
