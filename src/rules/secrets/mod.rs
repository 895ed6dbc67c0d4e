//! Credentials in code, parameters and outputs.
pub mod hardcoded_secret;
pub mod insecure_secret_parameter;
pub mod literal_admin_username;
pub mod secret_in_output;
pub mod secure_parameter_default;
pub mod service_principal_secret;
