# rbac_authorization_enabled = false, and a vault that leaves it out (azurerm 4.x default).
data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "explicit" {
  name                       = "kv-explicit"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = false
}

resource "azurerm_key_vault" "defaulted" {
  name                = "kv-defaulted"
  resource_group_name = "rg-app"
  location            = "westeurope"
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"
}
