//! Azure PowerShell cmdlets → model.

use super::resolve::{opt, ps_place};
use super::{Cx, FAMILY, Grant, UAMI_TYPE, role_json};
use crate::model::{
    FederatedCredential, KeyVaultPolicy, Node, PStr, Provenance, ResourceLink, RoleRef, Val,
};
use crate::parse::script::{Command, Word, WordPart};
use crate::source::Span;

/// Parameters whose literal value is a credential, on any cmdlet.
const SECRET_PARAMS: &[&str] = &[
    "-Password",
    "-AdminPassword",
    "-ClientSecret",
    "-StorageAccountKey",
    "-SasToken",
    "-ConnectionString",
    "-Secret",
    "-FederatedToken",
];

pub fn lower(cx: &mut Cx<'_, '_, '_>, index: usize, name: &str) {
    let script = cx.script;
    let cmd = &script.commands[index];
    let display = cmd.name.literal().unwrap_or_default();
    let span = cx.span(cmd.span);
    for p in SECRET_PARAMS {
        if let Some(w) = opt(cmd, &[p]) {
            cx.secret_arg(w, format!("{display} {p}"));
        }
    }
    match name {
        "convertto-securestring" if cmd.has_flag("-AsPlainText") => {
            if let Some(w) = opt(cmd, &["-String"]).or_else(|| first_positional(cmd)) {
                cx.secret_arg(w, "ConvertTo-SecureString -AsPlainText".into());
            }
        }
        "set-azkeyvaultsecret" => {
            // `-SecretValue` must be a SecureString; a literal string here is plain text.
            if let Some(w) = opt(cmd, &["-SecretValue"])
                && w.parts
                    .iter()
                    .all(|p| !matches!(p, WordPart::CommandSubstitution { .. }))
            {
                cx.secret_arg(w, "Set-AzKeyVaultSecret -SecretValue".into());
            }
        }
        "new-azuserassignedidentity" => {
            let place = ps_place(cx, cmd);
            let Some(n) = opt(cmd, &["-Name"]) else {
                return;
            };
            let name = cx.pstr(n);
            let symbol = format!("New-AzUserAssignedIdentity {}", name.display());
            cx.resource(UAMI_TYPE, name, &place, span, symbol, false, None);
        }
        "new-azfederatedidentitycredential" | "new-azfederatedidentitycredentials" => {
            let place = ps_place(cx, cmd);
            let Some(n) = opt(cmd, &["-IdentityName"]) else {
                return;
            };
            let id = place.resource_id(UAMI_TYPE, &cx.pstr(n));
            let fc = FederatedCredential {
                unit: cx.unit_key(),
                span,
                identity: Node::new(Val::Str(id), cx.span(n.span), Provenance::Computed),
                issuer: opt(cmd, &["-Issuer"]).map(|w| cx.node(w)),
                subject: opt(cmd, &["-Subject"]).map(|w| cx.node(w)),
                audiences: opt(cmd, &["-Audience"])
                    .map(|w| vec![cx.node(w)])
                    .unwrap_or_default(),
                family: FAMILY,
            };
            cx.model().federated_credentials.push(fc);
        }
        "new-azroleassignment" => role_assignment(cx, cmd, span),
        "new-azroledefinition" | "set-azroledefinition" => role_definition(cx, cmd, span),
        "new-azadserviceprincipal" => service_principal(cx, cmd, span),
        "set-azkeyvaultaccesspolicy" => keyvault_policy(cx, cmd, span),
        "new-azvmconfig" | "update-azvm" | "update-azvmss" | "new-azvmssconfig" => {
            vm(cx, cmd, span, name)
        }
        "set-azwebapp" | "update-azfunctionapp" | "set-azwebappslot" => webapp(cx, cmd, span),
        _ => {}
    }
}

/// The first argument that is not a parameter name or its value.
fn first_positional(cmd: &Command) -> Option<&Word> {
    let mut skip_next = false;
    for w in &cmd.args {
        let lit = w.literal();
        if lit.as_deref().is_some_and(|l| l.starts_with('-')) {
            // Switches take no value.
            let l = lit.unwrap_or_default().to_ascii_lowercase();
            skip_next = !matches!(l.as_str(), "-asplaintext" | "-force");
            continue;
        }
        if skip_next {
            skip_next = false;
            continue;
        }
        return Some(w);
    }
    None
}

