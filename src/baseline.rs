//! Baselines: `--write-baseline FILE` records the current findings, `--baseline FILE` reports
//! only findings that are not in it.
//!
//! An entry is keyed on what the finding is about — rule, file and subject (the resource,
//! property, parameter or command a rule names; the message when a rule gives no subject) —
//! never on line numbers, so inserting lines above a finding does not re-open it. Keys are a
//! multiset: two identical findings need two entries. Entries that match nothing are stale
//! (fixed, or moved to another file) and listed in the summary on standard error.

use crate::diagnostic::Diagnostic;
use crate::source::SourceDb;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    /// What the finding is about (empty: the message stands in).
    #[serde(default)]
    pub subject: String,
    /// For people reading the file; not used to match.
    #[serde(default)]
    pub message: String,
}

impl Entry {
    fn key(&self) -> (&str, &str, &str) {
        let about = if self.subject.is_empty() {
            &self.message
        } else {
            &self.subject
        };
        (&self.rule, &self.path, about)
    }

    pub fn of(d: &Diagnostic, db: &SourceDb) -> Entry {
        Entry {
            rule: d.rule.to_owned(),
            path: db.get(d.span.file).display.clone(),
            subject: d.subject.clone(),
            message: d.message.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

pub fn write(path: &Path, diagnostics: &[Diagnostic], db: &SourceDb) -> std::io::Result<usize> {
    let mut findings: Vec<Entry> = diagnostics.iter().map(|d| Entry::of(d, db)).collect();
    findings.sort_by(|a, b| a.key().cmp(&b.key()).then(a.message.cmp(&b.message)));
    let doc = Baseline {
        version: 1,
        findings,
    };
    let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)? + "\n";
    std::fs::write(path, text)?;
    Ok(doc.findings.len())
}

pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not an idlint baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if b.version != 1 {
        return Err(format!(
            "{}: baseline version {} is not supported (expected 1)",
            path.display(),
            b.version
        ));
    }
    Ok(b)
}

/// What filtering against a baseline did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings hidden because the baseline has them.
    pub known: usize,
    /// Baseline entries that matched no finding.
    pub stale: Vec<Entry>,
}

/// Drop the findings the baseline has; return the count and the stale entries.
pub fn filter(baseline: &Baseline, diagnostics: &mut Vec<Diagnostic>, db: &SourceDb) -> Outcome {
    let mut remaining: HashMap<(String, String, String), usize> = HashMap::new();
    let owned = |k: (&str, &str, &str)| (k.0.to_owned(), k.1.to_owned(), k.2.to_owned());
    for e in &baseline.findings {
        *remaining.entry(owned(e.key())).or_insert(0) += 1;
    }
    let mut known = 0;
    diagnostics.retain(|d| {
        let e = Entry::of(d, db);
        match remaining.get_mut(&owned(e.key())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                known += 1;
                false
            }
            _ => true,
        }
    });
    let mut stale = Vec::new();
    for e in &baseline.findings {
        if let Some(n) = remaining.get_mut(&owned(e.key()))
            && *n > 0
        {
            *n -= 1;
            stale.push(e.clone());
        }
    }
    Outcome { known, stale }
}
