//! The pipeline: discover → read → lower (parallel per unit) → graph → rules (parallel) →
//! sort. The only module that knows every stage.

use crate::diagnostic::{self, Diagnostic};
use crate::discover::{self, Found, Hint};
use crate::graph::IdentityGraph;
use crate::lower::{self, Lowered, parse_error};
use crate::model::Model;
use crate::rules::registry::RULES;
use crate::rules::{Rule, RuleContext};
use crate::source::{FileId, Format, SourceDb, SourceFile, Span};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files larger than this are reported and skipped: no real template comes close, and a
/// pre-commit hook must not stall on a generated blob.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Which rules run.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these rules (names); empty means every rule enabled by default.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Per-rule options from the configuration.
    pub options: crate::rules::options::RuleOptions,
}

impl Selection {
    pub fn enabled(&self, rule: &dyn Rule) -> bool {
        let meta = rule.meta();
        let named = |list: &[String]| {
            list.iter().any(|n| {
                n.eq_ignore_ascii_case(meta.name) || n.eq_ignore_ascii_case(meta.code) || n == "all"
            })
        };
        if named(&self.ignore) {
            return false;
        }
        if self.select.is_empty() {
            meta.default_enabled
        } else {
            named(&self.select)
        }
    }
}

/// Time spent per stage, and the peak resident memory at the end of each.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub discover: Duration,
    pub read: Duration,
    /// Parsing inside `lower`, summed over threads (CPU time, not wall time).
    pub parse: Duration,
    pub lower: Duration,
    pub graph: Duration,
    pub rules: Duration,
    /// Bytes of analyzed source text.
    pub bytes: u64,
    /// Peak RSS in KiB after discover, read, lower, graph, rules (when the OS tells).
    pub peak_rss_kb: [Option<u64>; 5],
}

/// The process's peak resident set size so far, in KiB (Linux `VmHWM`).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Everything a report needs.
pub struct Analysis {
    pub db: SourceDb,
    pub model: Model,
    /// Sorted findings, parse errors included.
    pub diagnostics: Vec<Diagnostic>,
    /// Secret ranges per file, for renderers that print source text.
    pub secret_ranges: BTreeMap<FileId, Vec<(usize, usize)>>,
    pub timings: Timings,
    /// Paths that could not be walked.
    pub walk_errors: Vec<String>,
    /// The rules that ran, in registry order.
    pub rules_run: Vec<&'static str>,
    /// Masked texts of the files with secrets, by file id, built by [`Analysis::masked_text`].
    masked: Vec<std::sync::OnceLock<String>>,
}

impl Analysis {
    /// The text of a file with every secret overwritten: masked once per file, on first use
    /// (renderers ask per finding); a file without secrets is its own text.
    pub fn masked_text(&self, file: FileId) -> &str {
        let text = &self.db.get(file).text;
        match self.secret_ranges.get(&file) {
            Some(ranges) => self.masked[file.0 as usize]
                .get_or_init(|| crate::model::secrets::mask_ranges(text, ranges)),
            None => text,
        }
    }

    pub fn file_count(&self) -> usize {
        self.db.len()
    }
}

/// Paths relative to the working directory, with `/`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

/// Decode file bytes: UTF-8 (BOM stripped), or UTF-16 with a BOM; anything else is an error.
fn decode(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        return String::from_utf8(bytes).map_err(|e| {
            format!(
                "not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to() + 3
            )
        });
    }
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_owned())
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(false);
    }
    if memchr::memchr(0, &bytes).is_some() {
        return Err("binary content (NUL bytes), not a text file".into());
    }
    // The buffer becomes the text: no copy.
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))
}

