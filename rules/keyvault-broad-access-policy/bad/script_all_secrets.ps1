# Set-AzKeyVaultAccessPolicy with every secret permission, purge included.
Set-AzKeyVaultAccessPolicy -VaultName kv-app -ResourceGroupName rg-app `
  -ObjectId 77777777-7777-7777-7777-777777777777 `
  -PermissionsToSecrets get,list,set,delete,backup,restore,recover,purge
