# Valid HCL with comments in every style parses cleanly.
/* block comment */
resource "azurerm_user_assigned_identity" "app" { // trailing comment
  name                = "app-id" # another
  resource_group_name = "rg"
  location            = "westeurope"
}
