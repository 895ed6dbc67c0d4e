//! Managed identities and how they are used.
pub mod disabled_identity_assignment;
pub mod orphaned_identity;
pub mod shared_identity_blast_radius;
pub mod token_exposure;
pub mod unknown_principal;
