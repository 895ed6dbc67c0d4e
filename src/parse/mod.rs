//! Parsers: one module per input syntax. Failures become diagnostics, never panics.
pub mod bicep;
pub mod json;
pub mod script;
