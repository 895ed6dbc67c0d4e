//! Managed identities and how they are used.
pub mod deprecated_msi_extension;
pub mod disabled_identity_assignment;
pub mod federated_credential_broad_subject;
pub mod missing_managed_identity;
pub mod orphaned_identity;
pub mod shared_identity_blast_radius;
pub mod token_exposure;
pub mod unknown_principal;
