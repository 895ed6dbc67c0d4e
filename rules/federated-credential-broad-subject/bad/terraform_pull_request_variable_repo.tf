# The repository comes from a variable, but the pull_request suffix is written: still every
# pull-request run of that repository.
variable "repository" {
  type = string
}

resource "azurerm_user_assigned_identity" "ci" {
  name                = "ci-id"
  resource_group_name = "rg-ci"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "pr" {
  name                      = "github-pr"
  user_assigned_identity_id = azurerm_user_assigned_identity.ci.id
  issuer                    = "https://token.actions.githubusercontent.com"
  subject                   = "repo:${var.repository}:pull_request"
  audience                  = ["api://AzureADTokenExchange"]
}
