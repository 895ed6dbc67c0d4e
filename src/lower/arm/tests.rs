use super::*;
use crate::model::scope::{ScopeLevel, level_of};
use crate::source::SourceFile;
use std::path::PathBuf;

fn db_with(files: &[(&str, &str)]) -> SourceDb {
    let mut db = SourceDb::default();
    for (path, text) in files {
        let format = detect(text).unwrap_or(Format::ArmTemplate);
        db.add(SourceFile::new(
            PathBuf::from(path),
            path.to_string(),
            text.to_string(),
            format,
        ));
    }
    db
}

const VM_WITH_IDENTITY: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "identityName": { "type": "string", "defaultValue": "app-id" },
                  "adminPassword": { "type": "string", "defaultValue": "Sup3rS3cret!Pass" } },
  "variables": { "contributor": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]" },
  "resources": [
    { "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "[parameters('identityName')]", "location": "westeurope" },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "vm1",
      "identity": { "type": "UserAssigned", "userAssignedIdentities": { "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]": {} } },
      "properties": { "osProfile": { "adminUsername": "azureuser", "adminPassword": "[parameters('adminPassword')]" } } }
  ]
}"#;

#[test]
fn lowers_identity_attachment_and_secret_default() {
    let db = db_with(&[("t.json", VM_WITH_IDENTITY)]);
    let out = lower_template(&db, FileId(0), None);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let m = &out.model;
    assert_eq!(m.resources.len(), 2);
    let uami = &m.resources[0];
    assert!(uami.is_user_assigned_identity());
    assert_eq!(uami.name.known(), Some("app-id"));
    let vm = &m.resources[1];
    let identity = vm.identity.as_ref().unwrap();
    assert_eq!(identity.system_assigned, Some(false));
    assert_eq!(identity.user_assigned.len(), 1);
    let key = identity.user_assigned[0].as_pstr().unwrap();
    assert!(
        key.display()
            .ends_with("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app-id"),
        "{}",
        key.display()
    );
    assert_eq!(key.compare(&uami.id), crate::model::Match::Yes);
    // The password default flows into the property and is recorded where it is written.
    let site = m
        .secrets
        .iter()
        .find(|s| s.kind == SecretKind::Property)
        .unwrap();
    assert_eq!(&VM_WITH_IDENTITY[site.span.range()], "\"Sup3rS3cret!Pass\"");
}

#[test]
fn role_assignment_scopes() {
    let sub_template = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
      "parameters": { "principalId": { "type": "string" } },
      "resources": [
        { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
          "name": "[guid(subscription().id, parameters('principalId'))]",
          "properties": { "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]",
                          "principalId": "[parameters('principalId')]" } },
        { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "x",
          "scope": "[format('Microsoft.Storage/storageAccounts/{0}', 'st')]",
          "properties": { "roleDefinitionId": "x", "principalId": "y" } }
      ]
    }"#;
    let db = db_with(&[("s.json", sub_template)]);
    let out = lower_template(&db, FileId(0), None);
    let ras = &out.model.role_assignments;
    assert_eq!(ras.len(), 2);
    assert_eq!(
        level_of(ras[0].scope.as_pstr().unwrap()),
        Some(ScopeLevel::Subscription)
    );
    assert_eq!(
        level_of(ras[1].scope.as_pstr().unwrap()),
        Some(ScopeLevel::Resource)
    );
    assert!(matches!(ras[0].principal.val, Val::Str(ref p) if !p.is_known()));
}

#[test]
fn nested_deployment_retargets_scope_and_passes_parameters() {
    let t = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
      "parameters": { "role": { "type": "string", "defaultValue": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" } },
      "resources": [ { "type": "Microsoft.Resources/deployments", "apiVersion": "2021-04-01", "name": "n",
        "subscriptionId": "0000", "location": "westeurope",
        "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
          "parameters": { "r": { "value": "[parameters('role')]" } },
          "template": { "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            "parameters": { "r": { "type": "string" } },
            "resources": [ { "type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "a",
              "properties": { "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', parameters('r'))]", "principalId": "p" } } ] } } } ]
    }"#;
    let db = db_with(&[("n.json", t)]);
    let out = lower_template(&db, FileId(0), None);
    let ra = &out.model.role_assignments[0];
    assert_eq!(ra.scope.as_known_str(), Some("/subscriptions/0000"));
    assert!(
        ra.role
            .node()
            .as_known_str()
            .unwrap()
            .ends_with("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
    );
    // The deployment resource keeps its own properties, but not a second, caller-scope copy
    // of the template it deploys.
    let deployment = out
        .model
        .resources
        .iter()
        .find(|r| r.kind == "microsoft.resources/deployments")
        .unwrap();
    let props = deployment.properties.as_ref().unwrap();
    assert_eq!(
        props.get("mode").and_then(|m| m.as_known_str()),
        Some("Incremental")
    );
    assert!(matches!(
        props.get("template").unwrap().val,
        Val::Unknown(_)
    ));
    assert!(props.get("parameters").unwrap().get("r").is_some());
}

#[test]
fn malformed_json_is_one_parse_error_with_location() {
    let db = db_with(&[(
        "bad.json",
        "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [ { \"type\": }\n}",
    )]);
    let out = lower_template(&db, FileId(0), None);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        db.get(FileId(0))
            .line_col(out.diagnostics[0].span.start as usize)
            .0,
        3
    );
}

#[test]
fn language_version_two_and_copy_loops() {
    let t = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "languageVersion": "2.0",
      "resources": {
        "ids": { "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "[format('id{0}', copyIndex())]", "copy": { "name": "c", "count": 3 } },
        "old": { "existing": true, "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-01-01", "name": "kv" }
      }
    }"#;
    let db = db_with(&[("v2.json", t)]);
    let out = lower_template(&db, FileId(0), None);
    let r = &out.model.resources;
    assert_eq!(r.len(), 2);
    assert!(r[0].many);
    assert_eq!(r[0].symbol.as_deref(), Some("ids"));
    assert!(r[1].existing);
}

#[test]
fn resources_keep_their_api_version() {
    let db = db_with(&[("t.json", VM_WITH_IDENTITY)]);
    let out = lower_template(&db, FileId(0), None);
    let vm = out
        .model
        .resources
        .iter()
        .find(|r| r.kind == "microsoft.compute/virtualmachines")
        .unwrap();
    assert_eq!(vm.api_version.as_deref(), Some("2023-03-01"));
}
