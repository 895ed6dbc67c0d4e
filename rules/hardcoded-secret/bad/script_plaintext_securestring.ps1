$secret = ConvertTo-SecureString 'Sp-S3cret-Value-42' -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ('00000000-0000-0000-0000-000000000001', $secret)
Connect-AzAccount -ServicePrincipal -Credential $cred -Tenant contoso.onmicrosoft.com
