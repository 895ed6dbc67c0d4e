//! Resources and data sources: the evaluated body, identities, RBAC, Key Vault access,
//! federated credentials, secrets, and what references to them evaluate to.

use super::FAMILY;
use super::eval::{Step, apply_steps, span_of};
use super::kinds::{add_arm_properties, arm_type, is_secret_attribute, kind_of};
use super::modules::Instance;
use super::{block_span, header_span};
use crate::lower::common;
use crate::lower::eval::{from_json, to_pstr};
use crate::model::roles::builtin_by_name_or_id;
use crate::model::secrets::is_placeholder;
use crate::model::value::SecretOrigin;
use crate::model::{
    Attr, FederatedCredential, IdentityDecl, KeyVaultPolicy, Node, PStr, PermissionBlock, Prop,
    Provenance, Resource, ResourceLink, ResourceView, RoleAssignment, RoleDefinition, RoleRef,
    SecretKind, SecretSite, Val,
};
use crate::source::{FileId, Span};
use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use std::sync::Arc;

const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "lifecycle",
    "provider",
    "provisioner",
    "connection",
];

/// A block body as an object: attributes by name, nested blocks as objects, repeated and
/// dynamic blocks as arrays.
pub(crate) fn body_node(
    inst: &Instance,
    file: FileId,
    body: &Body,
    span: Span,
    depth: usize,
) -> Node {
    let ev = inst.ev(file);
    let mut props: Vec<Prop> = Vec::new();
    let mut groups: Vec<(String, Span, Vec<Node>, bool)> = Vec::new();
    let add = |groups: &mut Vec<(String, Span, Vec<Node>, bool)>,
               name: &str,
               key: Span,
               n: Node,
               dynamic: bool| {
        match groups.iter_mut().find(|g| g.0 == name) {
            Some(g) => {
                g.2.push(n);
                g.3 |= dynamic;
            }
            None => groups.push((name.to_owned(), key, vec![n], dynamic)),
        }
    };
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if depth == 0 && META.contains(&key) {
                    continue;
                }
                let kspan = span_of(file, a.key.span(), span);
                let vspan = span_of(file, a.value.span(), span);
                props.push(Prop {
                    key: Node::lit_str(key, kspan),
                    value: ev.eval_d(&a.value, vspan, depth),
                });
            }
            Structure::Block(b) => {
                let ident = b.ident.as_str();
                if depth == 0 && META.contains(&ident) {
                    continue;
                }
                let kspan = span_of(file, b.ident.span(), span);
                if depth > 60 {
                    continue;
                }
                if ident == "dynamic" {
                    let Some(label) = b.labels.first().map(|l| l.as_str().to_owned()) else {
                        continue;
                    };
                    let content = b.body.blocks().find(|c| c.ident.as_str() == "content");
                    let node = match content {
                        Some(c) => body_node(inst, file, &c.body, block_span(file, c), depth + 1),
                        None => Node::unknown("dynamic block without content", block_span(file, b)),
                    };
                    add(&mut groups, &label, kspan, node, true);
                } else {
                    let node = body_node(inst, file, &b.body, block_span(file, b), depth + 1);
                    add(&mut groups, ident, kspan, node, false);
                }
            }
        }
    }
    for (name, kspan, mut nodes, dynamic) in groups {
        let value = if nodes.len() == 1 && !dynamic {
            nodes.pop().unwrap_or_else(|| Node::unknown("empty", kspan))
        } else {
            let s = nodes.first().map(|n| n.span).unwrap_or(kspan);
            Node::new(Val::Array(nodes), s, Provenance::Literal)
        };
        props.push(Prop {
            key: Node::lit_str(name, kspan),
            value,
        });
    }
    Node::new(Val::Object(props), span, Provenance::Literal)
}

/// The provider's subscription: the same unknown across one root module and its children,
/// not across unrelated configurations.
fn subscription_hole(unit: &str) -> PStr {
    let root = unit.split("/module.").next().unwrap_or(unit);
    PStr::hole(
        "the provider's subscription",
        Some(format!("{root}#subscription").into()),
    )
}

fn tenant_hole() -> PStr {
    PStr::hole("the tenant id", Some("tenant".into()))
}

fn computed(val: Val, span: Span) -> Node {
    Node::new(val, span, Provenance::Computed)
}

