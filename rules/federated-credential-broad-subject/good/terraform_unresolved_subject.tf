# The subject is a variable: not judged.
variable "subject" {
  type = string
}

resource "azurerm_user_assigned_identity" "ci" {
  name                = "ci-id"
  resource_group_name = "rg-ci"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "external" {
  name                      = "external"
  user_assigned_identity_id = azurerm_user_assigned_identity.ci.id
  issuer                    = "https://token.actions.githubusercontent.com"
  subject                   = var.subject
  audience                  = ["api://AzureADTokenExchange"]
}
