//! The reviewer commands: `idlint graph`, `idlint can`, `idlint who-can`. They run the whole
//! analysis (every default rule, so findings can be grouped) and print the graph or answers.

use crate::report::graph_export;
use crate::report::inventory::ReviewView;
use crate::report::query;
use crate::{EXIT_ERROR, EXIT_OK, cli, engine};
use std::io::Write;
use std::path::PathBuf;

fn analyze(paths: &[PathBuf], threads: Option<u16>) -> Result<engine::Analysis, i32> {
    let pool = engine::thread_pool(threads.map(usize::from)).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_ERROR
    })?;
    let analysis = pool.install(|| engine::analyze(paths, &engine::Selection::default()));
    for e in &analysis.walk_errors {
        eprintln!("error: {e}");
    }
    if !analysis.walk_errors.is_empty() && analysis.db.is_empty() {
        return Err(EXIT_ERROR);
    }
    Ok(analysis)
}

fn finish(result: std::io::Result<()>) -> i32 {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write: {e}");
            EXIT_ERROR
        }
        _ => EXIT_OK,
    }
}

pub fn graph(args: cli::GraphArgs) -> i32 {
    let analysis = match analyze(&args.paths, args.threads) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let view = ReviewView::build(&analysis);
    let result = match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            graph_export::emit(&view, args.format, &mut w)?;
            w.flush()
        }),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            graph_export::emit(&view, args.format, &mut lock).and_then(|_| lock.flush())
        }
    };
    finish(result)
}

pub fn query(which: &'static str, args: cli::QueryArgs) -> i32 {
    let analysis = match analyze(&args.paths, args.threads) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let answers = if which == "can" {
        query::can(&analysis, &args.name)
    } else {
        query::who_can(&analysis, &args.name)
    };
    if answers.is_empty() {
        let what = if which == "can" {
            "identity, principal or resource"
        } else {
            "resource"
        };
        eprintln!(
            "error: no {what} named '{}' in the analyzed code (see `idlint graph --format json` for names)",
            args.name
        );
        return EXIT_ERROR;
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    finish(
        query::write(which, &args.name, &answers, args.format, &mut lock)
            .and_then(|_| lock.flush()),
    )
}
