# The scope comes from a variable without a value: unknown, so no finding.
variable "scope" {
  type = string
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "app" {
  scope                = var.scope
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
