# azurerm names: local_auth_enabled = true (inverted disableLocalAuth), admin_enabled, an SQL
# server without AAD-only authentication, a storage account with the shared-key default.
resource "azurerm_servicebus_namespace" "bus" {
  name                = "sb-orders"
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku                 = "Standard"
  local_auth_enabled  = true
}

resource "azurerm_container_registry" "acr" {
  name                = "acrapp"
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}

resource "azurerm_mssql_server" "sql" {
  name                = "sql-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  version             = "12.0"

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "66666666-6666-6666-6666-666666666666"
    azuread_authentication_only = false
  }
}

resource "azurerm_storage_account" "st" {
  name                     = "stapp"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