fn pstr_node(p: PStr, span: Span) -> Node {
    computed(Val::Str(p), span)
}

fn block_of<'a>(inst: &'a Instance, addr: &str) -> Option<(FileId, &'a Block)> {
    if addr.starts_with("data.") {
        inst.decls.data.get(addr).copied()
    } else {
        inst.decls.resources.get(addr).copied()
    }
}

/// A written attribute (or nested blocks, as an array) of a resource, evaluated once.
fn written(inst: &Instance, addr: &str, name: &str, depth: usize) -> Option<Node> {
    let (file, b) = block_of(inst, addr)?;
    let key = format!("{addr}.{name}");
    if let Some(v) = inst.attr_cache.borrow().get(&key) {
        return Some(match v {
            Some(n) => n.clone(),
            None => Node::unknown("a reference cycle", block_span(file, b)),
        });
    }
    let value = if let Some(a) = b.body.get_attribute(name) {
        inst.attr_cache.borrow_mut().insert(key.clone(), None);
        let fallback = span_of(file, a.span(), block_span(file, b));
        inst.ev(file).eval_d(&a.value, fallback, depth + 1)
    } else {
        let blocks: Vec<&Block> = b
            .body
            .blocks()
            .filter(|x| x.ident.as_str() == name)
            .collect();
        if blocks.is_empty() {
            return None;
        }
        inst.attr_cache.borrow_mut().insert(key.clone(), None);
        let items = blocks
            .iter()
            .map(|x| body_node(inst, file, &x.body, block_span(file, x), 1))
            .collect();
        Node::new(
            Val::Array(items),
            block_span(file, blocks[0]),
            Provenance::Literal,
        )
    };
    inst.attr_cache
        .borrow_mut()
        .insert(key, Some(value.clone()));
    Some(value)
}

fn written_pstr(inst: &Instance, addr: &str, name: &str, depth: usize) -> Option<PStr> {
    written(inst, addr, name, depth).map(|n| to_pstr(&n))
}

