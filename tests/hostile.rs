//! Hostile input, through the binary: every case gives a diagnostic or is skipped with a reason,
//! none panics, and the exit code follows the findings (2 with a parse error or an unwalkable
//! path, else 1 with a finding at or above `low`, else 0). Large and deep inputs are generated
//! in a temporary directory at test time.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Outcome {
    code: i32,
    findings: Vec<Value>,
    stderr: String,
}

impl Outcome {
    fn parse_errors(&self) -> Vec<(String, String)> {
        self.findings
            .iter()
            .filter(|f| f["rule"] == "parse-error")
            .map(|f| {
                (
                    f["path"].as_str().unwrap_or_default().to_owned(),
                    f["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    fn parse_error_for(&self, name: &str) -> Option<String> {
        self.parse_errors()
            .into_iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, m)| m)
    }

    fn has_finding(&self, rule: &str, name: &str) -> bool {
        self.findings
            .iter()
            .any(|f| f["rule"] == rule && f["path"].as_str().is_some_and(|p| p.ends_with(name)))
    }
}

/// Run `idlint check --format json` in `cwd`; checks that nothing panicked and that the exit
/// code agrees with the findings.
fn check(cwd: &Path, args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .current_dir(cwd)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run idlint");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        !stderr.contains("panicked") && (0..=2).contains(&code),
        "idlint {args:?} crashed (exit {code}):\n{stderr}"
    );
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report for {args:?} ({e}):\n{stderr}"));
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let o = Outcome {
        code,
        findings,
        stderr,
    };
    let walk_error = o.stderr.lines().any(|l| l.starts_with("error:"));
    let expected = if !o.parse_errors().is_empty() || walk_error {
        2
    } else if o
        .findings
        .iter()
        .any(|f| f["severity"] != "info" && f["severity"] != "none")
    {
        1
    } else {
        0
    };
    assert_eq!(
        o.code, expected,
        "exit code for {args:?} does not follow the findings:\n{:#?}\n{}",
        o.findings, o.stderr
    );
    o
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("idlint-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example file (rules and fixtures), sorted.
fn examples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("rules"), repo().join("fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "snapshots") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x != "snap" && x != "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

const TF_BAD: &str = "rules/broad-role-scope/bad/terraform_owner_management_group.tf";
const BICEP_BAD: &str = "rules/broad-role-scope/bad/bicep_owner_subscription.bicep";

#[test]
fn truncated_examples() {
    let dir = temp_dir("truncated");
    let mut count = 0;
    for (i, file) in examples().iter().enumerate() {
        let bytes = std::fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_str().unwrap();
        let n = bytes.len();
        // 14 cuts spread over the file, plus the first and last bytes; cuts may fall inside a
        // UTF-8 character on purpose.
        let mut cuts: Vec<usize> = (1..15).map(|k| k * n / 15).collect();
        cuts.extend([0, 1, n.saturating_sub(1)]);
        cuts.sort();
        cuts.dedup();
        for cut in cuts {
            // One folder per cut: each is its own Terraform module / deployment unit.
            write(&dir.join(format!("{i}-{cut}")), name, &bytes[..cut]);
            count += 1;
        }
    }
    assert!(count > 500, "only {count} truncated files");
    let o = check(&dir, &["."]);
    assert!(
        o.parse_errors().len() > 100,
        "truncation produced only {} parse errors",
        o.parse_errors().len()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn binary_files_with_text_extensions() {
    let dir = temp_dir("binary");
    let mut bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    bytes[10] = 0;
    for name in ["x.bicep", "x.tf", "x.json", "x.bicepparam", "x.tfvars"] {
        write(&dir, name, &bytes);
    }
    let o = check(&dir, &["."]);
    for name in ["x.bicep", "x.tf", "x.bicepparam", "x.tfvars"] {
        let m = o.parse_error_for(name).unwrap_or_default();
        assert!(m.contains("binary"), "{name}: {m:?}");
    }
    // JSON is analyzed only when it is an ARM template: binary JSON in a folder is skipped.
    assert!(o.parse_error_for("x.json").is_none());
    // Named on the command line it is reported, once.
    let o = check(&dir, &["x.json"]);
    assert_eq!(o.parse_errors().len(), 1, "{:?}", o.parse_errors());
    assert!(o.parse_errors()[0].1.contains("binary"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fifty_megabyte_files() {
    let dir = temp_dir("big");
    let block = "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n";
    let big = block.repeat(50 * 1024 * 1024 / block.len() + 1);
    write(&dir, "big/main.tf", &big);
    let arm = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": [], \"variables\": {{\"pad\": \"{}\"}}}}",
        "x".repeat(50 * 1024 * 1024)
    );
    write(&dir, "big/template.json", &arm);
    write(
        &dir,
        "big/other.json",
        format!("{{\"pad\": \"{}\"}}", "x".repeat(50 << 20)),
    );
    std::fs::copy(repo().join(TF_BAD), dir.join("small.tf")).unwrap();
    let o = check(&dir, &["."]);
    for name in ["big/main.tf", "big/template.json"] {
        let m = o.parse_error_for(name).unwrap_or_default();
        assert!(m.contains("over the 10 MB limit"), "{name}: {m:?}");
    }
    // JSON that is not a template is skipped, large or not.
    assert!(o.parse_error_for("other.json").is_none());
    // The other files are still analyzed.
    assert!(o.has_finding("broad-role-scope", "small.tf"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    const N: usize = 100_000;
    let dir = temp_dir("deep");
    let open = |s: &str| s.repeat(N);
    let arm_head = "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": [], \"variables\": {\"x\": ";
    write(
        &dir,
        "arrays.json",
        format!("{arm_head}{}{}}}}}", open("["), open("]")),
    );
    write(
        &dir,
        "objects.json",
        format!("{arm_head}{}1{}}}}}", open("{\"a\": "), open("}")),
    );
    write(
        &dir,
        "expression.json",
        format!("{arm_head}\"[{}'a'{}]\"}}}}", open("concat("), open(")")),
    );
    write(
        &dir,
        "arrays.bicep",
        format!("var x = {}{}\n", open("["), open("]")),
    );
    write(
        &dir,
        "parens.bicep",
        format!("var x = {}1{}\n", open("("), open(")")),
    );
    write(
        &dir,
        "objects.bicep",
        format!("var x = {}1{}\n", open("{\na: "), open("\n}")),
    );
    write(&dir, "unary.bicep", format!("var x = {}true\n", open("!")));
    write(
        &dir,
        "arrays/main.tf",
        format!("locals {{\n  x = {}{}\n}}\n", open("["), open("]")),
    );
    write(
        &dir,
        "blocks/main.tf",
        format!("{}{}", open("a {\n"), open("}\n")),
    );
    write(
        &dir,
        "parens/main.tf",
        format!("locals {{\n  x = {}1{}\n}}\n", open("("), open(")")),
    );
    let o = check(&dir, &["."]);
    for name in [
        "arrays.json",
        "objects.json",
        "arrays.bicep",
        "parens.bicep",
        "objects.bicep",
        "unary.bicep",
        "arrays/main.tf",
        "blocks/main.tf",
        "parens/main.tf",
    ] {
        assert!(
            o.parse_error_for(name).is_some(),
            "{name}: no diagnostic; findings: {:?}",
            o.parse_errors()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("symlinks");
    std::fs::create_dir_all(dir.join("m")).unwrap();
    std::fs::copy(repo().join(TF_BAD), dir.join("m/main.tf")).unwrap();
    symlink(".", dir.join("m/self")).unwrap();
    symlink("..", dir.join("m/parent")).unwrap();
    symlink("b", dir.join("a")).unwrap();
    symlink("a", dir.join("b")).unwrap();
    // Walking: links are not followed, the real file is analyzed once.
    let o = check(&dir, &["."]);
    assert!(o.has_finding("broad-role-scope", "m/main.tf"));
    let paths: Vec<_> = o.findings.iter().map(|f| f["path"].clone()).collect();
    assert!(paths.iter().all(|p| p == "m/main.tf"), "{paths:?}");
    // Named on the command line, a loop is an error on stderr and exit 2.
    let o = check(&dir, &["a", "m"]);
    assert!(o.stderr.contains("error: a"), "{}", o.stderr);
    assert!(o.has_finding("broad-role-scope", "m/main.tf"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("unreadable");
    std::fs::create_dir_all(dir.join("locked")).unwrap();
    std::fs::copy(repo().join(TF_BAD), dir.join("locked/main.tf")).unwrap();
    std::fs::create_dir_all(dir.join("open")).unwrap();
    std::fs::copy(repo().join(BICEP_BAD), dir.join("open/main.bicep")).unwrap();
    let locked = dir.join("locked/main.tf");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root (as in CI containers) reads it anyway: then it is simply analyzed.
    let privileged = std::fs::read(&locked).is_ok();
    let o = check(&dir, &["."]);
    assert!(o.has_finding("broad-role-scope", "open/main.bicep"));
    if privileged {
        assert!(o.has_finding("broad-role-scope", "locked/main.tf"));
        assert!(o.parse_errors().is_empty(), "{:?}", o.parse_errors());
    } else {
        let m = o.parse_error_for("locked/main.tf").unwrap_or_default();
        assert!(m.contains("cannot read"), "{m:?}");
        assert_eq!(o.code, 2);
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn encodings() {
    let dir = temp_dir("encodings");
    let text = std::fs::read_to_string(repo().join(BICEP_BAD)).unwrap();
    let utf16 = |le: bool| {
        let mut out: Vec<u8> = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    };
    write(&dir, "utf8.bicep", &text);
    write(
        &dir,
        "bom.bicep",
        [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
    );
    write(&dir, "utf16le.bicep", utf16(true));
    write(&dir, "utf16be.bicep", utf16(false));
    let o = check(&dir, &["."]);
    assert!(o.parse_errors().is_empty(), "{:?}", o.parse_errors());
    // The same findings at the same positions, whatever the encoding.
    let of = |name: &str| -> Vec<(Value, Value, Value)> {
        o.findings
            .iter()
            .filter(|f| f["path"] == name)
            .map(|f| (f["rule"].clone(), f["line"].clone(), f["column"].clone()))
            .collect()
    };
    assert!(!of("utf8.bicep").is_empty());
    for name in ["bom.bicep", "utf16le.bicep", "utf16be.bicep"] {
        assert_eq!(of(name), of("utf8.bicep"), "{name}");
    }
    // Latin-1, UTF-16 without a byte-order mark, a BOM followed by invalid UTF-8.
    let dir2 = temp_dir("encodings-bad");
    write(&dir2, "latin1.bicep", b"param x string = 'caf\xe9'\n");
    write(&dir2, "nobom.tf", &utf16(true)[2..]);
    write(&dir2, "badbom.bicep", b"\xEF\xBB\xBFvar x = '\xff'\n");
    let o = check(&dir2, &["."]);
    assert!(o.parse_error_for("latin1.bicep").unwrap().contains("UTF-8"));
    assert!(o.parse_error_for("nobom.tf").is_some());
    assert!(o.parse_error_for("badbom.bicep").unwrap().contains("UTF-8"));
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&dir2).unwrap();
}

/// A JSON file whose head cut at 4 KiB falls inside a multi-byte character once made the
/// `$schema` sniffing panic (tests/fuzz_regressions/schema_sniff_char_boundary.json).
#[test]
fn schema_sniff_at_a_character_boundary() {
    let dir = temp_dir("sniff");
    let seed = repo().join("tests/fuzz_regressions/schema_sniff_char_boundary.json");
    std::fs::copy(&seed, dir.join("a.json")).unwrap();
    let o = check(&dir, &["."]);
    assert!(o.findings.is_empty(), "{:?}", o.findings);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn empty_files() {
    let dir = temp_dir("empty");
    for name in [
        "a.tf",
        "b.tfvars",
        "c.bicep",
        "d.bicepparam",
        "e.json",
        "e.parameters.json",
        "f.sh",
        "g.ps1",
        ".github/workflows/h.yml",
    ] {
        write(&dir, name, "");
    }
    // Blank, or only comments: nothing to analyze either.
    write(&dir, "blank.ps1", "\n  \n");
    write(&dir, "comment.ps1", "# nothing here\n");
    write(&dir, "blank.sh", "\n\n");
    write(&dir, "comment.sh", "#!/bin/bash\n# nothing here\n");
    let o = check(&dir, &["."]);
    assert!(o.findings.is_empty(), "{:?}", o.findings);
    assert_eq!(o.code, 0);
    // Named explicitly, an empty file is analyzed (or, for JSON, skipped) all the same.
    let o = check(&dir, &["a.tf", "c.bicep", "e.json"]);
    assert!(o.findings.is_empty(), "{:?}", o.findings);
    std::fs::remove_dir_all(&dir).unwrap();
}
