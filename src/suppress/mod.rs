//! Inline suppressions: `idlint-ignore <rule>[,<rule>]: <reason> [until=YYYY-MM-DD]` in a
//! comment (every format with comments), `metadata.idlint.ignore` on ARM resources, and
//! Bicep's `#disable-next-line <rule>...` when it names an idlint rule.
//!
//! A directive suppresses the findings of the rules it names whose primary position starts
//! inside its target (see [`scan`]). A directive without a reason, naming an unknown rule or
//! past its `until` date suppresses nothing and is an `invalid-suppression` finding; a valid
//! one that suppressed nothing is an `unused-suppression` finding, but only for rules that
//! ran (a rule turned off by configuration or `--select` cannot tell whether it would have
//! fired), and never for Bicep's `#disable-next-line`, whose rule names may be Bicep linter
//! rules of the same name. Findings of these two rules cannot be suppressed inline.

pub mod arm;
pub mod scan;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::registry;
use crate::source::{Format, SourceDb, Span};
use scan::Syntax;

pub const UNUSED: &str = "unused-suppression";
pub const INVALID: &str = "invalid-suppression";

/// A directive found in a file, before validation.
#[derive(Clone, Debug)]
pub struct Found {
    /// The directive text.
    pub span: Span,
    pub text: String,
    /// What it targets.
    pub target: Span,
    pub bicep_disable: bool,
}

/// A civil date, compared as a tuple.
pub type Date = (i32, u32, u32);

/// Today (UTC), from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 to a date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&date.1) && (1..=31).contains(&date.2)).then_some(date)
}

/// A directive's meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// Rule names as written.
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
}

/// Parse `idlint-ignore a,b: reason until=2026-12-31` (brackets `idlint-ignore[a]: …` are
/// accepted too) or `#disable-next-line a b`.
pub fn parse(text: &str, bicep_disable: bool) -> Parsed {
    if bicep_disable {
        let rest = text.strip_prefix(scan::BICEP_DISABLE).unwrap_or(text);
        return Parsed {
            rules: rest.split_whitespace().map(str::to_owned).collect(),
            reason: None,
            until: None,
        };
    }
    let rest = text
        .strip_prefix(scan::KEYWORD)
        .unwrap_or(text)
        .trim_start();
    let (names, reason) = match rest.strip_prefix('[') {
        Some(r) => match r.split_once(']') {
            Some((names, after)) => (names, after.trim_start().strip_prefix(':')),
            None => (r, None),
        },
        None => match rest.split_once(':') {
            Some((names, reason)) => (names, Some(reason)),
            None => (rest, None),
        },
    };
    let rules = names
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let mut until = None;
    let reason = reason.map(|r| {
        let words: Vec<&str> = r
            .split_whitespace()
            .filter(|w| match w.strip_prefix("until=") {
                Some(d) => {
                    until = Some(d.to_owned());
                    false
                }
                None => true,
            })
            .collect();
        words.join(" ")
    });
    Parsed {
        rules,
        reason: reason.filter(|r| !r.is_empty()),
        until,
    }
}

fn syntax_of(format: Format) -> Syntax {
    match format {
        Format::ArmTemplate | Format::ArmParameters => Syntax::Json,
        Format::Bicep | Format::BicepParam => Syntax::Bicep,
        Format::Terraform | Format::TerraformVars => Syntax::Hcl,
        Format::Bash => Syntax::Bash,
        Format::PowerShell => Syntax::PowerShell,
        Format::GithubWorkflow | Format::AzurePipelines => Syntax::Yaml,
    }
}

