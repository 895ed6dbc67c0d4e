//! Inputs that once crashed a fuzz target or the binary (tests/fuzz_regressions/): each goes
//! through every parser and front end the fuzz targets call, whatever its name.

use idlint::lower::Lowered;
use idlint::lower::arm::expr::SpanMap;
use idlint::parse::script::workflow::{YamlKind, extract};
use idlint::source::{FileId, Format, SourceDb, SourceFile, Span};
use std::path::PathBuf;

fn lower(text: &str, name: &str, format: Format, front_end: fn(&SourceDb, &[FileId]) -> Lowered) {
    let mut db = SourceDb::default();
    let id = db.add(SourceFile::new(
        PathBuf::from(name),
        name.to_owned(),
        text.to_owned(),
        format,
    ));
    let _ = front_end(&db, &[id]);
}

#[test]
fn every_regression_input_through_every_entry_point() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        count += 1;
        let _ = idlint::parse::json::parse(text);
        let _ = idlint::lower::arm::detect(text);
        let whole = Span::new(FileId(0), 0, text.len());
        let _ = idlint::lower::arm::expr::parse(
            text,
            SpanMap {
                file: FileId(0),
                base: Some(0),
                whole,
            },
        );
        let _ = idlint::parse::bicep::parse(text);
        let _ = idlint::parse::script::bash::parse_bash(text);
        let _ = idlint::parse::script::powershell::parse_powershell(text);
        for kind in [YamlKind::GitHubActions, YamlKind::AzurePipelines] {
            if let Ok(scripts) = extract(text, kind) {
                for s in &scripts {
                    let _ = s.parse();
                }
            }
        }
        lower(
            text,
            "/r/t.json",
            Format::ArmTemplate,
            idlint::lower::arm::lower_all,
        );
        lower(
            text,
            "/r/main.bicep",
            Format::Bicep,
            idlint::lower::bicep::lower_all,
        );
        lower(
            text,
            "/r/main.tf",
            Format::Terraform,
            idlint::lower::terraform::lower,
        );
    }
    assert!(
        count >= 2,
        "regression inputs missing from {}",
        dir.display()
    );
}
