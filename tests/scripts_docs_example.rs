//! The acceptance case of the script lowering: Microsoft Learn's az CLI walkthrough for VM
//! managed identities, run through the binary. The docs write `--scope <subscription id>`;
//! bash reads that `<` as an input redirect, so the fixture uses `$SUBSCRIPTION_ID`.

use std::process::Command;

fn findings(path: &str) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", path, "--format", "json"])
        .output()
        .expect("run idlint");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    json["findings"].as_array().cloned().unwrap_or_default()
}

fn line_of(f: &serde_json::Value) -> (String, String, u64) {
    (
        f["rule"].as_str().unwrap_or("").to_owned(),
        f["path"].as_str().unwrap_or("").to_owned(),
        f["line"].as_u64().unwrap_or(0),
    )
}

#[test]
fn docs_example_reports_exactly_the_three_problems() {
    let found = findings("fixtures/scripts-docs-example/deploy.sh");
    let got: Vec<_> = found.iter().map(line_of).collect();
    let path = "fixtures/scripts-docs-example/deploy.sh".to_owned();
    assert_eq!(
        got,
        [
            ("broad-role-scope".to_owned(), path.clone(), 5),
            ("hardcoded-secret".to_owned(), path.clone(), 8),
            ("orphaned-identity".to_owned(), path.clone(), 11),
        ],
        "{found:#?}"
    );
    let msg = |i: usize| found[i]["message"].as_str().unwrap_or("").to_owned();
    assert!(msg(0).starts_with("Contributor assigned at subscription scope"));
    assert!(msg(1).contains("--admin-password"));
    assert!(!msg(1).contains("myPassword12"), "the secret is masked");
    assert!(msg(2).contains("'unusedIdentity'"));
    assert!(
        !found
            .iter()
            .any(|f| msg_of(f).contains("myUserAssignedIdentity"))
    );
}

fn msg_of(f: &serde_json::Value) -> String {
    f["message"].as_str().unwrap_or("").to_owned()
}

#[test]
fn powershell_metadata_token_printed() {
    let found = findings("fixtures/scripts-docs-example/token.ps1");
    let got: Vec<_> = found.iter().map(line_of).collect();
    assert_eq!(
        got,
        [(
            "token-exposure".to_owned(),
            "fixtures/scripts-docs-example/token.ps1".to_owned(),
            4
        )],
        "{found:#?}"
    );
}
