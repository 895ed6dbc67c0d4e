use super::*;
use crate::model::scope::{ScopeLevel, level_of};
use crate::source::SourceFile;

fn db_with(files: &[(&str, &str)]) -> (SourceDb, Vec<FileId>) {
    let mut db = SourceDb::default();
    let mut ids = Vec::new();
    for (path, text) in files {
        let format = if path.ends_with(".bicepparam") {
            Format::BicepParam
        } else {
            Format::Bicep
        };
        ids.push(db.add(SourceFile::new(
            PathBuf::from(path),
            path.to_string(),
            text.to_string(),
            format,
        )));
    }
    (db, ids)
}

fn lower(files: &[(&str, &str)]) -> (SourceDb, Lowered) {
    let (db, ids) = db_with(files);
    let out = lower_all(&db, &ids);
    (db, out)
}

fn resource<'m>(m: &'m Model, symbol: &str) -> &'m Resource {
    m.resources
        .iter()
        .find(|r| r.symbol.as_deref() == Some(symbol))
        .unwrap_or_else(|| panic!("no resource {symbol}"))
}

#[test]
fn symbols_link_principal_and_identity() {
    let (_, out) = lower(&[(
        "/r/main.bicep",
        r#"
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id1'
  location: 'westeurope'
}
resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: { '${uami.id}': {} }
  }
}
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid('x')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
    principalId: uami.properties.principalId
  }
}
resource ra2 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid('y')
  properties: {
    roleDefinitionId: 'x'
    principalId: vm.identity.principalId
  }
}
"#,
    )]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    let uami = resource(m, "uami");
    assert!(uami.is_user_assigned_identity());
    assert_eq!(uami.unit.as_ref(), "bicep:/r/main.bicep");
    assert!(
        uami.id
            .display()
            .ends_with("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1")
    );
    let vm = resource(m, "vm");
    let decl = vm.identity.as_ref().unwrap();
    assert_eq!(decl.system_assigned, Some(true));
    let link = ResourceLink::Symbol {
        unit: uami.unit.clone(),
        name: "uami".into(),
    };
    assert_eq!(
        decl.user_assigned[0].val,
        Val::Attr {
            link: link.clone(),
            attr: Attr::Id
        }
    );
    let ra = &m.role_assignments[0];
    assert_eq!(
        ra.principal.val,
        Val::Attr {
            link,
            attr: Attr::PrincipalId
        }
    );
    // No scope: the deployment's resource group.
    assert_eq!(
        level_of(ra.scope.as_pstr().unwrap()),
        Some(ScopeLevel::ResourceGroup)
    );
    assert!(matches!(
        m.role_assignments[1].principal.val,
        Val::Attr {
            attr: Attr::SystemPrincipalId,
            ..
        }
    ));
}

#[test]
fn existing_children_parent_and_loops() {
    let (_, out) = lower(&[(
        "/r/main.bicep",
        r#"
param names array
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'vault1'
  resource nested 'secrets' = {
    name: 'inner'
  }
}
resource sec 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: kv
  name: 'outer'
  properties: { value: kv::nested.name }
}
resource many 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [for n in names: {
  name: n
}]
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = if (true) {
  name: 'stg1'
}
"#,
    )]);
    let m = &out.model;
    let kv = resource(m, "kv");
    assert!(kv.existing);
    let nested = resource(m, "kv::nested");
    assert_eq!(nested.kind, "microsoft.keyvault/vaults/secrets");
    assert_eq!(nested.name.known(), Some("vault1/inner"));
    assert!(
        nested
            .id
            .display()
            .ends_with("/vaults/vault1/secrets/inner")
    );
    let sec = resource(m, "sec");
    assert_eq!(sec.name.known(), Some("vault1/outer"));
    assert!(sec.id.display().ends_with("/vaults/vault1/secrets/outer"));
    assert!(resource(m, "many").many);
    assert!(!resource(m, "stg").many);
}

