// The key is returned through a @secure() output; a plain output of an unresolved parameter stays silent.
param endpoint string

resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stgexample001'
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
}

@secure()
output storageKey string = stg.listKeys().keys[0].value

output blobEndpoint string = endpoint
