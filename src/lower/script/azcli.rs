//! `az …` commands → model.

use super::resolve::{az_place, opt, opt_values, subcommands};
use super::{Cx, Grant, UAMI_TYPE, role_json};
use crate::model::secrets::is_secret_parameter_name;
use crate::model::{
    Attr, FederatedCredential, KeyVaultPolicy, Node, PStr, Provenance, ResourceLink,
    RoleAssignment, RoleRef, Val,
};
use crate::parse::script::{Command, Word, WordPart};
use crate::source::Span;

use super::FAMILY;

/// The ARM type behind an az command group that creates compute with identities.
pub fn compute_type(group: &str) -> Option<&'static str> {
    Some(match group {
        "vm" => "Microsoft.Compute/virtualMachines",
        "vmss" => "Microsoft.Compute/virtualMachineScaleSets",
        "webapp" | "functionapp" => "Microsoft.Web/sites",
        "containerapp" => "Microsoft.App/containerApps",
        "aks" => "Microsoft.ContainerService/managedClusters",
        "acr" => "Microsoft.ContainerRegistry/registries",
        "storage" => "Microsoft.Storage/storageAccounts",
        "keyvault" => "Microsoft.KeyVault/vaults",
        "cosmosdb" => "Microsoft.DocumentDB/databaseAccounts",
        "logic" => "Microsoft.Logic/workflows",
        "automation" => "Microsoft.Automation/automationAccounts",
        "container" => "Microsoft.ContainerInstance/containerGroups",
        _ => return None,
    })
}

/// Flags that take a secret, and the commands they mean one for.
fn secret_flag(sub: &[String], flag: &str) -> bool {
    match flag.to_ascii_lowercase().as_str() {
        "--admin-password"
        | "--windows-admin-password"
        | "--password"
        | "--client-secret"
        | "--secret"
        | "--account-key"
        | "--sas-token"
        | "--connection-string"
        | "--federated-token"
        | "--service-principal-secret"
        | "--aad-client-secret" => true,
        // `-p` is `--parameters` for deployments: a password only for login-like commands.
        "-p" => matches!(
            sub.first().map(String::as_str),
            Some("login" | "acr" | "ad" | "sql" | "postgres" | "mysql")
        ),
        "--value" => sub.len() >= 3 && sub[0] == "keyvault" && sub[1] == "secret",
        _ => false,
    }
}

pub fn lower(cx: &mut Cx<'_, '_, '_>, index: usize) {
    let script = cx.script;
    let cmd = &script.commands[index];
    let sub = subcommands(cmd);
    secrets(cx, cmd, &sub);
    let s: Vec<&str> = sub.iter().map(String::as_str).collect();
    let span = cx.span(cmd.span);
    match s.as_slice() {
        ["identity", "create", ..] => {
            let place = az_place(cx, cmd);
            let Some(n) = opt(cmd, &["-n", "--name"]) else {
                return;
            };
            let name = cx.pstr(n);
            let symbol = format!("az identity create {}", name.display());
            cx.resource(UAMI_TYPE, name, &place, span, symbol, false, None);
        }
        ["identity", "federated-credential", "create", ..] => {
            let place = az_place(cx, cmd);
            let Some(n) = opt(cmd, &["--identity-name"]) else {
                return;
            };
            let id = place.resource_id(UAMI_TYPE, &cx.pstr(n));
            let fc = FederatedCredential {
                unit: cx.unit_key(),
                span,
                identity: Node::new(Val::Str(id), cx.span(n.span), Provenance::Computed),
                issuer: opt(cmd, &["--issuer"]).map(|w| cx.node(w)),
                subject: opt(cmd, &["--subject"]).map(|w| cx.node(w)),
                audiences: opt_values(cmd, &["--audiences", "--audience"])
                    .unwrap_or_default()
                    .into_iter()
                    .map(|w| cx.node(w))
                    .collect(),
                family: FAMILY,
            };
            cx.model().federated_credentials.push(fc);
        }
        ["role", "assignment", "create", ..] => role_assignment(cx, cmd, span),
        ["role", "definition", "create" | "update", ..] => role_definition(cx, cmd, span),
        ["ad", "sp", "create-for-rbac", ..] => create_for_rbac(cx, cmd, span),
        ["keyvault", "set-policy", ..] => keyvault_policy(cx, cmd, span),
        [group, "create", ..] if compute_type(group).is_some() => {
            compute(cx, cmd, span, group, false);
        }
        [group, "update", ..] if compute_type(group).is_some() => {
            compute(cx, cmd, span, group, true);
        }
        [group, "identity", "assign", ..] if compute_type(group).is_some() => {
            compute(cx, cmd, span, group, true);
        }
        _ => {
            // An identity passed to a command this lowering does not model might be how
            // the identity is used: stay silent about orphans in this unit.
            let references_identity = cmd.args.iter().any(|w| {
                w.literal().is_some_and(|l| {
                    let l = l.to_ascii_lowercase();
                    l.starts_with("--") && l.contains("identit") && l != "--identity-name"
                })
            });
            if references_identity && !matches!(s.as_slice(), ["identity", ..] | ["login", ..]) {
                cx.push_unknown_refs();
            }
        }
    }
}

