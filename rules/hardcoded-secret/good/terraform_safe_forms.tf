# Secrets from a sensitive variable, random_password, Key Vault and Key Vault references; no literals.
variable "admin_password" {
  type      = string
  sensitive = true
}

variable "api_key" {
  type = string
}

resource "random_password" "sql" {
  length  = 24
  special = true
}

data "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  key_vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm1"
  resource_group_name             = "rg-app"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = var.admin_password
  disable_password_authentication = false
  network_interface_ids           = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql-app"
  resource_group_name          = "rg-app"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = random_password.sql.result
}

resource "azurerm_linux_web_app" "web" {
  name                = "web-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  site_config {}

  app_settings = {
    DB_PASSWORD = data.azurerm_key_vault_secret.db.value
    API_KEY     = var.api_key
    SMTP_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/smtp/)"
  }

  auth_settings_v2 {
    active_directory_v2 {
      client_id                  = "33333333-3333-3333-3333-333333333333"
      tenant_auth_endpoint       = "https://login.microsoftonline.com/tenant/v2.0"
      client_secret_setting_name = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"
    }
    login {}
  }
}
