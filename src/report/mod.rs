//! Output formats: one file each behind [`Emitter`]. The only code that formats findings.

pub mod github;
pub mod graph_export;
pub mod html;
pub mod human;
pub mod inventory;
pub mod json;
pub mod junit;
pub mod layout;
pub mod markdown;
pub mod progress;
pub mod query;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::Severity;
use crate::engine::Analysis;
use std::io::{self, Write};

/// What every emitter is given.
pub struct ReportContext<'a> {
    pub analysis: &'a Analysis,
    /// Findings at or above this severity fail the run (shown in summaries).
    pub fail_on: Severity,
    /// Colour for terminals.
    pub color: bool,
}

pub trait Emitter {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats of `idlint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    /// A reviewer's report; GitHub renders its Mermaid graph.
    Markdown,
    /// One self-contained HTML file with an SVG of the identity graph.
    Html,
    Sarif,
    Junit,
    Github,
}

impl OutputFormat {
    /// Formats read by people, where a progress bar on a terminal's stderr helps.
    pub fn wants_progress(self) -> bool {
        matches!(
            self,
            OutputFormat::Human | OutputFormat::Markdown | OutputFormat::Html
        )
    }

    pub fn emitter(self) -> Box<dyn Emitter> {
        match self {
            OutputFormat::Human => Box::new(human::Human),
            OutputFormat::Json => Box::new(json::Json),
            OutputFormat::Markdown => Box::new(markdown::Markdown),
            OutputFormat::Html => Box::new(html::Html),
            OutputFormat::Sarif => Box::new(sarif::Sarif),
            OutputFormat::Junit => Box::new(junit::Junit),
            OutputFormat::Github => Box::new(github::Github),
        }
    }
}

/// One-based line and column of a span's start and end.
pub fn position(analysis: &Analysis, span: crate::source::Span) -> (usize, usize, usize, usize) {
    let file = analysis.db.get(span.file);
    let (line, column) = file.line_col(span.start as usize);
    let (end_line, end_column) = file.line_col(span.end as usize);
    (line, column, end_line, end_column)
}
