//! `idlint graph`: the identity graph as Graphviz DOT, GitHub-flavoured Mermaid or JSON.
//! The JSON document is a public contract (README.md, "Identity graph").

use super::inventory::{EdgeKind, GEdge, GNode, Loc, NodeKind, ReviewView};
use serde::Serialize;
use std::io::{self, Write};

/// Formats of `idlint graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

pub fn emit(view: &ReviewView, format: GraphFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        GraphFormat::Dot => dot(view, out),
        GraphFormat::Mermaid => mermaid(view, out, true),
        GraphFormat::Json => json(view, out),
    }
}

fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn loc_text(l: &Option<Loc>) -> String {
    l.as_ref().map(|l| l.to_string()).unwrap_or_default()
}

pub fn dot(view: &ReviewView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph identity {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\", shape=box];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    for n in &view.nodes {
        let (shape, fill) = match n.kind {
            NodeKind::Resource => ("box", "#e8f0fe"),
            NodeKind::Identity => ("ellipse", if n.unused { "#fde2c8" } else { "#e6f4ea" }),
            NodeKind::Principal => ("hexagon", "#f3e8fd"),
            NodeKind::Scope => ("folder", "#fef7e0"),
            NodeKind::Issuer => ("cds", "#eeeeee"),
        };
        let mut label = format!("{}\\n{}", dot_escape(&n.label), dot_escape(&n.detail));
        if n.unused {
            label.push_str("\\n(unused)");
        }
        writeln!(
            out,
            "  \"{}\" [label=\"{}\", shape={}, fillcolor=\"{}\", tooltip=\"{}\"];",
            dot_escape(&n.id),
            label,
            shape,
            fill,
            dot_escape(&loc_text(&n.loc))
        )?;
    }
    for e in &view.edges {
        let label = edge_label(e);
        let style = match e.kind {
            EdgeKind::Contains => ", style=dashed, color=\"#888888\"",
            EdgeKind::HasRoleAt => ", color=\"#b3261e\", penwidth=1.5",
            EdgeKind::Trusts => ", style=dotted",
            EdgeKind::UsesIdentity => "",
        };
        writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\", tooltip=\"{}\"{}];",
            dot_escape(&view.nodes[e.from].id),
            dot_escape(&view.nodes[e.to].id),
            dot_escape(&label),
            dot_escape(&loc_text(&e.loc)),
            style
        )?;
    }
    writeln!(out, "}}")
}

pub fn edge_label(e: &GEdge) -> String {
    match (&e.kind, &e.role) {
        (EdgeKind::HasRoleAt, Some(role)) => role.clone(),
        (k, _) => k.as_str().to_owned(),
    }
}

/// A Mermaid node id: `n` and a hash of the stable id (Mermaid ids are plain words).
pub fn mermaid_id(node: &GNode) -> String {
    // FNV-1a, 64 bits: stable across runs and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in node.id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("n{:012x}", h >> 16)
}

/// Label text GitHub's Mermaid accepts inside quotes: no quotes, no HTML, no newlines.
fn mermaid_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => '\'',
            '<' => '‹',
            '>' => '›',
            '\n' | '\r' | '`' => ' ',
            '#' => '＃',
            c => c,
        })
        .collect()
}

/// `flowchart LR` with quoted labels, as GitHub renders it. `fenced` wraps it in a
/// ```mermaid block.
pub fn mermaid(view: &ReviewView, out: &mut dyn Write, header: bool) -> io::Result<()> {
    let _ = header;
    writeln!(out, "flowchart LR")?;
    for n in &view.nodes {
        let text = format!(
            "{} · {}{}",
            mermaid_text(&n.label),
            mermaid_text(&n.detail),
            if n.unused { " · UNUSED" } else { "" }
        );
        let id = mermaid_id(n);
        let shaped = match n.kind {
            NodeKind::Resource => format!("{id}[\"{text}\"]"),
            NodeKind::Identity => format!("{id}([\"{text}\"])"),
            NodeKind::Principal => format!("{id}{{{{\"{text}\"}}}}"),
            NodeKind::Scope => format!("{id}[(\"{text}\")]"),
            NodeKind::Issuer => format!("{id}>\"{text}\"]"),
        };
        writeln!(out, "  {shaped}")?;
    }
    for e in &view.edges {
        let arrow = match e.kind {
            EdgeKind::Contains | EdgeKind::Trusts => "-.->",
            EdgeKind::HasRoleAt => "==>",
            EdgeKind::UsesIdentity => "-->",
        };
        writeln!(
            out,
            "  {} {}|\"{}\"| {}",
            mermaid_id(&view.nodes[e.from]),
            arrow,
            mermaid_text(&edge_label(e)),
            mermaid_id(&view.nodes[e.to])
        )?;
    }
    writeln!(out, "  classDef identity fill:#e6f4ea,stroke:#137333")?;
    writeln!(
        out,
        "  classDef unused fill:#fde2c8,stroke:#b06000,stroke-width:3px"
    )?;
    writeln!(out, "  classDef scope fill:#fef7e0,stroke:#b08800")?;
    for (class, pick) in [
        (
            "identity",
            &(|n: &GNode| n.kind == NodeKind::Identity && !n.unused) as &dyn Fn(&GNode) -> bool,
        ),
        ("unused", &|n: &GNode| n.unused),
        ("scope", &|n: &GNode| n.kind == NodeKind::Scope),
    ] {
        let ids: Vec<String> = view
            .nodes
            .iter()
            .filter(|n| pick(n))
            .map(mermaid_id)
            .collect();
        if !ids.is_empty() {
            writeln!(out, "  class {} {class}", ids.join(","))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: NodeKind,
    label: &'a str,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unused: bool,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: EdgeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    version: u32,
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

pub fn json(view: &ReviewView, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonGraph {
        version: 1,
        nodes: view
            .nodes
            .iter()
            .map(|n| JsonNode {
                id: &n.id,
                kind: n.kind,
                label: &n.label,
                detail: &n.detail,
                path: n.loc.as_ref().map(|l| l.path.as_str()),
                line: n.loc.as_ref().map(|l| l.line),
                column: n.loc.as_ref().map(|l| l.column),
                unused: n.unused,
            })
            .collect(),
        edges: view
            .edges
            .iter()
            .map(|e| JsonEdge {
                from: &view.nodes[e.from].id,
                to: &view.nodes[e.to].id,
                kind: e.kind,
                role: e.role.as_deref(),
                path: e.loc.as_ref().map(|l| l.path.as_str()),
                line: e.loc.as_ref().map(|l| l.line),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