fn secrets(cx: &mut Cx<'_, '_, '_>, cmd: &Command, sub: &[String]) {
    let mut it = cmd.args.iter().peekable();
    let mut in_parameters = false;
    let mut in_settings = false;
    while let Some(w) = it.next() {
        if let Some(l) = w.literal().filter(|l| l.starts_with('-')) {
            in_parameters = matches!(l.as_str(), "--parameters" | "-p")
                && sub.iter().any(|s| s == "deployment");
            in_settings = matches!(l.as_str(), "--settings" | "--slot-settings")
                && sub
                    .iter()
                    .any(|s| s == "appsettings" || s == "connection-string");
            if secret_flag(sub, &l)
                && let Some(v) = it.peek()
                && !v.literal().is_some_and(|x| x.starts_with("--"))
            {
                // Old CLI versions took a certificate file after `-p`.
                let cert_path = v.literal().is_some_and(|t| {
                    let t = t.to_ascii_lowercase();
                    [".pem", ".pfx", ".crt", ".cer", ".p12"]
                        .iter()
                        .any(|e| t.ends_with(e))
                });
                if !cert_path {
                    let context = format!("{} {}", prefix(sub), l);
                    cx.secret_arg(v, context);
                }
            }
            continue;
        }
        if in_parameters || in_settings {
            // `KEY=VALUE` with a secret-named key.
            let v = cx.value(w);
            let text = v.text.display();
            if let Some((key, value)) = text.split_once('=')
                && (is_secret_parameter_name(key)
                    || crate::model::secrets::is_secret_property(key)
                    || sub.iter().any(|s| s == "connection-string"))
                && v.literal.is_some()
                && !value.is_empty()
                && !crate::model::secrets::is_placeholder(value)
                && !crate::model::secrets::looks_like_reference(value)
            {
                // `KEY=$VAR`: the secret is written where the variable is assigned.
                let (written, used) = match value_after_equals(w) {
                    Some(rest) => {
                        let literal = cx.value(&rest).literal.unwrap_or(rest.span);
                        (cx.span(literal), cx.span(rest.span))
                    }
                    None => (cx.span(v.literal.unwrap_or(w.span)), cx.span(w.span)),
                };
                let context = format!("{} {key}=", prefix(sub));
                cx.argument_secret(written, used, value.to_owned(), context);
            }
        }
    }
}

/// The value of a `KEY=value` word whose key is written as one literal piece ending in `=`.
fn value_after_equals(w: &Word) -> Option<Word> {
    match w.parts.split_first()? {
        (WordPart::Literal { text, .. }, rest) if text.ends_with('=') && !rest.is_empty() => {
            let start = rest.first()?.span().start;
            Some(Word {
                span: crate::parse::script::Span {
                    start,
                    end: w.span.end,
                },
                parts: rest.to_vec(),
            })
        }
        _ => None,
    }
}

fn prefix(sub: &[String]) -> String {
    let mut out = String::from("az");
    for s in sub.iter().take(3) {
        out.push(' ');
        out.push_str(s);
    }
    out
}

