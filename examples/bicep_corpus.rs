//! Parses every `.bicep` / `.bicepparam` file under a folder, prints syntax errors and the
//! single-threaded parse throughput.
//!
//! `cargo run --release --example bicep_corpus -- /work/shared/corpus`

use std::path::{Path, PathBuf};
use std::time::Instant;

use idlint::parse::bicep::{line_col, parse};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("bicep" | "bicepparam")
        ) {
            out.push(path);
        }
    }
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let mut paths = Vec::new();
    collect(Path::new(&root), &mut paths);
    paths.sort();
    let sources: Vec<(PathBuf, String)> = paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect();
    let bytes: usize = sources.iter().map(|(_, s)| s.len()).sum();

    // Several rounds so the timing is not dominated by noise on a ~10 MB input.
    let rounds = 5;
    let start = Instant::now();
    let mut results = Vec::with_capacity(sources.len());
    for round in 0..rounds {
        for (_, src) in &sources {
            let file = parse(src);
            if round == 0 {
                results.push(file.errors);
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64() / rounds as f64;

    let mut files_with_errors = 0;
    let mut errors = 0;
    for ((path, src), errs) in sources.iter().zip(&results) {
        if errs.is_empty() {
            continue;
        }
        files_with_errors += 1;
        errors += errs.len();
        for e in errs {
            let (line, col) = line_col(src, e.span.start);
            println!("{}:{line}:{col}: {}", path.display(), e.message);
        }
    }
    println!(
        "files: {}, bytes: {bytes}, files with errors: {files_with_errors}, errors: {errors}, \
         parse time: {:.1} ms, {:.1} MB/s",
        sources.len(),
        elapsed * 1e3,
        bytes as f64 / 1e6 / elapsed
    );
}
