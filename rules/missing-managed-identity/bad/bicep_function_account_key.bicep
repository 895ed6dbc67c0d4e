// A function app without identity reaching storage with the account key.
resource st 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'stfunc'
}

resource fn 'Microsoft.Web/sites@2023-01-01' = {
  name: 'func-orders'
  location: resourceGroup().location
  kind: 'functionapp'
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'AzureWebJobsStorage'
          value: 'DefaultEndpointsProtocol=https;AccountName=${st.name};AccountKey=${st.listKeys().keys[0].value}'
        }
      ]
    }
  }
}
