# The identity, declared in its own file.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

