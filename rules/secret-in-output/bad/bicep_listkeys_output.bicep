// An output that returns a storage account key in plain text.
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stgexample001'
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
}

output storageKey string = stg.listKeys().keys[0].value
