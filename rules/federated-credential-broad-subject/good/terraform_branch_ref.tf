# One protected branch, and an AKS credential whose issuer is read from the cluster.
resource "azurerm_user_assigned_identity" "ci" {
  name                = "ci-id"
  resource_group_name = "rg-ci"
  location            = "westeurope"
}

resource "azurerm_federated_identity_credential" "main" {
  name                      = "github-main"
  user_assigned_identity_id = azurerm_user_assigned_identity.ci.id
  issuer                    = "https://token.actions.githubusercontent.com"
  subject                   = "repo:contoso/infra:ref:refs/heads/main"
  audience                  = ["api://AzureADTokenExchange"]
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  resource_group_name = "rg-ci"
  location            = "westeurope"
  dns_prefix          = "aks"
  oidc_issuer_enabled = true
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_federated_identity_credential" "aks" {
  name                      = "aks-api"
  user_assigned_identity_id = azurerm_user_assigned_identity.ci.id
  issuer                    = azurerm_kubernetes_cluster.aks.oidc_issuer_url
  subject                   = "system:serviceaccount:api:api"
  audience                  = ["api://AzureADTokenExchange"]
}
