// Current Bicep syntax parses: imports, nullable types, safe access, non-null assertions.
import { tags } from 'shared.bicep'
param settings object?
var name = settings.?name ?? 'app-id'
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: resourceGroup().location
  tags: tags
}
output id string = uami.id
