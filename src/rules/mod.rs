//! Rules: one file each, reading only the model and the graph.
//!
//! A rule is declared with [`declare_rule!`]: its doc comment is its documentation page (shown
//! by `idlint rule NAME`, in SARIF and in reports), its metadata states its public name, code,
//! default severity and the formats it covers. Registration is one line in [`registry`].

pub mod helpers;
pub mod identity;
pub mod keyvault;
pub mod meta;
pub mod options;
pub mod rbac;
pub mod registry;
pub mod secrets;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::IdentityGraph;
use crate::source::{FormatFamily, Span};

/// What a rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// Public, stable kebab-case name (config, suppressions, JSON).
    pub name: &'static str,
    /// Stable code (`IDL101`).
    pub code: &'static str,
    pub severity: Severity,
    /// Formats the rule has examples for and is tested on.
    pub formats: &'static [FormatFamily],
    /// The documentation page (Markdown).
    pub docs: &'static str,
    /// On unless the configuration turns it off.
    pub default_enabled: bool,
}

impl RuleMeta {
    /// The first sentence of "What it does", for tables and SARIF short descriptions.
    pub fn summary(&self) -> &'static str {
        let after = self
            .docs
            .split("## What it does")
            .nth(1)
            .unwrap_or(self.docs)
            .trim_start();
        let para = after.split("\n\n").next().unwrap_or("").trim();
        para.split_once(". ")
            .map(|(s, _)| s)
            .unwrap_or(para.trim_end_matches('.'))
    }

    /// A documentation section's text (`"How to fix"`).
    pub fn section(&self, heading: &str) -> Option<&'static str> {
        let marker = format!("## {heading}");
        let start = self.docs.find(&marker)? + marker.len();
        let rest = &self.docs[start..];
        // Doc comments keep the space after `///`: headings may start with " ## ".
        let end = ["\n## ", "\n ## "]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()
            .unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

/// A check over the graph.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut RuleContext<'_, '_>);
}

/// What a rule sees and where it reports.
pub struct RuleContext<'g, 'm> {
    pub graph: &'g IdentityGraph<'m>,
    meta: &'static RuleMeta,
    /// Options from the configuration (defaults when there is none).
    pub options: &'g options::RuleOptions,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'g, 'm> RuleContext<'g, 'm> {
    pub fn new(graph: &'g IdentityGraph<'m>, meta: &'static RuleMeta) -> Self {
        RuleContext {
            graph,
            meta,
            options: &options::DEFAULT_OPTIONS,
            diagnostics: Vec::new(),
        }
    }

    /// The same context reading the configured options.
    pub fn with_options(mut self, options: &'g options::RuleOptions) -> Self {
        self.options = options;
        self
    }

    /// Report at the rule's default severity; returns the diagnostic to add labels to.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.report_with(self.meta.severity, span, message)
    }

    pub fn report_with(
        &mut self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(self.meta.name, severity, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// Declare a rule type and its metadata; the doc comment is the documentation page.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            name: $name:literal,
            code: $code:literal,
            severity: $severity:ident,
            formats: [$($format:ident),* $(,)?],
            default_enabled: $enabled:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                name: $name,
                code: $code,
                severity: $crate::diagnostic::Severity::$severity,
                formats: &[$($crate::source::FormatFamily::$format),*],
                docs: concat!($($doc, "\n"),*),
                default_enabled: $enabled,
            };
        }
    };
}
