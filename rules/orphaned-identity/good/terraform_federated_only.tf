# An identity used only by a workload (GitHub Actions) through a federated credential.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "gh" {
  name                      = "gh-main"
  resource_group_name       = "rg-app"
  user_assigned_identity_id = azurerm_user_assigned_identity.app.id
  issuer                    = "https://token.actions.githubusercontent.com"
  subject                   = "repo:contoso/app:environment:prod"
  audience                  = ["api://AzureADTokenExchange"]
}

resource "azurerm_role_assignment" "app" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
