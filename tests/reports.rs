//! Reviewer reports: `idlint graph`, the `can` / `who-can` queries, the Markdown and HTML
//! reports. Snapshots are in `tests/snapshots/`; the HTML is loaded in headless Chromium and
//! the DOT rendered by Graphviz when they are installed (skipped with a reason otherwise).

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The literal password of `fixtures/cross-file/main.json`.
const SECRET: &str = "Sup3r-S3cret-Passw0rd!";

fn idlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_idlint"))
        .current_dir(ROOT)
        .env("IDLINT_NO_PROGRESS", "1")
        .args(args)
        .output()
        .expect("run idlint")
}

fn stdout(args: &[&str]) -> String {
    let out = idlint(args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

const EXAMPLES: &[(&str, &str)] = &[
    ("arm_cross_file", "fixtures/cross-file"),
    ("bicep_cross_file", "fixtures/bicep-cross-file"),
    (
        "terraform_contributor_subscription",
        "rules/broad-role-scope/bad/terraform_contributor_subscription",
    ),
];

#[test]
fn graph_and_markdown_snapshots() {
    for (name, path) in EXAMPLES {
        for format in ["dot", "mermaid", "json"] {
            insta::assert_snapshot!(
                format!("graph_{format}__{name}"),
                stdout(&["graph", path, "--format", format])
            );
        }
        insta::assert_snapshot!(
            format!("markdown__{name}"),
            stdout(&["check", path, "--format", "markdown"])
        );
    }
}

#[test]
fn no_format_prints_the_secret() {
    let path = "fixtures/cross-file";
    let mut outputs = Vec::new();
    for format in ["human", "json", "markdown", "html"] {
        outputs.push((format, stdout(&["check", path, "--format", format])));
    }
    for format in ["dot", "mermaid", "json"] {
        outputs.push((format, stdout(&["graph", path, "--format", format])));
    }
    for (query, name) in [("can", "vm1"), ("can", "app-id"), ("who-can", "vm1")] {
        for format in ["text", "json"] {
            outputs.push((query, stdout(&[query, name, path, "--format", format])));
        }
    }
    let raw = std::fs::read_to_string(Path::new(ROOT).join(path).join("main.json")).unwrap();
    assert!(raw.contains(SECRET), "the fixture holds the secret");
    for (format, text) in outputs {
        assert!(!text.contains(SECRET), "{format} prints the secret");
        assert!(
            !text.contains("Sup3r-S3"),
            "{format} prints part of the secret"
        );
    }
}

#[test]
fn html_is_self_contained_and_shows_the_cross_file_example() {
    let html = stdout(&["check", "fixtures/cross-file", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no script");
    for external in ["src=", "href=", "@import", "url(http"] {
        assert!(!html.contains(external), "nothing fetched: {external}");
    }
    let svg = &html[html.find("<svg").expect("an inline SVG")..html.find("</svg>").unwrap()];
    for name in [
        "app-id",
        "unused-id",
        "vm1",
        "Contributor",
        "UNUSED",
        "subscription",
    ] {
        assert!(svg.contains(name), "the picture shows {name}");
    }
    let table = &html[html.find("<table class=\"inventory\"").expect("inventory")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<b>app-id</b>"));
    assert!(table.contains("<b>Contributor</b> at subscription"));
    assert!(table.contains("fixtures/cross-file/rbac.json:12"));
    assert!(table.contains("<b>vm1</b>"));
    assert!(table.contains("<b>unused-id</b> <span class=\"unused\">unused</span>"));
}

#[test]
fn html_in_a_real_browser() {
    if !on_path("chromium") {
        println!("SKIPPED: chromium is not on PATH (.ci/run installs Debian's chromium)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("idlint-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.html");
    let out = idlint(&[
        "check",
        "fixtures/cross-file",
        "--format",
        "html",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "findings: exit 1");
    let profile = dir.join("profile");
    let dom = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", report.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<table class=\"inventory\">"),
        "inventory in the DOM"
    );
    assert!(dom.contains("<svg"), "SVG in the DOM");
    for name in ["app-id", "unused-id", "vm1", "Contributor"] {
        assert!(dom.contains(name), "{name} in the DOM");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dot_renders_with_graphviz() {
    if !on_path("dot") {
        println!("SKIPPED: Graphviz `dot` is not on PATH");
        return;
    }
    for (_, path) in EXAMPLES {
        let graph = stdout(&["graph", path, "--format", "dot"]);
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run dot");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(graph.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

/// GitHub's Mermaid: `flowchart LR`, quoted labels, no HTML, declared ids only.
#[test]
fn mermaid_keeps_to_what_github_renders() {
    let node = regex::Regex::new(
        r#"^  (n[0-9a-f]{12})(\["[^"<>]*"\]|\(\["[^"<>]*"\]\)|\{\{"[^"<>]*"\}\}|\[\("[^"<>]*"\)\]|>"[^"<>]*"\])$"#,
    )
    .unwrap();
    let edge =
        regex::Regex::new(r#"^  (n[0-9a-f]{12}) (-->|==>|-\.->)\|"[^"<>]*"\| (n[0-9a-f]{12})$"#)
            .unwrap();
    let class = regex::Regex::new(r"^  (classDef [a-z]+ [a-z0-9#:,\-]+|class [n0-9a-f,]+ [a-z]+)$")
        .unwrap();
    for (_, path) in EXAMPLES {
        let text = stdout(&["graph", path, "--format", "mermaid"]);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("flowchart LR"));
        let mut ids = std::collections::HashSet::new();
        for line in lines {
            if let Some(c) = node.captures(line) {
                assert!(ids.insert(c[1].to_owned()), "duplicate id: {line}");
            } else if let Some(c) = edge.captures(line) {
                assert!(
                    ids.contains(&c[1]) && ids.contains(&c[3]),
                    "undeclared: {line}"
                );
            } else {
                assert!(class.is_match(line), "{path}: not plain Mermaid: {line}");
            }
        }
    }
}

#[test]
fn queries_answer_with_file_and_line() {
    // ARM, across files.
    let can = stdout(&["can", "app-id", "fixtures/cross-file"]);
    assert!(can.contains("Contributor at subscription"), "{can}");
    assert!(can.contains("fixtures/cross-file/rbac.json:12"), "{can}");
    assert!(
        can.contains(
            "used by Microsoft.Compute/virtualMachines 'vm1' (fixtures/cross-file/main.json:31)"
        ),
        "{can}"
    );
    let who = stdout(&["who-can", "vm1", "fixtures/cross-file"]);
    assert!(
        who.contains(
            "user-assigned identity 'app-id' (fixtures/cross-file/main.json:12): Contributor"
        ),
        "{who}"
    );
    assert!(who.contains("path: vm1 —uses identity"), "{who}");
    // Bicep, through a module.
    let can = stdout(&["can", "vm1", "fixtures/bicep-cross-file"]);
    assert!(
        can.contains(
            "user-assigned identity 'app-identity' (fixtures/bicep-cross-file/main.bicep:5)"
        ),
        "{can}"
    );
    assert!(
        can.contains(
            "through the role assignment at fixtures/bicep-cross-file/modules/rbac.bicep:8"
        ),
        "{can}"
    );
    let who = stdout(&["who-can", "vm1", "fixtures/bicep-cross-file"]);
    assert!(
        who.contains("fixtures/bicep-cross-file/modules/rbac.bicep:8"),
        "{who}"
    );
    // Terraform.
    let dir = "rules/broad-role-scope/bad/terraform_contributor_subscription";
    let can = stdout(&["can", "id-app", dir, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&can).unwrap();
    let grant = &json["answers"][0]["grants"][0];
    assert_eq!(grant["role"], "Contributor");
    assert_eq!(grant["scope"]["level"], "subscription");
    assert_eq!(grant["assignment"]["path"], format!("{dir}/rbac.tf"));
    assert_eq!(grant["assignment"]["line"], 4);
    // Unknown names are an error, not an empty answer.
    let out = idlint(&["can", "nobody", "fixtures/cross-file"]);
    assert_eq!(out.status.code(), Some(2));
}

/// 200 identities: the inventory is paginated and every page collapsible.
#[test]
fn large_inventories_are_paginated() {
    let dir = std::env::temp_dir().join(format!("idlint-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut tf = String::from("data \"azurerm_subscription\" \"current\" {}\n");
    for i in 0..200 {
        tf.push_str(&format!(
            "resource \"azurerm_user_assigned_identity\" \"id{i}\" {{\n  name = \"id-{i}\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n}}\n\
             resource \"azurerm_role_assignment\" \"ra{i}\" {{\n  scope = data.azurerm_subscription.current.id\n  role_definition_name = \"Reader\"\n  principal_id = azurerm_user_assigned_identity.id{i}.principal_id\n}}\n"
        ));
    }
    std::fs::write(dir.join("main.tf"), tf).unwrap();
    let html = stdout(&["check", dir.to_str().unwrap(), "--format", "html"]);
    assert!(html.contains("<summary>Identities 1–50 of 200</summary>"));
    assert!(html.contains("<summary>Identities 151–200 of 200</summary>"));
    assert_eq!(html.matches("<table class=\"inventory\">").count(), 4);
    assert!(html.contains("class=\"graph-box\""), "the picture scrolls");
    let md = stdout(&["check", dir.to_str().unwrap(), "--format", "markdown"]);
    assert!(md.contains("too many for a Mermaid picture"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Under a terminal, JSON output never gets a progress bar; human output does.
#[test]
fn progress_bar_only_for_people() {
    if !on_path("script") {
        println!("SKIPPED: `script` (util-linux) is not on PATH to provide a terminal");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_idlint");
    let run = |format: &str| {
        let out = Command::new("script")
            .current_dir(ROOT)
            .env("IDLINT_PROGRESS_DELAY_MS", "0")
            .env_remove("IDLINT_NO_PROGRESS")
            .args(["-qec"])
            .arg(format!("{bin} check fixtures --format {format} 2>&1"))
            .arg("/dev/null")
            .output()
            .expect("run script");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let json = run("json");
    assert!(
        !json.contains("reading") && !json.contains("running rules"),
        "{json}"
    );
    let start = json.find('{').expect("JSON");
    let end = json.rfind('}').unwrap();
    serde_json::from_str::<serde_json::Value>(&json[start..=end]).expect("only JSON");
    assert!(!json[..start].contains('\u{1b}'), "nothing before the JSON");
}
