// A literal administrator password written into a VM's osProfile.
resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  location: 'westeurope'
  properties: {
    osProfile: {
      computerName: 'vm1'
      adminUsername: 'azureuser'
      adminPassword: 'Winter2024!Passw0rd'
    }
  }
}
