# azuread_application with an inline password block.
resource "azuread_application" "legacy" {
  display_name = "legacy-integration"

  password {
    display_name = "integration"
    end_date     = "2027-01-01T00:00:00Z"
  }
}
