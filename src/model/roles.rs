//! Role definitions: the embedded built-in table and action matching.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One permissions block of a role.
#[derive(Debug)]
pub struct Permission {
    pub actions: &'static [&'static str],
    pub not_actions: &'static [&'static str],
    pub data_actions: &'static [&'static str],
    pub not_data_actions: &'static [&'static str],
    /// ABAC condition restricting what the block allows (e.g. which roles may be assigned).
    pub condition: Option<&'static str>,
}

/// A built-in Azure role.
#[derive(Debug)]
pub struct BuiltinRole {
    pub name: &'static str,
    /// Lowercase GUID.
    pub id: &'static str,
    pub permissions: &'static [Permission],
}

pub use super::builtin_roles_data::BUILTIN_ROLES;

fn index() -> &'static HashMap<String, &'static BuiltinRole> {
    static INDEX: OnceLock<HashMap<String, &'static BuiltinRole>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::with_capacity(BUILTIN_ROLES.len() * 2);
        for role in BUILTIN_ROLES {
            map.insert(role.id.to_owned(), role);
            map.insert(role.name.to_ascii_lowercase(), role);
        }
        map
    })
}

/// A built-in role by GUID.
pub fn builtin_by_id(guid: &str) -> Option<&'static BuiltinRole> {
    index().get(&guid.trim().to_ascii_lowercase()).copied()
}

/// A built-in role by display name (case-insensitive) or GUID.
pub fn builtin_by_name_or_id(text: &str) -> Option<&'static BuiltinRole> {
    index().get(&text.trim().to_ascii_lowercase()).copied()
}

/// Whether an action pattern (with `*` wildcards that span `/`) grants an operation.
/// Both are compared case-insensitively; `/*/` also matches a single `/` so that
/// `…/userAssignedIdentities/*/assign/action` grants `…/userAssignedIdentities/assign/action`.
pub fn action_matches(pattern: &str, operation: &str) -> bool {
    let p = pattern.to_ascii_lowercase();
    let o = operation.to_ascii_lowercase();
    if glob_match(p.as_bytes(), o.as_bytes()) {
        return true;
    }
    p.contains("/*/") && glob_match(p.replace("/*/", "/").as_bytes(), o.as_bytes())
}

/// Whether `pattern` covers every operation that `other` covers (used to subtract
/// notActions): true when the two match each other or the pattern matches the other literally.
pub fn pattern_covers(pattern: &str, other: &str) -> bool {
    action_matches(pattern, other)
}

fn glob_match(p: &[u8], s: &[u8]) -> bool {
    // Iterative wildcard matching with backtracking to the last star.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// Effective control-plane permission check: some block's actions grant the operation and
/// none of that block's notActions remove it.
pub fn grants<'a>(
    blocks: impl IntoIterator<Item = (&'a [String], &'a [String])>,
    operation: &str,
) -> bool {
    blocks.into_iter().any(|(actions, not_actions)| {
        actions.iter().any(|a| action_matches(a, operation))
            && !not_actions.iter().any(|n| action_matches(n, operation))
    })
}

impl BuiltinRole {
    /// Control-plane check over the role's blocks, ignoring ABAC conditions.
    pub fn grants(&self, operation: &str) -> bool {
        self.permissions.iter().any(|p| {
            p.actions.iter().any(|a| action_matches(a, operation))
                && !p.not_actions.iter().any(|n| action_matches(n, operation))
        })
    }

    /// Whether a block that grants `operation` is constrained by a condition.
    pub fn grant_is_conditional(&self, operation: &str) -> bool {
        self.permissions.iter().any(|p| {
            p.condition.is_some()
                && p.actions.iter().any(|a| action_matches(a, operation))
                && !p.not_actions.iter().any(|n| action_matches(n, operation))
        })
    }
}

/// GUIDs of roles named in documentation and messages.
pub mod well_known {
    pub const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    pub const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    pub const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    pub const USER_ACCESS_ADMINISTRATOR: &str = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    pub const RBAC_ADMINISTRATOR: &str = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
    pub const MANAGED_IDENTITY_OPERATOR: &str = "f1a07417-d97a-45cb-824c-7a7467783830";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_resolves_names_and_guids() {
        assert_eq!(BUILTIN_ROLES.len(), 928);
        let owner = builtin_by_name_or_id("owner").unwrap();
        assert_eq!(owner.id, well_known::OWNER);
        assert_eq!(
            builtin_by_id("B24988AC-6180-42A0-AB88-20F7382DD24C")
                .unwrap()
                .name,
            "Contributor"
        );
        assert!(builtin_by_id("00000000-0000-0000-0000-000000000000").is_none());
    }

    #[test]
    fn wildcards_span_slashes_and_not_actions_subtract() {
        assert!(action_matches(
            "*",
            "Microsoft.Authorization/roleAssignments/write"
        ));
        assert!(action_matches(
            "Microsoft.Authorization/*",
            "microsoft.authorization/roleassignments/write"
        ));
        assert!(action_matches(
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
            "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"
        ));
        assert!(!action_matches(
            "Microsoft.Compute/*/read",
            "Microsoft.Compute/vm/write"
        ));
        let contributor = builtin_by_name_or_id("Contributor").unwrap();
        assert!(contributor.grants("Microsoft.Compute/virtualMachines/write"));
        assert!(!contributor.grants("Microsoft.Authorization/roleAssignments/write"));
        let uaa = builtin_by_name_or_id("User Access Administrator").unwrap();
        assert!(uaa.grants("Microsoft.Authorization/roleAssignments/write"));
        let kv_admin = builtin_by_name_or_id("Key Vault Data Access Administrator").unwrap();
        assert!(kv_admin.grant_is_conditional("Microsoft.Authorization/roleAssignments/write"));
    }
}
