# Contributor for the identity at the whole subscription (data.azurerm_subscription.current.id).
data "azurerm_subscription" "current" {}

resource "azurerm_role_assignment" "app" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
