//! Parsers: one module per input syntax. Failures become diagnostics, never panics.
pub mod script;
