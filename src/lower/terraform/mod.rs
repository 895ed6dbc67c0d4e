//! Terraform front end: `.tf` / `.tfvars` parsed with hcl-edit and lowered into the model.
//!
//! A module is a directory. Each module *instance* (a root directory, or a `module` block
//! pointing at a local directory) is one unit with its own key, so symbols resolve inside
//! it: inputs flow into the child's variables and its outputs flow back to the caller.

pub mod eval;
mod kinds;
mod modules;
mod resources;

use crate::diagnostic::Diagnostic;
use crate::lower::{Lowered, common, parse_error};
use crate::model::secrets::{is_placeholder, is_secret_parameter_name};
use crate::model::{Node, Prop, Provenance, SecretKind, SecretSite, UnitKey, Val};
use crate::source::{FileId, Format, FormatFamily, SourceDb, Span};
use hcl_edit::Span as _;
use hcl_edit::structure::{Block, BlockLabel, Body};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use kinds::{arm_type, kind_of};
use modules::Instance;

const FAMILY: FormatFamily = FormatFamily::Terraform;

/// A parsed file.
pub(crate) struct Parsed {
    pub id: FileId,
    pub body: Body,
}

/// The files of one module directory.
pub(crate) struct ModuleDir {
    pub display: String,
    pub tf: Vec<Parsed>,
    /// Variable files: (rank, file) where rank 0 = `terraform.tfvars`, 1 = `*.auto.tfvars`,
    /// 2 = any other var file.
    pub vars: Vec<(u8, Parsed)>,
    /// Whether some file of the directory is among the files of the run.
    pub in_run: bool,
}

/// Lexical normalisation of a path (`a/./b/../c` → `a/c`).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn dir_of(db: &SourceDb, id: FileId) -> (PathBuf, String) {
    let f = db.get(id);
    let dir = normalize(f.path.parent().unwrap_or(Path::new("")));
    let display = match f.display.rsplit_once('/') {
        Some((d, _)) => d.to_owned(),
        None => ".".to_owned(),
    };
    (dir, display)
}

fn var_rank(db: &SourceDb, id: FileId) -> u8 {
    let name = db
        .get(id)
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name == "terraform.tfvars" {
        0
    } else if name.ends_with(".auto.tfvars") {
        1
    } else {
        2
    }
}

/// Deepest bracket nesting, ignoring brackets inside quoted strings and comments (a cheap
/// pre-check so that hostile input cannot exhaust the parser's stack).
fn nesting_depth(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max {
                    max = depth;
                    at = i;
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    (max, at)
}

/// hcl-edit rejects nesting beyond 64 levels itself; anything far beyond is refused before
/// parsing.
const MAX_NESTING: usize = 1000;

fn parse_file(db: &SourceDb, id: FileId) -> Result<Body, Diagnostic> {
    let _timer = crate::parse::ParseTimer::start();
    let f = db.get(id);
    let text = f.text.as_str();
    let (depth, at) = nesting_depth(text);
    if depth > MAX_NESTING {
        return Err(parse_error(
            Span::new(id, at, next_char(text, at)),
            format!("HCL nested more than {MAX_NESTING} levels deep"),
        ));
    }
    if f.path.extension().is_some_and(|e| e == "json") {
        // `terraform.tfvars.json`: a flat JSON object of variable values.
        return match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => Ok(Body::new()),
            Err(e) => {
                let off = f
                    .line_start(e.line().saturating_sub(1))
                    .map(|s| s + e.column().saturating_sub(1))
                    .unwrap_or(0)
                    .min(text.len());
                Err(parse_error(
                    Span::new(id, off, next_char(text, off)),
                    e.to_string(),
                ))
            }
        };
    }
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let mut off = loc.offset().min(text.len());
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        parse_error(
            Span::new(id, off, next_char(text, off)),
            format!(
                "invalid HCL: {}",
                e.message().lines().next().unwrap_or("syntax error")
            ),
        )
    })
}

fn next_char(text: &str, off: usize) -> usize {
    text[off..]
        .chars()
        .next()
        .map(|c| off + c.len_utf8())
        .unwrap_or(off)
}

/// Local module sources (`./x`, `../x`) called from a directory's files.
fn local_calls(dir: &Path, m: &ModuleDir) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in &m.tf {
        for b in p.body.blocks() {
            if b.ident.as_str() != "module" {
                continue;
            }
            if let Some(src) = b
                .body
                .get_attribute("source")
                .and_then(|a| a.value.as_str())
                .filter(|s| is_local_source(s))
            {
                out.push(normalize(&dir.join(src)));
            }
        }
    }
    out
}

