//! Managed identities and how they are used.
pub mod disabled_identity_assignment;
pub mod orphaned_identity;
pub mod shared_identity_blast_radius;
pub mod unknown_principal;
pub mod token_exposure;