/// Whether the first bytes of a (too large to read) file name an ARM schema.
fn head_is_arm(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(8192);
    let read = std::fs::File::open(path).and_then(|f| f.take(8192).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let text = match std::str::from_utf8(&head) {
        Ok(t) => t,
        // The cut may fall inside a character.
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    lower::arm::detect(text.strip_prefix('\u{feff}').unwrap_or(text)).is_some()
}

/// What reading one found file gave.
enum Read {
    File(PathBuf, String, Format),
    /// A file of a supported format, ready for the source database.
    Ready(SourceFile),
    /// Not a format idlint analyzes (JSON without an ARM schema…): skipped silently.
    Skip,
    Problem(PathBuf, String),
}

fn read_one(found: &Found) -> Read {
    let path = &found.path;
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            // Sniffed kinds are only worth a diagnostic if they would have been analyzed: an
            // oversized JSON file is reported when its head says it is an ARM template.
            if matches!(found.hint, Hint::Known(_))
                || found.explicit
                || (found.hint == Hint::Json && head_is_arm(path))
            {
                return Read::Problem(
                    path.clone(),
                    format!(
                        "file is {} MB, over the {} MB limit; not analyzed",
                        m.len() / (1024 * 1024),
                        MAX_FILE_BYTES / (1024 * 1024)
                    ),
                );
            }
            return Read::Skip;
        }
        Err(e) => return Read::Problem(path.clone(), format!("cannot read: {e}")),
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Read::Problem(path.clone(), format!("cannot read: {e}")),
    };
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(why) => {
            return match found.hint {
                Hint::Known(_) => Read::Problem(path.clone(), why),
                _ if found.explicit => Read::Problem(path.clone(), why),
                _ => Read::Skip,
            };
        }
    };
    let format = match found.hint {
        Hint::Known(f) => Some(f),
        Hint::Json => lower::arm::detect(&text),
        Hint::Yaml => discover::yaml_format(path, &text),
        Hint::MaybeScript => discover::shebang_format(&text).or_else(|| lower::arm::detect(&text)),
    };
    match format {
        Some(f) => Read::File(path.clone(), text, f),
        None => Read::Skip,
    }
}

/// A front end lowers every file of its formats, grouping them into deployment units itself
/// (ARM templates with their parameter files, Bicep files with their modules, Terraform
/// directories, script folders).
/// It returns one part per unit; the engine concatenates the parts of all front ends at once.
pub type FrontEnd = fn(&SourceDb, &[FileId]) -> Vec<Lowered>;

/// Every front end, with the formats it reads. Adding a format is one line here.
#[rustfmt::skip]
pub static FRONT_ENDS: &[(&[Format], FrontEnd)] = &[
    (&[Format::ArmTemplate, Format::ArmParameters], lower::arm::lower_parts),
    (&[Format::Bicep, Format::BicepParam], lower::bicep::lower_parts),
    (&[Format::Terraform, Format::TerraformVars], |db, files| vec![lower::terraform::lower(db, files)]),
    (&[Format::Bash, Format::PowerShell, Format::GithubWorkflow, Format::AzurePipelines], lower::script::lower_parts),
];

fn supported(format: Format) -> bool {
    FRONT_ENDS
        .iter()
        .any(|(formats, _)| formats.contains(&format))
}

/// Told how far the analysis is (a progress bar); every method defaults to nothing.
pub trait Observer: Sync {
    /// A stage starts; `total` items when it counts them (files read), else 0.
    fn stage(&self, _name: &'static str, _total: u64) {}
    /// One item of the current stage is done.
    fn advance(&self) {}
}

impl Observer for () {}

/// Stack size of the analysis threads: deep but valid inputs (nesting up to each parser's
/// limit) recurse in the parsers and evaluators.
pub const WORKER_STACK_BYTES: usize = 32 * 1024 * 1024;

/// The thread pool an analysis runs in: `threads` workers (default: one per core) with
/// [`WORKER_STACK_BYTES`] of stack each.
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, String> {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK_BYTES)
        .build()
        .map_err(|e| format!("cannot start {threads} threads: {e}"))
}

/// Run the whole analysis on the current rayon pool.
pub fn analyze(paths: &[PathBuf], selection: &Selection) -> Analysis {
    analyze_observed(paths, selection, &())
}

