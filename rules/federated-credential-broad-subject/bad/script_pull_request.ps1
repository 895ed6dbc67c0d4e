# A GitHub pull_request subject created with Azure PowerShell.
New-AzUserAssignedIdentity -ResourceGroupName rg-ci -Name deploy-id -Location westeurope
New-AzFederatedIdentityCredential -ResourceGroupName rg-ci -IdentityName deploy-id -Name github-pr `
  -Issuer "https://token.actions.githubusercontent.com" `
  -Subject "repo:contoso/webapp:pull_request"