/// What `addr` followed by `steps` evaluates to (`ty` is the Terraform type).
pub(crate) fn reference(
    inst: &Instance,
    addr: &str,
    ty: &str,
    steps: &[Step],
    span: Span,
    depth: usize,
) -> Node {
    let link = ResourceLink::Symbol {
        unit: inst.unit.clone(),
        name: Arc::from(addr),
    };
    let attr = |a: Attr| {
        computed(
            Val::Attr {
                link: link.clone(),
                attr: a,
            },
            span,
        )
    };
    let skip = |s: &[Step]| {
        s.iter()
            .take_while(|x| matches!(x, Step::Index(_) | Step::Splat))
            .count()
    };
    let rest = &steps[skip(steps)..];
    let Some(Step::Attr(first)) = rest.first() else {
        return computed(
            Val::Resource {
                link,
                view: ResourceView::Symbol,
            },
            span,
        );
    };
    let first = first.as_str();
    let after = &rest[1..];
    let is_data = addr.starts_with("data.");
    let named = |field: &str| written_pstr(inst, addr, field, depth);
    let special: Option<Node> = match (is_data, ty, first) {
        (true, "azurerm_subscription", "id") => Some(pstr_node(
            PStr::concat([
                PStr::lit("/subscriptions/"),
                named("subscription_id").unwrap_or_else(|| subscription_hole(&inst.unit)),
            ]),
            span,
        )),
        (true, "azurerm_subscription" | "azurerm_client_config", "subscription_id") => {
            Some(pstr_node(
                named("subscription_id").unwrap_or_else(|| subscription_hole(&inst.unit)),
                span,
            ))
        }
        (true, "azurerm_subscription" | "azurerm_client_config", "tenant_id") => {
            Some(pstr_node(tenant_hole(), span))
        }
        (true, "azurerm_client_config", "object_id" | "client_id") => Some(pstr_node(
            PStr::hole(
                "the deploying principal",
                Some(format!("client_config.{first}").into()),
            ),
            span,
        )),
        (_, "azurerm_resource_group", "id") => Some(pstr_node(
            PStr::concat([
                PStr::lit("/subscriptions/"),
                subscription_hole(&inst.unit),
                PStr::lit("/resourceGroups/"),
                named("name").unwrap_or_else(|| PStr::hole("a resource group name", None)),
            ]),
            span,
        )),
        (_, "azurerm_management_group", "id") => Some(pstr_node(
            PStr::concat([
                PStr::lit("/providers/Microsoft.Management/managementGroups/"),
                named("name").unwrap_or_else(|| PStr::hole("a management group name", None)),
            ]),
            span,
        )),
        (true, "azurerm_role_definition", "id" | "role_definition_id") => {
            let guid = named("role_definition_id").or_else(|| {
                let name = named("name")?;
                builtin_by_name_or_id(name.known()?).map(|r| PStr::lit(r.id))
            });
            let guid = guid.unwrap_or_else(|| {
                let sym = named("name").map(|n| n.display()).unwrap_or_default();
                PStr::hole(
                    "a role definition looked up by name",
                    Some(format!("role:{sym}").into()),
                )
            });
            Some(if first == "id" {
                pstr_node(
                    PStr::concat([
                        PStr::lit("/providers/Microsoft.Authorization/roleDefinitions/"),
                        guid,
                    ]),
                    span,
                )
            } else {
                pstr_node(guid, span)
            })
        }
        (true, "azurerm_key_vault_secret", "value") => {
            Some(computed(Val::Secret(SecretOrigin::KeyVault), span))
        }
        (
            false,
            "azurerm_role_definition",
            "id" | "role_definition_resource_id" | "role_definition_id",
        ) => Some(attr(Attr::Id)),
        (false, _, _) if is_secret_attribute(ty, first) => Some(computed(
            Val::Secret(SecretOrigin::Attribute(format!("{addr}.{first}"))),
            span,
        )),
        (_, _, "id") => Some(attr(Attr::Id)),
        (_, _, "principal_id") => Some(attr(Attr::PrincipalId)),
        (_, "azuread_service_principal" | "azuread_group" | "azuread_user", "object_id") => {
            Some(attr(Attr::PrincipalId))
        }
        (_, _, "client_id" | "application_id") => Some(attr(Attr::ClientId)),
        (_, _, "tenant_id") => Some(pstr_node(tenant_hole(), span)),
        (_, _, "identity") => {
            let inner = &after[skip(after)..];
            match inner.first() {
                Some(Step::Attr(a)) if a == "principal_id" => Some(attr(Attr::SystemPrincipalId)),
                Some(Step::Attr(a)) if a == "tenant_id" => Some(pstr_node(tenant_hole(), span)),
                _ => None,
            }
        }
        (_, _, "output") => {
            let names: Vec<String> = after
                .iter()
                .filter_map(|s| match s {
                    Step::Attr(a) => Some(a.to_ascii_lowercase()),
                    _ => None,
                })
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Some(match names.as_slice() {
                ["properties", "principalid"] => attr(Attr::PrincipalId),
                ["properties", "clientid"] => attr(Attr::ClientId),
                ["identity", "principalid"] => attr(Attr::SystemPrincipalId),
                ["properties", "tenantid"] | ["identity", "tenantid"] => {
                    pstr_node(tenant_hole(), span)
                }
                _ => attr(Attr::Other),
            })
        }
        _ => None,
    };
    if let Some(n) = special {
        // Members of ids and links are not modelled further.
        let tail_len = match first {
            "identity" | "output" => 0,
            _ => after.len(),
        };
        return if tail_len == 0 {
            n
        } else {
            apply_steps(n, after, span)
        };
    }
    if first == "name" {
        if let Some(n) = written(inst, addr, "name", depth).filter(|n| matches!(n.val, Val::Str(_)))
        {
            return apply_steps(n, after, span);
        }
        return attr(Attr::Name);
    }
    match written(inst, addr, first, depth) {
        Some(n) => {
            let mut n = apply_steps(n, after, span);
            if n.span == Span::default() {
                n.span = span;
            }
            n
        }
        None => attr(Attr::Other),
    }
}

fn items(node: Option<&Node>) -> Vec<Node> {
    node.map(|n| match &n.val {
        Val::Array(xs) => xs.clone(),
        Val::Null => Vec::new(),
        _ => vec![n.clone()],
    })
    .unwrap_or_default()
}

