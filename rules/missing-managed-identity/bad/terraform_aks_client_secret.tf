# AKS with a service principal secret (azurerm service_principal block).
variable "client_id" {
  type = string
}

variable "client_secret" {
  type      = string
  sensitive = true
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  resource_group_name = "rg"
  location            = "westeurope"
  dns_prefix          = "aks"

  service_principal {
    client_id     = var.client_id
    client_secret = var.client_secret
  }
}