#[test]
fn secure_parameters_defaults_and_list_outputs() {
    let (_, out) = lower(&[(
        "/r/main.bicep",
        r#"
@secure()
param adminPassword string = 'Sup3rS3cret!'
param plainPassword string
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = { name: 'stg1' }
resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  properties: { osProfile: { adminPassword: adminPassword } }
}
output key string = stg.listKeys().keys[0].value
@secure()
output safe string = stg.listKeys().keys[0].value
output pw string = adminPassword
"#,
    )]);
    let m = &out.model;
    let p = m
        .parameters
        .iter()
        .find(|p| p.name == "adminPassword")
        .unwrap();
    assert!(p.secure);
    let d = p.default.as_ref().unwrap();
    assert_eq!(d.as_known_str(), Some("Sup3rS3cret!"));
    assert_eq!(d.prov, Provenance::Default);
    let plain = m
        .parameters
        .iter()
        .find(|p| p.name == "plainPassword")
        .unwrap();
    assert!(!plain.secure);
    assert_eq!(plain.ty.as_deref(), Some("string"));
    let vm = resource(m, "vm");
    let pw = vm
        .properties
        .as_ref()
        .unwrap()
        .path(&["osProfile", "adminPassword"])
        .unwrap();
    assert!(matches!(
        pw.val,
        Val::Secret(SecretOrigin::SecureParameter(_))
    ));
    // The secure value is not a literal site at the property.
    assert!(m.secrets.iter().all(|s| s.kind != SecretKind::Property));
    let out_of = |n: &str| m.outputs.iter().find(|o| o.name == n).unwrap();
    assert!(matches!(
        out_of("key").value.val,
        Val::Secret(SecretOrigin::ListCall(_))
    ));
    assert!(out_of("safe").protected);
    assert!(matches!(
        out_of("pw").value.val,
        Val::Secret(SecretOrigin::SecureParameter(_))
    ));
}

#[test]
fn bicepparam_values_and_secrets() {
    let (db, out) = lower(&[
        (
            "/r/main.bicep",
            r#"
@secure()
param sqlPassword string
param adminPassword string
param identityName string
param other string
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
}
"#,
        ),
        (
            "/r/main.bicepparam",
            r#"using './main.bicep'
param sqlPassword = 'Literal-Pa55word!'
param adminPassword = az.getSecret('sub', 'rg', 'kv', 'admin')
param identityName = 'from-params'
param other = readEnvironmentVariable('OTHER')
"#,
        ),
    ]);
    let m = &out.model;
    let uami = resource(m, "uami");
    assert_eq!(uami.name.known(), Some("from-params"));
    let sites: Vec<&SecretSite> = m
        .secrets
        .iter()
        .filter(|s| s.kind == SecretKind::ParameterValue)
        .collect();
    assert_eq!(sites.len(), 1, "{sites:?}");
    assert_eq!(sites[0].value, "Literal-Pa55word!");
    let (line, _) = db
        .get(sites[0].span.file)
        .line_col(sites[0].span.start as usize);
    assert_eq!(line, 2);
}

#[test]
fn bicepparam_using_none_checks_alone() {
    let (_, out) = lower(&[(
        "/r/alone.bicepparam",
        "using none\nparam dbPassword = 'Hunter2-Hunter2'\nparam region = 'westeurope'\n",
    )]);
    let sites: Vec<_> = out.model.secrets.iter().map(|s| &s.value).collect();
    assert_eq!(sites, vec!["Hunter2-Hunter2"]);
}

