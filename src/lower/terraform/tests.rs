//! Lowering tests on realistic multi-file modules.

use super::lower;
use crate::lower::Lowered;
use crate::model::scope::{ScopeLevel, level_of};
use crate::model::{Attr, ResourceLink, RoleRef, SecretKind, Val};
use crate::source::{FileId, Format, SourceDb, SourceFile};
use std::path::PathBuf;

fn run(files: &[(&str, &str)]) -> (SourceDb, Lowered) {
    let mut db = SourceDb::default();
    let mut ids: Vec<FileId> = Vec::new();
    for (path, text) in files {
        let format = if path.ends_with(".tfvars") {
            Format::TerraformVars
        } else {
            Format::Terraform
        };
        ids.push(db.add(SourceFile::new(
            PathBuf::from(path),
            (*path).to_owned(),
            (*text).to_owned(),
            format,
        )));
    }
    let out = lower(&db, &ids);
    (db, out)
}

fn symbol_of(node: &crate::model::Node) -> Option<(String, Attr)> {
    match &node.val {
        Val::Attr {
            link: ResourceLink::Symbol { name, .. },
            attr,
        } => Some((name.to_string(), *attr)),
        _ => None,
    }
}

const IDENTITY_TF: &str = r#"
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-app"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
}

resource "azurerm_user_assigned_identity" "spare" {
  name                = "id-spare"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
}
"#;

const COMPUTE_TF: &str = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg-${var.env}"
  location = "westeurope"
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm1"
  resource_group_name             = azurerm_resource_group.rg.name
  location                        = azurerm_resource_group.rg.location
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = "S3cure!Passw0rd-2024"
  disable_password_authentication = false
  network_interface_ids           = []

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
}

variable "env" {
  type    = string
  default = "prod"
}
"#;

const RBAC_TF: &str = r#"
data "azurerm_subscription" "current" {}

resource "azurerm_role_assignment" "app_contributor" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}

resource "azurerm_role_assignment" "spare_reader" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.spare.principal_id
}

resource "azurerm_role_assignment" "vm_self" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Reader"
  principal_id         = azurerm_linux_virtual_machine.vm.identity[0].principal_id
}
"#;

