//! Per-rule options from the configuration (`.idlint.yaml`, see `crate::settings`).
//!
//! Each option names the rules it affects in [`OPTIONS`]; a test checks that each one really
//! changes what its rule reports (`tests/config.rs`).

use regex::Regex;

/// Options a rule may read through [`super::RuleContext::options`]. Empty means default
/// behaviour.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    /// `broad-role-scope`: more built-in or custom roles (names, case-insensitive, or role
    /// definition GUIDs) treated as privileged, like Owner and Contributor.
    pub extra_privileged_roles: Vec<String>,
    /// `broad-role-scope`: principals allowed to hold broad roles (identity names or symbols,
    /// or literal principal object ids).
    pub allowed_principals: Vec<String>,
    /// `orphaned-identity`: name globs of user-assigned identities that may stay unattached.
    pub orphan_exempt: Option<globset::GlobSet>,
    /// `hardcoded-secret`: regexes; a literal matching any of them is not a secret.
    pub secret_allow: Vec<Regex>,
}

/// The defaults, for callers without a configuration.
pub static DEFAULT_OPTIONS: RuleOptions = RuleOptions {
    extra_privileged_roles: Vec::new(),
    allowed_principals: Vec::new(),
    orphan_exempt: None,
    secret_allow: Vec::new(),
};

/// Every option key of the configuration with the rules it applies to.
pub const OPTIONS: &[(&str, &[&str])] = &[
    ("extra-privileged-roles", &["broad-role-scope"]),
    ("allowed-principals", &["broad-role-scope"]),
    ("exempt", &["orphaned-identity"]),
    ("allow", &["hardcoded-secret"]),
];

impl RuleOptions {
    pub fn is_extra_privileged(&self, name: &str, id: &str) -> bool {
        self.extra_privileged_roles
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name) || r.eq_ignore_ascii_case(id))
    }

    /// Whether one of the names a principal is known by is allowed.
    pub fn is_allowed_principal<'a>(&self, mut names: impl Iterator<Item = &'a str>) -> bool {
        !self.allowed_principals.is_empty()
            && names.any(|n| {
                self.allowed_principals
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(n))
            })
    }

    pub fn is_orphan_exempt(&self, name: &str) -> bool {
        self.orphan_exempt
            .as_ref()
            .is_some_and(|g| g.is_match(name))
    }

    pub fn is_allowed_secret(&self, value: &str) -> bool {
        self.secret_allow.iter().any(|r| r.is_match(value))
    }
}
