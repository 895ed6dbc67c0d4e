# azurerm admin_username on a VM, a variable default for a PostgreSQL login, AKS linux_profile.
variable "pg_admin" {
  type    = string
  default = "postgres"
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                = "vm1"
  resource_group_name = "rg"
  location            = "westeurope"
  size                = "Standard_D2s_v5"
  admin_username      = "Admin"
}

resource "azurerm_postgresql_flexible_server" "pg" {
  name                = "pg-app"
  resource_group_name = "rg"
  location            = "westeurope"
  administrator_login = var.pg_admin
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  resource_group_name = "rg"
  location            = "westeurope"
  dns_prefix          = "aks"
  linux_profile {
    admin_username = "azureuser"
    ssh_key {
      key_data = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 ops@example"
    }
  }
}
