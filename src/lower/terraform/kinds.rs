//! Terraform resource types → ARM resource types.

/// `(terraform type, ARM type as documented)`.
const TABLE: &[(&str, &str)] = &[
    (
        "azurerm_linux_virtual_machine",
        "Microsoft.Compute/virtualMachines",
    ),
    (
        "azurerm_windows_virtual_machine",
        "Microsoft.Compute/virtualMachines",
    ),
    (
        "azurerm_virtual_machine",
        "Microsoft.Compute/virtualMachines",
    ),
    (
        "azurerm_linux_virtual_machine_scale_set",
        "Microsoft.Compute/virtualMachineScaleSets",
    ),
    (
        "azurerm_windows_virtual_machine_scale_set",
        "Microsoft.Compute/virtualMachineScaleSets",
    ),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        "Microsoft.Compute/virtualMachineScaleSets",
    ),
    (
        "azurerm_virtual_machine_scale_set",
        "Microsoft.Compute/virtualMachineScaleSets",
    ),
    (
        "azurerm_virtual_machine_extension",
        "Microsoft.Compute/virtualMachines/extensions",
    ),
    (
        "azurerm_virtual_machine_run_command",
        "Microsoft.Compute/virtualMachines/runCommands",
    ),
    ("azurerm_linux_web_app", "Microsoft.Web/sites"),
    ("azurerm_windows_web_app", "Microsoft.Web/sites"),
    ("azurerm_app_service", "Microsoft.Web/sites"),
    ("azurerm_linux_function_app", "Microsoft.Web/sites"),
    ("azurerm_windows_function_app", "Microsoft.Web/sites"),
    ("azurerm_function_app", "Microsoft.Web/sites"),
    (
        "azurerm_function_app_flex_consumption",
        "Microsoft.Web/sites",
    ),
    ("azurerm_logic_app_standard", "Microsoft.Web/sites"),
    ("azurerm_linux_web_app_slot", "Microsoft.Web/sites/slots"),
    ("azurerm_windows_web_app_slot", "Microsoft.Web/sites/slots"),
    (
        "azurerm_linux_function_app_slot",
        "Microsoft.Web/sites/slots",
    ),
    (
        "azurerm_windows_function_app_slot",
        "Microsoft.Web/sites/slots",
    ),
    ("azurerm_app_service_slot", "Microsoft.Web/sites/slots"),
    ("azurerm_service_plan", "Microsoft.Web/serverfarms"),
    ("azurerm_app_service_plan", "Microsoft.Web/serverfarms"),
    (
        "azurerm_kubernetes_cluster",
        "Microsoft.ContainerService/managedClusters",
    ),
    (
        "azurerm_kubernetes_cluster_node_pool",
        "Microsoft.ContainerService/managedClusters/agentPools",
    ),
    ("azurerm_container_app", "Microsoft.App/containerApps"),
    ("azurerm_container_app_job", "Microsoft.App/jobs"),
    (
        "azurerm_container_app_environment",
        "Microsoft.App/managedEnvironments",
    ),
    (
        "azurerm_container_group",
        "Microsoft.ContainerInstance/containerGroups",
    ),
    (
        "azurerm_storage_account",
        "Microsoft.Storage/storageAccounts",
    ),
    ("azurerm_key_vault", "Microsoft.KeyVault/vaults"),
    (
        "azurerm_key_vault_secret",
        "Microsoft.KeyVault/vaults/secrets",
    ),
    ("azurerm_key_vault_key", "Microsoft.KeyVault/vaults/keys"),
    (
        "azurerm_key_vault_access_policy",
        "Microsoft.KeyVault/vaults/accessPolicies",
    ),
    ("azurerm_mssql_server", "Microsoft.Sql/servers"),
    ("azurerm_sql_server", "Microsoft.Sql/servers"),
    ("azurerm_mssql_database", "Microsoft.Sql/servers/databases"),
    (
        "azurerm_mssql_managed_instance",
        "Microsoft.Sql/managedInstances",
    ),
    (
        "azurerm_postgresql_flexible_server",
        "Microsoft.DBforPostgreSQL/flexibleServers",
    ),
    (
        "azurerm_postgresql_server",
        "Microsoft.DBforPostgreSQL/servers",
    ),
    (
        "azurerm_mysql_flexible_server",
        "Microsoft.DBforMySQL/flexibleServers",
    ),
    ("azurerm_mysql_server", "Microsoft.DBforMySQL/servers"),
    (
        "azurerm_cosmosdb_account",
        "Microsoft.DocumentDB/databaseAccounts",
    ),
    (
        "azurerm_container_registry",
        "Microsoft.ContainerRegistry/registries",
    ),
    ("azurerm_logic_app_workflow", "Microsoft.Logic/workflows"),
    ("azurerm_data_factory", "Microsoft.DataFactory/factories"),
    (
        "azurerm_servicebus_namespace",
        "Microsoft.ServiceBus/namespaces",
    ),
    (
        "azurerm_eventhub_namespace",
        "Microsoft.EventHub/namespaces",
    ),
    ("azurerm_eventgrid_topic", "Microsoft.EventGrid/topics"),
    (
        "azurerm_app_configuration",
        "Microsoft.AppConfiguration/configurationStores",
    ),
    (
        "azurerm_user_assigned_identity",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
    ),
    (
        "azurerm_federated_identity_credential",
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    ),
    (
        "azurerm_resource_group",
        "Microsoft.Resources/resourceGroups",
    ),
    (
        "azurerm_role_assignment",
        "Microsoft.Authorization/roleAssignments",
    ),
    (
        "azurerm_role_definition",
        "Microsoft.Authorization/roleDefinitions",
    ),
    (
        "azurerm_virtual_network",
        "Microsoft.Network/virtualNetworks",
    ),
    (
        "azurerm_subnet",
        "Microsoft.Network/virtualNetworks/subnets",
    ),
    (
        "azurerm_network_interface",
        "Microsoft.Network/networkInterfaces",
    ),
    (
        "azurerm_network_security_group",
        "Microsoft.Network/networkSecurityGroups",
    ),
    ("azurerm_public_ip", "Microsoft.Network/publicIPAddresses"),
    (
        "azurerm_application_gateway",
        "Microsoft.Network/applicationGateways",
    ),
    (
        "azurerm_log_analytics_workspace",
        "Microsoft.OperationalInsights/workspaces",
    ),
    (
        "azurerm_application_insights",
        "Microsoft.Insights/components",
    ),
    (
        "azurerm_automation_account",
        "Microsoft.Automation/automationAccounts",
    ),
    ("azurerm_api_management", "Microsoft.ApiManagement/service"),
    ("azurerm_search_service", "Microsoft.Search/searchServices"),
    (
        "azurerm_cognitive_account",
        "Microsoft.CognitiveServices/accounts",
    ),
    (
        "azurerm_machine_learning_workspace",
        "Microsoft.MachineLearningServices/workspaces",
    ),
    ("azurerm_synapse_workspace", "Microsoft.Synapse/workspaces"),
    (
        "azurerm_databricks_workspace",
        "Microsoft.Databricks/workspaces",
    ),
    ("azurerm_redis_cache", "Microsoft.Cache/redis"),
    (
        "azurerm_spring_cloud_service",
        "Microsoft.AppPlatform/Spring",
    ),
    ("azurerm_static_web_app", "Microsoft.Web/staticSites"),
    ("azurerm_batch_account", "Microsoft.Batch/batchAccounts"),
    (
        "azurerm_stream_analytics_job",
        "Microsoft.StreamAnalytics/streamingjobs",
    ),
    (
        "azurerm_management_group",
        "Microsoft.Management/managementGroups",
    ),
    ("azurerm_subscription", "Microsoft.Subscription/aliases"),
];

