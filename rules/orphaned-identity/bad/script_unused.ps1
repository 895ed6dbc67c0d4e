$used = New-AzUserAssignedIdentity -ResourceGroupName app-rg -Name app-id -Location westeurope
$unused = New-AzUserAssignedIdentity -ResourceGroupName app-rg -Name spare-id -Location westeurope
New-AzVMConfig -VMName app-vm -VMSize Standard_B2s -IdentityType UserAssigned -IdentityId $used.Id