pub(crate) fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s == "." || s == ".."
}

/// The span of a block's header: `resource "t" "n"`.
pub(crate) fn header_span(file: FileId, b: &Block) -> Span {
    let whole = b.span().unwrap_or(0..0);
    let start = b.ident.span().map(|r| r.start).unwrap_or(whole.start);
    let end = b
        .labels
        .last()
        .and_then(|l| match l {
            BlockLabel::Ident(i) => i.span(),
            BlockLabel::String(s) => s.span(),
        })
        .map(|r| r.end)
        .or_else(|| b.ident.span().map(|r| r.end))
        .unwrap_or(whole.end);
    Span::new(file, start, end)
}

pub(crate) fn block_span(file: FileId, b: &Block) -> Span {
    let r = b.span().unwrap_or(0..0);
    Span::new(file, r.start, r.end)
}

/// Lower every Terraform file of a run.
pub fn lower(db: &SourceDb, files: &[FileId]) -> Lowered {
    let mut out = Lowered::default();
    // Parse in parallel.
    let parsed: Vec<(FileId, Result<Body, Diagnostic>)> = files
        .par_iter()
        .map(|&id| (id, parse_file(db, id)))
        .collect();
    let mut dirs: BTreeMap<PathBuf, ModuleDir> = BTreeMap::new();
    let mut json_vars: Vec<FileId> = Vec::new();
    for (id, res) in parsed {
        let (dir, display) = dir_of(db, id);
        let entry = dirs.entry(dir).or_insert_with(|| ModuleDir {
            display,
            tf: Vec::new(),
            vars: Vec::new(),
            in_run: true,
        });
        match res {
            Ok(body) => {
                if db.get(id).format == Format::TerraformVars {
                    if db.get(id).path.extension().is_some_and(|e| e == "json") {
                        json_vars.push(id);
                    }
                    entry.vars.push((var_rank(db, id), Parsed { id, body }));
                } else {
                    entry.tf.push(Parsed { id, body });
                }
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
    // Child module directories that are not among the files of the run: take their files
    // from the source database when it has them.
    let mut seen: HashSet<PathBuf> = dirs.keys().cloned().collect();
    for _ in 0..16 {
        let wanted: BTreeSet<PathBuf> = dirs
            .iter()
            .flat_map(|(d, m)| local_calls(d, m))
            .filter(|d| !seen.contains(d))
            .collect();
        if wanted.is_empty() {
            break;
        }
        let extra: Vec<FileId> = db
            .files()
            .filter(|(_, f)| f.format == Format::Terraform)
            .filter(|(id, _)| wanted.contains(&dir_of(db, *id).0))
            .map(|(id, _)| id)
            .collect();
        for (id, res) in extra
            .par_iter()
            .map(|&id| (id, parse_file(db, id)))
            .collect::<Vec<_>>()
        {
            let (dir, display) = dir_of(db, id);
            let entry = dirs.entry(dir).or_insert_with(|| ModuleDir {
                display,
                tf: Vec::new(),
                vars: Vec::new(),
                in_run: false,
            });
            match res {
                Ok(body) => entry.tf.push(Parsed { id, body }),
                Err(d) => out.diagnostics.push(d),
            }
        }
        seen.extend(wanted);
    }
    for m in dirs.values_mut() {
        m.tf.sort_by_key(|p| p.id);
        m.vars
            .sort_by(|a, b| (a.0, &db.get(a.1.id).path).cmp(&(b.0, &db.get(b.1.id).path)));
    }
    // Roots: directories of the run no other directory calls; then whatever those do not
    // reach (module cycles).
    let mut called: HashSet<PathBuf> = HashSet::new();
    let mut edges: HashMap<&PathBuf, Vec<PathBuf>> = HashMap::new();
    for (d, m) in &dirs {
        let calls: Vec<PathBuf> = local_calls(d, m).into_iter().filter(|c| c != d).collect();
        called.extend(calls.iter().cloned());
        edges.insert(d, calls);
    }
    let mut roots: Vec<&PathBuf> = dirs
        .iter()
        .filter(|(d, m)| m.in_run && !called.contains(*d))
        .map(|(d, _)| d)
        .collect();
    let mut reached: HashSet<&PathBuf> = HashSet::new();
    let mut stack: Vec<&PathBuf> = roots.clone();
    while let Some(d) = stack.pop() {
        if !reached.insert(d) {
            continue;
        }
        for c in edges.get(d).into_iter().flatten() {
            if let Some((k, _)) = dirs.get_key_value(c) {
                stack.push(k);
            }
        }
    }
    for (d, m) in &dirs {
        if m.in_run && !reached.contains(d) {
            roots.push(d);
            // Mark what this one reaches so that a cycle gets one root.
            let mut stack = vec![d];
            while let Some(x) = stack.pop() {
                if !reached.insert(x) {
                    continue;
                }
                for c in edges.get(x).into_iter().flatten() {
                    if let Some((k, _)) = dirs.get_key_value(c) {
                        stack.push(k);
                    }
                }
            }
        }
    }
    let _ = json_vars;
    let mut results: Vec<Lowered> = roots.par_iter().map(|d| lower_root(db, &dirs, d)).collect();
    // Secrets in var files of every directory of the run.
    results.extend(
        dirs.par_iter()
            .filter(|(_, m)| m.in_run && !m.vars.is_empty())
            .map(|(_, m)| tfvars_secrets(db, m))
            .collect::<Vec<_>>(),
    );
    results.insert(0, out);
    let mut out = Lowered::concat(results);
    dedupe(&mut out);
    out
}

pub(crate) fn unit_key(display: &str) -> UnitKey {
    Arc::from(format!("tf:{display}"))
}

fn lower_root(db: &SourceDb, dirs: &BTreeMap<PathBuf, ModuleDir>, dir: &Path) -> Lowered {
    let Some(m) = dirs.get(dir) else {
        return Lowered::default();
    };
    let inputs = modules::tfvars_values(db, m);
    let inst = Instance::new(
        db,
        dirs,
        dir.to_path_buf(),
        m,
        unit_key(&m.display),
        inputs,
        false,
        vec![dir.to_path_buf()],
    );
    let (model, _) = inst.lower_all();
    Lowered {
        model,
        diagnostics: Vec::new(),
    }
}

/// Literal values in var files for secret-named or sensitive variables.
fn tfvars_secrets(db: &SourceDb, m: &ModuleDir) -> Lowered {
    let unit = unit_key(&m.display);
    let mut out = Lowered::default();
    let sensitive: HashSet<String> =
        m.tf.iter()
            .flat_map(|p| p.body.blocks())
            .filter(|b| b.ident.as_str() == "variable")
            .filter(|b| {
                b.body
                    .get_attribute("sensitive")
                    .and_then(|a| a.value.as_bool())
                    == Some(true)
            })
            .filter_map(|b| b.labels.first().map(|l| l.as_str().to_owned()))
            .collect();
    for (_, p) in &m.vars {
        for (name, value) in modules::vars_file_values(db, p) {
            let secret_named = is_secret_parameter_name(&name) || sensitive.contains(&name);
            match value.as_known_str() {
                Some(text)
                    if secret_named
                        && !text.is_empty()
                        && !is_placeholder(text)
                        && !common::looks_like_reference(text) =>
                {
                    out.model.secrets.push(SecretSite {
                        unit: unit.clone(),
                        span: value.span,
                        value: text.to_owned(),
                        kind: SecretKind::ParameterValue,
                        context: name.clone(),
                        used_at: None,
                        family: FAMILY,
                    });
                }
                _ => {
                    let key_span = value.span;
                    let wrapped = Node::new(
                        Val::Object(vec![Prop {
                            key: Node::lit_str(name.clone(), key_span),
                            value,
                        }]),
                        key_span,
                        Provenance::ParameterFile,
                    );
                    common::collect_secrets(&unit, FAMILY, &wrapped, "", &mut out.model.secrets);
                }
            }
        }
    }
    out
}

/// A child module instantiated twice records its declarations (and the secrets written in
/// them) once.
fn dedupe(out: &mut Lowered) {
    let mut seen = HashSet::new();
    out.model
        .secrets
        .retain(|s| seen.insert((s.span, format!("{:?}", s.kind))));
    let mut seen = HashSet::new();
    out.model.parameters.retain(|p| seen.insert(p.name_span));
    let mut seen = HashSet::new();
    out.model
        .outputs
        .retain(|o| seen.insert((o.span, o.protected)));
    let mut seen = HashSet::new();
    out.model
        .units_with_unknown_identity_refs
        .retain(|u| seen.insert(u.clone()));
    out.diagnostics
        .sort_by_key(|d| (d.span.file, d.span.start, d.span.end));
}

#[cfg(test)]
mod tests;
