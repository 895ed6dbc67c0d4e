# Reader granted to a hard-coded object id.
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}

resource "azurerm_role_assignment" "r" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Reader"
  principal_id         = "4f1c3a52-0c1e-4a8b-9f3e-2d6b7c8a9e10"
}
