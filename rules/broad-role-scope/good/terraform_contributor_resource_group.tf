# Contributor limited to one resource group.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}

resource "azurerm_role_assignment" "app" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
