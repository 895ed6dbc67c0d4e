$fromUser = Read-Host -Prompt 'Secret' -AsSecureString
$fromEnv = ConvertTo-SecureString $env:AZURE_CLIENT_SECRET -AsPlainText -Force
$cred = [pscredential]::new($env:AZURE_CLIENT_ID, $fromEnv)
Connect-AzAccount -ServicePrincipal -Credential $cred -Tenant $env:AZURE_TENANT_ID
$kv = Get-AzKeyVaultSecret -VaultName app-kv -Name vm-admin
New-AzVM -ResourceGroupName app-rg -Name vm1 -Credential ([pscredential]::new('azureuser', $kv.SecretValue))
