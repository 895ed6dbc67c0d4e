$id = New-AzUserAssignedIdentity -ResourceGroupName app-rg -Name app-id -Location westeurope
$vm = Get-AzVM -ResourceGroupName app-rg -Name app-vm
Update-AzVM -ResourceGroupName app-rg -VM $vm -IdentityType SystemAssignedUserAssigned -IdentityId $id.Id
New-AzUserAssignedIdentity -ResourceGroupName app-rg -Name ci-id -Location westeurope
New-AzFederatedIdentityCredential -ResourceGroupName app-rg -IdentityName ci-id -Name main `
  -Issuer 'https://token.actions.githubusercontent.com' -Subject 'repo:contoso/app:environment:prod'
