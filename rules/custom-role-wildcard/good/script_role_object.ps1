# Built from an object at run time: not readable before it runs.
$role = Get-AzRoleDefinition -Name 'Virtual Machine Contributor'
$role.Id = $null
$role.Name = 'vm-operator'
$role.Actions.Clear()
$role.Actions.Add('Microsoft.Compute/virtualMachines/start/action')
New-AzRoleDefinition -Role $role
