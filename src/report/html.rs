//! `--format html`: one self-contained file — inline CSS, an inline SVG of the identity graph
//! laid out in Rust, no script, nothing fetched when opened. Large inventories are paginated
//! into collapsible pages; findings are collapsible per identity.

use super::inventory::{self, NodeKind, ReviewView};
use super::layout::{escape, svg};
use super::markdown::{fix_guidance, group_title};
use super::{Emitter, ReportContext};
use crate::rules::registry;
use std::io::{self, Write};

pub struct Html;

/// Inventory rows per collapsible page.
pub const PAGE: usize = 50;

const CSS: &str = r#"
body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#202124;margin:0;background:#f8f9fa}
main{max-width:1300px;margin:0 auto;padding:16px 24px}
h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #dadce0;padding-bottom:4px}
h3{font-size:15px;margin:0}
.stats{color:#5f6368}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px;width:100%}
th,td{border:1px solid #dadce0;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4;font-weight:600}
td.num{text-align:right}
.sev{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:700;color:#fff;text-transform:uppercase}
.sev-critical{background:#7f0000}.sev-high{background:#c5221f}.sev-medium{background:#e37400}.sev-low{background:#1a73e8}.sev-info{background:#5f6368}
.unused{background:#fde2c8;color:#7a3e00;border-radius:3px;padding:0 5px;font-weight:700;font-size:12px}
.graph-box{overflow:auto;max-height:80vh;background:#fff;border:1px solid #dadce0;padding:4px}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.legend i{display:inline-block;width:12px;height:12px;border:1px solid #555;margin-right:4px;vertical-align:-2px}
details{background:#fff;border:1px solid #dadce0;border-radius:4px;margin:8px 0;padding:6px 10px}
details>summary{cursor:pointer}
.finding{border-top:1px solid #eee;padding:8px 0}
pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:6px 8px;overflow:auto;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:6px 0}
.fix{background:#e6f4ea;border-left:3px solid #137333;padding:4px 10px;margin:6px 0;white-space:pre-wrap}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f1f3f4;padding:0 3px;border-radius:3px}
ul.related{margin:4px 0;padding-left:20px;color:#5f6368}
"#;

/// Doc paragraphs are hard-wrapped; join their lines, keep lists and code blocks.
fn reflow(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") {
            in_code = !in_code;
        }
        let joins = !in_code
            && !out.is_empty()
            && !out.ends_with('\n')
            && !t.is_empty()
            && !t.starts_with("- ")
            && !t.starts_with("```");
        if joins {
            out.push(' ');
            out.push_str(t);
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(line);
            if t.is_empty() || in_code || t.starts_with("```") {
                out.push('\n');
            }
        }
    }
    out.trim_end().to_owned()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Emitter for Html {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        let view = ReviewView::build(a);
        let mut h = String::new();
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.push_str("<title>idlint report</title><style>");
        h.push_str(CSS);
        h.push_str("</style></head><body><main>\n<h1>idlint report</h1>\n");
        h.push_str(&format!(
            "<p class=\"stats\">{} · {} · {} · {}</p>\n",
            plural(a.file_count(), "file", "files"),
            plural(a.diagnostics.len(), "finding", "findings"),
            plural(view.count(NodeKind::Identity), "identity", "identities"),
            plural(
                view.count(NodeKind::Principal),
                "other principal",
                "other principals"
            ),
        ));

        // Summary.
        h.push_str("<h2 id=\"summary\">Summary</h2>\n");
        let (by_sev, by_rule) = inventory::summary(&a.diagnostics);
        if a.diagnostics.is_empty() {
            h.push_str("<p>No findings.</p>\n");
        } else {
            h.push_str("<div style=\"display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start\"><table style=\"width:auto\"><tr><th>severity</th><th>findings</th></tr>");
            for (s, n) in &by_sev {
                h.push_str(&format!(
                    "<tr><td><span class=\"sev sev-{s}\">{s}</span></td><td class=\"num\">{n}</td></tr>"
                ));
            }
            h.push_str("</table><table style=\"width:auto\"><tr><th>rule</th><th>code</th><th>findings</th></tr>");
            for (rule, n) in &by_rule {
                let code = registry::find(rule).map(|r| r.meta().code).unwrap_or("");
                h.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{code}</td><td class=\"num\">{n}</td></tr>",
                    escape(rule)
                ));
            }
            h.push_str("</table></div>\n");
        }

        // Picture.
        h.push_str("<h2 id=\"graph\">Identity graph</h2>\n");
        if view.nodes.is_empty() {
            h.push_str("<p>No identities, principals or role assignments.</p>\n");
        } else {
            h.push_str(concat!(
                "<p class=\"legend\">",
                "<span><i style=\"background:#e8f0fe\"></i>resource</span>",
                "<span><i style=\"background:#e6f4ea;border-radius:6px\"></i>identity</span>",
                "<span><i style=\"background:#fde2c8;border-radius:6px\"></i>unused identity</span>",
                "<span><i style=\"background:#f3e8fd\"></i>other principal</span>",
                "<span><i style=\"background:#fef7e0\"></i>scope</span>",
                "<span>→ uses identity</span><span style=\"color:#b3261e\">→ role at scope</span>",
                "<span>⇢ contains / trusts</span></p>\n"
            ));
            h.push_str("<div class=\"graph-box\">");
            h.push_str(&svg(&view));
            h.push_str("</div>\n");
        }

        // Inventory, paginated.
        h.push_str("<h2 id=\"inventory\">Identity inventory</h2>\n");
        if view.inventory.is_empty() {
            h.push_str("<p>No managed identities or principals are declared.</p>\n");
        }
        let pages = view.inventory.chunks(PAGE).count();
        for (p, chunk) in view.inventory.chunks(PAGE).enumerate() {
            if pages > 1 {
                h.push_str(&format!(
                    "<details{}><summary>Identities {}–{} of {}</summary>",
                    if p == 0 { " open" } else { "" },
                    p * PAGE + 1,
                    p * PAGE + chunk.len(),
                    view.inventory.len()
                ));
            }
            h.push_str("<table class=\"inventory\"><tr><th>identity</th><th>kind</th><th>declared at</th><th>attached to</th><th>roles and scopes</th><th>findings</th></tr>\n");
            for row in chunk {
                let n = &view.nodes[row.node];
                let attached = if row.attached_to.is_empty() {
                    if n.unused {
                        "<span class=\"unused\">unused</span> nothing uses it".to_owned()
                    } else {
                        "—".to_owned()
                    }
                } else {
                    inventory::cell_lines(&row.attached_to, |(name, l)| {
                        format!(
                            "<b>{}</b> <small>{}</small>",
                            escape(name),
                            escape(&l.to_string())
                        )
                    })
                };
                let roles = if row.roles.is_empty() {
                    "—".to_owned()
                } else {
                    inventory::cell_lines(&row.roles, |(role, scope, l)| {
                        format!(
                            "<b>{}</b> at {} <small>{}</small>",
                            escape(role),
                            escape(scope),
                            escape(&l.to_string())
                        )
                    })
                };
                h.push_str(&format!(
                    "<tr><td><b>{}</b>{}</td><td>{}</td><td><small>{}</small></td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                    escape(&n.label),
                    if n.unused { " <span class=\"unused\">unused</span>" } else { "" },
                    escape(&row.kind),
                    n.loc.as_ref().map(|l| escape(&l.to_string())).unwrap_or_default(),
                    attached,
                    roles,
                    row.findings
                ));
            }
            h.push_str("</table>\n");
            if pages > 1 {
                h.push_str("</details>\n");
            }
        }

        // Findings by identity.
        if !a.diagnostics.is_empty() {
            h.push_str("<h2 id=\"findings\">Findings by identity</h2>\n");
            let open_all = a.diagnostics.len() <= 30;
            for (g, (node, list)) in view.findings_by_identity.iter().enumerate() {
                h.push_str(&format!(
                    "<details{}><summary><h3 style=\"display:inline\">{}</h3> — {}</summary>\n",
                    if open_all || g < 3 { " open" } else { "" },
                    escape(&group_title(&view, *node)),
                    plural(list.len(), "finding", "findings")
                ));
                for &i in list {
                    let d = &a.diagnostics[i];
                    let code = registry::find(d.rule).map(|r| r.meta().code).unwrap_or("");
                    let l = inventory::loc(a, d.span);
                    h.push_str(&format!(
                        "<div class=\"finding\"><span class=\"sev sev-{s}\">{s}</span> <b>{code}</b> <code>{}</code> <small>{}</small><div>{}</div>",
                        escape(d.rule),
                        escape(&l.to_string()),
                        escape(&d.message),
                        s = d.severity.as_str(),
                    ));
                    let (first, lines) = inventory::snippet(a, d.span, 8);
                    let body: Vec<String> = lines
                        .iter()
                        .enumerate()
                        .map(|(k, line)| format!("{:>4} | {}", first + k, escape(line)))
                        .collect();
                    h.push_str(&format!("<pre>{}</pre>", body.join("\n")));
                    if !d.labels.is_empty() {
                        h.push_str("<ul class=\"related\">");
                        for label in &d.labels {
                            h.push_str(&format!(
                                "<li>{}: {}</li>",
                                escape(&inventory::loc(a, label.span).to_string()),
                                escape(&label.message)
                            ));
                        }
                        h.push_str("</ul>");
                    }
                    if let Some(fix) = fix_guidance(d.rule) {
                        h.push_str(&format!(
                            "<div class=\"fix\"><b>How to fix.</b> {}</div>",
                            escape(&reflow(&fix))
                        ));
                    }
                    h.push_str("</div>\n");
                }
                h.push_str("</details>\n");
            }
        }
        h.push_str("<p class=\"stats\">Generated by idlint. Secrets in snippets and messages are masked.</p>\n</main></body></html>\n");
        out.write_all(h.as_bytes())
    }
}
