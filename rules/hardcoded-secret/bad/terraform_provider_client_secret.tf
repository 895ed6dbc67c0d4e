# The azurerm provider authenticates with a literal client secret.
provider "azurerm" {
  features {}
  client_id       = "00000000-0000-0000-0000-000000000000"
  client_secret   = "Xy7Q~k3Rz9vLmN2pQ8sT4uW6yA1cE5gH7jK9mNp"
  tenant_id       = "11111111-1111-1111-1111-111111111111"
  subscription_id = "22222222-2222-2222-2222-222222222222"
}
