# Reader for the attached identity.
resource "azurerm_role_assignment" "app" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app"
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}
