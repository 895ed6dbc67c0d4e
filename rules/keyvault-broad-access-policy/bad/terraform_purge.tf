# azurerm spells permissions in title case; Purge is as broad in any case.
data "azurerm_client_config" "current" {}

resource "azurerm_user_assigned_identity" "app" {
  name                = "app-id"
  resource_group_name = "rg-app"
  location            = "westeurope"
}

resource "azurerm_key_vault" "kv" {
  name                = "kv-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"

  access_policy {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    object_id          = azurerm_user_assigned_identity.app.principal_id
    secret_permissions = ["Get", "List", "Set", "Delete", "Purge"]
  }
}

resource "azurerm_key_vault_access_policy" "ops" {
  key_vault_id            = azurerm_key_vault.kv.id
  tenant_id               = data.azurerm_client_config.current.tenant_id
  object_id               = "44444444-4444-4444-4444-444444444444"
  certificate_permissions = ["All"]
}
