# The suppressed command reads its secret from Key Vault: there is nothing to suppress.
# idlint-ignore hardcoded-secret: the password comes from Key Vault
$secure = (Get-AzKeyVaultSecret -VaultName kv-app -Name vm-admin).SecretValue