/// [`analyze`], reporting progress to an observer.
pub fn analyze_observed(
    paths: &[PathBuf],
    selection: &Selection,
    observer: &dyn Observer,
) -> Analysis {
    let mut timings = Timings::default();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));

    let start = Instant::now();
    let (found, walk_errors) = discover::walk(paths);
    timings.discover = start.elapsed();
    timings.peak_rss_kb[0] = peak_rss_kb();

    let start = Instant::now();
    observer.stage("reading", found.len() as u64);
    let reads: Vec<Read> = found
        .par_iter()
        .map(|f| {
            let read = match read_one(f) {
                // Paths are prepared here, in parallel, rather than in the loop below.
                Read::File(path, text, format) if supported(format) => {
                    let path = crate::source::normalize_path(&path);
                    let display = display_path(&path, &cwd);
                    Read::Ready(SourceFile::new(path, display, text, format))
                }
                read => read,
            };
            observer.advance();
            read
        })
        .collect();
    let mut db = SourceDb::default();
    let mut input_problems = Vec::new();
    // Files that could not be read are in the db (diagnostics need a path) but are not lowered:
    // their empty text would otherwise be reported a second time as invalid syntax.
    let mut unread: HashSet<FileId> = HashSet::new();
    for read in reads {
        match read {
            Read::Ready(file) => {
                db.add(file);
            }
            Read::File(..) | Read::Skip => {}
            Read::Problem(path, why) => {
                let display = display_path(&path, &cwd);
                let format = match discover::hint_for(&path) {
                    Some(Hint::Known(f)) => f,
                    _ => Format::ArmTemplate,
                };
                let id = db.add(SourceFile::new(path, display, String::new(), format));
                unread.insert(id);
                input_problems.push(parse_error(Span::new(id, 0, 0), why));
            }
        }
    }
    timings.read = start.elapsed();
    timings.bytes = db.files().map(|(_, f)| f.text.len() as u64).sum();
    timings.peak_rss_kb[1] = peak_rss_kb();

    observer.stage("lowering", 0);
    let start = Instant::now();
    let parse_before = crate::parse::parse_time();
    let lowered: Vec<Vec<Lowered>> = FRONT_ENDS
        .par_iter()
        .map(|(formats, front_end)| {
            let files: Vec<FileId> = db
                .files()
                .filter(|(id, f)| formats.contains(&f.format) && !unread.contains(id))
                .map(|(id, _)| id)
                .collect();
            if files.is_empty() {
                Vec::new()
            } else {
                front_end(&db, &files)
            }
        })
        .collect();
    let Lowered {
        model,
        diagnostics: lowering_problems,
    } = Lowered::concat(lowered.into_iter().flatten().collect());
    let mut diagnostics = input_problems;
    diagnostics.extend(lowering_problems);
    timings.lower = start.elapsed();
    timings.parse = crate::parse::parse_time().saturating_sub(parse_before);
    timings.peak_rss_kb[2] = peak_rss_kb();

    observer.stage("building the identity graph", 0);
    let start = Instant::now();
    let graph = IdentityGraph::build(&model);
    timings.graph = start.elapsed();
    timings.peak_rss_kb[3] = peak_rss_kb();

    observer.stage("running rules", 0);
    let start = Instant::now();
    let found: Vec<Diagnostic> = RULES
        .par_iter()
        .filter(|r| selection.enabled(**r))
        .flat_map_iter(|rule| {
            let mut cx = RuleContext::new(&graph, rule.meta()).with_options(&selection.options);
            rule.check(&mut cx);
            cx.into_diagnostics()
        })
        .collect();
    diagnostics.extend(found);
    let parse_enabled = RULES
        .iter()
        .find(|r| r.meta().name == lower::PARSE_ERROR)
        .is_some_and(|r| selection.enabled(*r));
    if !parse_enabled {
        diagnostics.retain(|d| d.rule != lower::PARSE_ERROR);
    }
    let rules_run: Vec<&'static str> = RULES
        .iter()
        .filter(|r| selection.enabled(**r))
        .map(|r| r.meta().name)
        .collect();
    crate::suppress::apply(&db, &mut diagnostics, &rules_run, crate::suppress::today());
    // A file lowered twice (standalone and as a linked template) reports once.
    diagnostic::sort(&mut diagnostics, &db);
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert((d.rule, d.span, d.message.clone())));
    timings.rules = start.elapsed();
    timings.peak_rss_kb[4] = peak_rss_kb();
    drop(graph);

    let mut secret_ranges: BTreeMap<FileId, Vec<(usize, usize)>> = BTreeMap::new();
    for s in &model.secrets {
        let text = db.get(s.span.file).text.as_bytes();
        let (mut start, mut end) = (s.span.start as usize, s.span.end as usize);
        // Mask the value, not the quotes around it.
        if end >= start + 2
            && matches!(text.get(start), Some(b'"' | b'\''))
            && text.get(end - 1) == text.get(start)
        {
            start += 1;
            end -= 1;
        }
        secret_ranges
            .entry(s.span.file)
            .or_default()
            .push((start, end));
    }
    // Defaults of secure parameters are secrets too, reported or not.
    for p in model.parameters.iter().filter(|p| p.secure) {
        if let Some(default) = &p.default {
            default.walk(|n, _| {
                if n.as_known_str().is_some_and(|t| !t.is_empty()) {
                    let (start, end) = (
                        n.span.start as usize + 1,
                        (n.span.end as usize).saturating_sub(1),
                    );
                    if end > start {
                        secret_ranges
                            .entry(n.span.file)
                            .or_default()
                            .push((start, end));
                    }
                }
            });
        }
    }
    Analysis {
        masked: (0..db.len()).map(|_| std::sync::OnceLock::new()).collect(),
        db,
        model,
        diagnostics,
        secret_ranges,
        timings,
        walk_errors,
        rules_run,
    }
}
