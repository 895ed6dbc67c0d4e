//! A small layered layout of the identity graph, drawn as inline SVG (no script, no fonts
//! fetched). Three columns, left to right: what uses an identity, the identities and
//! principals, what they hold roles on. Rows are ordered by the barycenter of their
//! neighbours to keep crossings down. `contains` edges are drawn only inside the last column.

use super::inventory::{EdgeKind, NodeKind, ReviewView};
use std::fmt::Write as _;

const NODE_H: f64 = 46.0;
const GAP_Y: f64 = 14.0;
const GAP_X: f64 = 190.0;
const MARGIN: f64 = 20.0;
const CHAR_W: f64 = 7.0;
const MAX_LABEL: usize = 44;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn column(view: &ReviewView, i: usize) -> usize {
    let n = &view.nodes[i];
    match n.kind {
        NodeKind::Identity | NodeKind::Principal => 1,
        NodeKind::Scope | NodeKind::Issuer => 2,
        NodeKind::Resource => {
            if view
                .edges
                .iter()
                .any(|e| e.from == i && e.kind == EdgeKind::UsesIdentity)
            {
                0
            } else {
                2
            }
        }
    }
}

/// Positions: (column, x, y, width) per node.
struct Placed {
    x: Vec<f64>,
    y: Vec<f64>,
    w: Vec<f64>,
    width: f64,
    height: f64,
}

