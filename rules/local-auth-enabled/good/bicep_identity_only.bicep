// Local auth off; a setting from a parameter is not judged.
param disableLocalAuth bool

resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stapp'
  location: resourceGroup().location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
  }
}

resource bus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb-orders'
  location: resourceGroup().location
  properties: {
    disableLocalAuth: disableLocalAuth
  }
}
