//! Command-line definitions only (clap). Turning them into settings happens in `lib.rs`.

use crate::diagnostic::Severity;
use crate::report::OutputFormat;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "idlint",
    version,
    about = "Static analysis of Azure identity configuration in infrastructure-as-code"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze files and directories (default: the current directory).
    Check(CheckArgs),
    /// List every rule with its code, default severity and formats.
    Rules,
    /// Show one rule's documentation.
    Rule {
        /// Rule name (`broad-role-scope`) or code (`IDL101`).
        name: String,
    },
    /// Export the identity graph: resources, identities, principals, scopes and their edges.
    Graph(GraphArgs),
    /// What an identity or principal can do: its roles per scope, through which assignment.
    Can(QueryArgs),
    /// Who can act on a resource: every principal whose role reaches it, and the path.
    #[command(name = "who-can")]
    WhoCan(QueryArgs),
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Files or directories to analyze.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Graph format.
    #[arg(long, value_enum, default_value_t = crate::report::graph_export::GraphFormat::Dot)]
    pub format: crate::report::graph_export::GraphFormat,
    /// Write the graph to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// Name of the identity, principal (object id) or resource: its name or symbol.
    pub name: String,
    /// Files or directories to analyze.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Answer format.
    #[arg(long, value_enum, default_value_t = crate::report::query::QueryFormat::Text)]
    pub format: crate::report::query::QueryFormat,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to analyze.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding at or above this severity is reported [default: the
    /// configuration's `fail-on`, else low].
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Only run these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print time spent per stage to standard error.
    #[arg(long)]
    pub timings: bool,
    /// Configuration file [default: `.idlint.yaml` in the working directory or the nearest
    /// parent that has one].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Print how many findings each rule reported instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Analyze each file argument inside its deployment unit (its Terraform module, its
    /// template with parameter files and linked templates, its script folder) but report only
    /// findings in the files given: what the pre-commit hook runs.
    #[arg(long)]
    pub in_context: bool,
}
