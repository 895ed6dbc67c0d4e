//! The JSON output: a public contract (documented in README.md, snapshot-tested).

use super::{Emitter, ReportContext, position};
use crate::diagnostic::Severity;
use crate::rules::registry;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct Json;

#[derive(Serialize)]
struct Related<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    code: &'a str,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    related: Vec<Related<'a>>,
    fingerprint: String,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    parse_errors: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_rule: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

impl Emitter for Json {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        let mut by_severity = BTreeMap::new();
        let mut by_rule = BTreeMap::new();
        let findings: Vec<Finding<'_>> = a
            .diagnostics
            .iter()
            .map(|d| {
                *by_severity.entry(d.severity.as_str()).or_insert(0) += 1;
                *by_rule.entry(d.rule).or_insert(0) += 1;
                let (line, column, end_line, end_column) = position(a, d.span);
                Finding {
                    rule: d.rule,
                    code: registry::find(d.rule).map(|r| r.meta().code).unwrap_or(""),
                    severity: d.severity,
                    message: &d.message,
                    path: &a.db.get(d.span.file).display,
                    line,
                    column,
                    end_line,
                    end_column,
                    related: d
                        .labels
                        .iter()
                        .map(|l| {
                            let (line, column, _, _) = position(a, l.span);
                            Related {
                                path: &a.db.get(l.span.file).display,
                                line,
                                column,
                                message: &l.message,
                            }
                        })
                        .collect(),
                    fingerprint: d.fingerprint(&a.db),
                }
            })
            .collect();
        let doc = Document {
            version: 1,
            summary: Summary {
                files: a.file_count(),
                findings: findings.len(),
                parse_errors: by_rule.get(crate::lower::PARSE_ERROR).copied().unwrap_or(0),
                by_severity,
                by_rule,
            },
            findings,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