/// The ARM type of a Terraform resource type (as documented, not lowercased).
pub fn arm_type(tf_type: &str) -> Option<&'static str> {
    TABLE.iter().find(|(t, _)| *t == tf_type).map(|(_, a)| *a)
}

/// The model kind of a Terraform resource type: the lowercase ARM type, else
/// `<provider>:<rest>` (`azuread:application_password`, `azurerm:storage_container`).
pub fn kind_of(tf_type: &str) -> String {
    if let Some(arm) = arm_type(tf_type) {
        return arm.to_ascii_lowercase();
    }
    match tf_type.split_once('_') {
        Some((provider, rest)) => format!("{provider}:{rest}"),
        None => tf_type.to_owned(),
    }
}

/// Attributes whose value is a credential generated or held by the resource.
pub fn is_secret_attribute(tf_type: &str, attr: &str) -> bool {
    match (tf_type, attr) {
        ("random_password", "result" | "bcrypt_hash") => return true,
        (
            "azuread_application_password"
            | "azuread_service_principal_password"
            | "azurerm_key_vault_secret"
            | "azuread_application_certificate",
            "value",
        ) => return true,
        ("azurerm_container_registry", "admin_password") => return true,
        _ => {}
    }
    let a = attr;
    a.contains("access_key")
        || a.contains("connection_string")
        || a.starts_with("kube_config")
        || a.starts_with("kube_admin_config")
        || a.starts_with("private_key")
        || a.ends_with("shared_key")
        || a.ends_with("_master_key")
        || ((a.starts_with("primary_") || a.starts_with("secondary_") || a.starts_with("default_"))
            && a.ends_with("_key"))
        || a == "client_secret"
        || a == "sas"
}
