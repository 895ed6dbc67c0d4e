# Client secrets for an application and its service principal.
resource "azuread_application" "ci" {
  display_name = "ci-deployer"
}

resource "azuread_service_principal" "ci" {
  client_id = azuread_application.ci.client_id
}

resource "azuread_application_password" "ci" {
  application_id = azuread_application.ci.id
  display_name   = "ci"
}

resource "azuread_service_principal_password" "ci" {
  service_principal_id = azuread_service_principal.ci.id
}
