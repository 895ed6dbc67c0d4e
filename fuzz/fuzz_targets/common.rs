//! Shared by the lowering targets: one file in a `SourceDb`, lowered, then the graph built and
//! every rule run on it, so that whatever a front end produces is also fed to the rest.
#![allow(dead_code)]

use idlint::graph::IdentityGraph;
use idlint::lower::Lowered;
use idlint::rules::RuleContext;
use idlint::rules::registry::RULES;
use idlint::source::{FileId, Format, SourceDb, SourceFile};
use std::path::PathBuf;

pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

pub fn lower_one(
    text: &str,
    name: &str,
    format: Format,
    front_end: fn(&SourceDb, &[FileId]) -> Lowered,
) {
    let mut db = SourceDb::default();
    let id = db.add(SourceFile::new(
        PathBuf::from(format!("/fuzz/{name}")),
        name.to_owned(),
        text.to_owned(),
        format,
    ));
    let lowered = front_end(&db, &[id]);
    for d in &lowered.diagnostics {
        // Spans must stay inside the file: reports slice the text with them.
        assert!(d.span.end as usize <= text.len(), "span past the end: {d:?}");
        assert!(d.span.start <= d.span.end);
    }
    let graph = IdentityGraph::build(&lowered.model);
    for rule in RULES {
        let mut cx = RuleContext::new(&graph, rule.meta());
        rule.check(&mut cx);
        let _ = cx.into_diagnostics();
    }
}
