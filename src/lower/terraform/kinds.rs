//! Terraform resource types → ARM resource types, and Terraform attribute names → the ARM
//! property names rules read.

use crate::model::{Node, Prop, Provenance, Val};

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
        "azurerm_virtual_machine_scale_set_extension",
        "Microsoft.Compute/virtualMachineScaleSets/extensions",
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

/// How a Terraform attribute's value becomes an ARM property's value.
#[derive(Clone, Copy)]
enum Map {
    Same,
    /// A boolean with the opposite sense (`local_auth_enabled` → `disableLocalAuth`).
    Invert,
}

/// `(terraform types, terraform attribute path, ARM property path, mapping)`: the settings
/// rules read by their ARM names (reference §4.4 for the identity-over-keys switches).
type PropertyMapping = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    Map,
);

#[rustfmt::skip]
const PROPERTY_TABLE: &[PropertyMapping] = &[
    (&["azurerm_storage_account"], &["shared_access_key_enabled"], &["allowSharedKeyAccess"], Map::Same),
    (&["azurerm_cosmosdb_account"], &["local_authentication_enabled"], &["disableLocalAuth"], Map::Invert),
    (&["azurerm_cosmosdb_account"], &["local_authentication_disabled"], &["disableLocalAuth"], Map::Same),
    (&["azurerm_eventhub_namespace"], &["local_authentication_enabled"], &["disableLocalAuth"], Map::Invert),
    (
        &["azurerm_servicebus_namespace", "azurerm_app_configuration", "azurerm_cognitive_account"],
        &["local_auth_enabled"],
        &["disableLocalAuth"],
        Map::Invert,
    ),
    (&["azurerm_container_registry"], &["admin_enabled"], &["adminUserEnabled"], Map::Same),
    (&["azurerm_key_vault"], &["rbac_authorization_enabled"], &["enableRbacAuthorization"], Map::Same),
    (&["azurerm_key_vault"], &["enable_rbac_authorization"], &["enableRbacAuthorization"], Map::Same),
    (&["azurerm_kubernetes_cluster"], &["local_account_disabled"], &["disableLocalAccounts"], Map::Same),
    (
        &["azurerm_kubernetes_cluster"],
        &["service_principal", "client_secret"],
        &["servicePrincipalProfile", "secret"],
        Map::Same,
    ),
    (
        &["azurerm_mssql_server"],
        &["azuread_administrator", "azuread_authentication_only"],
        &["administrators", "azureADOnlyAuthentication"],
        Map::Same,
    ),
    (
        &["azurerm_mssql_managed_instance"],
        &["azure_active_directory_administrator", "azuread_authentication_only"],
        &["administrators", "azureADOnlyAuthentication"],
        Map::Same,
    ),
    (
        &[
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set",
        ],
        &["admin_username"],
        &["osProfile", "adminUsername"],
        Map::Same,
    ),
    (
        &["azurerm_virtual_machine", "azurerm_virtual_machine_scale_set"],
        &["os_profile", "admin_username"],
        &["osProfile", "adminUsername"],
        Map::Same,
    ),
    (
        &["azurerm_orchestrated_virtual_machine_scale_set"],
        &["os_profile", "linux_configuration", "admin_username"],
        &["osProfile", "adminUsername"],
        Map::Same,
    ),
    (
        &["azurerm_orchestrated_virtual_machine_scale_set"],
        &["os_profile", "windows_configuration", "admin_username"],
        &["osProfile", "adminUsername"],
        Map::Same,
    ),
    (
        &["azurerm_kubernetes_cluster"],
        &["linux_profile", "admin_username"],
        &["linuxProfile", "adminUsername"],
        Map::Same,
    ),
    (
        &["azurerm_kubernetes_cluster"],
        &["windows_profile", "admin_username"],
        &["windowsProfile", "adminUsername"],
        Map::Same,
    ),
    (
        &[
            "azurerm_mssql_server",
            "azurerm_sql_server",
            "azurerm_mssql_managed_instance",
            "azurerm_postgresql_server",
            "azurerm_postgresql_flexible_server",
            "azurerm_mysql_server",
            "azurerm_mysql_flexible_server",
        ],
        &["administrator_login"],
        &["administratorLogin"],
        Map::Same,
    ),
];

/// Add the ARM-named properties of [`PROPERTY_TABLE`] to a Terraform resource body, with the
/// span of the Terraform attribute they come from, so rules read one set of names. Attributes
/// that are absent stay absent (their ARM defaults are the provider's defaults); unknown
/// values stay unknown. An ARM name already present is left alone.
pub fn add_arm_properties(tf_type: &str, body: &mut Node) {
    for (types, tf_path, arm_path, map) in PROPERTY_TABLE {
        if !types.contains(&tf_type) || body.path(arm_path).is_some() {
            continue;
        }
        let Some(value) = lookup(body, tf_path) else {
            continue;
        };
        let value = match (map, &value.val) {
            (Map::Same, _) => value,
            (Map::Invert, _) => match value.as_bool() {
                Some(b) => Node::new(Val::Bool(!b), value.span, value.prov),
                None => Node::unknown("a computed setting", value.span),
            },
        };
        insert_path(body, arm_path, value);
    }
}

/// The value at a Terraform attribute path; unknown when a block on the way is repeated,
/// dynamic or computed (it may or may not set the attribute).
fn lookup(body: &Node, path: &[&str]) -> Option<Node> {
    let mut node = body;
    for key in path {
        match &node.val {
            Val::Object(_) => node = node.get(key)?,
            _ => return Some(Node::unknown("a repeated or computed block", node.span)),
        }
    }
    Some(node.clone())
}

/// Set `path` in an object node, creating intermediate objects (spanned like the value).
fn insert_path(node: &mut Node, path: &[&str], value: Node) {
    let Val::Object(props) = &mut node.val else {
        return;
    };
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        props.push(Prop {
            key: Node::lit_str(*first, value.span),
            value,
        });
        return;
    }
    let pos = props
        .iter()
        .position(|p| p.key.as_known_str() == Some(*first));
    let idx = match pos {
        Some(i) => i,
        None => {
            props.push(Prop {
                key: Node::lit_str(*first, value.span),
                value: Node::new(Val::Object(Vec::new()), value.span, Provenance::Literal),
            });
            props.len() - 1
        }
    };
    insert_path(&mut props[idx].value, rest, value);
}
