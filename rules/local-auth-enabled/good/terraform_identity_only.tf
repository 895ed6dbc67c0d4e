# Keys off in azurerm spelling; a setting from a variable is not judged.
variable "local_auth" {
  type = bool
}

resource "azurerm_storage_account" "st" {
  name                      = "stapp"
  resource_group_name       = "rg-app"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  shared_access_key_enabled = false
}

resource "azurerm_cosmosdb_account" "cosmos" {
  name                         = "cosmos-app"
  resource_group_name          = "rg-app"
  location                     = "westeurope"
  offer_type                   = "Standard"
  local_authentication_enabled = false
}

resource "azurerm_app_configuration" "cfg" {
  name                = "appcs"
  resource_group_name = "rg-app"
  location            = "westeurope"
  local_auth_enabled  = var.local_auth
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                   = "aks"
  resource_group_name    = "rg-app"
  location               = "westeurope"
  dns_prefix             = "aks"
  local_account_disabled = true
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_mssql_server" "sql" {
  name                = "sql-app"
  resource_group_name = "rg-app"
  location            = "westeurope"
  version             = "12.0"

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "66666666-6666-6666-6666-666666666666"
    azuread_authentication_only = true
  }
}
