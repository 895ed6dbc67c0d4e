# The role is read from role.json beside this script.
New-AzRoleDefinition -InputFile ./role.json
