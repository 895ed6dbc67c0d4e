//! Settings: built-in defaults < `.idlint.yaml` < command line, layered once here.
//!
//! The file is found upward from the working directory (or given with `--config`); its
//! globs are relative to its own folder. What the layers decide: which rules run (and with
//! which options, see [`crate::rules::options`]), severity overrides, path excludes and
//! per-path overrides (applied to the findings after the rules ran), and `fail-on`.

pub mod config;

use crate::diagnostic::Severity;
use crate::engine::{Analysis, Selection};
use crate::rules::options::RuleOptions;
use crate::rules::registry::{self, RULES};
use config::{Config, RuleConfig};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The file names looked for, in order, in each folder from the working directory up.
pub const CONFIG_NAMES: &[&str] = &[".idlint.yaml", ".idlint.yml"];

/// The first configuration file in `start` or one of its ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        CONFIG_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Read and validate a configuration file. Errors name the file, line and column.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse(&text).map_err(|(loc, msg)| match loc {
        Some((line, col)) => format!("{}:{line}:{col}: {msg}", path.display()),
        None => format!("{}: {msg}", path.display()),
    })
}

/// Parse configuration text; an error carries its 1-based line and column when known.
pub fn parse(text: &str) -> Result<Config, (Option<(usize, usize)>, String)> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Config::default());
    }
    serde_yaml_ng::from_str::<Config>(text).map_err(|e| {
        let mut loc = e.location().map(|l| (l.line(), l.column()));
        // serde_yaml reports a rejected map key at the entry before it; point at the key.
        if let (Some((line, _)), Some(name)) = (loc, unknown_rule_name(&e.to_string())) {
            let key = |l: &str| {
                let t = l.trim_start();
                [name.clone(), format!("\"{name}\""), format!("'{name}'")]
                    .iter()
                    .any(|k| {
                        t.strip_prefix(k.as_str())
                            .is_some_and(|r| r.trim_start().starts_with(':'))
                    })
            };
            if let Some((i, l)) = text
                .lines()
                .enumerate()
                .skip(line - 1)
                .find(|(_, l)| key(l))
            {
                loc = Some((i + 1, l.len() - l.trim_start().len() + 1));
            }
        }
        // The location is given separately; drop serde_yaml's " at line N column M".
        let msg = e.to_string();
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_owned(),
            None => msg,
        };
        (loc, msg)
    })
}

fn unknown_rule_name(msg: &str) -> Option<String> {
    let rest = msg.split("unknown rule '").nth(1)?;
    Some(rest.split('\'').next()?.to_owned())
}

/// What the command line says; `None`/empty means "not given".
#[derive(Clone, Debug, Default)]
pub struct CliLayer {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
}

/// The layered result.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The configuration file used, if any.
    pub config_path: Option<PathBuf>,
    /// Folder that configuration globs are relative to.
    pub root: PathBuf,
    pub selection: Selection,
    pub fail_on: Severity,
    severity: BTreeMap<&'static str, Severity>,
    /// Rules that run only because an override enables them somewhere.
    enabled_by_override_only: BTreeSet<&'static str>,
    exclude: Option<GlobSet>,
    overrides: Vec<(GlobSet, BTreeMap<&'static str, RuleConfig>)>,
}

fn globset(globs: &[String]) -> Option<GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // Checked while parsing; a glob that fails here is skipped.
        if let Ok(glob) = Glob::new(g) {
            b.add(glob);
        }
    }
    b.build().ok()
}

impl Settings {
    /// Layer defaults < `config` < `cli`. `root` is the folder of the configuration file
    /// (the working directory without one).
    pub fn resolve(config: Option<(PathBuf, Config)>, cli: &CliLayer, cwd: &Path) -> Settings {
        let (config_path, config) = match config {
            Some((p, c)) => (Some(p), c),
            None => (None, Config::default()),
        };
        let root = config_path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|p| if p.as_os_str().is_empty() { cwd } else { p })
            .map(|p| crate::source::normalize_path(&cwd.join(p)))
            .unwrap_or_else(|| crate::source::normalize_path(cwd));

