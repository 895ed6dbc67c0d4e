# A web app uses the identity through identity_ids; rbac.tf gives it a role.
resource "azurerm_linux_web_app" "web" {
  name                = "web-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"
  site_config {}

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
}
