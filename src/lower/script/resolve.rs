//! What a word stands for: file-local variables assigned from literals, resource
//! attributes read by `az … show --query` or PowerShell member access, and access tokens.

use super::{Cx, Place, UAMI_TYPE, current_subscription};
use crate::model::{Attr, Node, PStr, Provenance, ResourceLink, Val};
use crate::parse::script::{Command, Script, Shell, Span, VarOrigin, Word, WordPart};
use std::collections::HashMap;

/// Past this depth (variables defined through variables…) values are unknown.
const MAX_DEPTH: u32 = 16;

/// Members of a token response or token object that hold the token itself.
const TOKEN_MEMBERS: &[&str] = &["token", "access_token", "accesstoken"];

/// A word's value as far as the script tells it.
#[derive(Clone, Debug, Default)]
pub struct Value {
    pub text: PStr,
    /// Where the whole value is written as literal text (the word itself, or the literal a
    /// variable was assigned); `None` when any piece is not literal.
    pub literal: Option<Span>,
    /// The value is exactly an attribute of a resource (`--query principalId`).
    pub link: Option<(ResourceLink, Attr)>,
    /// The value is a resource object (PowerShell `$id = New-AzUserAssignedIdentity …`): its
    /// id. Member access picks an attribute.
    pub object: Option<PStr>,
    /// The value carries an access token: what produced it and where.
    pub token: Option<(String, Span)>,
}

impl Value {
    fn hole(reason: &str, symbol: Option<&str>) -> Value {
        Value {
            text: PStr::hole(reason.to_owned(), symbol.map(Into::into)),
            ..Value::default()
        }
    }

    pub fn node(&self, span: crate::source::Span) -> Node {
        if let Some((link, attr)) = &self.link {
            return Node::new(
                Val::Attr {
                    link: link.clone(),
                    attr: *attr,
                },
                span,
                Provenance::Computed,
            );
        }
        let prov = if self.literal.is_some() {
            Provenance::Literal
        } else {
            Provenance::Computed
        };
        Node::new(Val::Str(self.text.clone()), span, prov)
    }
}

/// Assignments by variable name, in document order.
pub struct Vars<'s> {
    by_name: HashMap<String, Vec<&'s crate::parse::script::Assignment>>,
    shell: Shell,
}

impl<'s> Vars<'s> {
    pub fn new(script: &'s Script) -> Self {
        let mut by_name: HashMap<String, Vec<_>> = HashMap::new();
        for a in &script.assignments {
            by_name
                .entry(key(script.shell, &a.name))
                .or_default()
                .push(a);
        }
        for list in by_name.values_mut() {
            list.sort_by_key(|a| a.span.start);
        }
        Vars {
            by_name,
            shell: script.shell,
        }
    }

    /// The last assignment of `name` before `at`.
    pub fn before(&self, name: &str, at: u32) -> Option<&'s crate::parse::script::Assignment> {
        self.by_name
            .get(&key(self.shell, name))?
            .iter()
            .rev()
            .find(|a| a.span.start < at)
            .copied()
    }
}

fn key(shell: Shell, name: &str) -> String {
    let name = name.strip_prefix("script:").unwrap_or(name);
    match shell {
        Shell::Bash => name.to_owned(),
        Shell::PowerShell => name.to_ascii_lowercase(),
    }
}

pub fn word(cx: &Cx<'_, '_, '_>, w: &Word, depth: u32) -> Value {
    if depth > MAX_DEPTH {
        return Value::hole("a value defined too indirectly", None);
    }
    let parts: Vec<Value> = w
        .parts
        .iter()
        .map(|p| part(cx, p, w.span.start, depth))
        .collect();
    match parts.as_slice() {
        [] => Value {
            literal: Some(w.span),
            ..Value::default()
        },
        [one] if matches!(w.parts[0], WordPart::Literal { .. }) => Value {
            literal: Some(w.span),
            ..one.clone()
        },
        [one] => one.clone(),
        many => {
            let mut out = Value {
                literal: many.iter().all(|p| p.literal.is_some()).then_some(w.span),
                ..Value::default()
            };
            for p in many {
                out.text.push(&p.text);
                if out.token.is_none() {
                    out.token.clone_from(&p.token);
                }
            }
            out
        }
    }
}

