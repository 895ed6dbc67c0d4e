//! Syntax → model. The only code that knows both a syntax and the model.

pub mod arm;
pub mod bicep;
pub mod common;
pub mod eval;
pub mod script;
pub mod terraform;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::source::Span;

/// What lowering one deployment unit produced.
#[derive(Debug, Default)]
pub struct Lowered {
    pub model: Model,
    /// Parse errors and other problems with the input itself.
    pub diagnostics: Vec<Diagnostic>,
}

impl Lowered {
    /// The parts one after the other (see [`Model::concat`]).
    pub fn concat(parts: Vec<Lowered>) -> Lowered {
        let mut models = Vec::with_capacity(parts.len());
        let mut diagnostics = Vec::new();
        for part in parts {
            models.push(part.model);
            diagnostics.extend(part.diagnostics);
        }
        Lowered {
            model: Model::concat(models),
            diagnostics,
        }
    }

    pub fn merge(&mut self, other: Lowered) {
        self.model.merge(other.model);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// The rule name of diagnostics about input that could not be read.
pub const PARSE_ERROR: &str = "parse-error";

pub fn parse_error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(PARSE_ERROR, Severity::High, span, message)
}
