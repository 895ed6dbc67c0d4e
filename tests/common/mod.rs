//! Helpers shared by the integration tests.
#![allow(dead_code)]

use idlint::engine::{Analysis, Selection, analyze};
use idlint::source::FormatFamily;
use std::path::{Path, PathBuf};

/// Run the whole pipeline on `path` with only `rules` enabled (all default rules if empty).
pub fn run(path: &Path, rules: &[&str]) -> Analysis {
    // The suppression rules judge other rules' findings: they run with every default rule.
    let judges = rules.iter().any(|r| r.ends_with("-suppression"));
    let selection = Selection {
        select: if judges {
            Vec::new()
        } else {
            rules.iter().map(|s| s.to_string()).collect()
        },
        ..Default::default()
    };
    analyze(&[path.to_path_buf()], &selection)
}

/// Findings as stable text: one line each plus indented related locations.
pub fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let file = analysis.db.get(d.span.file);
        let (line, col) = file.line_col(d.span.start as usize);
        out.push_str(&format!(
            "{}:{line}:{col} [{}] {}: {}\n",
            file.display, d.severity, d.rule, d.message
        ));
        for l in &d.labels {
            let lf = analysis.db.get(l.span.file);
            let (line, col) = lf.line_col(l.span.start as usize);
            out.push_str(&format!("    {}:{line}:{col} {}\n", lf.display, l.message));
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// The format family of an example file or folder, from its files' extensions.
pub fn family_of(path: &Path) -> Option<FormatFamily> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        return entries.iter().find_map(|p| family_of(p));
    }
    let name = path.file_name()?.to_str()?;
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "json" => Some(FormatFamily::Arm),
        "bicep" | "bicepparam" => Some(FormatFamily::Bicep),
        "tf" | "tfvars" => Some(FormatFamily::Terraform),
        "sh" | "bash" | "ps1" | "psm1" | "yml" | "yaml" => Some(FormatFamily::Script),
        _ => None,
    }
}

/// Example cases of a rule: every file or folder directly under `rules/<rule>/<kind>/`.
pub fn cases(rule: &str, kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules")
        .join(rule)
        .join(kind);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| family_of(p).is_some());
    out.sort();
    out
}

/// A path relative to the crate root, as the CLI would be given it.
pub fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf()
}
