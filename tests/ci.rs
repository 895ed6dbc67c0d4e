//! The binary as CI and pre-commit use it: output formats (snapshots, SARIF schema, JUnit
//! XML), suppressions, baselines, configuration errors and `--in-context`.
//!
//! README examples are copied from these tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run `idlint` in `dir` (the crate root by default) without any configuration file found
/// upward unless the test gives one.
fn idlint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_idlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("idlint runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn check(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check", "--no-config"];
    all.extend(args);
    idlint(root(), &all)
}

/// A fresh scratch folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn redact_version(s: &str) -> String {
    s.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[version]\"",
    )
}

const FINDINGS: &str = "fixtures/cli/findings";
const SUPPRESS: &str = "fixtures/cli/suppress";

#[test]
fn formats_snapshots() {
    for (format, ext) in [("sarif", "sarif"), ("junit", "xml"), ("github", "txt")] {
        let (code, out, err) = check(&["--format", format, FINDINGS]);
        assert_eq!(code, 1, "{err}");
        insta::assert_snapshot!(format!("findings_{ext}"), redact_version(&out));
    }
    let (code, out, _) = check(&["--statistics", FINDINGS]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("findings_statistics", out);
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap();
    // The published schema's `language` pattern has a stray `]` that jsonschema's meta-schema
    // check rejects as an ECMA-262 regex; escaping it keeps its meaning (idlint does not emit
    // `language`). The committed copy stays verbatim.
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(broken).count(), 2);
    let text = text.replace(broken, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Formats are not asserted (draft-07's default); URIs are checked below instead.
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

/// Schema-valid, plus what GitHub code scanning needs beyond the schema.
pub fn assert_valid_sarif(text: &str) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate rule ids");
    for r in rules {
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## How to fix")
        );
        assert!(r["fullDescription"]["text"].as_str().unwrap().len() > 20);
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() <= 25_000);
    let mut fingerprints = std::collections::HashSet::new();
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        let end_line = region["endLine"].as_u64().unwrap();
        assert!(end_line >= region["startLine"].as_u64().unwrap());
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.contains([' ', '\\', '#', '?']) && !uri.starts_with('/'),
            "{uri} is not a relative URI reference"
        );
        assert!(
            fingerprints.insert(
                r["partialFingerprints"]["idlint/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            ),
            "fingerprints collide"
        );
    }
    doc
}

#[test]
fn sarif_validates_against_the_official_schema() {
    for fixture in [FINDINGS, SUPPRESS, "rules"] {
        let (_, out, err) = check(&["--format", "sarif", fixture]);
        let doc = assert_valid_sarif(&out);
        assert!(
            !doc["runs"][0]["results"].as_array().unwrap().is_empty(),
            "{fixture}: {err}"
        );
    }
}

#[test]
fn sarif_masks_secrets_and_has_related_locations() {
    let (_, out, _) = check(&["--format", "sarif", FINDINGS]);
    assert!(!out.contains("c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkwYWJjZGVm"));
    assert!(out.contains("AccountKey=c2*****"));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let owner = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().starts_with("Owner"))
        .unwrap();
    let related: Vec<&str> = owner["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        related,
        [
            "subscription scope",
            "role: Owner",
            "user-assigned identity 'id-deployer' declared here"
        ]
    );
}

#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let dir = scratch("sarif-moved");
    copy_dir(&root().join(FINDINGS), &dir);
    let fingerprints = |dir: &Path| {
        let (_, out, _) = idlint(dir, &["check", "--no-config", "--format", "sarif", "."]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut f: Vec<String> = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["idlint/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        f.sort();
        f
    };
    let before = fingerprints(&dir);
    let main = dir.join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("# moved\n\n\n{text}")).unwrap();
    assert_eq!(fingerprints(&dir), before);
}

