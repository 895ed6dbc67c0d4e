//! The one list of rules. Adding a rule is one line here.

use super::Rule;
use super::{identity, keyvault, meta, rbac, secrets};

pub static RULES: &[&dyn Rule] = &[
    &rbac::broad_role_scope::BroadRoleScope,
    &rbac::custom_role_wildcard::CustomRoleWildcard,
    &rbac::privilege_escalation::PrivilegeEscalation,
    &identity::orphaned_identity::OrphanedIdentity,
    &identity::disabled_identity_assignment::DisabledIdentityAssignment,
    &identity::unknown_principal::UnknownPrincipal,
    &identity::shared_identity_blast_radius::SharedIdentityBlastRadius,
    &identity::token_exposure::TokenExposure,
    &identity::federated_credential_broad_subject::FederatedCredentialBroadSubject,
    &identity::deprecated_msi_extension::DeprecatedMsiExtension,
    &identity::missing_managed_identity::MissingManagedIdentity,
    &keyvault::keyvault_broad_access_policy::KeyVaultBroadAccessPolicy,
    &keyvault::keyvault_access_policy_mode::KeyVaultAccessPolicyMode,
    &keyvault::local_auth_enabled::LocalAuthEnabled,
    &secrets::hardcoded_secret::HardcodedSecret,
    &secrets::secure_parameter_default::SecureParameterDefault,
    &secrets::insecure_secret_parameter::InsecureSecretParameter,
    &secrets::secret_in_output::SecretInOutput,
    &secrets::literal_admin_username::LiteralAdminUsername,
    &secrets::service_principal_secret::ServicePrincipalSecret,
    &meta::parse_error::ParseError,
    &meta::unused_suppression::UnusedSuppression,
    &meta::invalid_suppression::InvalidSuppression,
];

/// Names that once meant a rule, and the rule they mean now.
pub static REDIRECTS: &[(&str, &str)] = &[];

/// A rule by name or code (case-insensitive), following redirects.
pub fn find(name_or_code: &str) -> Option<&'static dyn Rule> {
    let wanted = REDIRECTS
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(name_or_code))
        .map(|(_, new)| *new)
        .unwrap_or(name_or_code);
    RULES.iter().copied().find(|r| {
        r.meta().name.eq_ignore_ascii_case(wanted) || r.meta().code.eq_ignore_ascii_case(wanted)
    })
}
