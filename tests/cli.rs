//! The binary as a user runs it: acceptance scenarios, exit codes, output formats, masking,
//! bad input.

use std::path::Path;
use std::process::{Command, Output};

fn idlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_idlint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run idlint")
}

fn json(args: &[&str]) -> (serde_json::Value, i32) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = idlint(&all);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (doc, out.status.code().unwrap())
}

/// `(rule, path, line)` of every finding.
fn findings(doc: &serde_json::Value) -> Vec<(String, String, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn owned(v: &[(&str, &str, u64)]) -> Vec<(String, String, u64)> {
    v.iter()
        .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
        .collect()
}

#[test]
fn foundation_scenario_reports_each_problem_with_its_rule_and_line() {
    // A VM with a user-assigned identity, Contributor for it at subscription scope in another
    // file, a password literal, and an identity nobody uses.
    let (doc, code) = json(&["check", "fixtures/cross-file"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&doc),
        owned(&[
            ("orphaned-identity", "fixtures/cross-file/main.json", 18),
            ("hardcoded-secret", "fixtures/cross-file/main.json", 41),
            ("broad-role-scope", "fixtures/cross-file/rbac.json", 12),
        ])
    );
    let broad = &doc["findings"][2];
    assert!(
        broad["message"]
            .as_str()
            .unwrap()
            .contains("user-assigned identity 'app-id'")
    );
    let related = broad["related"].as_array().unwrap();
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "fixtures/cross-file/main.json" && r["line"] == 12),
        "the identity's declaration in the other file is a related location: {related:?}"
    );
}

#[test]
fn terraform_module_split_over_files_and_its_azapi_twin_agree() {
    let expected = |dir: &str| {
        owned(&[
            (
                "orphaned-identity",
                &format!("fixtures/terraform-module/{dir}/identity.tf"),
                if dir == "azapi" { 16 } else { 13 },
            ),
            (
                "broad-role-scope",
                &format!("fixtures/terraform-module/{dir}/rbac.tf"),
                4,
            ),
        ])
    };
    for dir in ["azurerm", "azapi"] {
        let (doc, _) = json(&["check", &format!("fixtures/terraform-module/{dir}")]);
        assert_eq!(findings(&doc), expected(dir), "{dir}");
        let messages: Vec<&str> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        assert!(
            messages[0].contains("'id-legacy'")
                && messages[0].contains("Reader at resource group scope"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains(
                "Contributor assigned at subscription scope to user-assigned identity 'id-app'"
            ),
            "{messages:?}"
        );
    }
}

#[test]
fn exit_codes_follow_the_threshold() {
    // Findings at high and medium: failing on critical passes, on medium fails.
    assert_eq!(
        idlint(&["check", "fixtures/cross-file", "--fail-on", "critical"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        idlint(&["check", "fixtures/cross-file", "--fail-on", "medium"])
            .status
            .code(),
        Some(1)
    );
    // A clean example.
    assert_eq!(
        idlint(&[
            "check",
            "rules/broad-role-scope/good/arm_reader_subscription.json"
        ])
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn bad_usage_exits_two_with_a_message() {
    for args in [
        vec!["check", "--format", "yaml"],
        vec!["check", "--fail-on", "severe"],
        vec!["check", "--threads", "0"],
        vec!["check", "--select", "no-such-rule"],
        vec!["check", "does/not/exist"],
        vec!["rule", "no-such-rule"],
        vec!["frobnicate"],
    ] {
        let out = idlint(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} printed no message");
    }
}

#[test]
fn a_malformed_file_is_a_located_parse_error_and_the_others_are_still_analyzed() {
    let dir = tempdir();
    std::fs::copy(
        "rules/parse-error/bad/arm_malformed.json",
        dir.join("broken.json"),
    )
    .unwrap();
    std::fs::copy(
        "rules/hardcoded-secret/bad/arm_admin_password.json",
        dir.join("vm.json"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .args(["check", ".", "--format", "json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = findings(&doc);
    assert!(
        got.contains(&("parse-error".into(), "broken.json".into(), 5)),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(r, p, _)| r == "hardcoded-secret" && p == "vm.json"),
        "{got:?}"
    );
    assert_eq!(doc["summary"]["parse_errors"], 1);
}

#[test]
fn secrets_are_masked_in_every_format() {
    let secret = "Sup3r-S3cret-Passw0rd!";
    for format in ["human", "json"] {
        let out = idlint(&["check", "fixtures/cross-file", "--format", format]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("hardcoded-secret"), "{format}: {text}");
        assert!(
            !text.contains(secret),
            "{format} output prints the secret:\n{text}"
        );
        assert!(
            !text.contains("S3cret"),
            "{format} output prints part of the secret:\n{text}"
        );
    }
}

#[test]
fn output_file_and_json_contract() {
    let dir = tempdir();
    let report = dir.join("report.json");
    let out = idlint(&[
        "check",
        "fixtures/cross-file",
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the report goes to the file only");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(doc["version"], 1);
    let f = &doc["findings"][0];
    for key in [
        "rule",
        "code",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "related",
        "fingerprint",
    ] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["findings"], 3);
}

#[test]
fn fingerprints_do_not_move_with_lines() {
    let dir = tempdir();
    let original = std::fs::read_to_string("fixtures/cross-file/main.json").unwrap();
    std::fs::write(dir.join("main.json"), &original).unwrap();
    let before = fingerprints(&dir);
    std::fs::write(
        dir.join("main.json"),
        original.replacen("{\n", "{\n\n\n\n", 1),
    )
    .unwrap();
    let after = fingerprints(&dir);
    assert_eq!(before, after);
    assert!(!before.is_empty());
}

fn fingerprints(dir: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .args(["check", ".", "--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn rules_and_rule_documentation() {
    let out = idlint(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    for rule in idlint::rules::registry::RULES {
        assert!(
            table.contains(rule.meta().name),
            "{} missing from `idlint rules`",
            rule.meta().name
        );
    }
    for name in ["broad-role-scope", "IDL101"] {
        let out = idlint(&["rule", name]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("# broad-role-scope (IDL101)"), "{text}");
        assert!(text.contains("## How to fix"));
    }
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let one = idlint(&["check", "rules", "--format", "json", "--threads", "1"]);
    let four = idlint(&["check", "rules", "--format", "json", "--threads", "4"]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, four.stdout);
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "idlint-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
