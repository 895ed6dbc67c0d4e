# A VM with a managed identity and no extension; an extension whose type is a variable.
variable "extension_type" {
  type = string
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                = "vm1"
  resource_group_name = "rg"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = "opsadmin"
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_virtual_machine_extension" "ext" {
  name                 = "ext"
  virtual_machine_id   = azurerm_linux_virtual_machine.vm.id
  publisher            = "Microsoft.ManagedIdentity"
  type                 = var.extension_type
  type_handler_version = "1.0"
}