fn role_assignment(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let principal = opt(
        cmd,
        &[
            "-ObjectId",
            "-PrincipalId",
            "-Id",
            "-ApplicationId",
            "-ServicePrincipalName",
            "-SignInName",
        ],
    )
    .map(|w| cx.node(w))
    .unwrap_or_else(|| Node::unknown("no principal given", span));
    let role = if let Some(w) = opt(cmd, &["-RoleDefinitionName"]) {
        RoleRef::Name(cx.node(w))
    } else if let Some(w) = opt(cmd, &["-RoleDefinitionId"]) {
        RoleRef::Id(cx.node(w))
    } else {
        RoleRef::Name(Node::unknown("no role given", span))
    };
    let (scope, scope_span) = if let Some(w) = opt(cmd, &["-Scope"]) {
        (cx.node(w), cx.span(w.span))
    } else {
        let place = ps_place(cx, cmd);
        let text = if opt(cmd, &["-ResourceGroupName"]).is_some() {
            match (opt(cmd, &["-ResourceName"]), opt(cmd, &["-ResourceType"])) {
                (Some(n), Some(t)) => {
                    let mut id = place.rg_id();
                    id.push_str("/providers/");
                    id.push(&cx.pstr(t));
                    id.push_str("/");
                    id.push(&cx.pstr(n));
                    id
                }
                _ => place.rg_id(),
            }
        } else {
            place.subscription_id()
        };
        (Node::new(Val::Str(text), span, Provenance::Computed), span)
    };
    let grant = Grant {
        role,
        principal,
        principal_type: opt(cmd, &["-ObjectType"]).map(|w| cx.node(w)),
        scope: (scope, scope_span),
        condition: opt(cmd, &["-Condition"]).map(|w| cx.node(w)),
        many: cmd.nesting.control_flow,
    };
    cx.grant("New-AzRoleAssignment", span, grant);
}

fn role_definition(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let props = opt(cmd, &["-InputFile"]).and_then(|w| {
        let rel = cx.pstr(w).known()?.to_owned();
        let word_span = cx.span(w.span);
        match cx.read_relative(&rel)? {
            (Some(file), text) => role_json(&text, file, Some(0), word_span),
            (None, text) => role_json(&text, word_span.file, None, word_span),
        }
    });
    // Without a readable definition (`-Role $role` built from an object at run time) the
    // permissions are unknown.
    cx.custom_role(span, props);
}

fn service_principal(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    const COMMAND: &str = "New-AzADServicePrincipal";
    let name = opt(cmd, &["-DisplayName"])
        .map(|w| cx.pstr(w))
        .unwrap_or_else(|| PStr::hole("a generated name", None));
    cx.new_service_principal(COMMAND, name, span, opt(cmd, &["-CertValue"]).is_none());
    let Some(role) = opt(cmd, &["-Role"]) else {
        return;
    };
    let scope = match opt(cmd, &["-Scope"]) {
        Some(w) => (cx.node(w), cx.span(w.span)),
        None => (
            Node::new(
                Val::Str(ps_place(cx, cmd).subscription_id()),
                span,
                Provenance::Computed,
            ),
            span,
        ),
    };
    let grant = Grant {
        role: RoleRef::Name(cx.node(role)),
        principal: Node::unknown("a service principal created by the script", span),
        principal_type: None,
        scope,
        condition: None,
        many: false,
    };
    cx.grant(COMMAND, span, grant);
}

