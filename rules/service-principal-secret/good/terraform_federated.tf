# An application that logs in from GitHub Actions with workload identity federation.
resource "azuread_application" "ci" {
  display_name = "ci-deployer"
}

resource "azuread_service_principal" "ci" {
  client_id = azuread_application.ci.client_id
}

resource "azuread_application_federated_identity_credential" "main" {
  application_id = azuread_application.ci.id
  display_name   = "github-main"
  issuer         = "https://token.actions.githubusercontent.com"
  subject        = "repo:contoso/infra:environment:production"
  audiences      = ["api://AzureADTokenExchange"]
}