fn part(cx: &Cx<'_, '_, '_>, p: &WordPart, at: u32, depth: u32) -> Value {
    match p {
        WordPart::Literal { text, span } => Value {
            text: PStr::lit(text.clone()),
            literal: Some(*span),
            ..Value::default()
        },
        WordPart::Variable {
            name,
            member,
            origin,
            span,
            ..
        } => {
            if cx.script.shell == Shell::PowerShell
                && member.is_none()
                && matches!(
                    name.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null"
                )
            {
                return Value {
                    text: PStr::lit(name.to_ascii_lowercase()),
                    literal: Some(*span),
                    ..Value::default()
                };
            }
            if *origin != VarOrigin::Shell {
                return Value::hole("a CI expression", Some(name));
            }
            if is_token_endpoint_var(name) {
                return Value {
                    text: PStr::hole("an identity endpoint", Some(name.as_str().into())),
                    ..Value::default()
                };
            }
            let Some(a) = cx.vars.before(name, at) else {
                return Value::hole("a variable set outside the script", Some(name));
            };
            // A variable set from a parameter-expansion default or inside a loop is still
            // the literal it was assigned.
            let base = word(cx, &a.value, depth + 1);
            let mut v = match member {
                None => base,
                Some(m) => member_of(base, m),
            };
            // Name wholly unknown values after the variable (same variable, same hole), keep
            // partly known ones (`/subscriptions/<…>/resourceGroups/rg`).
            let all_holes = v
                .text
                .0
                .iter()
                .all(|s| matches!(s, crate::model::Seg::Hole { .. }));
            if v.literal.is_none() && v.link.is_none() && v.object.is_none() && all_holes {
                v.text = PStr::hole(
                    "a variable computed by the script",
                    Some(name.as_str().into()),
                );
            }
            v
        }
        WordPart::CommandSubstitution {
            commands, member, ..
        } => {
            let base = substitution(cx, commands, depth);
            match member {
                None => base,
                Some(m) => member_of(base, m),
            }
        }
        WordPart::Hashtable { .. } => Value::hole("a hashtable", None),
        WordPart::Array { items, .. } => {
            // A one-item array is its item (`-IdentityId @($id.Id)`).
            match items.as_slice() {
                [one] => word(cx, one, depth + 1),
                _ => Value::hole("a list", None),
            }
        }
        WordPart::Call { .. } | WordPart::Splat { .. } | WordPart::Opaque { .. } => {
            Value::hole("an expression", None)
        }
    }
}

fn is_token_endpoint_var(name: &str) -> bool {
    let n = name.strip_prefix("env:").unwrap_or(name);
    n.eq_ignore_ascii_case("IDENTITY_ENDPOINT") || n.eq_ignore_ascii_case("MSI_ENDPOINT")
}

/// `$x.Member` / `(…).Member`.
fn member_of(base: Value, member: &str) -> Value {
    let m = member.to_ascii_lowercase();
    let first = m.split('.').next().unwrap_or("");
    if let Some(id) = &base.object {
        let attr = match first {
            "principalid" => Some(Attr::PrincipalId),
            "id" => Some(Attr::Id),
            "clientid" => Some(Attr::ClientId),
            "name" => Some(Attr::Name),
            _ => None,
        };
        if let Some(attr) = attr {
            return Value {
                text: PStr::hole(format!("the {member} of a resource"), None),
                link: Some((ResourceLink::Id(id.clone()), attr)),
                ..Value::default()
            };
        }
    }
    if base.token.is_some() && TOKEN_MEMBERS.contains(&first) {
        return Value {
            text: PStr::hole("an access token", None),
            token: base.token,
            ..Value::default()
        };
    }
    Value::hole("a property of a computed value", None)
}

/// Commands that pass their input through to their output (the token stays a token).
pub fn is_filter(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "jq" | "cut"
            | "tr"
            | "sed"
            | "awk"
            | "grep"
            | "head"
            | "tail"
            | "cat"
            | "xargs"
            | "python"
            | "python3"
            | "convertfrom-json"
            | "convertto-json"
            | "select-object"
            | "foreach-object"
            | "where-object"
            | "out-string"
            | "select"
            | "%"
    )
}

/// The stages of the pipeline that starts at `first`.
pub fn pipeline(script: &Script, first: usize) -> Vec<usize> {
    let mut out = vec![first];
    let mut cur = first;
    while let Some(next) = script.commands.get(cur).and_then(|c| c.piped_to) {
        if out.contains(&next) || out.len() > 64 {
            break;
        }
        out.push(next);
        cur = next;
    }
    out
}

