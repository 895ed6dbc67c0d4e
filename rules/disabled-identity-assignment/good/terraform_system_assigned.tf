# The web app's system identity is enabled.
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}

resource "azurerm_linux_web_app" "app" {
  name                = "app-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"
  site_config {}
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "r" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Reader"
  principal_id         = azurerm_linux_web_app.app.identity[0].principal_id
}
