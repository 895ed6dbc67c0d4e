//! Phrases and predicates several rules share.

use crate::graph::{Identity, IdentityGraph, PrincipalRes, RoleRes};
use crate::model::roles::{action_matches, well_known};
use crate::model::{Node, Resource, Val};
use crate::source::Span;

/// A resource's part of a finding subject (what baselines and fingerprints key on, never a
/// line): its kind and its symbol, or its name where it has none.
pub fn resource_subject(r: &Resource) -> String {
    let name = r
        .symbol
        .as_deref()
        .map(str::to_owned)
        .unwrap_or_else(|| r.name.display());
    format!("{}|{name}", r.kind)
}

/// `user-assigned identity 'app-id'` or `the system-assigned identity of … 'vm1'`, and where
/// it is declared.
pub fn identity_label(graph: &IdentityGraph<'_>, identity: Identity) -> (String, Span) {
    let r = graph.resource(identity.resource());
    match identity {
        Identity::UserAssigned(_) => (format!("user-assigned identity {}", quoted_name(r)), r.span),
        Identity::System(_) => (
            format!("the system-assigned identity of {}", r.label()),
            r.identity.as_ref().map(|i| i.span).unwrap_or(r.span),
        ),
    }
}

fn quoted_name(r: &crate::model::Resource) -> String {
    match (r.name.known(), &r.symbol) {
        (Some(n), _) if !n.is_empty() => format!("'{n}'"),
        (_, Some(s)) => format!("'{s}'"),
        _ => format!("'{}'", r.name.display()),
    }
}

/// A principal in words.
pub fn principal_phrase(graph: &IdentityGraph<'_>, principal: &PrincipalRes) -> String {
    match principal {
        PrincipalRes::Identity(id) => identity_label(graph, *id).0,
        PrincipalRes::ClientIdOf(id) => {
            format!("the client id of {}", identity_label(graph, *id).0)
        }
        PrincipalRes::Literal(id) => format!("principal {id}"),
        PrincipalRes::Unknown(_) => "a principal known only at deployment".into(),
    }
}

/// Operations that let a principal grant itself or others more access.
pub const AUTHORIZATION_WRITES: &[&str] = &[
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleDefinitions/write",
];

/// What an action list grants once its notActions are subtracted; `None` when a piece is
/// unknown and could change the answer.
pub struct Effective {
    pub wildcard: bool,
    pub authorization_write: bool,
}

pub fn effective(actions: &[Node], not_actions: &[Node]) -> Option<Effective> {
    let nots: Option<Vec<&str>> = not_actions.iter().map(|n| n.as_known_str()).collect();
    let nots = nots?;
    let mut out = Effective {
        wildcard: false,
        authorization_write: false,
    };
    for action in actions {
        let Some(a) = action.as_known_str() else {
            continue;
        };
        if a.trim() == "*" {
            out.wildcard = true;
        }
        for op in AUTHORIZATION_WRITES {
            if action_matches(a, op) && !nots.iter().any(|n| action_matches(n, op)) {
                out.authorization_write = true;
            }
        }
    }
    Some(out)
}

/// Roles that amount to administering whatever they are assigned on.
pub fn is_privileged_builtin(id: &str) -> bool {
    [
        well_known::OWNER,
        well_known::CONTRIBUTOR,
        well_known::USER_ACCESS_ADMINISTRATOR,
        well_known::RBAC_ADMINISTRATOR,
    ]
    .contains(&id)
}

/// Whether a role can write role assignments or definitions.
pub fn can_grant_access(graph: &IdentityGraph<'_>, role: &RoleRes) -> bool {
    match role {
        RoleRes::Builtin(b) => AUTHORIZATION_WRITES.iter().any(|op| b.grants(op)),
        RoleRes::Custom(i) => graph.model.role_definitions[*i]
            .permissions
            .iter()
            .filter_map(|p| effective(&p.actions, &p.not_actions))
            .any(|e| e.authorization_write),
        _ => false,
    }
}

/// Whether any value inside a node is a secret that is not a literal.
pub fn contains_secret(node: &Node) -> Option<&crate::model::value::SecretOrigin> {
    let mut found = None;
    node.walk(|n, _| {
        if found.is_none()
            && let Val::Secret(origin) = &n.val
        {
            found = Some(origin);
        }
    });
    found
}
