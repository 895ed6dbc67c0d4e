//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! One run; `tool.driver.rules` lists every registered rule once (id = rule name, short
//! description = the first sentence of its docs, full description = "What it does", help =
//! the whole documentation page, `helpUri` = its first reference, default level and a
//! `security-severity` GitHub uses to rank results). Results carry 1-based regions with
//! columns in Unicode code points, paths relative to `%SRCROOT%` (the working directory),
//! related locations (identity, assignment, scope…), a masked one-line snippet and
//! `partialFingerprints` built from the rule, the file and what the finding is about — never
//! line numbers — so GitHub keeps tracking an alert when lines move. At most
//! [`MAX_RESULTS`] results are written (GitHub's limit per run), most severe first; a
//! notification says how many were left out.

use super::{Emitter, ReportContext, position};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::registry::RULES;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

pub struct Sarif;

/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity`: critical > 9, high 7–8.9, medium 4–6.9, low < 4.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// A relative path as a URI reference: `/` separators, everything but unreserved characters
/// percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/+".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri(path)) })
    } else {
        json!({ "uri": uri(path), "uriBaseId": "%SRCROOT%" })
    }
}

fn first_reference(docs: &str) -> Option<&str> {
    let refs = docs.split("## References").nth(1)?;
    refs.lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .find(|l| l.starts_with("https://"))
        .map(str::trim)
}

fn rule_descriptor(rule: &dyn crate::rules::Rule) -> Value {
    let m = rule.meta();
    let docs = crate::unindent_docs(m.docs);
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let full = m.section("What it does").map(words);
    let mut d = json!({
        "id": m.name,
        "name": m.name,
        "shortDescription": { "text": format!("{}.", words(m.summary())) },
        "fullDescription": { "text": full.unwrap_or_else(|| words(m.summary())) },
        "help": { "text": docs, "markdown": docs },
        "defaultConfiguration": { "level": level(m.severity), "enabled": m.default_enabled },
        "properties": {
            "tags": ["security", m.code],
            "security-severity": security_severity(m.severity),
            "precision": "high",
        },
    });
    if let Some(uri) = first_reference(m.docs) {
        d["helpUri"] = json!(uri);
    }
    d
}

impl Emitter for Sarif {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        let index: HashMap<&str, usize> = RULES
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta().name, i))
            .collect();
        // Over the limit: keep the most severe, in the usual order otherwise.
        let mut kept: Vec<&Diagnostic> = a.diagnostics.iter().collect();
        let dropped = kept.len().saturating_sub(MAX_RESULTS);
        if dropped > 0 {
            kept.sort_by_key(|d| std::cmp::Reverse(d.severity));
            kept.truncate(MAX_RESULTS);
            let keep: std::collections::HashSet<*const Diagnostic> =
                kept.iter().map(|d| *d as *const _).collect();
            kept = a
                .diagnostics
                .iter()
                .filter(|d| keep.contains(&(*d as *const _)))
                .collect();
        }
        let mut seen_fingerprints: HashMap<String, usize> = HashMap::new();
        let location = |span: crate::source::Span| {
            let (line, column, end_line, end_column) = position(a, span);
            json!({
                "artifactLocation": artifact(&a.db.get(span.file).display),
                "region": {
                    "startLine": line, "startColumn": column,
                    "endLine": end_line, "endColumn": end_column,
                },
            })
        };
        let mut results = Vec::with_capacity(kept.len());
        for d in kept {
            let mut loc = json!({ "physicalLocation": location(d.span) });
            let text = a.masked_text(d.span.file);
            let start = (d.span.start as usize).min(text.len());
            let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let line_end = text[start..]
                .find('\n')
                .map(|i| start + i)
                .unwrap_or(text.len());
            let snippet = text[line_start..line_end].trim_end_matches('\r');
            if !snippet.trim().is_empty() {
                loc["physicalLocation"]["region"]["snippet"] = json!({ "text": snippet });
            }
            let base = d.fingerprint(&a.db);
            let n = seen_fingerprints.entry(base.clone()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 { base } else { format!("{base}:{n}") };
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [loc],
                "partialFingerprints": { "idlint/v1": fingerprint },
                "properties": { "severity": d.severity.as_str() },
            });
            if let Some(i) = index.get(d.rule) {
                result["ruleIndex"] = json!(i);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            json!({
                                "id": i + 1,
                                "physicalLocation": location(l.span),
                                "message": { "text": l.message },
                            })
                        })
                        .collect(),
                );
            }
            results.push(result);
        }
        let mut invocation = json!({ "executionSuccessful": true });
        if dropped > 0 {
            invocation["toolExecutionNotifications"] = json!([{
                "level": "warning",
                "message": { "text": format!(
                    "{dropped} findings were left out: SARIF consumers such as GitHub accept at most {MAX_RESULTS} results per run"
                ) },
            }]);
        }
        let doc = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "idlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": RULES.iter().map(|r| rule_descriptor(*r)).collect::<Vec<_>>(),
                }},
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": results,
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
