// A user-assigned identity that no resource uses.
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'unused-identity'
  location: 'westeurope'
}
