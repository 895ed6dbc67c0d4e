# One identity with Contributor shared by two web apps.
resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}

resource "azurerm_user_assigned_identity" "shared" {
  name                = "id-shared"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
}

resource "azurerm_linux_web_app" "api" {
  name                = "app-api"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"
  site_config {}
  identity {
    type = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.shared.id]
  }
}

resource "azurerm_linux_web_app" "worker" {
  name                = "app-worker"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Web/serverFarms/plan"
  site_config {}
  identity {
    type = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.shared.id]
  }
}

resource "azurerm_role_assignment" "c" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.shared.principal_id
}
