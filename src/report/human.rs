//! Terminal output: codespan-reporting diagnostics with labels in other files, over source
//! text whose secrets are masked.

use super::{Emitter, ReportContext};
use crate::diagnostic::Severity;
use crate::rules::registry;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, LabelStyle};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct Human;

fn cs_severity(s: Severity) -> codespan_reporting::diagnostic::Severity {
    use codespan_reporting::diagnostic::Severity as C;
    match s {
        Severity::Critical | Severity::High => C::Error,
        Severity::Medium => C::Warning,
        Severity::Low => C::Note,
        Severity::Info => C::Help,
    }
}

/// A span that covers a whole block (a resource) is shown by its first line only.
fn first_line(a: &crate::engine::Analysis, span: crate::source::Span) -> std::ops::Range<usize> {
    let text = &a.db.get(span.file).text;
    let range = span.range();
    match text.get(range.clone()).and_then(|s| s.find('\n')) {
        Some(nl) => range.start..range.start + nl.max(1),
        None => range,
    }
}

impl Emitter for Human {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        // Only files that findings point into are loaded, each once, masked.
        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for d in &a.diagnostics {
            for file in std::iter::once(d.span.file).chain(d.labels.iter().map(|l| l.span.file)) {
                ids.entry(file).or_insert_with(|| {
                    files.add(a.db.get(file).display.clone(), a.masked_text(file))
                });
            }
        }
        let config = Config::default();
        let mut buffer = Vec::new();
        for d in &a.diagnostics {
            let code = registry::find(d.rule).map(|r| r.meta().code).unwrap_or("");
            let mut labels = vec![Label::new(
                LabelStyle::Primary,
                ids[&d.span.file],
                first_line(a, d.span),
            )];
            for l in &d.labels {
                labels.push(
                    Label::new(
                        LabelStyle::Secondary,
                        ids[&l.span.file],
                        first_line(a, l.span),
                    )
                    .with_message(&l.message),
                );
            }
            let diagnostic = CsDiagnostic::new(cs_severity(d.severity))
                .with_message(format!("[{}] {}", d.severity, d.message))
                .with_code(format!("{code} {}", d.rule))
                .with_labels(labels);
            if cx.color {
                let mut writer = codespan_reporting::term::termcolor::Ansi::new(&mut buffer);
                term::emit_to_write_style(&mut writer, &config, &files, &diagnostic)
                    .map_err(io::Error::other)?;
            } else {
                term::emit_to_io_write(&mut buffer, &config, &files, &diagnostic)
                    .map_err(io::Error::other)?;
            }
        }
        out.write_all(&buffer)?;
        let mut by_severity: BTreeMap<Severity, usize> = BTreeMap::new();
        for d in &a.diagnostics {
            *by_severity.entry(d.severity).or_default() += 1;
        }
        let counts: Vec<String> = by_severity
            .iter()
            .rev()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        writeln!(
            out,
            "{} finding{} in {} file{}{}",
            a.diagnostics.len(),
            if a.diagnostics.len() == 1 { "" } else { "s" },
            a.file_count(),
            if a.file_count() == 1 { "" } else { "s" },
            if counts.is_empty() {
                String::new()
            } else {
                format!(" ({})", counts.join(", "))
            }
        )
    }
}
