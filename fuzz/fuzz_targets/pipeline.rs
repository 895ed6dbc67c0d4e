#![no_main]
//! The whole pipeline on one file on disk: read (decoding included), lower, graph, rules, and
//! both report formats. The first byte picks the file name; the rest is the content.
use idlint::engine::{Selection, analyze};
use idlint::report::ReportContext;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

const NAMES: &[&str] = &[
    "main.json",
    "main.parameters.json",
    "main.bicep",
    "main.bicepparam",
    "main.tf",
    "terraform.tfvars",
    "deploy.sh",
    "deploy.ps1",
    ".github/workflows/ci.yml",
    "azure-pipelines.yml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, content)) = data.split_first() else { return };
    let name = NAMES[first as usize % NAMES.len()];
    let dir = std::env::temp_dir().join(format!("idlint-fuzz-{}", std::process::id()));
    let path: PathBuf = dir.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    let analysis = analyze(&[dir.clone()], &Selection::default());
    for format in [idlint::report::OutputFormat::Human, idlint::report::OutputFormat::Json] {
        let cx = ReportContext {
            analysis: &analysis,
            fail_on: idlint::diagnostic::Severity::Low,
            color: false,
        };
        let mut out = Vec::new();
        format.emitter().emit(&cx, &mut out).unwrap();
    }
    let _ = idlint::exit_code(&analysis, idlint::diagnostic::Severity::Low);
});
