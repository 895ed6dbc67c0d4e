//! `--in-context` (what the pre-commit hook runs): each file argument is analyzed inside its
//! deployment unit, and only findings in the given files are reported.
//!
//! The unit of a file, found from names and a light text scan (the front ends then group
//! the files as usual):
//! - Terraform (`.tf`, `.tfvars`): every `.tf`/`.tfvars` file of its directory, and the local
//!   modules they call (`source = "./…"`), transitively;
//! - ARM (`.json`): every `.json` file of its directory (templates, parameter files) and the
//!   linked templates named by a `relativePath`, transitively;
//! - Bicep (`.bicep`, `.bicepparam`): every Bicep file of its directory and the local module
//!   files they name (`module x './m.bicep'`), transitively;
//! - scripts and pipelines: the files of the same kind in the same directory;
//! - and for a module or linked template, the units of the files that call it from up to
//!   three folders above (not above a folder holding `.git`), so it is analyzed with the
//!   inputs its callers give it.
//!
//! Directory arguments are analyzed and reported whole, as without the flag.

use crate::source::normalize_path;
use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The paths to analyze and the files or directories whose findings are reported.
#[derive(Debug, Default)]
pub struct Expanded {
    pub analyze: Vec<PathBuf>,
    pub report: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Terraform,
    Json,
    Bicep,
    Script,
    Other,
}

fn family(path: &Path) -> Family {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "tf" | "tfvars" => Family::Terraform,
        "json" => Family::Json,
        "bicep" | "bicepparam" => Family::Bicep,
        "sh" | "bash" | "zsh" | "ps1" | "psm1" | "yml" | "yaml" => Family::Script,
        _ => Family::Other,
    }
}

static TF_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^\s*source\s*=\s*"(\.{1,2}/[^"]*)""#).unwrap());
static ARM_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""relativePath"\s*:\s*"([^"\[]+)""#).unwrap());
static BICEP_MODULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^\s*module\s+\w+\s+'([^':]+)'"#).unwrap());

fn dir_files(dir: &Path, fam: Family, same_ext: Option<&str>) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| family(p) == fam)
        .filter(|p| {
            same_ext.is_none_or(|x| {
                p.extension()
                    .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(x))
            })
        })
        .collect();
    out.sort();
    out
}

/// The unit of one file (the file included).
fn unit_of(file: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut queue = vec![normalize_path(file)];
    let mut seen_dirs = BTreeSet::new();
    out.insert(normalize_path(file));
    while let Some(f) = queue.pop() {
        let fam = family(&f);
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let same_ext = match fam {
            Family::Script => f.extension().map(|e| e.to_string_lossy().into_owned()),
            _ => None,
        };
        if !seen_dirs.insert((dir.clone(), same_ext.clone())) {
            continue;
        }
        let siblings = dir_files(&dir, fam, same_ext.as_deref());
        let pattern = pattern_of(fam);
        for s in &siblings {
            out.insert(normalize_path(s));
            let Some(pattern) = pattern else { continue };
            let Ok(text) = std::fs::read_to_string(s) else {
                continue;
            };
            for c in pattern.captures_iter(&text) {
                let target = normalize_path(&dir.join(&c[1]));
                if target.is_dir() {
                    // A Terraform module: its directory's files.
                    if let Some(first) = dir_files(&target, Family::Terraform, None).first() {
                        queue.push(first.clone());
                    }
                } else if target.is_file() && out.insert(target.clone()) {
                    queue.push(target);
                }
            }
        }
    }
    out
}

/// How many folders up callers of a module are looked for.
const CALLER_LEVELS: usize = 3;

fn pattern_of(fam: Family) -> Option<&'static Regex> {
    match fam {
        Family::Terraform => Some(&*TF_SOURCE),
        Family::Json => Some(&*ARM_LINK),
        Family::Bicep => Some(&*BICEP_MODULE),
        _ => None,
    }
}

/// Files in the folders above `file` (up to [`CALLER_LEVELS`], not above a repository root)
/// that call it as a module or linked template, so that it is analyzed where its inputs are
/// known.
fn callers(file: &Path) -> Vec<PathBuf> {
    let fam = family(file);
    let Some(pattern) = pattern_of(fam) else {
        return Vec::new();
    };
    let file = normalize_path(file);
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    // Terraform calls a module folder; the others name the file.
    let target = if fam == Family::Terraform {
        dir.clone()
    } else {
        file.clone()
    };
    let mut out = Vec::new();
    for ancestor in dir.ancestors().skip(1).take(CALLER_LEVELS) {
        let here = if ancestor.as_os_str().is_empty() {
            Path::new(".")
        } else {
            ancestor
        };
        for candidate in dir_files(here, fam, None) {
            let Ok(text) = std::fs::read_to_string(&candidate) else {
                continue;
            };
            if pattern
                .captures_iter(&text)
                .any(|c| normalize_path(&ancestor.join(&c[1])) == target)
            {
                out.push(candidate);
            }
        }
        if here.join(".git").exists() {
            break;
        }
    }
    out
}

/// Expand file arguments into their units (and their callers' units); directories stay as
/// they are.
pub fn expand(paths: &[PathBuf]) -> Expanded {
    let mut analyze = BTreeSet::new();
    let mut report = Vec::new();
    for p in paths {
        if p.is_file() {
            analyze.extend(unit_of(p));
            for caller in callers(p) {
                analyze.extend(unit_of(&caller));
            }
        } else {
            analyze.insert(p.clone());
        }
        report.push(normalize_path(p));
    }
    Expanded {
        analyze: analyze.into_iter().collect(),
        report,
    }
}

/// Whether a file (as stored in the source database) is one whose findings are reported.
pub fn reported(report: &[PathBuf], file: &Path) -> bool {
    let file = normalize_path(file);
    report.iter().any(|r| file == *r || file.starts_with(r))
}