/// A role name or id, and the scope (explicit, legacy `-g`, or the current subscription).
fn role_and_scope(
    cx: &Cx<'_, '_, '_>,
    cmd: &Command,
    scope_word: Option<&Word>,
    span: Span,
) -> (Node, Node, Span) {
    let role = opt(cmd, &["--role"])
        .map(|w| cx.node(w))
        .unwrap_or_else(|| Node::unknown("no --role given", span));
    let (scope, scope_span) = match scope_word {
        Some(w) => (cx.node(w), cx.span(w.span)),
        None => {
            let place = az_place(cx, cmd);
            let text = if opt(cmd, &["-g", "--resource-group"]).is_some() {
                place.rg_id()
            } else {
                place.subscription_id()
            };
            (Node::new(Val::Str(text), span, Provenance::Computed), span)
        }
    };
    (role, scope, scope_span)
}

fn role_assignment(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let principal = opt(cmd, &["--assignee-object-id", "--assignee"])
        .map(|w| cx.node(w))
        .unwrap_or_else(|| Node::unknown("no assignee given", span));
    let (role, scope, scope_span) = role_and_scope(cx, cmd, opt(cmd, &["--scope"]), span);
    let grant = Grant {
        role: RoleRef::NameOrId(role),
        principal,
        principal_type: opt(cmd, &["--assignee-principal-type"]).map(|w| cx.node(w)),
        scope: (scope, scope_span),
        condition: opt(cmd, &["--condition"]).map(|w| cx.node(w)),
        many: cmd.nesting.control_flow,
    };
    cx.grant("az role assignment create", span, grant);
}

fn role_definition(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let Some(w) = opt(cmd, &["--role-definition"]) else {
        return;
    };
    let v = cx.value(w);
    let word_span = cx.span(w.span);
    let props = match v.text.known() {
        Some(t) if t.trim_start().starts_with('@') => {
            let rel = t.trim_start()[1..].trim();
            match cx.read_relative(rel) {
                Some((Some(file), text)) => role_json(&text, file, Some(0), word_span),
                Some((None, text)) => role_json(&text, word_span.file, None, word_span),
                None => None,
            }
        }
        Some(t) if v.literal.is_some() => {
            // Exact spans when the JSON is one quoted literal without escapes.
            let src_len = (w.span.end - w.span.start) as usize;
            let base = (src_len == t.len() + 2).then_some(w.span.start as usize + 1);
            role_json(t, word_span.file, base, word_span)
        }
        // JSON with CI expressions or variables inside: parse it with the holes shown as
        // `<name>`; only the known strings (actions) are judged.
        _ if v.text.display().trim_start().starts_with('{') => {
            role_json(&v.text.display(), word_span.file, None, word_span)
        }
        _ => None,
    };
    cx.custom_role(span, props);
}

fn create_for_rbac(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    const COMMAND: &str = "az ad sp create-for-rbac";
    let name = opt(cmd, &["-n", "--name", "--display-name"])
        .map(|w| cx.pstr(w))
        .unwrap_or_else(|| PStr::hole("a generated name", None));
    let uses_cert = cmd.has_flag("--cert") || cmd.has_flag("--create-cert");
    cx.new_service_principal(COMMAND, name, span, !uses_cert);
    if opt(cmd, &["--role"]).is_none() {
        return;
    }
    let scopes = opt_values(cmd, &["--scopes", "--scope"]).unwrap_or_default();
    let scope_words: Vec<Option<&Word>> = if scopes.is_empty() {
        vec![None]
    } else {
        scopes.into_iter().map(Some).collect()
    };
    for w in scope_words {
        let (role, scope, scope_span) = role_and_scope(cx, cmd, w, span);
        let grant = Grant {
            role: RoleRef::NameOrId(role),
            principal: Node::unknown("a service principal created by the script", span),
            principal_type: None,
            scope: (scope, scope_span),
            condition: None,
            many: false,
        };
        cx.grant(COMMAND, span, grant);
    }
}

fn keyvault_policy(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let place = az_place(cx, cmd);
    let vault = opt(cmd, &["-n", "--name"])
        .map(|w| ResourceLink::Id(place.resource_id("Microsoft.KeyVault/vaults", &cx.pstr(w))));
    let principal = opt(cmd, &["--object-id", "--spn", "--upn"])
        .map(|w| cx.node(w))
        .unwrap_or_else(|| Node::unknown("no principal given", span));
    let mut permissions = Vec::new();
    for (flag, kind) in [
        ("--secret-permissions", "secrets"),
        ("--key-permissions", "keys"),
        ("--certificate-permissions", "certificates"),
        ("--storage-permissions", "storage"),
    ] {
        if let Some(values) = opt_values(cmd, &[flag]) {
            permissions.push((
                kind.to_owned(),
                values.into_iter().map(|w| cx.node(w)).collect(),
            ));
        }
    }
    let p = KeyVaultPolicy {
        unit: cx.unit_key(),
        span,
        vault,
        principal,
        permissions,
        family: FAMILY,
    };
    cx.model().keyvault_policies.push(p);
}