/// Elements of a block that may be written once (object) or repeated (array).
fn blocks_of(node: Option<&Node>) -> Vec<Node> {
    match node.map(|n| &n.val) {
        Some(Val::Array(xs)) => xs.clone(),
        Some(Val::Object(_)) => vec![
            node.cloned()
                .unwrap_or_else(|| Node::unknown("", Span::default())),
        ],
        _ => Vec::new(),
    }
}

/// The `identity` block(s) as ARM-shaped nodes read by [`common::identity_from_node`].
fn identity_decl(node: &Node) -> (IdentityDecl, bool) {
    let blocks: Vec<Node> = match &node.val {
        Val::Array(xs) => xs.clone(),
        _ => vec![node.clone()],
    };
    let mut decl: Option<IdentityDecl> = None;
    let mut unknown_ref = false;
    for b in &blocks {
        if !matches!(b.val, Val::Object(_)) {
            unknown_ref = true;
            continue;
        }
        let mut props = Vec::new();
        if let Some(t) = b.get("type") {
            props.push(Prop {
                key: Node::lit_str("type", t.span),
                value: t.clone(),
            });
        }
        if let Some(ids) = b.get("identity_ids") {
            let entry = |k: &Node| Prop {
                key: k.clone(),
                value: Node::new(Val::Object(Vec::new()), k.span, Provenance::Literal),
            };
            let uai = match &ids.val {
                Val::Array(xs) => {
                    if xs.iter().any(|x| x.is_unknown()) {
                        unknown_ref = true;
                    }
                    Node::new(
                        Val::Object(xs.iter().map(entry).collect()),
                        ids.span,
                        ids.prov,
                    )
                }
                Val::Attr { .. } | Val::Str(_) => {
                    Node::new(Val::Object(vec![entry(ids)]), ids.span, ids.prov)
                }
                _ => {
                    unknown_ref = true;
                    ids.clone()
                }
            };
            props.push(Prop {
                key: Node::lit_str("userAssignedIdentities", ids.span),
                value: uai,
            });
        }
        let arm = Node::new(Val::Object(props), b.span, Provenance::Literal);
        let d = common::identity_from_node(&arm);
        unknown_ref |= d.user_assigned_unknown;
        decl = Some(match decl {
            None => d,
            Some(mut acc) => {
                acc.system_assigned = match (acc.system_assigned, d.system_assigned) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                };
                acc.user_assigned_enabled =
                    match (acc.user_assigned_enabled, d.user_assigned_enabled) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (Some(false), Some(false)) => Some(false),
                        _ => None,
                    };
                acc.user_assigned.extend(d.user_assigned);
                acc.user_assigned_unknown |= d.user_assigned_unknown;
                acc
            }
        });
    }
    let decl = decl.unwrap_or(IdentityDecl {
        span: node.span,
        system_assigned: None,
        user_assigned_enabled: None,
        user_assigned: Vec::new(),
        user_assigned_unknown: true,
    });
    let mut decl = decl;
    decl.span = node.span;
    if unknown_ref {
        decl.user_assigned_unknown = true;
    }
    (decl, unknown_ref)
}

fn name_pstr(props: &Node) -> PStr {
    match props.get("name") {
        Some(n) => to_pstr(n),
        None => PStr::default(),
    }
}

/// The id a resource will have, as far as it is known.
fn resource_id(ty: &str, arm: Option<&str>, props: &Node, link: &ResourceLink) -> PStr {
    let name = name_pstr(props);
    let unit = match link {
        ResourceLink::Symbol { unit, .. } => unit.to_string(),
        ResourceLink::Id(_) => String::new(),
    };
    match (ty, arm) {
        ("azurerm_resource_group", _) => PStr::concat([
            PStr::lit("/subscriptions/"),
            subscription_hole(&unit),
            PStr::lit("/resourceGroups/"),
            name,
        ]),
        (_, Some(arm))
            if arm.split('/').count() == 2 && props.get("resource_group_name").is_some() =>
        {
            let rg = props
                .get("resource_group_name")
                .map(to_pstr)
                .unwrap_or_default();
            PStr::concat([
                PStr::lit("/subscriptions/"),
                subscription_hole(&unit),
                PStr::lit("/resourceGroups/"),
                rg,
                PStr::lit(format!("/providers/{arm}/")),
                name,
            ])
        }
        _ => to_pstr(&Node::new(
            Val::Attr {
                link: link.clone(),
                attr: Attr::Id,
            },
            Span::default(),
            Provenance::Computed,
        )),
    }
}

