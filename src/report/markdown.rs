//! `--format markdown`: a reviewer's report for a pull request or a wiki page. GitHub renders
//! the identity graph from the Mermaid block.

use super::inventory::{self, NodeKind, ReviewView};
use super::{Emitter, ReportContext};
use crate::engine::Analysis;
use crate::rules::registry;
use crate::source::Format;
use std::io::{self, Write};

pub struct Markdown;

/// Mermaid diagrams larger than this are left out (GitHub refuses very large ones).
pub const MERMAID_MAX_NODES: usize = 150;

/// Text for a Markdown table cell.
pub fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An inline code span that survives backticks in the text.
pub fn code(s: &str) -> String {
    let longest = longest_run(s, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('\n', " "))
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

pub fn language(format: Format) -> &'static str {
    match format {
        Format::ArmTemplate | Format::ArmParameters => "json",
        Format::Bicep | Format::BicepParam => "bicep",
        Format::Terraform | Format::TerraformVars => "hcl",
        Format::Bash => "bash",
        Format::PowerShell => "powershell",
        Format::GithubWorkflow | Format::AzurePipelines => "yaml",
    }
}

/// A rule's "How to fix" section, unindented.
pub fn fix_guidance(rule: &str) -> Option<String> {
    let meta = registry::find(rule)?.meta();
    let text = crate::unindent_docs(meta.section("How to fix")?);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

pub fn group_title(view: &ReviewView, node: Option<usize>) -> String {
    match node {
        Some(n) => {
            let node = &view.nodes[n];
            format!(
                "{} — {}{}{}",
                node.label,
                node.detail,
                node.loc
                    .as_ref()
                    .map(|l| format!(", {l}"))
                    .unwrap_or_default(),
                if node.unused { ", unused" } else { "" }
            )
        }
        None => "Not about an identity".to_owned(),
    }
}

fn write_summary(a: &Analysis, view: &ReviewView, out: &mut dyn Write) -> io::Result<()> {
    let (by_sev, by_rule) = inventory::summary(&a.diagnostics);
    writeln!(
        out,
        "{} file{} · {} finding{} · {} identit{} · {} other principal{}\n",
        a.file_count(),
        if a.file_count() == 1 { "" } else { "s" },
        a.diagnostics.len(),
        if a.diagnostics.len() == 1 { "" } else { "s" },
        view.count(NodeKind::Identity),
        if view.count(NodeKind::Identity) == 1 {
            "y"
        } else {
            "ies"
        },
        view.count(NodeKind::Principal),
        if view.count(NodeKind::Principal) == 1 {
            ""
        } else {
            "s"
        },
    )?;
    writeln!(out, "## Summary\n")?;
    if a.diagnostics.is_empty() {
        writeln!(out, "No findings.\n")?;
        return Ok(());
    }
    writeln!(out, "| severity | findings |\n|---|---:|")?;
    for (s, n) in &by_sev {
        writeln!(out, "| {s} | {n} |")?;
    }
    writeln!(out, "\n| rule | code | findings |\n|---|---|---:|")?;
    for (rule, n) in &by_rule {
        let code = registry::find(rule).map(|r| r.meta().code).unwrap_or("");
        writeln!(out, "| `{rule}` | {code} | {n} |")?;
    }
    writeln!(out)
}

fn write_inventory(view: &ReviewView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Identity inventory\n")?;
    if view.inventory.is_empty() {
        writeln!(out, "No managed identities or principals are declared.\n")?;
        return Ok(());
    }
    writeln!(
        out,
        "| identity | kind | declared at | attached to | roles and scopes | findings |\n|---|---|---|---|---|---:|"
    )?;
    for row in &view.inventory {
        let n = &view.nodes[row.node];
        let attached = if row.attached_to.is_empty() {
            if n.unused {
                "**nothing (unused)**".to_owned()
            } else {
                "—".to_owned()
            }
        } else {
            inventory::cell_lines(&row.attached_to, |(name, l)| {
                format!("{} ({})", cell(name), cell(&l.to_string()))
            })
        };
        let roles = if row.roles.is_empty() {
            "—".to_owned()
        } else {
            inventory::cell_lines(&row.roles, |(role, scope, l)| {
                format!(
                    "**{}** at {} ({})",
                    cell(role),
                    cell(scope),
                    cell(&l.to_string())
                )
            })
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            code(&n.label),
            cell(&row.kind),
            n.loc
                .as_ref()
                .map(|l| cell(&l.to_string()))
                .unwrap_or_default(),
            attached,
            roles,
            row.findings
        )?;
    }
    writeln!(out)
}

fn write_findings(a: &Analysis, view: &ReviewView, out: &mut dyn Write) -> io::Result<()> {
    if a.diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Findings by identity\n")?;
    for (node, list) in &view.findings_by_identity {
        writeln!(out, "### {}\n", cell(&group_title(view, *node)))?;
        for &i in list {
            let d = &a.diagnostics[i];
            let code_name = registry::find(d.rule).map(|r| r.meta().code).unwrap_or("");
            let l = inventory::loc(a, d.span);
            writeln!(
                out,
                "#### {} · {code_name} `{}` · {}\n",
                d.severity.as_str().to_uppercase(),
                d.rule,
                cell(&l.to_string())
            )?;
            writeln!(out, "{}\n", cell(&d.message))?;
            let (first, lines) = inventory::snippet(a, d.span, 8);
            let body: Vec<String> = lines
                .iter()
                .enumerate()
                .map(|(k, line)| format!("{:>4} | {line}", first + k))
                .collect();
            let body = body.join("\n");
            let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
            writeln!(
                out,
                "{fence}{}\n{body}\n{fence}\n",
                language(a.db.get(d.span.file).format)
            )?;
            for label in &d.labels {
                writeln!(
                    out,
                    "- {}: {}",
                    cell(&inventory::loc(a, label.span).to_string()),
                    cell(&label.message)
                )?;
            }
            if !d.labels.is_empty() {
                writeln!(out)?;
            }
            if let Some(fix) = fix_guidance(d.rule) {
                writeln!(
                    out,
                    "<details><summary>How to fix</summary>\n\n{fix}\n\n</details>\n"
                )?;
            }
        }
    }
    Ok(())
}

impl Emitter for Markdown {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        let view = ReviewView::build(a);
        writeln!(out, "# idlint report\n")?;
        write_summary(a, &view, out)?;
        writeln!(out, "## Identity graph\n")?;
        if view.nodes.is_empty() {
            writeln!(out, "No identities, principals or role assignments.\n")?;
        } else if view.nodes.len() > MERMAID_MAX_NODES {
            writeln!(
                out,
                "{} nodes, too many for a Mermaid picture: see `idlint graph --format dot` or the HTML report.\n",
                view.nodes.len()
            )?;
        } else {
            writeln!(out, "```mermaid")?;
            super::graph_export::mermaid(&view, out, false)?;
            writeln!(out, "```\n")?;
        }
        write_inventory(&view, out)?;
        write_findings(a, &view, out)
    }
}
