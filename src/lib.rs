//! idlint: static analysis of Azure identity configuration in infrastructure-as-code.
//!
//! `run` wires the CLI to the pipeline in [`engine`]; see ARCHITECTURE.md for the stages.

pub mod baseline;
pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod graph;
pub mod lower;
pub mod model;
pub mod parse;
pub mod report;
pub mod review;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod units;

use clap::Parser;
use std::io::{IsTerminal, Write};

/// Exit codes: nothing at or above the threshold, findings, bad usage or unreadable input.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

pub fn main_entry() -> i32 {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    match cli.command {
        cli::Command::Check(args) => check(args),
        cli::Command::Graph(args) => review::graph(args),
        cli::Command::Can(args) => review::query("can", args),
        cli::Command::WhoCan(args) => review::query("who-can", args),
        cli::Command::Rules => {
            print_rules();
            EXIT_OK
        }
        cli::Command::Rule { name } => match rules::registry::find(&name) {
            Some(rule) => {
                let m = rule.meta();
                println!(
                    "# {} ({})\n\nDefault severity: {}. Formats: {}.\n",
                    m.name,
                    m.code,
                    m.severity,
                    formats(m)
                );
                print!("{}", unindent_docs(m.docs));
                EXIT_OK
            }
            None => {
                eprintln!("error: no rule named '{name}' (see `idlint rules`)");
                EXIT_ERROR
            }
        },
    }
}

fn formats(m: &rules::RuleMeta) -> String {
    m.formats
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Doc comments keep the space after `///`; strip it for display.
pub fn unindent_docs(docs: &str) -> String {
    docs.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn print_rules() {
    println!(
        "{:<8} {:<28} {:<9} {:<7} {:<28} summary",
        "code", "name", "severity", "default", "formats"
    );
    for rule in rules::registry::RULES {
        let m = rule.meta();
        println!(
            "{:<8} {:<28} {:<9} {:<7} {:<28} {}",
            m.code,
            m.name,
            m.severity.as_str(),
            if m.default_enabled { "on" } else { "off" },
            formats(m),
            m.summary()
        );
    }
}

fn check(args: cli::CheckArgs) -> i32 {
    let started = std::time::Instant::now();
    for name in args.select.iter().chain(&args.ignore) {
        if name != "all" && rules::registry::find(name).is_none() {
            eprintln!("error: unknown rule '{name}' in --select/--ignore (see `idlint rules`)");
            return EXIT_ERROR;
        }
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("."));
    let config_path = if args.no_config {
        None
    } else {
        args.config.clone().or_else(|| settings::find_config(&cwd))
    };
    let config = match config_path {
        Some(path) => match settings::load(&path) {
            Ok(c) => Some((path, c)),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let baseline = match &args.baseline {
        Some(path) => match baseline::read(path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let settings = settings::Settings::resolve(
        config,
        &settings::CliLayer {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            fail_on: args.fail_on,
        },
        &cwd,
    );
    let selection = settings.selection.clone();
    let expanded = if args.in_context {
        units::expand(&args.paths)
    } else {
        units::Expanded {
            analyze: args.paths.clone(),
            report: Vec::new(),
        }
    };
    let pool = match engine::thread_pool(args.threads.map(usize::from)) {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let progress = report::progress::Progress::start(args.format.wants_progress());
    let mut analysis = pool.install(|| match &progress {
        Some(p) => engine::analyze_observed(&expanded.analyze, &selection, p),
        None => engine::analyze(&expanded.analyze, &selection),
    });
    if let Some(p) = progress {
        p.finish();
    }
    settings.apply(&mut analysis);
    if args.in_context {
        let db = &analysis.db;
        analysis
            .diagnostics
            .retain(|d| units::reported(&expanded.report, &db.get(d.span.file).path));
    }
    if let Some(path) = &args.write_baseline {
        return match baseline::write(path, &analysis.diagnostics, &analysis.db) {
            Ok(n) => {
                eprintln!("baseline: wrote {n} findings to {}", path.display());
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: cannot write the baseline {}: {e}", path.display());
                EXIT_ERROR
            }
        };
    }
    if let Some(b) = &baseline {
        let outcome = baseline::filter(b, &mut analysis.diagnostics, &analysis.db);
        eprintln!(
            "baseline: {} known findings hidden, {} new, {} stale entries",
            outcome.known,
            analysis.diagnostics.len(),
            outcome.stale.len()
        );
        for e in &outcome.stale {
            eprintln!(
                "  stale (fixed or moved): {} {}: {}",
                e.rule, e.path, e.message
            );
        }
    }
    if !analysis.walk_errors.is_empty() {
        for e in &analysis.walk_errors {
            eprintln!("error: {e}");
        }
        if analysis.db.is_empty() {
            return EXIT_ERROR;
        }
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let cx = report::ReportContext {
        analysis: &analysis,
        fail_on: settings.fail_on,
        color: to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let emitter: Box<dyn report::Emitter> = if args.statistics {
        Box::new(report::statistics::Statistics)
    } else {
        args.format.emitter()
    };
    let report_start = std::time::Instant::now();
    let result = match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            emitter.emit(&cx, &mut w)?;
            w.flush()
        }),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            emitter.emit(&cx, &mut lock).and_then(|_| lock.flush())
        }
    };
    if args.timings {
        print_timings(&analysis, report_start.elapsed(), started.elapsed());
    }
    if let Err(e) = result {
        // A closed pipe (`idlint check | head`) is not an error.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
            return EXIT_ERROR;
        }
    }
    let code = exit_code(&analysis, settings.fail_on);
    // The process ends here: freeing every node of a large run one by one costs more than
    // the report (measured ~6% of a corpus run), and the OS reclaims it at once.
    std::mem::forget(analysis);
    code
}

/// `--timings`: wall time and peak RSS per stage, on stderr.
fn print_timings(
    analysis: &engine::Analysis,
    report: std::time::Duration,
    total: std::time::Duration,
) {
    let t = &analysis.timings;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let mb = |kb: Option<u64>| kb.map_or("-".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0));
    let mut out = format!(
        "timings: {} files, {:.1} MB\n  {:<9} {:>10} {:>12}\n",
        analysis.file_count(),
        t.bytes as f64 / (1024.0 * 1024.0),
        "stage",
        "wall ms",
        "peak RSS MB"
    );
    let stages = [
        ("discover", t.discover, t.peak_rss_kb[0]),
        ("read", t.read, t.peak_rss_kb[1]),
        ("lower", t.lower, t.peak_rss_kb[2]),
        ("graph", t.graph, t.peak_rss_kb[3]),
        ("rules", t.rules, t.peak_rss_kb[4]),
        ("report", report, engine::peak_rss_kb()),
    ];
    for (name, d, kb) in stages {
        out += &format!("  {name:<9} {:>10.1} {:>12}", ms(d), mb(kb));
        if name == "lower" {
            out += &format!("   (parse {:.1} ms CPU, summed over threads)", ms(t.parse));
        }
        out += "\n";
    }
    out += &format!("  {:<9} {:>10.1}\n", "total", ms(total));
    eprint!("{out}");
}

/// 2 when input could not be analyzed, else 1 when a finding reaches the threshold, else 0.
pub fn exit_code(analysis: &engine::Analysis, fail_on: diagnostic::Severity) -> i32 {
    if analysis
        .diagnostics
        .iter()
        .any(|d| d.rule == lower::PARSE_ERROR)
        || !analysis.walk_errors.is_empty()
    {
        return EXIT_ERROR;
    }
    if analysis.diagnostics.iter().any(|d| d.severity >= fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