#[test]
fn junit_parses_with_the_expected_counts() {
    let (_, out, _) = check(&["--format", "junit", FINDINGS]);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let top = doc.root_element();
    assert_eq!(top.tag_name().name(), "testsuites");
    assert_eq!(top.attribute("failures"), Some("6"));
    let suites: Vec<_> = top
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    // One suite per rule that ran: every rule on by default.
    let on_by_default = idlint::rules::registry::RULES
        .iter()
        .filter(|r| r.meta().default_enabled)
        .count();
    assert_eq!(suites.len(), on_by_default);
    let failures = |name: &str| {
        suites
            .iter()
            .find(|s| s.attribute("name") == Some(name))
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count()
    };
    assert_eq!(failures("broad-role-scope"), 2);
    assert_eq!(failures("hardcoded-secret"), 1);
    assert_eq!(failures("privilege-escalation"), 1);
    assert_eq!(failures("orphaned-identity"), 1);
    assert_eq!(failures("custom-role-wildcard"), 0);
    let total: usize = suites
        .iter()
        .map(|s| s.attribute("tests").unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(
        top.attribute("tests").unwrap().parse::<usize>().unwrap(),
        total
    );
}

#[test]
fn suppressions() {
    let (code, out, _) = check(&["--format", "json", SUPPRESS]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lines: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!("suppressions", lines.join("\n"));
    // The suppressed findings are gone: the Owner assignment, the DR identity, the ARM
    // pipeline assignment.
    let text = lines.join("\n");
    assert!(!text.contains("Owner assigned"));
    assert!(!text.contains("id-dr"));
    assert!(!text.contains("rbac.json:8 broad-role-scope"));
}

#[test]
fn suppressions_of_rules_that_did_not_run_are_not_unused() {
    let (_, out, _) = check(&["--format", "json", "--ignore", "hardcoded-secret", SUPPRESS]);
    assert!(!out.contains("no 'hardcoded-secret' finding"));
    let (_, out, _) = check(&["--format", "json", "--select", "broad-role-scope", SUPPRESS]);
    assert!(!out.contains("suppression"), "{out}");
}

#[test]
fn baseline_survives_a_line_insertion_and_lists_stale_entries() {
    let dir = scratch("baseline");
    copy_dir(&root().join(FINDINGS), &dir);
    let (code, _, err) = idlint(
        &dir,
        &[
            "check",
            "--no-config",
            ".",
            "--write-baseline",
            "idlint-baseline.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote 6 findings"), "{err}");
    // Lines inserted above every finding.
    let main = dir.join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("# a new header\n# over two lines\n\n{text}")).unwrap();
    let rbac = dir.join("rbac.json");
    let json = std::fs::read_to_string(&rbac).unwrap();
    std::fs::write(&rbac, json.replacen("{\n", "{\n\n\n", 1)).unwrap();
    let (code, out, err) = idlint(
        &dir,
        &[
            "check",
            "--no-config",
            ".",
            "--baseline",
            "idlint-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.contains("6 known findings hidden, 0 new, 0 stale"),
        "{err}"
    );
    // Fix one finding (remove the spare identity), add a new one.
    let text = std::fs::read_to_string(&main).unwrap();
    let text = text.replace(
        "resource \"azurerm_user_assigned_identity\" \"spare\"",
        "resource \"azurerm_user_assigned_identity\" \"spare2\"",
    );
    std::fs::write(&main, text).unwrap();
    let (code, out, err) = idlint(
        &dir,
        &[
            "check",
            "--no-config",
            ".",
            "--baseline",
            "idlint-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("5 known findings hidden, 1 new, 1 stale"),
        "{err}"
    );
    // The README shows this output.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = readme
        .split("baseline: 5 known")
        .nth(1)
        .map(|r| format!("baseline: 5 known{}", r.split("\n```").next().unwrap()))
        .unwrap();
    assert!(err.contains(&shown), "{err}\nREADME shows:\n{shown}");
    assert!(out.contains("orphaned-identity"));
}

fn config_error(yaml: &str) -> String {
    let dir = scratch(&format!("config-{:x}", idlint::diagnostic::fnv1a(&[yaml])));
    std::fs::write(dir.join(".idlint.yaml"), yaml).unwrap();
    std::fs::write(dir.join("main.tf"), "").unwrap();
    let (code, _, err) = idlint(&dir, &["check", "."]);
    assert_eq!(code, 2, "{yaml}: {err}");
    err
}

#[test]
fn bad_configuration_exits_2_naming_line_and_column() {
    let cases = [
        (
            "fail-on: high\nrulez: {}\n",
            ".idlint.yaml:2:1: ",
            "unknown field `rulez`",
        ),
        (
            "rules:\n  broad-role-scope:\n    severity: urgent\n",
            ".idlint.yaml:3:15: ",
            // As shown in the README.
            ".idlint.yaml:3:15: rules.broad-role-scope.severity: unknown variant `urgent`, expected one of `info`, `low`, `medium`, `high`, `critical`",
        ),
        (
            "rules:\n  broad-role-scope: {}\n  owner-at-subscription: {}\n",
            ".idlint.yaml:3:3: ",
            "unknown rule 'owner-at-subscription'",
        ),
        (
            "rules:\n  hardcoded-secret:\n    exempt: [\"x\"]\n",
            ".idlint.yaml:3:5: ",
            "option 'exempt' does not apply to rule 'hardcoded-secret'",
        ),
        (
            "rules:\n  hardcoded-secret:\n    allow:\n      - \"([a-z\"\n",
            ".idlint.yaml:3:5: ",
            "invalid regex '([a-z': regex parse error: ([a-z ^ error: unclosed character class",
        ),
        (
            "exclude: [\"a/[b\"]\n",
            ".idlint.yaml:1:1: ",
            "invalid glob",
        ),
        (
            "overrides:\n  - files: [\"test/**\"]\n    rules:\n      orphaned-identity:\n        exempt: [\"x\"]\n",
            ".idlint.yaml:5:9: ",
            "option 'exempt' cannot be set in overrides",
        ),
        (
            "fail-on: high\nexclude: [\"a\"\nrules: {}\n",
            ".idlint.yaml:3:1: ",
            "did not find expected ',' or ']'",
        ),
    ];
    for (yaml, location, message) in cases {
        let err = config_error(yaml);
        assert!(
            err.contains(location) && err.contains(message),
            "{yaml}\nexpected {location}…{message}\ngot {err}"
        );
    }
}

/// Run in a scratch copy of `fixture` with this configuration; JSON findings' rules and
/// messages.
fn with_config(fixture: &str, yaml: &str, extra: &[&str]) -> (i32, String) {
    let dir = scratch(&format!(
        "with-config-{:x}",
        idlint::diagnostic::fnv1a(&[fixture, yaml])
    ));
    copy_dir(&root().join(fixture), &dir);
    std::fs::write(dir.join(".idlint.yaml"), yaml).unwrap();
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend(extra);
    let (code, out, err) = idlint(&dir, &args);
    assert_ne!(code, 2, "{err}");
    (code, out)
}

#[test]
fn configuration_options_reach_the_rules() {
    let (_, plain) = with_config(FINDINGS, "", &[]);
    assert!(plain.contains("id-spare"));
    assert!(plain.contains("hardcoded-secret"));
    assert!(plain.contains("Owner assigned"));

    let (_, out) = with_config(
        FINDINGS,
        "rules:\n  orphaned-identity:\n    exempt: [\"id-sp*\"]\n",
        &[],
    );
    assert!(!out.contains("id-spare"));
    let (_, out) = with_config(
        FINDINGS,
        "rules:\n  hardcoded-secret:\n    allow: [\"^c2VjcmV0\"]\n",
        &[],
    );
    assert!(!out.contains("\"hardcoded-secret\""));
    let (_, out) = with_config(
        FINDINGS,
        "rules:\n  broad-role-scope:\n    allowed-principals: [\"id-deployer\"]\n",
        &[],
    );
    assert!(!out.contains("Owner assigned"));
    assert!(
        out.contains("Contributor assigned"),
        "a literal principal is not allowed"
    );
}

#[test]
fn extra_privileged_roles() {
    let dir = scratch("extra-privileged");
    std::fs::write(
        dir.join("main.tf"),
        "resource \"azurerm_role_assignment\" \"kv\" {\n  scope                = \"/subscriptions/00000000-0000-0000-0000-000000000000\"\n  role_definition_name = \"Key Vault Administrator\"\n  principal_id         = \"11111111-1111-1111-1111-111111111111\"\n}\n",
    )
    .unwrap();
    let (code, _, _) = idlint(
        &dir,
        &["check", "--no-config", "--select", "broad-role-scope", "."],
    );
    assert_eq!(code, 0);
    std::fs::write(
        dir.join(".idlint.yaml"),
        "rules:\n  broad-role-scope:\n    extra-privileged-roles: [\"key vault administrator\"]\n",
    )
    .unwrap();
    let (code, out, _) = idlint(&dir, &["check", "--select", "broad-role-scope", "."]);
    assert_eq!(code, 1);
    assert!(
        out.contains("Key Vault Administrator assigned at subscription scope"),
        "{out}"
    );
}

#[test]
fn configuration_layers() {
    // The file turns a rule off and changes a severity; the command line wins over the file.
    let yaml = "fail-on: critical\nrules:\n  orphaned-identity: { enabled: false }\n  hardcoded-secret: { severity: low }\nexclude: [rbac.json]\n";
    let (code, out) = with_config(FINDINGS, yaml, &[]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("broad-role-scope", "critical"),
            ("privilege-escalation", "critical"),
            ("hardcoded-secret", "low")
        ]
    );
    assert_eq!(code, 1, "fail-on critical and critical findings");
    let (code, _) = with_config(FINDINGS, yaml, &["--select", "hardcoded-secret"]);
    assert_eq!(code, 0, "only a low finding, fail-on critical");
    let (code, out) = with_config(
        FINDINGS,
        yaml,
        &["--select", "orphaned-identity", "--fail-on", "medium"],
    );
    assert!(
        out.contains("id-spare"),
        "--select turns a rule the file disabled back on"
    );
    assert_eq!(code, 1);
    // Overrides per path.
    let yaml = "overrides:\n  - files: [\"main.tf\"]\n    rules:\n      broad-role-scope: { severity: info }\n      hardcoded-secret: { enabled: false }\n";
    let (_, out) = with_config(FINDINGS, yaml, &[]);
    assert!(!out.contains("\"hardcoded-secret\""));
    assert!(out.contains("\"info\""));
    assert!(out.contains("\"high\""), "rbac.json keeps its severity");
}

#[test]
fn pre_commit_reports_only_passed_files_in_their_unit() {
    // Alone, the identity looks orphaned: nothing in identity.tf uses it.
    let (code, out, _) = check(&["--format", "github", "fixtures/cli/precommit/identity.tf"]);
    assert_eq!(code, 1);
    assert!(out.contains("orphaned-identity"));
    // In its module it is used by app.tf; app.tf's own finding is not reported.
    let (code, out, err) = check(&[
        "--in-context",
        "--format",
        "github",
        "fixtures/cli/precommit/identity.tf",
    ]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let (code, out, _) = check(&[
        "--in-context",
        "--format",
        "github",
        "fixtures/cli/precommit/app.tf",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("hardcoded-secret") && !out.contains("identity.tf"),
        "{out}"
    );
    // A Bicep module is analyzed inside its caller one folder up: the principal it is given
    // is known there.
    let (_, out, _) = check(&[
        "--in-context",
        "--format",
        "github",
        "fixtures/bicep-cross-file/modules/rbac.bicep",
    ]);
    assert!(
        out.contains("user-assigned identity 'app-identity'"),
        "{out}"
    );
    assert!(!out.contains("main.bicep"), "{out}");
}

#[test]
fn config_schema_is_fresh() {
    let path = root().join("idlint.schema.json");
    let fresh = idlint::settings::config::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "idlint.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test --test ci config_schema_is_fresh`"
    );
}

#[test]
fn example_configuration_is_valid_and_matches_the_schema() {
    let text = std::fs::read_to_string(root().join("fixtures/cli/config/.idlint.yaml")).unwrap();
    idlint::settings::parse(&text).expect("the example configuration parses");
    let schema: serde_json::Value =
        serde_json::from_str(&idlint::settings::config::schema_json()).unwrap();
    let value: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&value));
    let bad: serde_json::Value =
        serde_json::json!({ "rules": { "hardcoded-secret": { "exempt": [] } } });
    assert!(!validator.is_valid(&bad));
}

#[test]
fn pre_commit_hook_definition() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"], "idlint");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "idlint check --in-context");
}