#[test]
fn modules_pass_params_scope_and_outputs() {
    let (_, out) = lower(&[
        (
            "/r/main.bicep",
            r#"
module ident 'mods/ident.bicep' = {
  name: 'ident'
  params: { name: 'from-main' }
}
module rbac 'mods/rbac.bicep' = {
  name: 'rbac'
  scope: resourceGroup('other-rg')
  params: { principalId: ident.outputs.principalId }
}
module reg 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.0' = {
  name: 'reg'
}
module loop 'mods/ident.bicep' = [for i in range(0, 2): {
  name: 'l${i}'
  params: { name: 'l${i}' }
}]
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid('r')
  properties: {
    roleDefinitionId: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
    principalId: reg.outputs.principalId
  }
}
"#,
        ),
        (
            "/r/mods/ident.bicep",
            r#"
param name string
resource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = { name: name }
output principalId string = id.properties.principalId
"#,
        ),
        (
            "/r/mods/rbac.bicep",
            r#"
param principalId string
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(principalId)
  properties: {
    roleDefinitionId: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
    principalId: principalId
  }
}
"#,
        ),
    ]);
    let m = &out.model;
    // Modules are lowered only inside their caller, one unit per instance.
    let idents: Vec<&Resource> = m
        .resources
        .iter()
        .filter(|r| r.symbol.as_deref() == Some("id"))
        .collect();
    assert_eq!(idents.len(), 2);
    let single = idents
        .iter()
        .find(|r| r.unit.as_ref() == "bicep:/r/main.bicep#ident")
        .unwrap();
    assert_eq!(single.name.known(), Some("from-main"));
    assert!(!single.many);
    let looped = idents
        .iter()
        .find(|r| r.unit.as_ref() == "bicep:/r/main.bicep#loop")
        .unwrap();
    assert!(looped.many);
    let inner = m
        .role_assignments
        .iter()
        .find(|a| a.unit.as_ref() == "bicep:/r/main.bicep#rbac")
        .unwrap();
    assert_eq!(
        inner.principal.val,
        Val::Attr {
            link: ResourceLink::Symbol {
                unit: "bicep:/r/main.bicep#ident".into(),
                name: "id".into()
            },
            attr: Attr::PrincipalId
        }
    );
    let scope = inner.scope.as_pstr().unwrap().display();
    assert!(scope.ends_with("/resourceGroups/other-rg"), "{scope}");
    // Registry module: its outputs are unknown, with a reason.
    let outer = m
        .role_assignments
        .iter()
        .find(|a| a.unit.as_ref() == "bicep:/r/main.bicep")
        .unwrap();
    assert!(outer.principal.is_unknown());
}

#[test]
fn module_cycle_terminates() {
    let (_, out) = lower(&[
        ("/r/a.bicep", "module b 'b.bicep' = { name: 'b' }\n"),
        (
            "/r/b.bicep",
            "module a 'a.bicep' = { name: 'a' }\nresource x 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = { name: 'x' }\n",
        ),
    ]);
    assert!(!out.model.resources.is_empty());
}

#[test]
fn parse_errors_are_reported_with_their_line() {
    let (db, out) = lower(&[(
        "/r/bad.bicep",
        "param ok string = 'x'\nresource r 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'x'\n}\nparam = = =\n",
    )]);
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    let d = &out.diagnostics[0];
    assert_eq!(d.rule, crate::lower::PARSE_ERROR);
    let (line, _) = db.get(d.span.file).line_col(d.span.start as usize);
    assert_eq!(line, 5);
    // The rest of the file is still lowered.
    assert_eq!(out.model.resources.len(), 1);
}

#[test]
fn existing_builtin_role_definition_names_the_role() {
    let (_, out) = lower(&[(
        "/r/main.bicep",
        r#"
targetScope = 'subscription'
resource contributor 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
}
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid('r')
  properties: {
    roleDefinitionId: contributor.id
    principalId: '00000000-0000-0000-0000-000000000001'
  }
}
"#,
    )]);
    let ra = &out.model.role_assignments[0];
    let role = ra.role.node().as_pstr().unwrap().display();
    assert!(
        role.ends_with("/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"),
        "{role}"
    );
    assert_eq!(
        level_of(ra.scope.as_pstr().unwrap()),
        Some(ScopeLevel::Subscription)
    );
}

