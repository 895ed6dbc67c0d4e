pub mod keyvault_access_policy_mode;
pub mod keyvault_broad_access_policy;
pub mod local_auth_enabled;
