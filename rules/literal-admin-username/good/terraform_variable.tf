# The admin name comes from a variable without default.
variable "admin_username" {
  type = string
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                = "vm1"
  resource_group_name = "rg"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = var.admin_username
}
