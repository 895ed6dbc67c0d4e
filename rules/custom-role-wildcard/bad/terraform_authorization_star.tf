# A custom role that grants all of Microsoft.Authorization (it can assign any role).
data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "rbac_admin" {
  name  = "rbac-admin"
  scope = data.azurerm_subscription.primary.id

  permissions {
    actions = ["Microsoft.Authorization/*"]
  }
}
