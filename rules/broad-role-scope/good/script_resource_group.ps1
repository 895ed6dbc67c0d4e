$id = New-AzUserAssignedIdentity -ResourceGroupName app-rg -Name app-id -Location westeurope
New-AzRoleAssignment -ObjectId $id.PrincipalId -RoleDefinitionName Contributor -ResourceGroupName app-rg
New-AzRoleAssignment -ObjectId $id.PrincipalId -RoleDefinitionName Owner -Scope $scope
$vm = Get-AzVM -ResourceGroupName app-rg -Name app-vm
Update-AzVM -ResourceGroupName app-rg -VM $vm -IdentityType UserAssigned -IdentityId $id.Id
