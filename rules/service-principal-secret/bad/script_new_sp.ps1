# New-AzADServicePrincipal creates a client secret and returns it.
$sp = New-AzADServicePrincipal -DisplayName "deploy-sp" -Role Reader -Scope "/subscriptions/$subscriptionId/resourceGroups/rg-app"
