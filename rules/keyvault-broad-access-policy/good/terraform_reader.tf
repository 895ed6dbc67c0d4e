# Get and List only; a permission list from a variable is not judged.
data "azurerm_client_config" "current" {}

variable "key_permissions" {
  type = list(string)
}

resource "azurerm_key_vault" "kv" {
  name                = "kv-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"

  access_policy {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    object_id          = "55555555-5555-5555-5555-555555555555"
    secret_permissions = ["Get", "List"]
    key_permissions    = var.key_permissions
  }
}