#[test]
fn acceptance_identity_attached_and_assigned() {
    let (_db, out) = run(&[
        ("infra/identity.tf", IDENTITY_TF),
        ("infra/compute.tf", COMPUTE_TF),
        ("infra/rbac.tf", RBAC_TF),
    ]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    let uami = m
        .resources
        .iter()
        .find(|r| r.symbol.as_deref() == Some("azurerm_user_assigned_identity.app"))
        .unwrap();
    assert!(uami.is_user_assigned_identity());
    assert_eq!(&*uami.unit, "tf:infra");
    assert_eq!(uami.name.known(), Some("id-app"));
    assert_eq!(uami.kind_display, "azurerm_user_assigned_identity");
    let vm = m
        .resources
        .iter()
        .find(|r| r.symbol.as_deref() == Some("azurerm_linux_virtual_machine.vm"))
        .unwrap();
    assert_eq!(vm.kind, "microsoft.compute/virtualmachines");
    let id = vm.identity.as_ref().unwrap();
    assert_eq!(id.system_assigned, Some(true));
    assert!(!id.user_assigned_unknown);
    assert_eq!(
        symbol_of(&id.user_assigned[0]),
        Some(("azurerm_user_assigned_identity.app".into(), Attr::Id))
    );
    // Resource group id known in shape.
    let rg = m
        .resources
        .iter()
        .find(|r| r.kind == "microsoft.resources/resourcegroups")
        .unwrap();
    assert_eq!(rg.name.known(), Some("rg-prod"));
    assert_eq!(level_of(&rg.id), Some(ScopeLevel::ResourceGroup));

    let ra = m
        .role_assignments
        .iter()
        .find(|a| a.label == "azurerm_role_assignment.app_contributor")
        .unwrap();
    assert!(matches!(&ra.role, RoleRef::Name(n) if n.as_known_str() == Some("Contributor")));
    assert_eq!(
        symbol_of(&ra.principal),
        Some((
            "azurerm_user_assigned_identity.app".into(),
            Attr::PrincipalId
        ))
    );
    assert_eq!(
        level_of(ra.scope.as_pstr().unwrap()),
        Some(ScopeLevel::Subscription)
    );
    assert!(!ra.many);
    let reader = m
        .role_assignments
        .iter()
        .find(|a| a.label == "azurerm_role_assignment.spare_reader")
        .unwrap();
    assert_eq!(
        level_of(reader.scope.as_pstr().unwrap()),
        Some(ScopeLevel::ResourceGroup)
    );
    let self_ra = m
        .role_assignments
        .iter()
        .find(|a| a.label == "azurerm_role_assignment.vm_self")
        .unwrap();
    assert_eq!(
        symbol_of(&self_ra.principal),
        Some((
            "azurerm_linux_virtual_machine.vm".into(),
            Attr::SystemPrincipalId
        ))
    );
    // Nothing attaches the spare identity.
    let attached: Vec<String> = m
        .resources
        .iter()
        .flat_map(|r| {
            r.identity
                .iter()
                .flat_map(|i| i.user_assigned.iter())
                .chain(r.identity_references.iter())
                .filter_map(symbol_of)
                .map(|(s, _)| s)
        })
        .collect();
    assert!(attached.contains(&"azurerm_user_assigned_identity.app".to_owned()));
    assert!(!attached.contains(&"azurerm_user_assigned_identity.spare".to_owned()));
    // The literal password is a secret; the boolean is not.
    let secrets: Vec<&str> = m.secrets.iter().map(|s| s.context.as_str()).collect();
    assert_eq!(
        secrets,
        vec!["azurerm_linux_virtual_machine.vm.admin_password"]
    );
    assert!(m.units_with_unknown_identity_refs.is_empty());
}

#[test]
fn azapi_equivalent() {
    let main = r#"
data "azurerm_subscription" "current" {}

resource "azapi_resource" "rg" {
  type     = "Microsoft.Resources/resourceGroups@2024-03-01"
  name     = "rg-app"
  location = "westeurope"
  parent_id = data.azurerm_subscription.current.id
}

resource "azapi_resource" "app" {
  type      = "Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31"
  name      = "id-app"
  parent_id = azapi_resource.rg.id
  location  = "westeurope"
  response_export_values = ["properties.principalId"]
}

resource "azapi_resource" "vm" {
  type      = "Microsoft.Compute/virtualMachines@2024-07-01"
  name      = "vm1"
  parent_id = azapi_resource.rg.id
  identity {
    type         = "UserAssigned"
    identity_ids = [azapi_resource.app.id]
  }
  body = {
    properties = {
      osProfile = { adminUsername = "azureuser", adminPassword = "S3cure!Passw0rd-2024" }
    }
  }
}

resource "azapi_resource" "ra" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "00000000-0000-0000-0000-000000000001"
  parent_id = data.azurerm_subscription.current.id
  body = jsonencode({
    properties = {
      principalId      = azapi_resource.app.output.properties.principalId
      roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
      principalType    = "ServicePrincipal"
    }
  })
}
"#;
    let (_db, out) = run(&[("azapi/main.tf", main)]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    let uami = m
        .resources
        .iter()
        .find(|r| r.symbol.as_deref() == Some("azapi_resource.app"))
        .unwrap();
    assert!(uami.is_user_assigned_identity());
    let vm = m
        .resources
        .iter()
        .find(|r| r.symbol.as_deref() == Some("azapi_resource.vm"))
        .unwrap();
    assert_eq!(vm.kind, "microsoft.compute/virtualmachines");
    assert_eq!(
        symbol_of(&vm.identity.as_ref().unwrap().user_assigned[0]),
        Some(("azapi_resource.app".into(), Attr::Id))
    );
    let ra = &m.role_assignments[0];
    assert_eq!(
        symbol_of(&ra.principal),
        Some(("azapi_resource.app".into(), Attr::PrincipalId))
    );
    assert_eq!(
        level_of(ra.scope.as_pstr().unwrap()),
        Some(ScopeLevel::Subscription)
    );
    assert!(
        matches!(&ra.role, RoleRef::Id(n) if n.as_known_str().is_some_and(|s| s.ends_with("20f7382dd24c")))
    );
    assert!(
        m.secrets
            .iter()
            .any(|s| s.context.ends_with("adminPassword"))
    );
}

#[test]
fn secrets_found_and_safe_forms_not() {
    let main = r#"
provider "azurerm" {
  features {}
  client_id     = "00000000-0000-0000-0000-000000000000"
  client_secret = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456"
}

variable "admin_password" {
  type      = string
  sensitive = true
}

variable "db_password" {
  type = string
}

resource "random_password" "pw" {
  length = 24
}

data "azurerm_key_vault_secret" "s" {
  name         = "db"
  key_vault_id = "x"
}

resource "azurerm_linux_web_app" "web" {
  name                = "web"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "x"
  site_config {}
  key_vault_reference_identity_id = azurerm_user_assigned_identity.id.id
  app_settings = {
    DB_PASSWORD        = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)"
    API_KEY            = random_password.pw.result
    OTHER_SECRET       = data.azurerm_key_vault_secret.s.value
    VM_PASSWORD        = var.admin_password
    DB2_PASSWORD       = var.db_password
    client_secret_setting_name = "MY_SECRET"
  }
  connection_string {
    name  = "db"
    type  = "SQLAzure"
    value = "Server=tcp:x.database.windows.net;Database=d;User ID=u;Password=Hunter2Hunter2;"
  }
}

resource "azurerm_user_assigned_identity" "id" {
  name                = "id"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_storage_account" "sa" {
  name                     = "sa"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

output "key" {
  value = azurerm_storage_account.sa.primary_access_key
}

output "key_hidden" {
  value     = azurerm_storage_account.sa.primary_connection_string
  sensitive = true
}
"#;
    let tfvars = "db_password = \"Pr0d-DB-passw0rd!\"\nlocation = \"westeurope\"\n";
    let (_db, out) = run(&[("app/main.tf", main), ("app/terraform.tfvars", tfvars)]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    let mut found: Vec<(String, SecretKind)> = m
        .secrets
        .iter()
        .map(|s| (s.context.clone(), s.kind.clone()))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let contexts: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert!(
        contexts.contains(&"provider.azurerm.client_secret"),
        "{contexts:?}"
    );
    assert!(contexts.contains(&"db_password"), "{contexts:?}");
    assert!(
        contexts
            .iter()
            .any(|c| c.starts_with("azurerm_linux_web_app.web.connection_string")),
        "{contexts:?}"
    );
    // The tfvars value flows into the app setting, recorded at the tfvars span once more.
    for safe in [
        "API_KEY",
        "OTHER_SECRET",
        "VM_PASSWORD",
        "client_secret_setting_name",
    ] {
        assert!(
            !contexts.iter().any(|c| c.ends_with(safe)),
            "{safe} flagged: {contexts:?}"
        );
    }
    assert!(!contexts.iter().any(|c| c.ends_with("DB_PASSWORD")));
    let tfvars_site = m
        .secrets
        .iter()
        .find(|s| s.context == "db_password")
        .unwrap();
    assert_eq!(tfvars_site.kind, SecretKind::ParameterValue);
    // Parameters.
    let p = m
        .parameters
        .iter()
        .find(|p| p.name == "admin_password")
        .unwrap();
    assert!(p.secure);
    assert_eq!(p.ty.as_deref(), Some("string"));
    // Outputs.
    let o = m.outputs.iter().find(|o| o.name == "key").unwrap();
    assert!(!o.protected);
    assert!(matches!(o.value.val, Val::Secret(_)));
    assert!(
        m.outputs
            .iter()
            .find(|o| o.name == "key_hidden")
            .unwrap()
            .protected
    );
    // The Key Vault reference identity counts as an attachment.
    let web = m
        .resources
        .iter()
        .find(|r| r.kind == "microsoft.web/sites")
        .unwrap();
    assert_eq!(
        symbol_of(&web.identity_references[0]),
        Some(("azurerm_user_assigned_identity.id".into(), Attr::Id))
    );
}

#[test]
fn count_for_each_dynamic_and_unknown_identity_ids() {
    let main = r#"
variable "identity_ids" {
  type = list(string)
}
variable "scope" {
  type = string
}

resource "azurerm_user_assigned_identity" "many" {
  for_each            = toset(["a", "b"])
  name                = "id-${each.key}"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "ra" {
  count                = 2
  scope                = var.scope
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.many["a"].principal_id
}

resource "azurerm_linux_web_app" "web" {
  name                = "web"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "x"
  site_config {}
  identity {
    type         = "UserAssigned"
    identity_ids = var.identity_ids
  }
  dynamic "connection_string" {
    for_each = ["a", "b"]
    content {
      name  = connection_string.value
      type  = "Custom"
      value = "x"
    }
  }
}
"#;
    let (_db, out) = run(&[("loop/main.tf", main)]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    let uami = m
        .resources
        .iter()
        .find(|r| r.is_user_assigned_identity())
        .unwrap();
    assert!(uami.many);
    let ra = &m.role_assignments[0];
    assert!(ra.many);
    assert_eq!(level_of(ra.scope.as_pstr().unwrap()), None);
    assert_eq!(
        symbol_of(&ra.principal),
        Some((
            "azurerm_user_assigned_identity.many".into(),
            Attr::PrincipalId
        ))
    );
    let web = m
        .resources
        .iter()
        .find(|r| r.kind == "microsoft.web/sites")
        .unwrap();
    assert!(web.identity.as_ref().unwrap().user_assigned_unknown);
    assert_eq!(&*m.units_with_unknown_identity_refs[0], "tf:loop");
    let cs = web
        .properties
        .as_ref()
        .unwrap()
        .get("connection_string")
        .unwrap();
    assert!(matches!(&cs.val, Val::Array(xs) if xs.len() == 1));
}

#[test]
fn child_module_inputs_and_outputs_flow() {
    let root = r#"
module "identity" {
  source = "./modules/identity"
  name   = "id-app"
}

data "azurerm_subscription" "current" {}

resource "azurerm_role_assignment" "ra" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = module.identity.principal_id
}

module "remote" {
  source  = "Azure/avm-res-managedidentity/azurerm"
  version = "0.3.0"
}

resource "azurerm_role_assignment" "remote" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Reader"
  principal_id         = module.remote.principal_id
}
"#;
    let child = r#"
variable "name" {
  type = string
}

resource "azurerm_user_assigned_identity" "this" {
  name                = var.name
  resource_group_name = "rg"
  location            = "westeurope"
}

output "principal_id" {
  value = azurerm_user_assigned_identity.this.principal_id
}
"#;
    let (_db, out) = run(&[
        ("stack/main.tf", root),
        ("stack/modules/identity/main.tf", child),
    ]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    // The child is lowered once, as an instance of the root (not also as a root).
    let uamis: Vec<_> = m
        .resources
        .iter()
        .filter(|r| r.is_user_assigned_identity())
        .collect();
    assert_eq!(uamis.len(), 1);
    assert_eq!(&*uamis[0].unit, "tf:stack/module.identity");
    assert_eq!(uamis[0].name.known(), Some("id-app"));
    let ra = m
        .role_assignments
        .iter()
        .find(|a| a.label.ends_with(".ra"))
        .unwrap();
    match &ra.principal.val {
        Val::Attr {
            link: ResourceLink::Symbol { unit, name },
            attr: Attr::PrincipalId,
        } => {
            assert_eq!(&**unit, "tf:stack/module.identity");
            assert_eq!(&**name, "azurerm_user_assigned_identity.this");
        }
        other => panic!("{other:?}"),
    }
    let remote = m
        .role_assignments
        .iter()
        .find(|a| a.label.ends_with(".remote"))
        .unwrap();
    assert!(matches!(&remote.principal.val, Val::Unknown(r) if r.contains("remote module")));
}

#[test]
fn custom_role_and_key_vault() {
    let main = r#"
data "azurerm_subscription" "primary" {}
data "azurerm_client_config" "current" {}

resource "azurerm_role_definition" "custom" {
  name  = "my-role"
  scope = data.azurerm_subscription.primary.id
  permissions {
    actions     = ["*"]
    not_actions = ["Microsoft.Authorization/*/Delete"]
  }
}

resource "azurerm_role_assignment" "custom" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = azurerm_role_definition.custom.role_definition_resource_id
  principal_id       = data.azurerm_client_config.current.object_id
}

resource "azurerm_key_vault" "kv" {
  name                = "kv"
  location            = "westeurope"
  resource_group_name = "rg"
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"
  access_policy {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    object_id          = data.azurerm_client_config.current.object_id
    secret_permissions = ["Get", "List", "Set"]
  }
}

resource "azurerm_key_vault_access_policy" "p" {
  key_vault_id    = azurerm_key_vault.kv.id
  tenant_id       = data.azurerm_client_config.current.tenant_id
  object_id       = "11111111-1111-1111-1111-111111111111"
  key_permissions = ["Get"]
}

resource "azurerm_key_vault_secret" "s" {
  name         = "s"
  value        = "super-Secret-value-42"
  key_vault_id = azurerm_key_vault.kv.id
}
"#;
    let (_db, out) = run(&[("rbac/main.tf", main)]);
    let m = &out.model;
    let rd = &m.role_definitions[0];
    assert_eq!(rd.permissions[0].actions[0].as_known_str(), Some("*"));
    assert_eq!(rd.assignable_scopes.len(), 1);
    let link = rd.link.clone().unwrap();
    let ra = &m.role_assignments[0];
    match &ra.role {
        RoleRef::Id(n) => match &n.val {
            Val::Attr {
                link: l,
                attr: Attr::Id,
            } => assert_eq!(*l, link),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert_eq!(m.keyvault_policies.len(), 2);
    assert_eq!(m.keyvault_policies[0].permissions[0].0, "secrets");
    assert!(matches!(
        &m.keyvault_policies[1].vault,
        Some(ResourceLink::Symbol { name, .. }) if &**name == "azurerm_key_vault.kv"
    ));
    assert!(
        m.secrets
            .iter()
            .any(|s| s.context == "azurerm_key_vault_secret.s.value")
    );
}

#[test]
fn parse_error_has_the_right_line_and_others_still_lower() {
    let bad =
        "resource \"azurerm_resource_group\" \"rg\" {\n  name = \"x\"\n  location = = \"y\"\n}\n";
    let good =
        "resource \"azurerm_resource_group\" \"rg\" {\n  name = \"x\"\n  location = \"y\"\n}\n";
    let (db, out) = run(&[("a/bad.tf", bad), ("b/good.tf", good)]);
    assert_eq!(out.diagnostics.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(d.rule, "parse-error");
    let (line, _) = db.get(d.span.file).line_col(d.span.start as usize);
    assert_eq!(line, 3);
    assert_eq!(out.model.resources.len(), 1);
}

#[test]
fn deep_nesting_is_a_parse_error_not_a_crash() {
    let deep = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let deep_obj = format!(
        "locals {{\n  x = {}\n}}\n",
        "{a=".repeat(100_000) + &"}".repeat(100_000)
    );
    let (_db, out) = run(&[("d/deep.tf", &deep), ("e/deep.tf", &deep_obj)]);
    assert_eq!(out.diagnostics.len(), 2);
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        "{",
        "}",
        "resource",
        "resource \"a\" {",
        "x = \"${",
        "x = <<EOT\n",
        "\u{feff}x = 1",
        "x = var.",
        "module \"m\" { source = \"./\" }",
        "x = a[*].b[\"c\"].d",
        "locals { a = local.b\n b = local.a }\noutput \"o\" { value = local.a }",
        "locals { a = format(\"%\") }",
        "x = 1 / 0",
    ];
    for (i, text) in inputs.iter().enumerate() {
        let path = format!("g{i}/main.tf");
        let _ = run(&[(path.as_str(), text)]);
    }
}

#[test]
fn terraform_settings_get_their_arm_names_and_azapi_its_api_version() {
    let (_db, out) = run(&[(
        "main.tf",
        r#"
variable "local_auth" {
  type = bool
}
resource "azurerm_servicebus_namespace" "bus" {
  name               = "sb"
  local_auth_enabled = true
}
resource "azurerm_app_configuration" "cfg" {
  name               = "cfg"
  local_auth_enabled = var.local_auth
}
resource "azurerm_mssql_server" "sql" {
  name                = "sql"
  administrator_login = "dba"
  azuread_administrator {
    azuread_authentication_only = true
  }
}
resource "azapi_resource" "kv" {
  type = "Microsoft.KeyVault/vaults@2026-02-01"
  name = "kv"
  body = { properties = {} }
}
"#,
    )]);
    let m = &out.model;
    let props = |kind: &str| {
        m.resources
            .iter()
            .find(|r| r.kind == kind)
            .and_then(|r| r.properties.clone())
            .unwrap()
    };
    // Inverted, with the span of the Terraform attribute.
    let bus = props("microsoft.servicebus/namespaces");
    let disable = bus.get("disableLocalAuth").unwrap();
    assert_eq!(disable.as_bool(), Some(false));
    assert_eq!(disable.span, bus.get("local_auth_enabled").unwrap().span);
    // Unknown stays unknown.
    let cfg = props("microsoft.appconfiguration/configurationstores");
    assert!(cfg.get("disableLocalAuth").unwrap().as_bool().is_none());
    // Nested blocks map to nested ARM paths.
    let sql = props("microsoft.sql/servers");
    assert_eq!(
        sql.path(&["administrators", "azureADOnlyAuthentication"])
            .and_then(|n| n.as_bool()),
        Some(true)
    );
    assert_eq!(
        sql.get("administratorLogin").and_then(|n| n.as_known_str()),
        Some("dba")
    );
    let kv = m
        .resources
        .iter()
        .find(|r| r.kind == "microsoft.keyvault/vaults")
        .unwrap();
    assert_eq!(kv.api_version.as_deref(), Some("2026-02-01"));
}
