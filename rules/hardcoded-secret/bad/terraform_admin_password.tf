# A VM with a literal admin_password committed in the module.
resource "azurerm_windows_virtual_machine" "vm" {
  name                  = "vm1"
  resource_group_name   = "rg-app"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  admin_password        = "Winter2024!Secure#Pass"
  network_interface_ids = []

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