#[test]
fn identity_passed_to_registry_module_is_used_by_it() {
    let (_, out) = lower(&[(
        "/r/main.bicep",
        r#"
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = { name: 'id1' }
module site 'br/public:avm/res/web/site:0.19.0' = {
  name: 'site'
  params: {
    name: 'app1'
    managedIdentities: { userAssignedResourceIds: [ uami.id ] }
    roleAssignments: [ { principalId: uami.properties.principalId } ]
  }
}
"#,
    )]);
    let deployment = resource(&out.model, "site");
    assert_eq!(deployment.kind, "microsoft.resources/deployments");
    assert_eq!(deployment.identity_references.len(), 1);
    assert!(matches!(
        deployment.identity_references[0].val,
        Val::Attr { attr: Attr::Id, .. }
    ));
}

#[test]
fn nullable_parameter_is_not_a_string_hole() {
    let (_, out) = lower(&[(
        "/r/main.bicep",
        r#"
param existingId string?
resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = { name: 'id1' }
output id string = existingId == null ? uami.id : existingId
output flag bool = existingId == null
"#,
    )]);
    let flag = out.model.outputs.iter().find(|o| o.name == "flag").unwrap();
    assert!(flag.value.is_unknown(), "{:?}", flag.value);
}

#[test]
fn first_bicepparam_in_path_order_supplies_values_others_checked_alone() {
    let (_, out) = lower(&[
        (
            "/r/main.bicep",
            "param name string\nresource u 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = { name: name }\n",
        ),
        (
            "/r/b.bicepparam",
            "using './main.bicep'\nparam name = 'from-b'\nparam apiSecret = 'b-Secret-Value-1'\n",
        ),
        (
            "/r/a.bicepparam",
            "using './main.bicep'\nparam name = 'from-a'\nparam apiSecret = 'a-Secret-Value-1'\n",
        ),
    ]);
    let m = &out.model;
    let u = resource(m, "u");
    assert_eq!(u.name.known(), Some("from-a"));
    let mut values: Vec<&str> = m
        .secrets
        .iter()
        .filter(|s| s.kind == SecretKind::ParameterValue)
        .map(|s| s.value.as_str())
        .collect();
    values.sort();
    assert_eq!(values, vec!["a-Secret-Value-1", "b-Secret-Value-1"]);
}

#[test]
fn trees_are_dropped_after_use_and_every_file_is_lowered_once_however_the_graph_was_predicted() {
    const IDENTITY: &str = "resource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'shared'\n  location: 'westeurope'\n}\nparam p string = 'x'\n";
    // `used.bicep` is a real module of two callers; `ghost.bicep` looks like a module from the
    // tokens of `main.bicep` (inside a `var` the parser rejects), so no caller's tree names it:
    // it must still be lowered, as an entry of its own.
    let (db, out) = lower(&[
        (
            "/r/a.bicep",
            "module u './used.bicep' = {\n  name: 'a'\n}\n",
        ),
        (
            "/r/b.bicep",
            "module u './used.bicep' = {\n  name: 'b'\n}\n",
        ),
        ("/r/main.bicep", "var x = module g './ghost.bicep'\n"),
        ("/r/ghost.bicep", IDENTITY),
        ("/r/used.bicep", IDENTITY),
    ]);
    let files_with_identity: Vec<&str> = out
        .model
        .resources
        .iter()
        .map(|r| &*db.get(r.span.file).display)
        .collect();
    assert_eq!(
        files_with_identity,
        ["/r/used.bicep", "/r/used.bicep", "/r/ghost.bicep"],
        "the module once per caller, the mispredicted file once on its own"
    );
    // The same declaration seen from two callers is one parameter.
    assert_eq!(out.model.parameters.len(), 2);
    // The syntax error in main.bicep is reported once.
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
}
