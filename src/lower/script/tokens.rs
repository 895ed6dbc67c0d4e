//! Access tokens written where CI logs or artifacts keep them.

use super::resolve::{cmd_name, is_filter, pipeline, token_source, word};
use super::{Cx, FAMILY};
use crate::model::TokenLeak;
use crate::parse::script::{Command, RedirectKind, Word, WordPart};
use std::collections::HashSet;

/// Commands that print their arguments.
const PRINTERS: &[&str] = &[
    "echo",
    "printf",
    "write-output",
    "write-host",
    "write-information",
    "write-warning",
    "write-verbose",
    "write-debug",
    "write",
];

/// Commands that write their arguments (or input) to a file.
const FILE_WRITERS: &[&str] = &[
    "out-file",
    "set-content",
    "add-content",
    "tee",
    "tee-object",
];

pub fn find_leaks(cx: &mut Cx<'_, '_, '_>) {
    let script = cx.script;
    // Commands whose output is captured: inside a substitution, or the right-hand side of
    // a PowerShell assignment, or piped into another command.
    let mut captured: HashSet<usize> = HashSet::new();
    let mut words: Vec<&Word> = script.assignments.iter().map(|a| &a.value).collect();
    for c in &script.commands {
        words.extend(c.args.iter());
    }
    for w in words {
        for p in &w.parts {
            if let WordPart::CommandSubstitution { commands, .. } = p {
                captured.extend(commands.iter().copied());
            }
        }
    }
    let mut leaks = Vec::new();
    for (i, cmd) in script.commands.iter().enumerate() {
        let name = cmd_name(cmd).to_ascii_lowercase();
        let in_capture = captured.contains(&i) || cmd.nesting.substitution;
        // A token source whose output is not captured: printed, or written to a file.
        if let Some((source, source_span)) = token_source(cx, cmd, 0) {
            let printed_by_source = !PRINTERS.contains(&name.as_str());
            if printed_by_source {
                if discarded(cx, cmd) {
                    continue;
                }
                if let Some(sink) = file_sink(cx, cmd) {
                    leaks.push((cmd.span, source_span, source, sink));
                    continue;
                }
                if let Some(sink) = output_sink(cx, i, in_capture) {
                    leaks.push((cmd.span, source_span, source, sink));
                }
                continue;
            }
        }
        let is_printer = PRINTERS.contains(&name.as_str());
        let is_writer = FILE_WRITERS.contains(&name.as_str());
        if !is_printer && !is_writer {
            continue;
        }
        let Some((w, (source, source_span))) = cmd
            .args
            .iter()
            .find_map(|w| word(cx, w, 0).token.map(|t| (w, t)))
        else {
            continue;
        };
        if masked(cmd) {
            continue;
        }
        if is_writer {
            let target = writer_target(cmd).unwrap_or_else(|| "a file".into());
            leaks.push((w.span, source_span, source, target));
            continue;
        }
        if let Some(sink) = file_sink(cx, cmd) {
            leaks.push((w.span, source_span, source, sink));
            continue;
        }
        if let Some(sink) = output_sink(cx, i, in_capture) {
            leaks.push((
                w.span,
                source_span,
                source,
                format!("{sink} by {}", cmd_name(cmd)),
            ));
        }
    }
    for (span, source_span, source, sink) in leaks {
        let leak = TokenLeak {
            unit: cx.unit_key(),
            span: cx.span(span),
            source_span: cx.span(source_span),
            source,
            sink,
            family: FAMILY,
        };
        cx.model().token_leaks.push(leak);
    }
}

/// `::add-mask::` (GitHub) and `issecret=true` (Azure Pipelines) hide the value in logs.
fn masked(cmd: &Command) -> bool {
    cmd.args.iter().any(|w| {
        w.parts.iter().any(|p| match p {
            WordPart::Literal { text, .. } => {
                let t = text.to_ascii_lowercase();
                t.contains("::add-mask::") || t.contains("issecret=true")
            }
            _ => false,
        })
    })
}

/// A redirect target that discards output: `/dev/null`, PowerShell's `$null` (which the word
/// resolver renders `null`, its value).
fn is_null_sink(target: &str) -> bool {
    target == "/dev/null"
        || target.eq_ignore_ascii_case("null")
        || target.eq_ignore_ascii_case("$null")
}

/// Output sent to `/dev/null`, `$null` or `Out-Null`.
fn discarded(cx: &Cx<'_, '_, '_>, cmd: &Command) -> bool {
    let to_null = cmd.redirects.iter().any(|r| {
        matches!(r.kind, RedirectKind::Write | RedirectKind::Append)
            && r.fd.as_deref().is_none_or(|fd| fd == "1" || fd == "&")
            && { is_null_sink(&cx.pstr(&r.target).display()) }
    });
    let piped_to_null = cmd
        .piped_to
        .is_some_and(|n| cmd_name(&cx.script.commands[n]).eq_ignore_ascii_case("Out-Null"));
    to_null || piped_to_null
}

/// A redirect of the command's output to a file, or `curl -o` / `-OutFile`.
fn file_sink(cx: &Cx<'_, '_, '_>, cmd: &Command) -> Option<String> {
    for r in &cmd.redirects {
        if !matches!(
            r.kind,
            RedirectKind::Write | RedirectKind::Append | RedirectKind::PipeToFile
        ) || r.fd.as_deref().is_some_and(|fd| fd != "1" && fd != "&")
        {
            continue;
        }
        let target = cx.pstr(&r.target).display();
        if is_null_sink(&target) {
            return None;
        }
        return Some(describe_target(&target));
    }
    let out = super::resolve::opt(cmd, &["-OutFile", "-o", "--output"])?;
    let target = cx.pstr(out).display();
    // `-o tsv` / `--output json` on az is the output format, not a file.
    if cmd_name(cmd).eq_ignore_ascii_case("az") {
        return None;
    }
    Some(describe_target(&target))
}

fn describe_target(target: &str) -> String {
    if target.contains("GITHUB_OUTPUT") {
        "the step outputs ($GITHUB_OUTPUT)".into()
    } else if target.contains("GITHUB_ENV") {
        "the job environment ($GITHUB_ENV)".into()
    } else if target.contains("GITHUB_STEP_SUMMARY") {
        "the job summary".into()
    } else {
        format!("file '{target}'")
    }
}

fn writer_target(cmd: &Command) -> Option<String> {
    let w = super::resolve::opt(cmd, &["-FilePath", "-Path", "-LiteralPath"]).or_else(|| {
        cmd.args
            .iter()
            .find(|w| !w.literal().is_some_and(|l| l.starts_with('-')))
    })?;
    Some(describe_target(&w.display()))
}

/// Where the output of command `i` ends up when nothing captures it: the job log, unless it
/// is piped into a command that consumes it (`docker login --password-stdin`).
fn output_sink(cx: &Cx<'_, '_, '_>, i: usize, in_capture: bool) -> Option<String> {
    let script = cx.script;
    let stages = pipeline(script, i);
    let is_piped_into = script.commands.iter().any(|c| c.piped_to == Some(i));
    if in_capture || is_piped_into {
        return None;
    }
    for &s in &stages[1..] {
        let c = &script.commands[s];
        let n = cmd_name(c).to_ascii_lowercase();
        if FILE_WRITERS.contains(&n.as_str()) {
            return Some(writer_target(c).unwrap_or_else(|| "a file".into()));
        }
        if let Some(sink) = file_sink(cx, c) {
            return Some(sink);
        }
        if !is_filter(&n) {
            return None;
        }
    }
    Some("the job log".into())
}
