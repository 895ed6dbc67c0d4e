# A custom role with narrow, explicit actions.
data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "vm_operator" {
  name  = "vm-operator"
  scope = data.azurerm_subscription.primary.id

  permissions {
    actions = [
      "Microsoft.Compute/virtualMachines/read",
      "Microsoft.Compute/virtualMachines/start/action",
      "Microsoft.Compute/virtualMachines/restart/action",
    ]
  }
}
