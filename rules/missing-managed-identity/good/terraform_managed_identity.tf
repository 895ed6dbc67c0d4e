# A function app using its identity for storage; a Key Vault reference needs the identity too.
resource "azurerm_linux_function_app" "fn" {
  name                          = "func-orders"
  resource_group_name           = "rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name          = "stfunc"
  storage_uses_managed_identity = true
  site_config {}
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_linux_web_app" "web" {
  name                = "web-orders"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  site_config {}
  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/db-password/)"
  }
}
