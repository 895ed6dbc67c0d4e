// Identity-based storage connection; an identity from a parameter is not judged.
param identity object
@secure()
param clientSecret string

resource fn 'Microsoft.Web/sites@2023-01-01' = {
  name: 'func-orders'
  location: resourceGroup().location
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: 'stfunc'
        }
      ]
    }
  }
}

resource web 'Microsoft.Web/sites@2023-01-01' = {
  name: 'web-orders'
  location: resourceGroup().location
  identity: identity
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'CLIENT_SECRET'
          value: clientSecret
        }
      ]
    }
  }
}