/// Fenced code blocks of the README with their language.
fn readme_blocks() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.to_owned(), String::new())),
            (Some(_), Some(_)) => out.push(current.take().unwrap()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn readme_examples_are_tested() {
    use clap::Parser;
    let blocks = readme_blocks();
    let mut commands = 0;
    for (lang, body) in &blocks {
        if lang == "yaml" {
            let _: serde_json::Value = serde_yaml_ng::from_str(body)
                .unwrap_or_else(|e| panic!("README yaml block does not parse: {e}\n{body}"));
        }
        // Every idlint command line in a shell or YAML example is accepted by the CLI.
        for line in body.lines() {
            let Some(at) = line.find("idlint check") else {
                continue;
            };
            let cmd = line[at..].split(" #").next().unwrap();
            let cmd = cmd.split('`').next().unwrap();
            let args: Vec<&str> = cmd.split_whitespace().collect();
            idlint::cli::Cli::try_parse_from(&args)
                .unwrap_or_else(|e| panic!("README command `{cmd}` is rejected: {e}"));
            commands += 1;
        }
    }
    assert!(commands >= 6, "{commands}");
    // The configuration example is the tested fixture.
    let fixture = std::fs::read_to_string(root().join("fixtures/cli/config/.idlint.yaml")).unwrap();
    let fixture: String = fixture.lines().skip(1).map(|l| format!("{l}\n")).collect();
    assert!(
        blocks.iter().any(|(_, b)| *b == fixture),
        "README configuration example differs from fixtures/cli/config/.idlint.yaml"
    );
    // Suppression examples are lines of the suppression fixtures.
    let tf = std::fs::read_to_string(root().join("fixtures/cli/suppress/main.tf")).unwrap();
    let json = std::fs::read_to_string(root().join("fixtures/cli/suppress/rbac.json")).unwrap();
    for (lang, body) in &blocks {
        let source = match lang.as_str() {
            "hcl" => &tf,
            "json" if body.contains("idlint") => &json,
            _ => continue,
        };
        for line in body
            .lines()
            .filter(|l| !l.contains("...") && !l.trim().is_empty())
        {
            let line = line.trim().trim_end_matches([',', '{', ' ']);
            assert!(
                source.contains(line),
                "README example line not in the fixture: {line}"
            );
        }
    }
}

/// Validate any SARIF file against the schema, with GitHub's extra constraints:
/// `IDLINT_SARIF=path cargo test --test ci validate_sarif_file -- --ignored`.
#[test]
#[ignore = "validates the file named by IDLINT_SARIF (used on the corpus)"]
fn validate_sarif_file() {
    let path = std::env::var("IDLINT_SARIF").expect("IDLINT_SARIF names a SARIF file");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = assert_valid_sarif(&text);
    eprintln!(
        "{path}: valid, {} bytes, {} results",
        text.len(),
        doc["runs"][0]["results"].as_array().unwrap().len()
    );
}

#[test]
fn secret_findings_are_keyed_without_the_secret() {
    // Baselines are committed: a fingerprint derived from the value would let anyone test
    // guesses of a short password against it.
    let keys = |password: &str| {
        let dir = scratch(&format!("secret-key-{}", password.len()));
        std::fs::write(
            dir.join("main.tf"),
            format!(
                "resource \"azurerm_linux_virtual_machine\" \"vm\" {{\n  name           = \"vm\"\n  admin_username = \"ops\"\n  admin_password = \"{password}\"\n}}\n"
            ),
        )
        .unwrap();
        let (_, out, _) = idlint(&dir, &["check", "--no-config", "--format", "json", "."]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let keys: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "hardcoded-secret")
            .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(keys.len(), 1, "{out}");
        keys
    };
    assert_eq!(keys("Winter2024!Secret"), keys("Zq8#mL2v!Other"));
}
