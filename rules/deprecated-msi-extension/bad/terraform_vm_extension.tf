# The deprecated extension through azurerm, on a VM and on a scale set.
resource "azurerm_virtual_machine_extension" "msi" {
  name                 = "msi"
  virtual_machine_id   = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
  publisher            = "Microsoft.ManagedIdentity"
  type                 = "ManagedIdentityExtensionForLinux"
  type_handler_version = "1.0"
  settings             = jsonencode({ port = 50342 })
}

resource "azurerm_virtual_machine_scale_set_extension" "msi" {
  name                         = "msi"
  virtual_machine_scale_set_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1"
  publisher                    = "Microsoft.ManagedIdentity"
  type                         = "ManagedIdentityExtensionForWindows"
  type_handler_version         = "1.0"
}
