// Either identity is handed to the caller, depending on a parameter: neither is orphaned.
param useNew bool
resource newId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'new-id'
  location: resourceGroup().location
}
resource fallbackId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'fallback-id'
  location: resourceGroup().location
}
output identityId string = useNew ? newId.id : fallbackId.id
