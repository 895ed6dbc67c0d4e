# The output of the storage account key is marked sensitive.
resource "azurerm_storage_account" "sa" {
  name                     = "stapp001"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

output "storage_key" {
  value     = azurerm_storage_account.sa.primary_access_key
  sensitive = true
}
