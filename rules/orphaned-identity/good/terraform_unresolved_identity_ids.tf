# identity_ids comes from a variable without a value: it may name this identity, so no finding.
variable "identity_ids" {
  type = list(string)
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_linux_web_app" "web" {
  name                = "web-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"
  site_config {}

  identity {
    type         = "UserAssigned"
    identity_ids = var.identity_ids
  }
}

resource "azurerm_role_assignment" "app" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
