# Owner at a management group.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "app" {
  scope                = "/providers/Microsoft.Management/managementGroups/contoso-platform"
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