/// The output of `$(…)` / PowerShell `(…)` or an assignment's command.
fn substitution(cx: &Cx<'_, '_, '_>, commands: &[usize], depth: u32) -> Value {
    let script = cx.script;
    let Some(&first) = commands.first() else {
        return Value::hole("command output", None);
    };
    let stages = pipeline(script, first);
    // An access token anywhere upstream of filters only.
    let mut token = None;
    for &i in &stages {
        let cmd = &script.commands[i];
        if let Some(t) = token_source(cx, cmd, depth) {
            token = Some(t);
        } else if token.is_some() && !is_filter(&cmd_name(cmd)) {
            token = None;
        }
    }
    if token.is_some() {
        return Value {
            text: PStr::hole("an access token", None),
            token,
            ..Value::default()
        };
    }
    if stages.len() == 1 {
        return command_output(cx, &script.commands[first]);
    }
    Value::hole("command output", None)
}

pub fn cmd_name(cmd: &Command) -> String {
    cmd.name.literal().unwrap_or_default()
}

/// Literal words after the program name that are not options: `az role assignment create`
/// gives `["role", "assignment", "create"]` (lowercase).
pub fn subcommands(cmd: &Command) -> Vec<String> {
    cmd.args
        .iter()
        .map_while(|w| w.literal().filter(|l| !l.starts_with('-')))
        .take(4)
        .map(|l| l.to_ascii_lowercase())
        .collect()
}

/// The value following any of the given flags (`--name`, `-n`; the parser splits `--name=x`).
pub fn opt<'c>(cmd: &'c Command, flags: &[&str]) -> Option<&'c Word> {
    flags.iter().find_map(|f| cmd.option(f))
}

/// Every value after a multi-valued flag, up to the next option.
pub fn opt_values<'c>(cmd: &'c Command, flags: &[&str]) -> Option<Vec<&'c Word>> {
    let mut it = cmd.args.iter();
    while let Some(w) = it.next() {
        if w.literal()
            .is_some_and(|l| flags.iter().any(|f| l.eq_ignore_ascii_case(f)))
        {
            let values = it
                .take_while(|w| !w.literal().is_some_and(|l| l.starts_with('-')))
                .collect();
            return Some(values);
        }
    }
    None
}

/// Where an az command runs: `--subscription`, `-g/--resource-group`.
pub fn az_place(cx: &Cx<'_, '_, '_>, cmd: &Command) -> Place {
    Place {
        subscription: opt(cmd, &["--subscription"])
            .map(|w| cx.pstr(w))
            .unwrap_or_else(|| current_subscription(&cx.unit.key)),
        resource_group: opt(cmd, &["-g", "--resource-group"])
            .map(|w| cx.pstr(w))
            .unwrap_or_else(|| PStr::hole("no resource group given", None)),
    }
}

/// Where a PowerShell cmdlet runs: `-ResourceGroupName`.
pub fn ps_place(cx: &Cx<'_, '_, '_>, cmd: &Command) -> Place {
    Place {
        subscription: current_subscription(&cx.unit.key),
        resource_group: opt(cmd, &["-ResourceGroupName", "-ResourceGroup"])
            .map(|w| cx.pstr(w))
            .unwrap_or_else(|| PStr::hole("no resource group given", None)),
    }
}

