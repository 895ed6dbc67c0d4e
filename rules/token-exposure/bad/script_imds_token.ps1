$response = Invoke-RestMethod -Method GET -Headers @{Metadata = "true"} `
  -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'
Write-Host "Access token: $($response.access_token)"