fn secret_site(inst: &Instance, node: &Node, context: String) {
    let Some(text) = node.as_known_str() else {
        return;
    };
    if !node.prov.is_committed_text() || is_placeholder(text) || common::looks_like_reference(text)
    {
        return;
    }
    inst.model.borrow_mut().secrets.push(SecretSite {
        unit: inst.unit.clone(),
        span: node.span,
        value: text.to_owned(),
        kind: SecretKind::Property,
        context,
        used_at: None,
        family: FAMILY,
    });
}

/// `body = {…}` or `body = jsonencode({…})` (or a JSON string) as an object.
fn azapi_body(inst: &Instance, file: FileId, b: &Block) -> Option<Node> {
    let a = b.body.get_attribute("body")?;
    let fallback = span_of(file, a.span(), block_span(file, b));
    let ev = inst.ev(file);
    let node = match &a.value {
        Expression::FuncCall(f) if f.name.name.as_str() == "jsonencode" && f.args.len() == 1 => {
            let arg = f.args.iter().next()?;
            ev.eval(arg, fallback)
        }
        other => ev.eval(other, fallback),
    };
    Some(match node.as_known_str() {
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => super::eval::with_prov(from_json(&v, node.span), node.prov),
            Err(_) => node,
        },
        None => node,
    })
}

