# A customised GitHub subject naming only the organisation (every repository, every ref),
# and an Azure DevOps credential trusting a whole project.
resource "azurerm_user_assigned_identity" "ci" {
  name                = "ci-id"
  resource_group_name = "rg-ci"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "github" {
  name                      = "github"
  user_assigned_identity_id = azurerm_user_assigned_identity.ci.id
  issuer                    = "https://token.actions.githubusercontent.com"
  subject                   = "repository_owner:contoso"
  audience                  = ["api://AzureADTokenExchange"]
}

resource "azurerm_federated_identity_credential" "ado" {
  name                      = "ado"
  user_assigned_identity_id = azurerm_user_assigned_identity.ci.id
  issuer                    = "https://vstoken.dev.azure.com/22222222-2222-2222-2222-222222222222"
  subject                   = "sc://contoso/infra"
  audience                  = ["api://AzureADTokenExchange"]
}
