//! RBAC scopes: `/` ⊃ management group ⊃ subscription ⊃ resource group ⊃ resource.

use super::value::{PStr, Seg};

/// How wide a scope is. Ordered from narrowest to widest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeLevel {
    Resource,
    ResourceGroup,
    Subscription,
    ManagementGroup,
    Tenant,
}

impl ScopeLevel {
    pub fn describe(self) -> &'static str {
        match self {
            ScopeLevel::Resource => "resource",
            ScopeLevel::ResourceGroup => "resource group",
            ScopeLevel::Subscription => "subscription",
            ScopeLevel::ManagementGroup => "management group",
            ScopeLevel::Tenant => "tenant root",
        }
    }

    /// At or above subscription level.
    pub fn is_broad(self) -> bool {
        self >= ScopeLevel::Subscription
    }
}

/// One `/`-separated piece of a scope string.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Known(String),
    Unknown,
}

fn pieces(p: &PStr) -> Vec<Piece> {
    let mut out: Vec<Piece> = vec![Piece::Known(String::new())];
    for seg in &p.0 {
        match seg {
            Seg::Lit(text) => {
                let mut parts = text.split('/');
                if let Some(first) = parts.next() {
                    match out.last_mut() {
                        Some(Piece::Known(cur)) => cur.push_str(first),
                        Some(Piece::Unknown) if first.is_empty() => {}
                        _ => {
                            out.pop();
                            out.push(Piece::Unknown);
                        }
                    }
                }
                for part in parts {
                    out.push(Piece::Known(part.to_owned()));
                }
            }
            Seg::Hole { .. } => {
                // A hole inside a piece makes the piece unknown, never its neighbours.
                out.pop();
                out.push(Piece::Unknown);
            }
        }
    }
    out
}

fn is(piece: Option<&Piece>, word: &str) -> bool {
    matches!(piece, Some(Piece::Known(s)) if s.eq_ignore_ascii_case(word))
}

/// The level of a scope string (`/`, `/subscriptions/{id}`, a resource id…), when its shape
/// tells it even if the ids are unknown. `None` when the shape itself is unknown.
pub fn level_of(scope: &PStr) -> Option<ScopeLevel> {
    if scope.known().is_some_and(|s| s.trim().is_empty()) {
        return None;
    }
    let mut ps = pieces(scope);
    // A trailing slash does not change the scope.
    while ps.len() > 1 && matches!(ps.last(), Some(Piece::Known(s)) if s.is_empty()) {
        ps.pop();
    }
    match ps.first() {
        Some(Piece::Known(s)) if s.is_empty() => {}
        // `Microsoft.Storage/storageAccounts/name`: the ARM relative form of a resource.
        Some(Piece::Known(s)) if s.contains('.') && ps.len() >= 3 => {
            return Some(ScopeLevel::Resource);
        }
        _ => return None,
    }
    if ps.len() == 1 {
        return Some(ScopeLevel::Tenant);
    }
    if is(ps.get(1), "subscriptions") {
        return match ps.len() {
            2 => None,
            3 => Some(ScopeLevel::Subscription),
            _ if is(ps.get(3), "resourcegroups") => match ps.len() {
                4 => None,
                5 => Some(ScopeLevel::ResourceGroup),
                _ => Some(ScopeLevel::Resource),
            },
            _ => Some(ScopeLevel::Resource),
        };
    }
    if is(ps.get(1), "providers")
        && is(ps.get(2), "microsoft.management")
        && is(ps.get(3), "managementgroups")
    {
        return match ps.len() {
            5 => Some(ScopeLevel::ManagementGroup),
            n if n > 5 => Some(ScopeLevel::Resource),
            _ => None,
        };
    }
    if is(ps.get(1), "providers") {
        // A tenant-level resource such as a role definition.
        return Some(ScopeLevel::Resource);
    }
    None
}

/// The trailing segment after `marker/` in an id (e.g. the GUID after `/roleDefinitions/`).
pub fn last_after(id: &str, marker: &str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let pos = lower.rfind(&marker.to_ascii_lowercase())?;
    let rest = &id[pos + marker.len()..];
    let rest = rest.trim_matches('/');
    (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned())
}

/// The provider part of a resource id: `(namespace/type[/child…], name[/child…])`, lowercased
/// types, with known or unknown names. `None` if the id does not have that shape.
pub fn provider_part(id: &PStr) -> Option<(String, Vec<PStr>)> {
    // Work on the pieces after the last `providers` keyword.
    let mut segs: Vec<PStr> = vec![PStr::default()];
    for seg in &id.0 {
        match seg {
            Seg::Lit(text) => {
                let mut parts = text.split('/');
                if let Some(first) = parts.next() {
                    segs.last_mut().unwrap().push_str(first);
                }
                for part in parts {
                    segs.push(PStr::lit(part));
                }
            }
            hole => segs.last_mut().unwrap().0.push(hole.clone()),
        }
    }
    let start = segs.iter().rposition(|s| {
        s.known()
            .is_some_and(|k| k.eq_ignore_ascii_case("providers"))
    })?;
    let rest = &segs[start + 1..];
    if rest.len() < 3 {
        return None;
    }
    let namespace = rest[0].known()?.to_ascii_lowercase();
    let mut types = vec![namespace];
    let mut names = Vec::new();
    for pair in rest[1..].chunks(2) {
        let [ty, name] = pair else { return None };
        types.push(ty.known()?.to_ascii_lowercase());
        names.push(name.clone());
    }
    Some((types.join("/"), names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn hole() -> PStr {
        PStr::hole("test", Some(Arc::from("x")))
    }

    #[test]
    fn levels_from_known_strings() {
        let cases = [
            ("/", Some(ScopeLevel::Tenant)),
            ("/subscriptions/abc", Some(ScopeLevel::Subscription)),
            ("/subscriptions/abc/", Some(ScopeLevel::Subscription)),
            (
                "/subscriptions/abc/resourceGroups/rg",
                Some(ScopeLevel::ResourceGroup),
            ),
            (
                "/subscriptions/a/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/s",
                Some(ScopeLevel::Resource),
            ),
            (
                "/providers/Microsoft.Management/managementGroups/mg1",
                Some(ScopeLevel::ManagementGroup),
            ),
            (
                "Microsoft.Storage/storageAccounts/s",
                Some(ScopeLevel::Resource),
            ),
            ("rg-name", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(level_of(&PStr::lit(text)), want, "{text}");
        }
    }

    #[test]
    fn levels_survive_unknown_ids() {
        let sub = PStr::concat([PStr::lit("/subscriptions/"), hole()]);
        assert_eq!(level_of(&sub), Some(ScopeLevel::Subscription));
        let rg = PStr::concat([sub.clone(), PStr::lit("/resourceGroups/"), hole()]);
        assert_eq!(level_of(&rg), Some(ScopeLevel::ResourceGroup));
        assert_eq!(level_of(&hole()), None);
        let prefixed = PStr::concat([hole(), PStr::lit("/providers/Microsoft.X/y/z")]);
        assert_eq!(level_of(&prefixed), None);
    }

    #[test]
    fn provider_part_of_ids() {
        let id = PStr::concat([
            PStr::lit("/subscriptions/"),
            hole(),
            PStr::lit(
                "/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/",
            ),
            hole(),
        ]);
        let (ty, names) = provider_part(&id).unwrap();
        assert_eq!(ty, "microsoft.managedidentity/userassignedidentities");
        assert_eq!(names, vec![hole()]);
        assert_eq!(
            last_after(
                "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/abc",
                "/roleDefinitions/"
            ),
            Some("abc".into())
        );
    }
}
