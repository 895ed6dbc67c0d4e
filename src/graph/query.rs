//! Questions reviewers and rules ask: what can a principal do where, who can act on a
//! resource, through which assignment.

use super::{IdentityGraph, PrincipalRes, ResolvedAssignment, ResourceIdx, RoleRes};
use crate::model::roles::action_matches;
use crate::model::scope::{ScopeLevel, level_of};
use crate::model::{Match, PStr, Seg};

/// One `/`-separated piece of an id, lowercased when known.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Known(String),
    Hole(Option<String>),
}

fn pieces(p: &PStr) -> Vec<Piece> {
    let mut out = vec![Piece::Known(String::new())];
    for seg in &p.0 {
        match seg {
            Seg::Lit(text) => {
                let mut parts = text.split('/');
                if let Some(first) = parts.next() {
                    match out.last_mut() {
                        Some(Piece::Known(cur)) => cur.push_str(&first.to_ascii_lowercase()),
                        Some(last @ Piece::Hole(_)) if !first.is_empty() => {
                            *last = Piece::Hole(None)
                        }
                        _ => {}
                    }
                }
                out.extend(parts.map(|p| Piece::Known(p.to_ascii_lowercase())));
            }
            Seg::Hole { symbol, .. } => {
                let sym = match out.last() {
                    Some(Piece::Known(cur)) if cur.is_empty() => {
                        symbol.as_deref().map(str::to_owned)
                    }
                    _ => None,
                };
                out.pop();
                out.push(Piece::Hole(sym));
            }
        }
    }
    while out.len() > 1 && out.last() == Some(&Piece::Known(String::new())) {
        out.pop();
    }
    out
}

/// Whether `scope` contains `target` (a scope or resource id): a prefix match on path
/// pieces, case-insensitive, with unknown pieces answering Maybe unless they are the same
/// unknown. The tenant root contains everything; a management group contains subscriptions
/// the code cannot place, so that answer is Maybe.
pub fn scope_contains(scope: &PStr, target: &PStr) -> Match {
    match level_of(scope) {
        Some(ScopeLevel::Tenant) => return Match::Yes,
        Some(ScopeLevel::ManagementGroup) => {
            let t = target.display().to_ascii_lowercase();
            if !t.contains("/managementgroups/") {
                return Match::Maybe;
            }
        }
        None => return Match::Maybe,
        _ => {}
    }
    let (s, t) = (pieces(scope), pieces(target));
    if s.len() > t.len() {
        return Match::No;
    }
    let mut result = Match::Yes;
    for (a, b) in s.iter().zip(&t) {
        match (a, b) {
            (Piece::Known(x), Piece::Known(y)) if x == y => {}
            (Piece::Known(_), Piece::Known(_)) => return Match::No,
            (Piece::Hole(Some(x)), Piece::Hole(Some(y))) if x == y => {}
            _ => result = Match::Maybe,
        }
    }
    result
}

/// A principal's access to something, through one assignment.
#[derive(Debug)]
pub struct Access<'g> {
    pub assignment: &'g ResolvedAssignment,
    /// Whether the assignment's scope surely covers the target (Yes) or might (Maybe).
    pub reach: Match,
}

impl<'m> IdentityGraph<'m> {
    /// Whether a role grants an operation; `None` when the role cannot be read.
    pub fn role_grants(&self, role: &RoleRes, operation: &str) -> Option<bool> {
        match role {
            RoleRes::Builtin(b) => Some(b.grants(operation)),
            RoleRes::Custom(i) => {
                let def = &self.model.role_definitions[*i];
                if def.permissions_unknown {
                    return None;
                }
                let mut granted = false;
                for block in &def.permissions {
                    let actions: Option<Vec<&str>> =
                        block.actions.iter().map(|a| a.as_known_str()).collect();
                    let nots: Option<Vec<&str>> =
                        block.not_actions.iter().map(|a| a.as_known_str()).collect();
                    let (actions, nots) = (actions?, nots?);
                    granted |= actions.iter().any(|a| action_matches(a, operation))
                        && !nots.iter().any(|n| action_matches(n, operation));
                }
                Some(granted)
            }
            RoleRes::Undeclared(_) | RoleRes::Unknown(_) => None,
        }
    }

    /// Assignments that reach a resource: every principal that holds a role whose scope
    /// contains it, surely or possibly.
    pub fn who_can_reach(&self, resource: ResourceIdx) -> Vec<Access<'_>> {
        let id = &self.resource(resource).id;
        self.assignments
            .iter()
            .filter_map(|a| {
                let reach = match a.scope.resource {
                    Some(r) if r == resource => Match::Yes,
                    _ => scope_contains(&a.scope.text, id),
                };
                (reach != Match::No).then_some(Access {
                    assignment: a,
                    reach,
                })
            })
            .collect()
    }

    /// Whether a principal holds an assignment of `role` at a scope containing `scope`.
    pub fn holds_at_least(&self, principal: &PrincipalRes, role: &RoleRes, scope: &PStr) -> bool {
        self.assignments.iter().any(|a| {
            &a.principal == principal
                && same_role(&a.role, role)
                && scope_contains(&a.scope.text, scope) == Match::Yes
        })
    }
}

/// Whether two resolved roles are the same role.
pub fn same_role(a: &RoleRes, b: &RoleRes) -> bool {
    match (a, b) {
        (RoleRes::Builtin(x), RoleRes::Builtin(y)) => x.id == y.id,
        (RoleRes::Custom(x), RoleRes::Custom(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn hole(sym: &str) -> PStr {
        PStr::hole("t", Some(Arc::from(sym)))
    }

    #[test]
    fn containment_with_known_and_unknown_pieces() {
        let sub = PStr::concat([PStr::lit("/subscriptions/"), hole("subscription")]);
        let rg = PStr::concat([
            sub.clone(),
            PStr::lit("/resourceGroups/"),
            hole("resourceGroup"),
        ]);
        let res = PStr::concat([
            rg.clone(),
            PStr::lit("/providers/Microsoft.Storage/storageAccounts/st1"),
        ]);
        assert_eq!(scope_contains(&sub, &res), Match::Yes);
        assert_eq!(scope_contains(&rg, &res), Match::Yes);
        assert_eq!(scope_contains(&res, &rg), Match::No);
        let other_rg = PStr::concat([sub.clone(), PStr::lit("/resourceGroups/other")]);
        assert_eq!(scope_contains(&other_rg, &res), Match::Maybe);
        let known_a = PStr::lit("/subscriptions/a/resourceGroups/x");
        let known_b = PStr::lit("/subscriptions/a/resourceGroups/y/providers/M.S/t/n");
        assert_eq!(scope_contains(&known_a, &known_b), Match::No);
        assert_eq!(scope_contains(&PStr::lit("/"), &known_b), Match::Yes);
        assert_eq!(
            scope_contains(
                &PStr::lit("/providers/Microsoft.Management/managementGroups/mg"),
                &known_b
            ),
            Match::Maybe
        );
    }
}
