//! Managed identities and how they are used.
pub mod orphaned_identity;