        // Which rules are on: defaults, then the file, then --select / --ignore.
        let mut on: BTreeSet<&'static str> = RULES
            .iter()
            .map(|r| r.meta())
            .filter(|m| {
                config
                    .rules
                    .0
                    .get(m.name)
                    .and_then(|c| c.enabled)
                    .unwrap_or(m.default_enabled)
            })
            .map(|m| m.name)
            .collect();
        let named = |list: &[String], name: &str| {
            list.iter()
                .any(|n| n == "all" || registry::find(n).is_some_and(|r| r.meta().name == name))
        };
        if !cli.select.is_empty() {
            on = RULES
                .iter()
                .map(|r| r.meta().name)
                .filter(|n| named(&cli.select, n))
                .collect();
        }
        on.retain(|n| !named(&cli.ignore, n));
        // Per-path overrides may turn a rule on for some paths only: it runs, and its
        // findings elsewhere are dropped.
        let mut enabled_by_override_only = BTreeSet::new();
        if cli.select.is_empty() {
            for o in &config.overrides {
                for (name, c) in &o.rules.0 {
                    if c.enabled == Some(true) && !on.contains(name) && !named(&cli.ignore, name) {
                        enabled_by_override_only.insert(*name);
                    }
                }
            }
        }
        let all: Vec<&'static str> = RULES.iter().map(|r| r.meta().name).collect();
        let runs = |n: &&&str| on.contains(**n) || enabled_by_override_only.contains(**n);
        let select: Vec<String> = all.iter().filter(runs).map(|n| n.to_string()).collect();
        let ignore: Vec<String> = all
            .iter()
            .filter(|n| !runs(n))
            .map(|n| n.to_string())
            .collect();

        let mut options = RuleOptions::default();
        for (name, c) in &config.rules.0 {
            match *name {
                "broad-role-scope" => {
                    options.extra_privileged_roles = c.extra_privileged_roles.clone();
                    options.allowed_principals = c.allowed_principals.clone();
                }
                "orphaned-identity" => options.orphan_exempt = globset(&c.exempt),
                "hardcoded-secret" => {
                    options.secret_allow = c
                        .allow
                        .iter()
                        .filter_map(|r| regex::Regex::new(r).ok())
                        .collect()
                }
                _ => {}
            }
        }
        Settings {
            config_path,
            root,
            selection: Selection {
                select,
                ignore,
                options,
            },
            fail_on: cli.fail_on.or(config.fail_on).unwrap_or(Severity::Low),
            severity: config
                .rules
                .0
                .iter()
                .filter_map(|(n, c)| c.severity.map(|s| (*n, s)))
                .collect(),
            enabled_by_override_only,
            exclude: globset(&config.exclude),
            overrides: config
                .overrides
                .iter()
                .filter_map(|o| globset(&o.files).map(|g| (g, o.rules.0.clone())))
                .collect(),
        }
    }

    /// The path of a file relative to the configuration root, for globs.
    fn relative(&self, path: &Path, cwd: &Path) -> PathBuf {
        let abs = cwd.join(path);
        let abs = crate::source::normalize_path(&abs);
        abs.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or(abs)
    }

    /// Whether a path or one of its folders matches.
    fn matches(set: &GlobSet, rel: &Path) -> bool {
        rel.ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| set.is_match(p))
    }

    /// Apply what is decided per finding: excludes, per-path overrides, severity overrides.
    pub fn apply(&self, analysis: &mut Analysis) {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let db = &analysis.db;
        analysis.diagnostics.retain_mut(|d| {
            let rel = self.relative(&db.get(d.span.file).path, &cwd);
            if self
                .exclude
                .as_ref()
                .is_some_and(|g| Self::matches(g, &rel))
            {
                return false;
            }
            let mut enabled = !self.enabled_by_override_only.contains(d.rule);
            let mut severity = self.severity.get(d.rule).copied();
            for (set, rules) in &self.overrides {
                if let Some(c) = rules.get(d.rule)
                    && Self::matches(set, &rel)
                {
                    enabled = c.enabled.unwrap_or(enabled);
                    severity = c.severity.or(severity);
                }
            }
            if let Some(s) = severity {
                d.severity = s;
            }
            enabled
        });
    }
}
