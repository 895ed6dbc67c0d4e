//! Lowering steps every template format shares once its values are evaluated into ARM-shaped
//! [`Node`] trees: identity blocks, identity references, secret sites, role assignments, role
//! definitions, Key Vault access policies and federated credentials. Terraform and scripts build the same ARM-shaped nodes and call these.

use crate::model::scope::provider_part;
pub use crate::model::secrets::looks_like_reference;
use crate::model::secrets::{connection_string_secret, is_placeholder, is_secret_property, scan};
use crate::model::{
    Attr, FederatedCredential, IdentityDecl, KeyVaultPolicy, Node, PermissionBlock, ResourceLink,
    RoleAssignment, RoleDefinition, RoleRef, SecretKind, SecretSite, UnitKey, Val,
};
use crate::source::{FormatFamily, Span};

/// Read an ARM-shaped `identity` object (`type`, `userAssignedIdentities`, legacy
/// `identityIds`).
pub fn identity_from_node(identity: &Node) -> IdentityDecl {
    let mut decl = IdentityDecl {
        span: identity.span,
        system_assigned: None,
        user_assigned_enabled: None,
        user_assigned: Vec::new(),
        user_assigned_unknown: false,
    };
    if let Some(ty) = identity.get("type") {
        if let Some(text) = ty.as_known_str() {
            let lower = text.to_ascii_lowercase().replace(' ', "");
            let parts: Vec<&str> = lower.split(',').collect();
            let system = parts
                .iter()
                .any(|p| *p == "systemassigned" || *p == "systemassigneduserassigned");
            let user = parts
                .iter()
                .any(|p| *p == "userassigned" || *p == "systemassigneduserassigned");
            decl.system_assigned = Some(system);
            decl.user_assigned_enabled = Some(user);
        }
    } else if matches!(identity.val, Val::Object(_)) && !identity.has_unknown_keys() {
        decl.system_assigned = Some(false);
        decl.user_assigned_enabled = Some(false);
    }
    match identity.get("userAssignedIdentities") {
        Some(map) => match &map.val {
            Val::Object(props) => {
                decl.user_assigned = props.iter().map(|p| p.key.clone()).collect();
            }
            Val::Null => {}
            _ => decl.user_assigned_unknown = true,
        },
        None if identity.has_unknown_keys() || !matches!(identity.val, Val::Object(_)) => {
            decl.user_assigned_unknown = true;
        }
        None => {}
    }
    if let Some(ids) = identity.get("identityIds") {
        match &ids.val {
            Val::Array(items) => decl.user_assigned.extend(items.iter().cloned()),
            _ => decl.user_assigned_unknown = true,
        }
    }
    if decl.user_assigned_enabled == Some(true) && decl.user_assigned.is_empty() {
        decl.user_assigned_unknown = true;
    }
    decl
}

/// Whether a value points at a user-assigned identity by id.
pub fn is_identity_reference(node: &Node) -> bool {
    match &node.val {
        Val::Attr { attr: Attr::Id, .. } => true,
        Val::Str(p) => provider_part(p)
            .is_some_and(|(ty, _)| ty == "microsoft.managedidentity/userassignedidentities"),
        _ => false,
    }
}

/// Without allocating: this runs on every property of every resource.
fn contains_ignore_ascii_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn ends_with_ignore_ascii_case(text: &str, end: &str) -> bool {
    text.len() >= end.len()
        && text.as_bytes()[text.len() - end.len()..].eq_ignore_ascii_case(end.as_bytes())
}

/// Values in a resource's properties that reference a user-assigned identity outside the
/// `identity` block (Key Vault reference identity, CMK identity, kubelet identity…). The
/// second result is true when an identity-named property holds an unknown value.
pub fn identity_references(properties: &Node) -> (Vec<Node>, bool) {
    let mut found = Vec::new();
    let mut unknown = false;
    properties.walk(|node, path| {
        let key = path.last().copied().unwrap_or("");
        let identity_key = contains_ignore_ascii_case(key, "identity")
            || path
                .iter()
                .any(|k| k.eq_ignore_ascii_case("kubeletidentity"));
        if !identity_key {
            return;
        }
        match &node.val {
            Val::Attr { attr: Attr::Id, .. } => found.push(node.clone()),
            Val::Str(_) if is_identity_reference(node) => found.push(node.clone()),
            Val::Unknown(_)
                if ["identity", "identityid", "resourceid"]
                    .iter()
                    .any(|end| ends_with_ignore_ascii_case(key, end)) =>
            {
                unknown = true;
            }
            _ => {}
        }
    });
    (found, unknown)
}

/// Record every committed literal that is, or is placed where, a credential belongs.
pub fn collect_secrets(
    unit: &UnitKey,
    family: FormatFamily,
    root: &Node,
    prefix: &str,
    out: &mut Vec<SecretSite>,
) {
    root.walk(|node, path| {
        let Some(text) = node.as_known_str() else {
            return;
        };
        if !node.prov.is_committed_text() || text.is_empty() {
            return;
        }
        let key = path.last().copied().unwrap_or("");
        // Built only for a site: this runs on every string of every resource.
        let mut site = |span: Span, value: &str, kind: SecretKind| {
            let context = if prefix.is_empty() {
                path.join(".")
            } else if path.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{}", path.join("."))
            };
            out.push(SecretSite {
                unit: unit.clone(),
                span,
                value: value.to_owned(),
                kind,
                context,
                used_at: None,
                family,
            });
        };
        if is_secret_property(key) && !is_placeholder(text) && !looks_like_reference(text) {
            site(node.span, text, SecretKind::Property);
            return;
        }
        if let Some((start, end)) = connection_string_secret(text) {
            site(
                sub_span(node, text, start, end),
                &text[start..end],
                SecretKind::ConnectionString,
            );
            return;
        }
        for hit in scan(text) {
            site(
                sub_span(node, text, hit.start, hit.end),
                &text[hit.start..hit.end],
                SecretKind::Pattern(hit.name),
            );
        }
    });
}

