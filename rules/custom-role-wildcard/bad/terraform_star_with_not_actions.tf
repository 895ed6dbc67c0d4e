# "*" minus a few not_actions is still a wildcard grant.
data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "almost_owner" {
  name  = "almost-owner"
  scope = data.azurerm_subscription.primary.id

  permissions {
    actions     = ["*"]
    not_actions = ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"]
  }
}
