$token = (Get-AzAccessToken -ResourceUrl 'https://management.azure.com/').Token
$headers = @{ Authorization = "Bearer $token" }
Invoke-RestMethod -Uri 'https://management.azure.com/subscriptions?api-version=2020-01-01' -Headers $headers
Write-Host "Got a token for management.azure.com"