fn keyvault_policy(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let place = ps_place(cx, cmd);
    let vault = opt(cmd, &["-VaultName"])
        .map(|w| ResourceLink::Id(place.resource_id("Microsoft.KeyVault/vaults", &cx.pstr(w))));
    let principal = opt(
        cmd,
        &[
            "-ObjectId",
            "-UserPrincipalName",
            "-ServicePrincipalName",
            "-EmailAddress",
        ],
    )
    .map(|w| cx.node(w))
    .unwrap_or_else(|| Node::unknown("no principal given", span));
    let mut permissions = Vec::new();
    for (param, kind) in [
        ("-PermissionsToSecrets", "secrets"),
        ("-PermissionsToKeys", "keys"),
        ("-PermissionsToCertificates", "certificates"),
        ("-PermissionsToStorage", "storage"),
    ] {
        if let Some(values) = list_parameter(cx, cmd, param) {
            permissions.push((kind.to_owned(), values));
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

/// The values of a list parameter. `-P get,list,set` reaches the command as one argument in
/// PowerShell, but the syntax tree gives one word per element: take every word up to the next
/// `-Parameter`.
fn list_parameter(cx: &Cx<'_, '_, '_>, cmd: &Command, param: &str) -> Option<Vec<Node>> {
    let at = cmd
        .args
        .iter()
        .position(|w| w.literal().is_some_and(|l| l.eq_ignore_ascii_case(param)))?;
    let words: Vec<&Word> = cmd.args[at + 1..]
        .iter()
        .take_while(|w| {
            !w.literal()
                .is_some_and(|l| l.starts_with('-') && l.len() > 1)
        })
        .collect();
    match words.as_slice() {
        [] => None,
        [one] => Some(list(cx, one)),
        many => Some(many.iter().flat_map(|w| list(cx, w)).collect()),
    }
}

/// A PowerShell list argument (`a,b,c` or `@('a','b')`) as nodes.
fn list(cx: &Cx<'_, '_, '_>, w: &Word) -> Vec<Node> {
    match w.parts.as_slice() {
        [WordPart::Array { items, .. }] => items.iter().map(|i| cx.node(i)).collect(),
        _ => match w.literal() {
            Some(text) if text.contains(',') => text
                .split(',')
                .map(|t| Node::lit_str(t.trim(), cx.span(w.span)))
                .collect(),
            _ => vec![cx.node(w)],
        },
    }
}

/// `-IdentityType` as (system, user).
fn identity_type(cx: &Cx<'_, '_, '_>, cmd: &Command) -> Option<(bool, bool)> {
    let t = cx.pstr(opt(cmd, &["-IdentityType"])?);
    let t = t.known()?.to_ascii_lowercase().replace([' ', ','], "");
    Some((t.contains("systemassigned"), t.contains("userassigned")))
}

fn vm(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span, name: &str) {
    let mut place = ps_place(cx, cmd);
    let (ty, existing) = match name {
        "new-azvmconfig" => ("Microsoft.Compute/virtualMachines", false),
        "update-azvm" => ("Microsoft.Compute/virtualMachines", true),
        "new-azvmssconfig" => ("Microsoft.Compute/virtualMachineScaleSets", false),
        _ => ("Microsoft.Compute/virtualMachineScaleSets", true),
    };
    // The VM from `-Name`/`-VMName`, or the object `-VM $vm` was read from.
    let vm_name = if let Some(w) = opt(cmd, &["-VMName", "-Name", "-VMScaleSetName"]) {
        cx.pstr(w)
    } else if let Some(w) = opt(cmd, &["-VM", "-VirtualMachineScaleSet"])
        && let Some(id) = cx.value(w).object
    {
        // `/subscriptions/<s>/resourceGroups/<rg>/providers/T/<name>`: its last piece.
        match id.0.last() {
            Some(crate::model::Seg::Lit(l)) => PStr::lit(l.rsplit('/').next().unwrap_or("")),
            Some(h) => PStr(vec![h.clone()]),
            None => PStr::hole("an unknown VM", None),
        }
    } else {
        PStr::hole("an unknown VM", None)
    };
    if opt(cmd, &["-ResourceGroupName"]).is_none()
        && let Some(w) = opt(cmd, &["-VM"])
        && let Some(id) = cx.value(w).object
    {
        // Take the resource group from the `Get-AzVM` call.
        let text = id.display();
        if let Some(rest) = text.split("/resourceGroups/").nth(1)
            && let Some(rg) = rest.split('/').next()
            && !rg.contains('<')
        {
            place.resource_group = PStr::lit(rg);
        }
    }
    let symbol = format!(
        "{} {}",
        cmd.name.literal().unwrap_or_default(),
        vm_name.display()
    );
    let idx = cx.resource(ty, vm_name, &place, span, symbol, existing, None);
    let Some((system, user)) = identity_type(cx, cmd) else {
        return;
    };
    let mut ids = Vec::new();
    if user {
        match opt(cmd, &["-IdentityId", "-IdentityID"]) {
            Some(w) => match w.parts.as_slice() {
                [WordPart::Array { items, .. }] if items.len() > 1 => {
                    ids.extend(items.iter().map(|i| cx.identity_ref(i, &place)))
                }
                _ => ids.push(cx.identity_ref(w, &place)),
            },
            None => cx.push_unknown_refs(),
        }
    }
    let ispan = opt(cmd, &["-IdentityType"])
        .map(|w| cx.span(w.span))
        .unwrap_or(span);
    cx.add_identity(idx, ispan, Some(system), ids);
}

fn webapp(cx: &mut Cx<'_, '_, '_>, cmd: &Command, span: Span) {
    let place = ps_place(cx, cmd);
    let Some(n) = opt(cmd, &["-Name"]) else {
        return;
    };
    let name = cx.pstr(n);
    let symbol = format!(
        "{} {}",
        cmd.name.literal().unwrap_or_default(),
        name.display()
    );
    let idx = cx.resource(
        "Microsoft.Web/sites",
        name,
        &place,
        span,
        symbol,
        true,
        None,
    );
    let assign = opt(cmd, &["-AssignIdentity"]).and_then(|w| cx.pstr(w).known().map(str::to_owned));
    if let Some(a) = assign {
        let on = a.trim_start_matches('$').eq_ignore_ascii_case("true");
        cx.add_identity(idx, span, Some(on), Vec::new());
    }
    if let Some((system, user)) = identity_type(cx, cmd) {
        let mut ids = Vec::new();
        if user {
            match opt(cmd, &["-UserAssignedIdentity", "-IdentityId"]) {
                Some(w) => ids.push(cx.identity_ref(w, &place)),
                None => cx.push_unknown_refs(),
            }
        }
        cx.add_identity(idx, span, Some(system), ids);
    }
}