/// Every directive of every file: comments, and ARM `metadata.idlint.ignore`.
pub fn collect(db: &SourceDb) -> Vec<Found> {
    use rayon::prelude::*;
    let ids: Vec<_> = db.files().map(|(id, _)| id).collect();
    let per_file: Vec<Vec<Found>> = ids
        .par_iter()
        .map(|&id| {
            let file = db.get(id);
            let mut out: Vec<Found> = scan::directives(&file.text, syntax_of(file.format))
                .into_iter()
                .map(|d| Found {
                    span: Span::new(id, d.start, d.end),
                    text: d.text,
                    target: Span::new(id, d.target.0, d.target.1),
                    bicep_disable: d.bicep_disable,
                })
                .collect();
            if file.format == Format::ArmTemplate {
                out.extend(arm::metadata_directives(id, &file.text));
            }
            out
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

fn inside(target: Span, span: Span) -> bool {
    span.file == target.file
        && target.start <= span.start
        && span.start < target.end.max(target.start + 1)
}

/// Drop suppressed findings and add `invalid-suppression` / `unused-suppression` ones.
/// `ran` lists the rules that ran; `report` the meta rules that are enabled.
pub fn apply(db: &SourceDb, diagnostics: &mut Vec<Diagnostic>, ran: &[&'static str], today: Date) {
    let found = collect(db);
    if found.is_empty() {
        return;
    }
    let report_invalid = ran.contains(&INVALID);
    let report_unused = ran.contains(&UNUSED);
    let mut extra = Vec::new();
    // (directive, canonical rule) pairs that may suppress, with a used flag.
    let mut active: Vec<(Span, &'static str, bool, usize)> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let p = parse(&f.text, f.bicep_disable);
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        for name in &p.rules {
            match registry::find(name) {
                Some(r) if [UNUSED, INVALID].contains(&r.meta().name) => problems.push(format!(
                    "'{}' cannot be suppressed inline; turn it off in the configuration",
                    r.meta().name
                )),
                Some(r) => rules.push(r.meta().name),
                // Bicep's own linter rules share the directive; only idlint names count.
                None if f.bicep_disable => {}
                None => problems.push(format!("unknown rule '{name}' (see `idlint rules`)")),
            }
        }
        if f.bicep_disable && rules.is_empty() {
            continue;
        }
        if p.rules.is_empty() {
            problems.push("the suppression names no rule".into());
        }
        if !f.bicep_disable && p.reason.is_none() {
            problems.push(format!(
                "the suppression has no reason: write `idlint-ignore {}: <why>`",
                if p.rules.is_empty() {
                    "<rule>".to_owned()
                } else {
                    p.rules.join(",")
                }
            ));
        }
        if let Some(until) = &p.until {
            match parse_date(until) {
                None => problems.push(format!("'until={until}' is not a date (YYYY-MM-DD)")),
                Some(d) if d < today => {
                    problems.push(format!("the suppression expired on {until}"))
                }
                Some(_) => {}
            }
        }
        if !problems.is_empty() {
            if report_invalid {
                extra.push(
                    Diagnostic::new(INVALID, Severity::Medium, f.span, problems.join("; "))
                        .with_subject(format!("{}|{}", f.text, db.get(f.span.file).display)),
                );
            }
            continue;
        }
        for r in rules {
            active.push((f.target, r, false, i));
        }
    }
    diagnostics.retain(|d| {
        if d.rule == UNUSED || d.rule == INVALID {
            return true;
        }
        let mut suppressed = false;
        for (target, rule, used, _) in active.iter_mut() {
            if *rule == d.rule && inside(*target, d.span) {
                *used = true;
                suppressed = true;
            }
        }
        !suppressed
    });
    if report_unused {
        for (_, rule, used, i) in &active {
            let f = &found[*i];
            // Bicep's linter has rules with the same names (`secure-parameter-default`…): a
            // `#disable-next-line` that suppressed nothing of ours may be doing its own job.
            if !used && ran.contains(rule) && !f.bicep_disable {
                extra.push(
                    Diagnostic::new(
                        UNUSED,
                        Severity::Low,
                        f.span,
                        format!("nothing to suppress: no '{rule}' finding here"),
                    )
                    .with_subject(format!("{rule}|{}", f.text)),
                );
            }
        }
    }
    diagnostics.extend(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_syntax() {
        let p = parse(
            "idlint-ignore broad-role-scope, hardcoded-secret: break glass until=2026-12-31",
            false,
        );
        assert_eq!(p.rules, ["broad-role-scope", "hardcoded-secret"]);
        assert_eq!(p.reason.as_deref(), Some("break glass"));
        assert_eq!(p.until.as_deref(), Some("2026-12-31"));
        let p = parse("idlint-ignore[broad-role-scope]: reason", false);
        assert_eq!(p.rules, ["broad-role-scope"]);
        assert_eq!(p.reason.as_deref(), Some("reason"));
        let p = parse("idlint-ignore broad-role-scope", false);
        assert_eq!(p.reason, None);
        let p = parse("idlint-ignore broad-role-scope:   until=2026-01-01", false);
        assert_eq!(p.reason, None);
        let p = parse(
            "#disable-next-line no-hardcoded-env-urls hardcoded-secret",
            true,
        );
        assert_eq!(p.rules, ["no-hardcoded-env-urls", "hardcoded-secret"]);
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_819), (2027, 1, 1));
        assert_eq!(parse_date("2026-12-31"), Some((2026, 12, 31)));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-1-1"), None);
    }
}
