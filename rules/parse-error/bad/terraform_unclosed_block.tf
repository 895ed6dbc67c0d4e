# A resource block that is never closed: the file cannot be read.
resource "azurerm_user_assigned_identity" "app" {
  name                = "app-id"
  resource_group_name = "rg"
  location            = "westeurope"
