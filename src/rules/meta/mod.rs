//! Diagnostics about the input and about idlint's own directives.
pub mod parse_error;
