# A misspelt rule name suppresses nothing.
# idlint-ignore orphan-identity: spare identity for the DR region
resource "azurerm_user_assigned_identity" "dr" {
  name                = "id-dr"
  resource_group_name = "rg-app"
  location            = "westeurope"
}
