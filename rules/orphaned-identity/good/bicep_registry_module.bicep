// The identity's id is passed to a registry module, which cannot be read: it may attach it, so no finding.
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'site-identity'
  location: 'westeurope'
}

module site 'br/public:avm/res/web/site:0.19.0' = {
  name: 'site'
  params: {
    name: 'app1'
    kind: 'app'
    serverFarmResourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan1'
    managedIdentities: {
      userAssignedResourceIds: [
        uami.id
      ]
    }
  }
}
