# The identity type is a variable without a value: stay silent.
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}
variable "identity_type" {
  type = string
}

resource "azurerm_linux_web_app" "app" {
  name                = "app-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"
  site_config {}
  identity {
    type = var.identity_type
  }
}

resource "azurerm_role_assignment" "r" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Reader"
  principal_id         = azurerm_linux_web_app.app.identity[0].principal_id
}
