# An identity with a role assignment that no resource uses.
resource "azurerm_user_assigned_identity" "spare" {
  name                = "id-spare"
  resource_group_name = "rg-app"
  location            = "westeurope"
}
