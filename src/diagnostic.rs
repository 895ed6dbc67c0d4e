//! Findings as plain data. Only `report/` turns them into text.

use crate::source::{SourceDb, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. Ordered from least to most severe.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location: the identity's declaration, the scope, the role…
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's public name (`broad-role-scope`).
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// What the finding is about, independent of line numbers (resource, property, flag):
    /// the basis of fingerprints and baselines.
    pub subject: String,
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            subject: String::new(),
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    /// Add a secondary location (builder form for diagnostics already reported).
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn subject(&mut self, subject: impl Into<String>) -> &mut Self {
        self.subject = subject.into();
        self
    }

    /// A stable fingerprint: rule, file and subject, not the line.
    pub fn fingerprint(&self, db: &SourceDb) -> String {
        let path = &db.get(self.span.file).display;
        let subject = if self.subject.is_empty() {
            // Without a subject the message is the next most stable description.
            &self.message
        } else {
            &self.subject
        };
        format!("{:016x}", fnv1a(&[self.rule, path, subject]))
    }
}

/// FNV-1a over the parts with a separator: stable across runs, platforms and versions.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0u8)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    hash
}

/// Sort into the one total order every output uses: path, position, rule, message.
pub fn sort(diagnostics: &mut [Diagnostic], db: &SourceDb) {
    diagnostics.sort_by(|a, b| {
        let pa = &db.get(a.span.file).display;
        let pb = &db.get(b.span.file).display;
        pa.cmp(pb)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.span.end.cmp(&b.span.end))
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
}