/// `az vm|vmss|webapp|functionapp|containerapp|aks create|update|identity assign`.
fn compute(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span, group: &str, existing: bool) {
    let Some(ty) = compute_type(group) else {
        return;
    };
    let place = az_place(cx, cmd);
    let name = opt(cmd, &["-n", "--name"])
        .map(|w| cx.pstr(w))
        .unwrap_or_else(|| PStr::hole("no name given", None));
    let symbol = format!(
        "az {group} {} {}",
        if existing { "update" } else { "create" },
        name.display()
    );
    let idx = cx.resource(ty, name.clone(), &place, span, symbol, existing, None);

    let mut system = None;
    let mut user = Vec::new();
    let mut identity_span = None;
    for flag in [
        "--assign-identity",
        "--identities",
        "--mi-user-assigned",
        "--user-assigned",
    ] {
        let Some(values) = opt_values(cmd, &[flag]) else {
            continue;
        };
        let flag_word = cmd
            .args
            .iter()
            .find(|w| w.literal().is_some_and(|l| l.eq_ignore_ascii_case(flag)));
        if let Some(fw) = flag_word {
            identity_span.get_or_insert(cx.span(fw.span));
        }
        // `--assign-identity` alone (vm, vmss, webapp, functionapp): the system identity.
        if values.is_empty() && flag == "--assign-identity" && group != "aks" {
            system = Some(true);
        }
        for w in values {
            if w.literal()
                .is_some_and(|l| l.eq_ignore_ascii_case("[system]"))
            {
                system = Some(true);
            } else {
                user.push(cx.identity_ref(w, &place));
            }
        }
    }
    if cmd.has_flag("--system-assigned")
        || cmd.has_flag("--mi-system-assigned")
        || cmd.has_flag("--enable-managed-identity") && group == "aks" && user.is_empty()
    {
        system = Some(true);
    }
    // Identity-reference flags outside the identity block.
    let mut references = Vec::new();
    for flag in [
        "--assign-kubelet-identity",
        "--key-vault-reference-identity",
        "--user-identity-id",
        "--identity",
    ] {
        if let Some(w) = opt(cmd, &[flag]) {
            references.push(cx.identity_ref(w, &place));
        }
    }
    if !references.is_empty() {
        if references
            .iter()
            .any(|n| n.as_pstr().is_some_and(|p| !p.is_known()))
        {
            cx.push_unknown_refs();
        }
        cx.model().resources[idx]
            .identity_references
            .extend(references);
    }
    if system.is_some() || !user.is_empty() {
        let ispan = identity_span.unwrap_or(span);
        cx.add_identity(idx, ispan, system, user);
    }

    // `--role R --scope S`: a role assignment for the system identity ("the system assigned
    // identity will have"); without `[system]` there is none to receive it.
    let role_word = opt(cmd, &["--role"]);
    let scope_word = opt(cmd, &["--scope"]);
    if system == Some(true) && (role_word.is_some() || scope_word.is_some()) {
        let Some(sw) = scope_word else {
            return;
        };
        let role = role_word.map(|w| cx.node(w)).unwrap_or_else(|| {
            Node::unknown(
                "no --role: Contributor on azure-cli before 2022, an error since",
                span,
            )
        });
        let id = place.resource_id(ty, &name);
        let a = RoleAssignment {
            unit: cx.unit_key(),
            span,
            role: RoleRef::NameOrId(role),
            principal: Node::new(
                Val::Attr {
                    link: ResourceLink::Id(id),
                    attr: Attr::SystemPrincipalId,
                },
                span,
                Provenance::Computed,
            ),
            principal_type: None,
            scope: cx.node(sw),
            scope_span: cx.span(sw.span),
            condition: None,
            many: false,
            family: FAMILY,
            label: format!("az {group} --assign-identity --role"),
        };
        cx.model().role_assignments.push(a);
    }
}
