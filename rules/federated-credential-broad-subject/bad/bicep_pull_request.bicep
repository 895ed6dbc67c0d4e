// A GitHub pull_request subject on a user-assigned identity.
resource deployId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'deploy-id'
  location: resourceGroup().location
}

resource prCredential 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: deployId
  name: 'github-pr'
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: 'repo:contoso/webapp:pull_request'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}
