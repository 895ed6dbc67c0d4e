//! Finding input files and deciding their format.
//!
//! Directories are walked honouring `.gitignore` (ripgrep's `ignore` crate), including hidden
//! folders such as `.github/` but never `.git/` or `.terraform/`. Explicit file arguments
//! are always analyzed. ARM files are recognised by their `$schema`, not their name.

use crate::source::Format;
use std::path::{Path, PathBuf};

/// A file to analyze, or a reason it could not even be looked at.
#[derive(Debug)]
pub struct Found {
    pub path: PathBuf,
    /// Known from the name alone; JSON and YAML need their content to decide.
    pub hint: Hint,
    pub explicit: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    Known(Format),
    /// `.json`: an ARM template or parameter file only if its `$schema` says so.
    Json,
    /// `.yml`/`.yaml`: a CI workflow only if its place or content says so.
    Yaml,
    /// No extension: a script if its shebang says so.
    MaybeScript,
}

/// Directories never descended into.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "node_modules",
    ".idea",
    ".vscode-test",
];

pub fn hint_for(path: &Path) -> Option<Hint> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    Some(match ext {
        Some("json") => {
            if name.ends_with(".tf.json") {
                return None;
            }
            Hint::Json
        }
        Some("bicep") => Hint::Known(Format::Bicep),
        Some("bicepparam") => Hint::Known(Format::BicepParam),
        Some("tf") => Hint::Known(Format::Terraform),
        Some("tfvars") => Hint::Known(Format::TerraformVars),
        Some("sh" | "bash" | "zsh") => Hint::Known(Format::Bash),
        Some("ps1" | "psm1") => Hint::Known(Format::PowerShell),
        Some("yml" | "yaml") => Hint::Yaml,
        None => Hint::MaybeScript,
        _ => return None,
    })
}

/// Walk the given paths. Errors (a path that does not exist) are returned separately so the
/// caller can report them as usage errors.
pub fn walk(paths: &[PathBuf]) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(format!("{}: {e}", root.display()));
                continue;
            }
        };
        if meta.is_file() {
            // Explicit files are analyzed whatever their name; unknown kinds are sniffed.
            let hint = hint_for(root).unwrap_or(Hint::MaybeScript);
            found.push(Found {
                path: root.clone(),
                hint,
                explicit: true,
            });
            continue;
        }
        // Parallel: reading directories is most of a large walk; the result is sorted below.
        let found_here = std::sync::Mutex::new(Vec::new());
        let errors_here = std::sync::Mutex::new(Vec::new());
        ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .parents(true)
            .follow_links(false)
            .threads(rayon::current_num_threads())
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
            })
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                            if let Some(hint) = hint_for(e.path()) {
                                let found = Found {
                                    path: e.into_path(),
                                    hint,
                                    explicit: false,
                                };
                                found_here
                                    .lock()
                                    .unwrap_or_else(|p| p.into_inner())
                                    .push(found);
                            }
                        }
                        Ok(_) => {}
                        // Unreadable directories and loops are reported, not fatal.
                        Err(e) => errors_here
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(e.to_string()),
                    }
                    ignore::WalkState::Continue
                })
            });
        found.extend(found_here.into_inner().unwrap_or_else(|p| p.into_inner()));
        let mut errors_here = errors_here.into_inner().unwrap_or_else(|p| p.into_inner());
        errors_here.sort();
        errors.extend(errors_here);
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    (found, errors)
}

/// Whether a YAML file is a GitHub Actions workflow or an Azure Pipelines definition.
pub fn yaml_format(path: &Path, text: &str) -> Option<Format> {
    let p = path.to_string_lossy().replace('\\', "/");
    if p.contains(".github/workflows/") {
        return Some(Format::GithubWorkflow);
    }
    let looks_like_pipeline = text.lines().any(|l| {
        let l = l.trim_end();
        matches!(l, "steps:" | "jobs:" | "stages:")
            || l.starts_with("trigger:")
            || l.starts_with("pool:")
    }) && (text.contains("task:")
        || text.contains("script:")
        || text.contains("pwsh:")
        || text.contains("bash:")
        || text.contains("powershell:"));
    looks_like_pipeline.then_some(Format::AzurePipelines)
}

/// Shell from a shebang line.
pub fn shebang_format(text: &str) -> Option<Format> {
    let first = text.lines().next()?.trim();
    let rest = first.strip_prefix("#!")?;
    if rest.contains("pwsh") || rest.contains("powershell") {
        Some(Format::PowerShell)
    } else if ["bash", "/sh", " sh", "zsh", "dash", "ksh"]
        .iter()
        .any(|s| rest.contains(s))
    {
        Some(Format::Bash)
    } else {
        None
    }
}
