//! Role assignments and role definitions.
pub mod broad_role_scope;
pub mod custom_role_wildcard;
pub mod privilege_escalation;
