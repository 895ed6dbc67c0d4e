# RBAC on; a vault whose setting is a variable is not judged.
data "azurerm_client_config" "current" {}

variable "rbac" {
  type = bool
}

resource "azurerm_key_vault" "kv" {
  name                       = "kv-app"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
}

resource "azurerm_key_vault" "param" {
  name                      = "kv-param"
  resource_group_name       = "rg-app"
  location                  = "westeurope"
  tenant_id                 = data.azurerm_client_config.current.tenant_id
  sku_name                  = "standard"
  enable_rbac_authorization = var.rbac
}
