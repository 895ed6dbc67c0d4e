// The password comes from a secure parameter without a default (unresolved: stays silent).
@secure()
param adminPassword string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  location: 'westeurope'
  properties: {
    osProfile: {
      computerName: 'vm1'
      adminUsername: 'azureuser'
      adminPassword: adminPassword
    }
  }
}
