//! JUnit XML for Azure DevOps (`PublishTestResults@2`, `testResultsFormat: JUnit`), GitLab
//! (`artifacts:reports:junit`) and Jenkins.
//!
//! One `<testsuite>` per rule that ran (registry order), named after the rule. Each finding is
//! a failing `<testcase>` named `path:line:column`, with `classname` = the rule, the message
//! in `<failure message=…>`, the severity as its `type`, and the location and related
//! locations in its text. A rule without findings gets one passing test case named after it,
//! so the report shows what was checked. Messages are already masked.

use super::{Emitter, ReportContext, position};
use crate::rules::registry::RULES;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

pub struct Junit;

impl Emitter for Junit {
    fn emit(&self, cx: &ReportContext<'_>, out: &mut dyn Write) -> io::Result<()> {
        let a = cx.analysis;
        let mut report = Report::new("idlint");
        for rule in RULES {
            let m = rule.meta();
            let findings: Vec<_> = a.diagnostics.iter().filter(|d| d.rule == m.name).collect();
            if findings.is_empty() && !a.rules_run.contains(&m.name) {
                continue;
            }
            let mut suite = TestSuite::new(m.name);
            if findings.is_empty() {
                let mut case = TestCase::new(m.name, TestCaseStatus::success());
                case.set_classname(m.name);
                suite.add_test_case(case);
            }
            for d in findings {
                let file = &a.db.get(d.span.file).display;
                let (line, column, _, _) = position(a, d.span);
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let mut text = format!(
                    "{file}:{line}:{column}: [{}] {} ({}): {}\n",
                    d.severity, m.name, m.code, d.message
                );
                for l in &d.labels {
                    let (line, column, _, _) = position(a, l.span);
                    text.push_str(&format!(
                        "  {}:{line}:{column}: {}\n",
                        a.db.get(l.span.file).display,
                        l.message
                    ));
                }
                status
                    .set_message(d.message.as_str())
                    .set_type(d.severity.as_str())
                    .set_description(text);
                let mut case = TestCase::new(format!("{file}:{line}:{column}"), status);
                case.set_classname(m.name);
                suite.add_test_case(case);
            }
            report.add_test_suite(suite);
        }
        report
            .serialize(&mut *out)
            .map_err(|e| io::Error::other(e.to_string()))?;
        writeln!(out)
    }
}