/// The span of `text[start..end]` inside a node written as one source literal: exact when
/// the literal's source text has the same length as its value (no escapes), else the node.
fn sub_span(node: &Node, text: &str, start: usize, end: usize) -> Span {
    let len = (node.span.end - node.span.start) as usize;
    // Quoted literal: the source is the value plus two quotes.
    if len == text.len() + 2 {
        return Span::new(
            node.span.file,
            node.span.start as usize + 1 + start,
            node.span.start as usize + 1 + end,
        );
    }
    if len == text.len() {
        return Span::new(
            node.span.file,
            node.span.start as usize + start,
            node.span.start as usize + end,
        );
    }
    node.span
}

/// Lower an ARM-shaped `Microsoft.Authorization/roleAssignments` properties object.
#[allow(clippy::too_many_arguments)] // each argument is a distinct fact every front end has
pub fn role_assignment_from_properties(
    unit: &UnitKey,
    family: FormatFamily,
    span: Span,
    properties: &Node,
    scope: Node,
    scope_span: Span,
    many: bool,
    label: String,
) -> RoleAssignment {
    let missing = |what: &str| Node::unknown(format!("no {what}"), span);
    RoleAssignment {
        unit: unit.clone(),
        span,
        role: RoleRef::Id(
            properties
                .get("roleDefinitionId")
                .cloned()
                .unwrap_or_else(|| missing("roleDefinitionId")),
        ),
        principal: properties
            .get("principalId")
            .cloned()
            .unwrap_or_else(|| missing("principalId")),
        principal_type: properties.get("principalType").cloned(),
        scope,
        scope_span,
        condition: properties.get("condition").cloned(),
        many,
        family,
        label,
    }
}

/// Lower an ARM-shaped role definition body (`roleName`, `permissions[]`, `assignableScopes`).
pub fn role_definition_from_properties(
    unit: &UnitKey,
    family: FormatFamily,
    span: Span,
    guid: Option<Node>,
    properties: &Node,
    link: Option<crate::model::ResourceLink>,
) -> RoleDefinition {
    let list = |node: Option<&Node>| node.map(|n| n.items().to_vec()).unwrap_or_default();
    let mut permissions = Vec::new();
    let mut permissions_unknown = false;
    match properties.get("permissions").map(|p| &p.val) {
        Some(Val::Array(blocks)) => {
            for block in blocks {
                if !matches!(block.val, Val::Object(_)) {
                    permissions_unknown = true;
                    continue;
                }
                permissions.push(PermissionBlock {
                    span: block.span,
                    actions: list(block.get("actions")),
                    not_actions: list(block.get("notActions")),
                    data_actions: list(block.get("dataActions")),
                    not_data_actions: list(block.get("notDataActions")),
                });
            }
        }
        Some(_) => permissions_unknown = true,
        None => {}
    }
    RoleDefinition {
        unit: unit.clone(),
        span,
        guid,
        role_name: properties.get("roleName").cloned(),
        link,
        permissions,
        permissions_unknown,
        assignable_scopes: list(properties.get("assignableScopes")),
        family,
    }
}

/// The access policies of an ARM-shaped Key Vault (or `vaults/accessPolicies`) `properties`
/// object, one per entry of `accessPolicies`, with permissions by lowercase kind.
pub fn keyvault_policies_from_properties(
    unit: &UnitKey,
    family: FormatFamily,
    properties: &Node,
    vault: Option<ResourceLink>,
) -> Vec<KeyVaultPolicy> {
    let Some(policies) = properties.get("accessPolicies") else {
        return Vec::new();
    };
    policies
        .items()
        .iter()
        .map(|policy| {
            let permissions = policy
                .get("permissions")
                .map(|p| {
                    p.props()
                        .iter()
                        .filter_map(|prop| {
                            Some((
                                prop.key.as_known_str()?.to_ascii_lowercase(),
                                prop.value.items().to_vec(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            KeyVaultPolicy {
                unit: unit.clone(),
                span: policy.span,
                vault: vault.clone(),
                principal: policy
                    .get("objectId")
                    .cloned()
                    .unwrap_or_else(|| Node::unknown("no objectId", policy.span)),
                permissions,
                family,
            }
        })
        .collect()
}

/// A federated identity credential from its ARM-shaped `properties` (`issuer`, `subject`,
/// `audiences`), trusting on behalf of `identity`.
pub fn federated_credential_from_properties(
    unit: &UnitKey,
    family: FormatFamily,
    span: Span,
    identity: Node,
    properties: Option<&Node>,
) -> FederatedCredential {
    FederatedCredential {
        unit: unit.clone(),
        span,
        identity,
        issuer: properties.and_then(|p| p.get("issuer")).cloned(),
        subject: properties.and_then(|p| p.get("subject")).cloned(),
        audiences: properties
            .and_then(|p| p.get("audiences"))
            .map(|a| a.items().to_vec())
            .unwrap_or_default(),
        family,
    }
}