/// What a command prints: resource attributes for `az identity show|create --query …`,
/// resource objects for `New-AzUserAssignedIdentity` / `Get-AzUserAssignedIdentity`.
fn command_output(cx: &Cx<'_, '_, '_>, cmd: &Command) -> Value {
    let name = cmd_name(cmd).to_ascii_lowercase();
    if name == "az" {
        let sub = subcommands(cmd);
        let sub: Vec<&str> = sub.iter().map(String::as_str).collect();
        let query = opt(cmd, &["--query"])
            .and_then(|w| w.literal())
            .map(|q| q.trim().to_ascii_lowercase());
        let attr = |q: &str| match q {
            "principalid" => Some(Attr::PrincipalId),
            "id" => Some(Attr::Id),
            "clientid" => Some(Attr::ClientId),
            "identity.principalid" => Some(Attr::SystemPrincipalId),
            _ => None,
        };
        match sub.as_slice() {
            ["identity", "show" | "create", ..] => {
                let place = az_place(cx, cmd);
                let Some(n) = opt(cmd, &["-n", "--name"]) else {
                    return Value::hole("an identity", None);
                };
                let id = place.resource_id(UAMI_TYPE, &cx.pstr(n));
                return match query.as_deref().and_then(attr) {
                    Some(a) => Value {
                        text: PStr::hole("an identity attribute", None),
                        link: Some((ResourceLink::Id(id), a)),
                        ..Value::default()
                    },
                    None => Value::hole("identity details", None),
                };
            }
            [
                "vm" | "vmss" | "webapp" | "functionapp",
                "show" | "identity",
                ..,
            ] => {
                let place = az_place(cx, cmd);
                let ty = super::azcli::compute_type(sub[0]).unwrap_or("");
                if let (Some(n), Some("identity.principalid" | "principalid")) =
                    (opt(cmd, &["-n", "--name"]), query.as_deref())
                {
                    let id = place.resource_id(ty, &cx.pstr(n));
                    return Value {
                        text: PStr::hole("a system identity", None),
                        link: Some((ResourceLink::Id(id), Attr::SystemPrincipalId)),
                        ..Value::default()
                    };
                }
            }
            ["group", "show" | "create", ..] if query.as_deref() == Some("id") => {
                let mut place = az_place(cx, cmd);
                if let Some(n) = opt(cmd, &["-n", "--name", "-g", "--resource-group"]) {
                    place.resource_group = cx.pstr(n);
                }
                return Value {
                    text: place.rg_id(),
                    ..Value::default()
                };
            }
            ["account", "show", ..] if query.as_deref() == Some("id") => {
                return Value {
                    text: current_subscription(&cx.unit.key),
                    ..Value::default()
                };
            }
            _ => {}
        }
        return Value::hole("az output", None);
    }
    if name.eq_ignore_ascii_case("New-AzUserAssignedIdentity")
        || name.eq_ignore_ascii_case("Get-AzUserAssignedIdentity")
    {
        let place = ps_place(cx, cmd);
        if let Some(n) = opt(cmd, &["-Name"]) {
            return Value {
                text: PStr::hole("an identity object", None),
                object: Some(place.resource_id(UAMI_TYPE, &cx.pstr(n))),
                ..Value::default()
            };
        }
    }
    if name.eq_ignore_ascii_case("Get-AzVM") || name.eq_ignore_ascii_case("New-AzVMConfig") {
        let place = ps_place(cx, cmd);
        if let Some(n) = opt(cmd, &["-Name", "-VMName"]) {
            return Value {
                text: PStr::hole("a VM object", None),
                object: Some(place.resource_id("Microsoft.Compute/virtualMachines", &cx.pstr(n))),
                ..Value::default()
            };
        }
    }
    Value::hole("command output", None)
}

/// Whether a command emits an access token on its output, and what it is.
pub fn token_source(cx: &Cx<'_, '_, '_>, cmd: &Command, depth: u32) -> Option<(String, Span)> {
    let name = cmd_name(cmd).to_ascii_lowercase();
    match name.as_str() {
        "az" => {
            let sub = subcommands(cmd);
            if sub.len() >= 2 && sub[0] == "account" && sub[1] == "get-access-token" {
                let query = opt(cmd, &["--query"]).and_then(|w| w.literal());
                if query.is_some_and(|q| !q.to_ascii_lowercase().contains("accesstoken")) {
                    return None;
                }
                return Some(("az account get-access-token".into(), cmd.span));
            }
            None
        }
        // `-AsSecureString` (and Az 14's default) give a SecureString, which prints as a
        // type name; older Az.Accounts give plain text.
        "get-azaccesstoken" if !cmd.has_flag("-AsSecureString") => {
            Some(("Get-AzAccessToken".into(), cmd.span))
        }
        "curl" | "wget" | "invoke-restmethod" | "invoke-webrequest" | "irm" | "iwr" => {
            let hits_endpoint = cmd.args.iter().any(|w| {
                w.parts.iter().any(|p| match p {
                    WordPart::Literal { text, .. } => is_token_url(text),
                    WordPart::Variable { name, .. } => is_token_endpoint_var(name),
                    _ => false,
                }) || (depth < MAX_DEPTH && {
                    let v = word(cx, w, depth + 1);
                    v.text
                        .display()
                        .contains("169.254.169.254/metadata/identity/oauth2/token")
                })
            });
            hits_endpoint.then(|| ("the managed identity token endpoint".into(), cmd.span))
        }
        // `echo $TOKEN | jq …` re-emits a token.
        "echo" | "printf" | "write-output" => cmd.args.iter().find_map(|w| {
            (depth < MAX_DEPTH)
                .then(|| word(cx, w, depth + 1).token)
                .flatten()
        }),
        _ => None,
    }
}

fn is_token_url(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("169.254.169.254/metadata/identity/oauth2/token")
        || t.contains("localhost:50342/oauth2/token")
}
