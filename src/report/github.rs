//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! shown as annotations on the pull request's changed lines.
//!
//! `::error file=infra/main.tf,line=12,col=3,endLine=18,endColumn=4,title=IDL101 broad-role-scope::message`
//! Critical and high findings are errors, medium warnings, low and info notices. Values are
//! escaped as the runner expects (`%`, CR, LF everywhere; `:` and `,` in properties too).

use super::{Emitter, ReportContext, position};
use crate::diagnostic::Severity;
use crate::rules::registry;
use std::io::{self, Write};

pub struct Github;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Emitter for Github {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        for d in &a.diagnostics {
            let command = match d.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "notice",
            };
            let (line, column, end_line, end_column) = position(a, d.span);
            let code = registry::find(d.rule).map(|r| r.meta().code).unwrap_or("");
            writeln!(
                out,
                "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
                escape_property(&a.db.get(d.span.file).display),
                escape_property(&format!("{code} {}", d.rule)),
                escape_data(&format!("[{}] {}", d.severity, d.message)),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(super::escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
