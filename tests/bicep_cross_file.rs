//! The acceptance case of Bicep lowering: a module granting a role to an identity of its
//! caller, at the scope the caller gives it.

use std::process::Command;

#[test]
fn module_grant_links_back_to_the_callers_identity() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .current_dir(root)
        .args(["check", "fixtures/bicep-cross-file", "--format", "json"])
        .output()
        .expect("run idlint");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let mut found: Vec<(String, String, u64, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    let summary: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|(r, p, l, _)| (r.as_str(), p.as_str(), *l))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "broad-role-scope",
                "fixtures/bicep-cross-file/modules/rbac.bicep",
                8
            ),
            (
                "orphaned-identity",
                "fixtures/bicep-cross-file/main.bicep",
                10
            ),
        ],
        "{found:#?}"
    );
    assert!(found[0].3.contains("'app-identity'"), "{}", found[0].3);
    assert!(found[1].3.contains("'spare-identity'"), "{}", found[1].3);
}
