# A function app reaching its storage account with the access key, and a web app with a
# database password setting; neither has an identity.
variable "db_password" {
  type      = string
  sensitive = true
}

resource "azurerm_storage_account" "st" {
  name                     = "stfunc"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_linux_function_app" "fn" {
  name                       = "func-orders"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = azurerm_storage_account.st.name
  storage_account_access_key = azurerm_storage_account.st.primary_access_key
  site_config {}
}

resource "azurerm_linux_web_app" "web" {
  name                = "web-orders"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  site_config {}
  app_settings = {
    DB_PASSWORD = var.db_password
  }
}
