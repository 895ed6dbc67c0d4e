$id = New-AzUserAssignedIdentity -ResourceGroupName app-rg -Name app-id -Location westeurope
# No -Scope and no -ResourceGroupName: the current subscription.
New-AzRoleAssignment -ObjectId $id.PrincipalId -RoleDefinitionName Contributor
$vm = Get-AzVM -ResourceGroupName app-rg -Name app-vm
Update-AzVM -ResourceGroupName app-rg -VM $vm -IdentityType UserAssigned -IdentityId $id.Id
