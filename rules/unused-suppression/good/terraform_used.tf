# The directive suppresses a real finding.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_linux_web_app" "app" {
  name                = "app-web"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = "plan"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
}

# idlint-ignore broad-role-scope,privilege-escalation: the deployer identity of the landing zone, reviewed 2026-11
resource "azurerm_role_assignment" "owner" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
