//! Lower every Terraform file under a directory and print figures.
//! `cargo run --release --example tf_corpus -- /work/shared/corpus`

use idlint::lower::terraform;
use idlint::source::{Format, SourceDb, SourceFile};
use std::path::Path;
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if let Some(name) = p.file_name().and_then(|n| n.to_str())
            && (name.ends_with(".tf") || name.ends_with(".tfvars"))
        {
            out.push(p);
        }
    }
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut paths = Vec::new();
    walk(Path::new(&root), &mut paths);
    paths.sort();
    let mut db = SourceDb::default();
    let mut ids = Vec::new();
    let mut bytes = 0usize;
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        bytes += text.len();
        let format = if p.extension().is_some_and(|e| e == "tfvars") {
            Format::TerraformVars
        } else {
            Format::Terraform
        };
        let display = p.to_string_lossy().into_owned();
        ids.push(db.add(SourceFile::new(p.clone(), display, text, format)));
    }
    let start = Instant::now();
    let out = terraform::lower(&db, &ids);
    let elapsed = start.elapsed();
    let m = &out.model;
    let mut units: Vec<&str> = m.resources.iter().map(|r| &*r.unit).collect();
    units.sort();
    units.dedup();
    println!("files:                {}", ids.len());
    println!("bytes:                {bytes}");
    println!("parse errors:         {}", out.diagnostics.len());
    for d in out.diagnostics.iter().take(10) {
        println!("  {}: {}", db.get(d.span.file).display, d.message);
    }
    println!(
        "lowering time:        {:.1} ms ({:.1} MB/s)",
        elapsed.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / elapsed.as_secs_f64()
    );
    println!("units with resources: {}", units.len());
    println!("resources:            {}", m.resources.len());
    println!(
        "  with identity:      {}",
        m.resources.iter().filter(|r| r.identity.is_some()).count()
    );
    println!(
        "  user-assigned ids:  {}",
        m.resources
            .iter()
            .filter(|r| r.is_user_assigned_identity())
            .count()
    );
    println!("role assignments:     {}", m.role_assignments.len());
    println!("role definitions:     {}", m.role_definitions.len());
    println!("federated creds:      {}", m.federated_credentials.len());
    println!("key vault policies:   {}", m.keyvault_policies.len());
    println!("variables:            {}", m.parameters.len());
    println!("outputs:              {}", m.outputs.len());
    println!("secret sites:         {}", m.secrets.len());
    for s in &m.secrets {
        println!(
            "  {:?} {} {}",
            s.kind,
            db.get(s.span.file).display,
            s.context
        );
    }
}
