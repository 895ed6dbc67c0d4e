//! The rule contract, enforced: unique kebab-case names and codes, documented, exemplified,
//! listed in the README.

use idlint::rules::registry::{REDIRECTS, RULES, find};
use std::collections::HashSet;
use std::path::Path;

#[test]
fn names_and_codes_are_unique_and_well_formed() {
    let mut names = HashSet::new();
    let mut codes = HashSet::new();
    for rule in RULES {
        let m = rule.meta();
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(
            m.name.split('-').all(|w| !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{} is not kebab-case",
            m.name
        );
        for prefix in ["avoid-", "no-", "prefer-", "use-", "disallow-", "check-"] {
            assert!(
                !m.name.starts_with(prefix),
                "{} names the fix, not the pattern",
                m.name
            );
        }
        assert!(
            m.code.len() == 6
                && m.code.starts_with("IDL")
                && m.code[3..].chars().all(|c| c.is_ascii_digit()),
            "{}",
            m.code
        );
        assert!(!m.formats.is_empty(), "{} claims no format", m.name);
    }
    for (old, new) in REDIRECTS {
        assert!(
            find(new).is_some(),
            "redirect {old} points at missing {new}"
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for rule in RULES {
        let m = rule.meta();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## How to fix",
            "## References",
        ] {
            assert!(m.docs.contains(heading), "{} lacks '{heading}'", m.name);
        }
        assert!(!m.summary().is_empty(), "{} has no summary", m.name);
        assert!(
            m.section("How to fix").is_some_and(|s| s.len() > 20),
            "{}",
            m.name
        );
    }
}

#[test]
fn every_rule_has_examples_and_every_example_folder_is_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for rule in RULES {
        let name = rule.meta().name;
        for kind in ["bad", "good"] {
            let dir = root.join(name).join(kind);
            let count = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            assert!(
                count > 0,
                "{} has no {kind} examples in {}",
                name,
                dir.display()
            );
        }
    }
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            find(&name).is_some(),
            "rules/{name} is not a registered rule"
        );
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for rule in RULES {
        let m = rule.meta();
        assert!(
            readme.contains(&format!("`{}`", m.name)),
            "README does not list {}",
            m.name
        );
        assert!(readme.contains(m.code), "README does not list {}", m.code);
    }
}

#[test]
fn rules_see_no_syntax() {
    // Rules read the model and the graph only (ARCHITECTURE.md): no parser, lowering or
    // tree-sitter type may appear in src/rules/.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for forbidden in [
                "crate::parse",
                "tree_sitter",
                "jsonc_parser",
                "hcl_edit",
                "crate::lower",
            ] {
                assert!(
                    !text.contains(forbidden),
                    "{} uses {forbidden}",
                    path.display()
                );
            }
        }
    }
}
