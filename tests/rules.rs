//! Every rule's examples through the whole pipeline (discover → parse → lower → graph →
//! rule), with only that rule enabled: each `bad/` case must report it, each `good/` case
//! must not, and the findings are snapshotted beside the examples.

mod common;

use common::{cases, family_of, relative, render, run};
use idlint::rules::registry::RULES;
use std::collections::BTreeSet;

#[test]
fn bad_examples_fire_and_good_examples_stay_silent() {
    let mut failures = Vec::new();
    for rule in RULES {
        let name = rule.meta().name;
        for kind in ["bad", "good"] {
            for case in cases(name, kind) {
                let analysis = run(&relative(&case), &[name]);
                let count = analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == name)
                    .count();
                let ok = if kind == "bad" { count > 0 } else { count == 0 };
                if !ok {
                    failures.push(format!(
                        "{}: {count} finding(s) of {name}\n{}",
                        relative(&case).display(),
                        render(&analysis)
                    ));
                }
                let case_name = case
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .replace('.', "_");
                insta::with_settings!({
                    snapshot_path => format!("../rules/{name}/snapshots"),
                    prepend_module_to_snapshot => false,
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(format!("{kind}__{case_name}"), render(&analysis));
                });
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_claimed_format_has_a_firing_bad_example_and_no_unclaimed_ones() {
    let mut problems = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        let mut firing = BTreeSet::new();
        for case in cases(meta.name, "bad") {
            let family = family_of(&case).unwrap();
            if !meta.formats.contains(&family) {
                problems.push(format!(
                    "{} has a {} example but does not claim that format",
                    meta.name,
                    family.as_str()
                ));
            }
            let analysis = run(&relative(&case), &[meta.name]);
            if analysis.diagnostics.iter().any(|d| d.rule == meta.name) {
                firing.insert(family);
            }
        }
        for family in meta.formats {
            if !firing.contains(family) {
                problems.push(format!(
                    "{} claims {} but no bad {} example fires",
                    meta.name,
                    family.as_str(),
                    family.as_str()
                ));
            }
            let good = cases(meta.name, "good")
                .iter()
                .any(|c| family_of(c) == Some(*family));
            if !good {
                problems.push(format!(
                    "{} claims {} but has no good {} example",
                    meta.name,
                    family.as_str(),
                    family.as_str()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn script_rules_have_bash_powershell_and_workflow_examples_that_fire() {
    // Issue contract: a rule that claims scripts is shown on each way scripts are written.
    let mut problems = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if !meta.formats.contains(&idlint::source::FormatFamily::Script) {
            continue;
        }
        let mut kinds = BTreeSet::new();
        for case in cases(meta.name, "bad") {
            let analysis = run(&relative(&case), &[meta.name]);
            if !analysis.diagnostics.iter().any(|d| d.rule == meta.name) {
                continue;
            }
            for (_, file) in analysis.db.files() {
                let kind = match file.format {
                    idlint::source::Format::Bash => "bash",
                    idlint::source::Format::PowerShell => "powershell",
                    idlint::source::Format::GithubWorkflow
                    | idlint::source::Format::AzurePipelines => "workflow",
                    _ => continue,
                };
                kinds.insert(kind);
            }
        }
        for kind in ["bash", "powershell", "workflow"] {
            if !kinds.contains(kind) {
                problems.push(format!(
                    "{} claims scripts but no firing {kind} example",
                    meta.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