fn place(view: &ReviewView) -> Placed {
    let n = view.nodes.len();
    let cols: Vec<usize> = (0..n).map(|i| column(view, i)).collect();
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); 3];
    for (i, &c) in cols.iter().enumerate() {
        rows[c].push(i);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &view.edges {
        if cols[e.from] != cols[e.to] {
            neighbours[e.from].push(e.to);
            neighbours[e.to].push(e.from);
        }
    }
    // Barycenter sweeps: identities first by position order, then the sides around them.
    let mut pos = vec![0.0; n];
    for row in &rows {
        for (k, &i) in row.iter().enumerate() {
            pos[i] = k as f64;
        }
    }
    for _ in 0..4 {
        for c in [0, 2, 1] {
            let mut keyed: Vec<(f64, usize)> = rows[c]
                .iter()
                .map(|&i| {
                    let ns = &neighbours[i];
                    let b = if ns.is_empty() {
                        pos[i] + 1e6
                    } else {
                        ns.iter().map(|&j| pos[j]).sum::<f64>() / ns.len() as f64
                    };
                    (b, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[c] = keyed.into_iter().map(|(_, i)| i).collect();
            for (k, &i) in rows[c].iter().enumerate() {
                pos[i] = k as f64;
            }
        }
    }
    let widths: Vec<f64> = (0..3)
        .map(|c| {
            rows[c]
                .iter()
                .map(|&i| {
                    let node = &view.nodes[i];
                    let detail = node.detail.chars().count() + if node.unused { 9 } else { 0 };
                    let chars = node.label.chars().count().max(detail).min(MAX_LABEL);
                    chars as f64 * CHAR_W + 24.0
                })
                .fold(120.0, f64::max)
        })
        .collect();
    let tallest = rows.iter().map(|r| r.len()).max().unwrap_or(0) as f64;
    let height = (MARGIN * 2.0 + tallest * (NODE_H + GAP_Y)).max(80.0);
    let mut x = vec![0.0; n];
    let mut y = vec![0.0; n];
    let mut w = vec![0.0; n];
    let mut left = MARGIN;
    for c in 0..3 {
        // Centre each column vertically.
        let col_h = rows[c].len() as f64 * (NODE_H + GAP_Y);
        let top = MARGIN + ((tallest * (NODE_H + GAP_Y)) - col_h) / 2.0;
        for (k, &i) in rows[c].iter().enumerate() {
            x[i] = left;
            y[i] = top + k as f64 * (NODE_H + GAP_Y);
            w[i] = widths[c];
        }
        if !rows[c].is_empty() {
            left += widths[c] + GAP_X;
        }
    }
    Placed {
        x,
        y,
        w,
        width: left - GAP_X + MARGIN,
        height,
    }
}

fn short(s: &str) -> String {
    super::inventory::shorten(s, MAX_LABEL)
}

/// The whole picture as an `<svg>` element.
pub fn svg(view: &ReviewView) -> String {
    let p = place(view);
    let cols: Vec<usize> = (0..view.nodes.len()).map(|i| column(view, i)).collect();
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" aria-label="identity graph" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="Helvetica, Arial, sans-serif">"##,
        w = p.width.max(200.0),
        h = p.height
    );
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker><marker id="arrow-role" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b3261e"/></marker></defs>"##);
    // Edges under nodes; labels after them so they stay readable.
    let mut labels = String::new();
    for e in &view.edges {
        let (a, b) = (e.from, e.to);
        let same_col = cols[a] == cols[b];
        if same_col && e.kind != EdgeKind::Contains {
            continue;
        }
        if !same_col && cols[a] > cols[b] {
            // Backward `contains` (a scope containing a workload): told in the tables.
            continue;
        }
        let (color, dash, marker) = match e.kind {
            EdgeKind::HasRoleAt => ("#b3261e", "", "arrow-role"),
            EdgeKind::Contains => ("#999", " stroke-dasharray=\"4 3\"", "arrow"),
            EdgeKind::Trusts => ("#555", " stroke-dasharray=\"2 3\"", "arrow"),
            EdgeKind::UsesIdentity => ("#555", "", "arrow"),
        };
        let path = if same_col {
            // Inside the last column: a bow on the right side.
            let x0 = p.x[a] + p.w[a];
            let (y0, y1) = (p.y[a] + NODE_H / 2.0, p.y[b] + NODE_H / 2.0);
            let bow = x0 + 30.0 + (y1 - y0).abs().min(200.0) / 6.0;
            format!("M{x0:.1},{y0:.1} C{bow:.1},{y0:.1} {bow:.1},{y1:.1} {x0:.1},{y1:.1}")
        } else {
            let (x0, y0) = (p.x[a] + p.w[a], p.y[a] + NODE_H / 2.0);
            let (x1, y1) = (p.x[b], p.y[b] + NODE_H / 2.0);
            let mx = (x0 + x1) / 2.0;
            format!("M{x0:.1},{y0:.1} C{mx:.1},{y0:.1} {mx:.1},{y1:.1} {x1:.1},{y1:.1}")
        };
        let title = format!(
            "{} → {}: {}{}",
            view.nodes[a].label,
            view.nodes[b].label,
            super::graph_export::edge_label(e),
            e.loc
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default()
        );
        let _ = write!(
            s,
            r#"<path d="{path}" fill="none" stroke="{color}" stroke-width="1.6"{dash} marker-end="url(#{marker})"><title>{}</title></path>"#,
            escape(&title)
        );
        if e.kind == EdgeKind::HasRoleAt {
            let text = short(&super::graph_export::edge_label(e));
            let (lx, ly) = if same_col {
                (
                    p.x[a] + p.w[a] + 34.0,
                    (p.y[a] + p.y[b]) / 2.0 + NODE_H / 2.0,
                )
            } else {
                (
                    (p.x[a] + p.w[a] + p.x[b]) / 2.0,
                    (p.y[a] + p.y[b]) / 2.0 + NODE_H / 2.0,
                )
            };
            let tw = text.chars().count() as f64 * 6.4 + 10.0;
            let _ = write!(
                labels,
                r##"<g class="edge-label"><rect x="{:.1}" y="{:.1}" width="{tw:.1}" height="17" rx="3" fill="#fff" stroke="#b3261e" stroke-width="0.8"/><text x="{lx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#b3261e">{}</text></g>"##,
                lx - tw / 2.0,
                ly - 9.0,
                ly + 3.5,
                escape(&text)
            );
        }
    }
    s.push_str(&labels);
    for (i, n) in view.nodes.iter().enumerate() {
        let (fill, stroke, rx) = match n.kind {
            NodeKind::Resource => ("#e8f0fe", "#1a73e8", 4.0),
            NodeKind::Identity if n.unused => ("#fde2c8", "#b06000", 22.0),
            NodeKind::Identity => ("#e6f4ea", "#137333", 22.0),
            NodeKind::Principal => ("#f3e8fd", "#8430ce", 10.0),
            NodeKind::Scope => ("#fef7e0", "#b08800", 0.0),
            NodeKind::Issuer => ("#eeeeee", "#555555", 0.0),
        };
        let sw = if n.unused { 2.5 } else { 1.2 };
        let dash = if n.unused {
            " stroke-dasharray=\"6 3\""
        } else {
            ""
        };
        let detail = if n.unused {
            format!("{} · UNUSED", n.detail)
        } else {
            n.detail.clone()
        };
        let title = format!(
            "{} — {}{}",
            n.label,
            n.detail,
            n.loc
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default()
        );
        let _ = write!(
            s,
            r##"<g class="node {kind}" data-id="{id}"><title>{title}</title><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{dash}/><text x="{tx:.1}" y="{ty1:.1}" font-size="13" font-weight="bold" fill="#202124">{label}</text><text x="{tx:.1}" y="{ty2:.1}" font-size="11" fill="#5f6368">{detail}</text></g>"##,
            kind = n.kind.as_str(),
            id = escape(&n.id),
            title = escape(&title),
            x = p.x[i],
            y = p.y[i],
            w = p.w[i],
            h = NODE_H,
            tx = p.x[i] + 10.0,
            ty1 = p.y[i] + 19.0,
            ty2 = p.y[i] + 36.0,
            label = escape(&short(&n.label)),
            detail = escape(&short(&detail)),
        );
    }
    s.push_str("</svg>");
    s
}