/// Lower one `resource` (or, for ARM-typed data sources, an existing resource).
pub(crate) fn lower_resource(inst: &Instance, addr: &str, file: FileId, b: &Block, is_data: bool) {
    let Some(ty) = b.labels.first().map(|l| l.as_str().to_owned()) else {
        return;
    };
    let ty = ty.as_str();
    let is_azapi = ty.starts_with("azapi_");
    if is_data && arm_type(ty).is_none() {
        return;
    }
    let span = header_span(file, b);
    let many = inst.many
        || b.body.get_attribute("count").is_some()
        || b.body.get_attribute("for_each").is_some();
    let mut props = body_node(inst, file, &b.body, block_span(file, b), 0);
    let link = ResourceLink::Symbol {
        unit: inst.unit.clone(),
        name: Arc::from(addr),
    };
    let unit = inst.unit.clone();

    // azapi: the ARM type and body.
    let mut arm: Option<String> = arm_type(ty).map(str::to_owned);
    let mut kind_display = ty.to_owned();
    let mut arm_props: Option<Node> = None;
    let mut api_version: Option<String> = None;
    if is_azapi {
        if let Some(t) = props.get("type").and_then(|t| t.as_known_str()) {
            api_version = t
                .split_once('@')
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            let t = t.split('@').next().unwrap_or(t).to_owned();
            kind_display = t.clone();
            arm = Some(t);
        }
        if let Some(body) = azapi_body(inst, file, b) {
            arm_props = Some(
                body.get("properties")
                    .cloned()
                    .unwrap_or_else(|| body.clone()),
            );
            if let Val::Object(ps) = &mut props.val {
                for p in ps.iter_mut() {
                    if p.key.as_known_str() == Some("body") {
                        p.value = body.clone();
                    }
                }
            }
        }
    }
    let kind = match (&arm, is_azapi) {
        (Some(a), _) => a.to_ascii_lowercase(),
        (None, true) => format!("azapi:{}", ty.trim_start_matches("azapi_")),
        (None, false) => kind_of(ty),
    };

    let mut unknown_refs = false;
    let identity = props.get("identity").map(|n| {
        let (d, unknown) = identity_decl(n);
        unknown_refs |= unknown;
        d
    });
    let ref_root = arm_props.as_ref().unwrap_or(&props);
    let identity_references = if ty == "azurerm_federated_identity_credential"
        || kind.ends_with("/federatedidentitycredentials")
        || kind == "microsoft.authorization/roleassignments"
    {
        Vec::new()
    } else {
        let without_identity = Node::new(
            Val::Object(
                ref_root
                    .props()
                    .iter()
                    .filter(|p| p.key.as_known_str() != Some("identity"))
                    .cloned()
                    .collect(),
            ),
            ref_root.span,
            ref_root.prov,
        );
        let (found, unknown) = common::identity_references(&without_identity);
        unknown_refs |= unknown;
        found
    };
    let id = if is_azapi {
        let parent = props.get("parent_id").map(to_pstr);
        match (parent, &arm) {
            (Some(parent), Some(a)) => {
                let segs: Vec<&str> = a.split('/').collect();
                let mut id = parent;
                if a.eq_ignore_ascii_case("microsoft.resources/resourcegroups") {
                    // A resource group's id is not a provider path.
                    id.push_str("/resourceGroups/");
                } else if segs.len() > 2 {
                    id.push_str(&format!("/{}/", segs[segs.len() - 1]));
                } else {
                    id.push_str(&format!("/providers/{a}/"));
                }
                id.push(&name_pstr(&props));
                id
            }
            _ => resource_id(ty, None, &props, &link),
        }
    } else {
        resource_id(ty, arm.as_deref(), &props, &link)
    };
    if unknown_refs {
        inst.model
            .borrow_mut()
            .units_with_unknown_identity_refs
            .push(unit.clone());
    }
    if !is_data {
        let mut m = inst.model.borrow_mut();
        common::collect_secrets(&unit, FAMILY, &props, addr, &mut m.secrets);
    }
    let resource = Resource {
        unit: unit.clone(),
        kind: kind.clone(),
        kind_display,
        api_version,
        name: name_pstr(&props),
        symbol: Some(Arc::from(addr)),
        id,
        span,
        existing: is_data || ty == "azapi_update_resource",
        many,
        identity,
        properties: Some(arm_props.clone().unwrap_or_else(|| {
            let mut body = props.clone();
            add_arm_properties(ty, &mut body);
            body
        })),
        identity_references,
        family: FAMILY,
    };
    inst.model.borrow_mut().resources.push(resource);
    if is_data {
        return;
    }
    let missing = |what: &str| Node::unknown(format!("no {what}"), span);
    let label = addr.to_owned();
    match ty {
        "azurerm_role_assignment" => {
            let role = match (
                props.get("role_definition_name"),
                props.get("role_definition_id"),
            ) {
                (Some(n), _) => RoleRef::Name(n.clone()),
                (None, Some(i)) => RoleRef::Id(i.clone()),
                (None, None) => RoleRef::Id(missing("role_definition_id")),
            };
            let scope = props
                .get("scope")
                .cloned()
                .unwrap_or_else(|| missing("scope"));
            let ra = RoleAssignment {
                unit: unit.clone(),
                span,
                role,
                principal: props
                    .get("principal_id")
                    .cloned()
                    .unwrap_or_else(|| missing("principal_id")),
                principal_type: props.get("principal_type").cloned(),
                scope_span: scope.span,
                scope,
                condition: props.get("condition").cloned(),
                many,
                family: FAMILY,
                label: label.clone(),
            };
            inst.model.borrow_mut().role_assignments.push(ra);
        }
        "azurerm_role_definition" => {
            let mut permissions = Vec::new();
            let mut permissions_unknown = false;
            match props.get("permissions").map(|p| &p.val) {
                Some(Val::Object(_)) | Some(Val::Array(_)) => {
                    for blk in blocks_of(props.get("permissions")) {
                        if !matches!(blk.val, Val::Object(_)) {
                            permissions_unknown = true;
                            continue;
                        }
                        permissions.push(PermissionBlock {
                            span: blk.span,
                            actions: items(blk.get("actions")),
                            not_actions: items(blk.get("not_actions")),
                            data_actions: items(blk.get("data_actions")),
                            not_data_actions: items(blk.get("not_data_actions")),
                        });
                    }
                }
                Some(_) => permissions_unknown = true,
                None => {}
            }
            let assignable_scopes = match props.get("assignable_scopes") {
                Some(s) => items(Some(s)),
                None => items(props.get("scope")),
            };
            let rd = RoleDefinition {
                unit: unit.clone(),
                span,
                guid: props.get("role_definition_id").cloned(),
                role_name: props.get("name").cloned(),
                link: Some(link.clone()),
                permissions,
                permissions_unknown,
                assignable_scopes,
                family: FAMILY,
            };
            inst.model.borrow_mut().role_definitions.push(rd);
        }
        "azurerm_federated_identity_credential" => {
            let fc = FederatedCredential {
                unit: unit.clone(),
                span,
                identity: props
                    .get("user_assigned_identity_id")
                    .or_else(|| props.get("parent_id"))
                    .cloned()
                    .unwrap_or_else(|| missing("user_assigned_identity_id")),
                issuer: props.get("issuer").cloned(),
                subject: props.get("subject").cloned(),
                audiences: items(props.get("audience")),
                family: FAMILY,
            };
            inst.model.borrow_mut().federated_credentials.push(fc);
        }
        "azurerm_key_vault" => {
            for pol in blocks_of(props.get("access_policy")) {
                push_policy(inst, &pol, Some(link.clone()), pol.span);
            }
        }
        "azurerm_key_vault_access_policy" => {
            let vault = props.get("key_vault_id").map(|v| match &v.val {
                Val::Attr { link, .. } => link.clone(),
                _ => ResourceLink::Id(to_pstr(v)),
            });
            push_policy(inst, &props, vault, span);
        }
        "azurerm_key_vault_secret" => {
            if let Some(v) = props.get("value") {
                secret_site(inst, v, format!("{addr}.value"));
            }
        }
        _ => {}
    }
    if is_azapi {
        let body = arm_props
            .unwrap_or_else(|| Node::new(Val::Object(Vec::new()), span, Provenance::Literal));
        let parent = props
            .get("parent_id")
            .cloned()
            .unwrap_or_else(|| missing("parent_id"));
        match kind.as_str() {
            "microsoft.authorization/roleassignments" => {
                let ra = common::role_assignment_from_properties(
                    &unit,
                    FAMILY,
                    span,
                    &body,
                    parent.clone(),
                    parent.span,
                    many,
                    label,
                );
                inst.model.borrow_mut().role_assignments.push(ra);
            }
            "microsoft.authorization/roledefinitions" => {
                let rd = common::role_definition_from_properties(
                    &unit,
                    FAMILY,
                    span,
                    props.get("name").cloned(),
                    &body,
                    Some(link.clone()),
                );
                inst.model.borrow_mut().role_definitions.push(rd);
            }
            k if k.ends_with("/federatedidentitycredentials") => {
                let fc = FederatedCredential {
                    unit: unit.clone(),
                    span,
                    identity: parent,
                    issuer: body.get("issuer").cloned(),
                    subject: body.get("subject").cloned(),
                    audiences: items(body.get("audiences")),
                    family: FAMILY,
                };
                inst.model.borrow_mut().federated_credentials.push(fc);
            }
            "microsoft.keyvault/vaults" => {
                for pol in items(body.get("accessPolicies")) {
                    let perms = pol
                        .get("permissions")
                        .cloned()
                        .unwrap_or_else(|| missing("permissions"));
                    let principal = pol
                        .get("objectId")
                        .cloned()
                        .unwrap_or_else(|| missing("objectId"));
                    let permissions = ["secrets", "keys", "certificates", "storage"]
                        .iter()
                        .filter_map(|k| perms.get(k).map(|v| ((*k).to_owned(), items(Some(v)))))
                        .collect();
                    inst.model
                        .borrow_mut()
                        .keyvault_policies
                        .push(KeyVaultPolicy {
                            unit: unit.clone(),
                            span: pol.span,
                            vault: Some(link.clone()),
                            principal,
                            permissions,
                            family: FAMILY,
                        });
                }
            }
            _ => {}
        }
    }
}

fn push_policy(inst: &Instance, pol: &Node, vault: Option<ResourceLink>, span: Span) {
    let permissions = [
        ("secrets", "secret_permissions"),
        ("keys", "key_permissions"),
        ("certificates", "certificate_permissions"),
        ("storage", "storage_permissions"),
    ]
    .iter()
    .filter_map(|(kind, attr)| pol.get(attr).map(|v| ((*kind).to_owned(), items(Some(v)))))
    .collect();
    let principal = pol
        .get("object_id")
        .cloned()
        .unwrap_or_else(|| Node::unknown("no object_id", span));
    inst.model
        .borrow_mut()
        .keyvault_policies
        .push(KeyVaultPolicy {
            unit: inst.unit.clone(),
            span,
            vault,
            principal,
            permissions,
            family: FAMILY,
        });
}
