//! `--statistics`: how many findings each rule reported, most frequent first, instead of the
//! findings themselves.

use super::{Emitter, ReportContext};
use crate::diagnostic::Severity;
use crate::rules::registry;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub struct Statistics;

impl Emitter for Statistics {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut counts: BTreeMap<&str, (usize, BTreeMap<Severity, usize>)> = BTreeMap::new();
        for d in &cx.analysis.diagnostics {
            let e = counts.entry(d.rule).or_default();
            e.0 += 1;
            *e.1.entry(d.severity).or_insert(0) += 1;
        }
        let mut rows: Vec<_> = counts.into_iter().collect();
        rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for (rule, (count, by_severity)) in &rows {
            let code = registry::find(rule).map(|r| r.meta().code).unwrap_or("");
            let sev = by_severity
                .iter()
                .rev()
                .map(|(s, n)| format!("{n} {s}"))
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(out, "{count:>6}  {code:<7} {rule:<28} {sev}")?;
        }
        let total: usize = rows.iter().map(|r| r.1.0).sum();
        writeln!(out, "{total:>6}  total")
    }
}
