// An object that is never closed: the file cannot be read.
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'app-id'
  location: resourceGroup().location
