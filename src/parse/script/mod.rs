//! Format-neutral command AST for shell scripts (bash/sh and PowerShell), plus
//! extraction of scripts embedded in CI YAML.
//!
//! This layer only parses and normalises: quote removal, variable references,
//! command substitutions, redirects. Deciding what an `az` or `New-Az*` call
//! means is the lowering's job.
//!
//! All spans are byte offsets into the text handed to the parser; for scripts
//! embedded in YAML, [`workflow::EmbeddedScript::parse`] remaps them into the
//! YAML file.

pub mod bash;
pub mod powershell;
pub mod workflow;

use std::path::Path;

/// Byte range `start..end` in the original file text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        // Inputs larger than 4 GiB are rejected before parsing, so this cannot truncate.
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn slice(self, text: &str) -> &str {
        text.get(self.range()).unwrap_or("")
    }

    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Shell {
    #[default]
    Bash,
    PowerShell,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Script {
    pub shell: Shell,
    /// Every command in document order of its start, including those nested in
    /// substitutions, functions and control flow.
    pub commands: Vec<Command>,
    pub assignments: Vec<Assignment>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub name: Word,
    pub args: Vec<Word>,
    pub span: Span,
    pub redirects: Vec<Redirect>,
    /// Bash `NAME=value cmd` prefixes: they only apply to this command.
    pub env: Vec<Assignment>,
    /// Index into [`Script::commands`] of the next command in the pipeline.
    pub piped_to: Option<usize>,
    pub nesting: Nesting,
}

/// Where a command sits. Flags combine: a command can be inside a loop inside
/// a function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Nesting {
    /// Innermost enclosing function, if any.
    pub function: Option<String>,
    /// Inside `$(…)`, backticks, `<(…)`, PowerShell `$(…)`/`(…)`/`@(…)`.
    pub substitution: bool,
    /// Inside `if`/`case`/`for`/`while`/`until`/`foreach`/`switch`/`try`.
    pub control_flow: bool,
    /// Inside a PowerShell script block argument (`ForEach-Object { … }`).
    pub script_block: bool,
    /// Number of enclosing constructs of any of the kinds above.
    pub depth: u32,
}

impl Nesting {
    pub fn is_top_level(&self) -> bool {
        self.depth == 0
    }
}

/// One shell word or PowerShell argument after quote removal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Word {
    pub span: Span,
    pub parts: Vec<WordPart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum WordPart {
    /// Text after quote and escape removal. `span` covers the source bytes it came from.
    Literal { text: String, span: Span },
    Variable {
        /// `HOME`, `1`, `@`; PowerShell `x`, `env:X`; for CI expressions the inner expression (`secrets.X`).
        name: String,
        /// PowerShell member access `$id.PrincipalId` → `Some("PrincipalId")` (`a.b` for chains).
        member: Option<String>,
        /// Bash `${X:-default}` / `${X-default}` / `${X:=default}`: the default's source text.
        default: Option<String>,
        /// Any other bash parameter-expansion suffix, e.g. `:?msg`, `/a/b`, `#prefix`.
        modifier: Option<String>,
        origin: VarOrigin,
        span: Span,
    },
    CommandSubstitution {
        /// Indices into [`Script::commands`].
        commands: Vec<usize>,
        /// PowerShell `(…).PrincipalId` → `Some("PrincipalId")`.
        member: Option<String>,
        span: Span,
    },
    /// PowerShell `@{ Key = value; … }`.
    Hashtable { entries: Vec<HashEntry>, span: Span },
    /// PowerShell comma list `($u, $p)` / `@("a", "b")`.
    Array { items: Vec<Word>, span: Span },
    /// PowerShell method call `[pscredential]::new($u, $p)`; `callee` is the source text before `(`.
    Call {
        callee: String,
        args: Vec<Word>,
        span: Span,
    },
    /// PowerShell `@params` whose hashtable was not assigned earlier in the file.
    Splat { name: String, span: Span },
    /// Arithmetic, globs, PowerShell expressions this layer does not model.
    Opaque { text: String, span: Span },
}

#[derive(Clone, Debug, PartialEq)]
pub struct HashEntry {
    pub key: String,
    pub key_span: Span,
    pub value: Word,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VarOrigin {
    #[default]
    Shell,
    /// GitHub Actions / Azure Pipelines template expression `${{ … }}`.
    TemplateExpression,
    /// Azure Pipelines macro `$(Name)`.
    PipelineMacro,
    /// Azure Pipelines runtime expression `$[ … ]`.
    RuntimeExpression,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// Bash `X`; PowerShell `x`, `env:X`, `script:x`.
    pub name: String,
    pub value: Word,
    pub span: Span,
    pub exported: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectKind {
    /// `>`, `>|`, `&>`, PowerShell `>`.
    Write,
    /// `>>`, `&>>`, PowerShell `>>`.
    Append,
    /// `<`.
    Read,
    /// `<<EOF` / `<<-EOF`: `target` is the body.
    HereDoc,
    /// `<<<word`.
    HereString,
    /// `2>&1` and friends.
    Duplicate,
    /// The command output is piped into a file writer: `| tee f`, `| Out-File f`,
    /// `| Set-Content`, `| Add-Content`, `| Tee-Object`.
    PipeToFile,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    pub kind: RedirectKind,
    /// File descriptor / PowerShell stream number when given (`2>`).
    pub fd: Option<String>,
    pub target: Word,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// Nesting depth (substitutions, compound statements, PowerShell expressions)
/// past which the walk stops descending and reports an error. Keeps the walk's
/// own stack use bounded whatever the input: under 512 KiB even in debug
/// builds (see `deep_nesting_fits_in_a_small_stack`). Real scripts stay far
/// below it (one `$(…)` level costs two, one PowerShell `( … )` one or two).
pub const MAX_DEPTH: u32 = 64;

/// Scripts beyond this size are not parsed (spans are `u32`, and such files are not scripts).
pub const MAX_SCRIPT_LEN: usize = 64 << 20;

pub fn parse(shell: Shell, text: &str) -> Script {
    match shell {
        Shell::Bash => bash::parse_bash(text),
        Shell::PowerShell => powershell::parse_powershell(text),
    }
}

/// Decide the shell from the file name, else from the shebang line.
pub fn detect_shell(path: &Path, first_line: &str) -> Option<Shell> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("ps1" | "psm1" | "psd1") => return Some(Shell::PowerShell),
        Some("sh" | "bash" | "zsh" | "ksh") => return Some(Shell::Bash),
        _ => {}
    }
    let rest = first_line.strip_prefix("#!")?.trim();
    let mut words = rest.split_whitespace();
    let mut prog = words.next()?;
    if prog.rsplit('/').next() == Some("env") {
        // `#!/usr/bin/env -S bash -e`
        prog = words.find(|w| !w.starts_with('-'))?;
    }
    match prog.rsplit('/').next()? {
        "bash" | "sh" | "zsh" | "ksh" | "dash" | "ash" => Some(Shell::Bash),
        "pwsh" | "powershell" | "pwsh-preview" => Some(Shell::PowerShell),
        _ => None,
    }
}

impl Word {
    /// The word's value when it is made only of literal text.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                WordPart::Literal { text, .. } => out.push_str(text),
                _ => return None,
            }
        }
        Some(out)
    }

    /// Literal text with every non-literal part rendered as `$name`, `$(…)`, or its source.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                WordPart::Literal { text, .. } => out.push_str(text),
                WordPart::Variable { name, member, .. } => {
                    out.push_str("${");
                    out.push_str(name);
                    if let Some(m) = member {
                        out.push('.');
                        out.push_str(m);
                    }
                    out.push('}');
                }
                WordPart::CommandSubstitution { .. } => out.push_str("$(…)"),
                WordPart::Hashtable { .. } => out.push_str("@{…}"),
                WordPart::Array { .. } => out.push_str("@(…)"),
                WordPart::Call { callee, .. } => {
                    out.push_str(callee);
                    out.push_str("(…)");
                }
                WordPart::Splat { name, .. } => {
                    out.push('@');
                    out.push_str(name);
                }
                WordPart::Opaque { text, .. } => out.push_str(text),
            }
        }
        out
    }

    /// The first variable referenced, if the word is exactly one variable reference.
    pub fn as_variable(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Variable { name, .. }] => Some(name),
            _ => None,
        }
    }
}

impl WordPart {
    pub fn span(&self) -> Span {
        match self {
            WordPart::Literal { span, .. }
            | WordPart::Variable { span, .. }
            | WordPart::CommandSubstitution { span, .. }
            | WordPart::Hashtable { span, .. }
            | WordPart::Array { span, .. }
            | WordPart::Call { span, .. }
            | WordPart::Splat { span, .. }
            | WordPart::Opaque { span, .. } => *span,
        }
    }
}

impl Command {
    /// The value following a `--flag` / `-Param`, matched case-insensitively;
    /// also handles `--flag=value` and PowerShell `-Param:value` spellings when
    /// the parser kept them in one word.
    pub fn option(&self, flag: &str) -> Option<&Word> {
        let mut it = self.args.iter();
        while let Some(w) = it.next() {
            if let Some(lit) = w.literal()
                && lit.eq_ignore_ascii_case(flag)
            {
                return it.next();
            }
        }
        None
    }

    /// Whether a switch (`--assign-identity`, `-Force`) is present.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.args
            .iter()
            .any(|w| w.literal().is_some_and(|l| l.eq_ignore_ascii_case(flag)))
    }
}

/// A CI expression replaced by a same-length shell variable reference before parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// Span in the script text (same length as the original expression).
    pub span: Span,
    /// The expression inside the delimiters, trimmed: `secrets.X`, `Build.SourcesDirectory`.
    pub expr: String,
    pub origin: VarOrigin,
}

impl Script {
    /// Apply `f` to every span in the script.
    pub fn map_spans(&mut self, f: &impl Fn(Span) -> Span) {
        let mut words: Vec<&mut Word> = Vec::new();
        for c in &mut self.commands {
            c.span = f(c.span);
            words.push(&mut c.name);
            words.extend(c.args.iter_mut());
            for r in &mut c.redirects {
                r.span = f(r.span);
                words.push(&mut r.target);
            }
            for a in &mut c.env {
                a.span = f(a.span);
                words.push(&mut a.value);
            }
        }
        for a in &mut self.assignments {
            a.span = f(a.span);
            words.push(&mut a.value);
        }
        for c in &mut self.comments {
            c.span = f(c.span);
        }
        for e in &mut self.errors {
            e.span = f(e.span);
        }
        // Explicit stack: words nest through hashtables, arrays and calls.
        while let Some(w) = words.pop() {
            w.span = f(w.span);
            for p in &mut w.parts {
                match p {
                    WordPart::Literal { span, .. }
                    | WordPart::Variable { span, .. }
                    | WordPart::CommandSubstitution { span, .. }
                    | WordPart::Splat { span, .. }
                    | WordPart::Opaque { span, .. } => *span = f(*span),
                    WordPart::Hashtable { entries, span } => {
                        *span = f(*span);
                        for e in entries {
                            e.key_span = f(e.key_span);
                            words.push(&mut e.value);
                        }
                    }
                    WordPart::Array { items, span }
                    | WordPart::Call {
                        args: items, span, ..
                    } => {
                        *span = f(*span);
                        words.extend(items.iter_mut());
                    }
                }
            }
        }
    }

    /// Turn placeholder variables back into the CI expressions they stand for.
    /// Placeholders inside literal text (single quotes) are split out, because the
    /// CI system substitutes them before the shell ever sees the quotes.
    pub(crate) fn resolve_placeholders(&mut self, placeholders: &[Placeholder], text: &str) {
        if placeholders.is_empty() {
            return;
        }
        let mut words: Vec<&mut Word> = Vec::new();
        for c in &mut self.commands {
            words.push(&mut c.name);
            words.extend(c.args.iter_mut());
            words.extend(c.redirects.iter_mut().map(|r| &mut r.target));
            words.extend(c.env.iter_mut().map(|a| &mut a.value));
        }
        words.extend(self.assignments.iter_mut().map(|a| &mut a.value));
        while let Some(w) = words.pop() {
            let old = std::mem::take(&mut w.parts);
            for part in old {
                match part {
                    // Exact match only: `${X:-${{ a }}}` is the shell variable X.
                    WordPart::Variable { span, .. }
                        if placeholders.iter().any(|p| p.span == span) =>
                    {
                        if let Some(ph) = placeholders.iter().find(|p| p.span == span) {
                            w.parts.push(ph_var(ph));
                        }
                    }
                    WordPart::Literal { text: lit, span }
                    | WordPart::Opaque { text: lit, span }
                        if placeholders
                            .iter()
                            .any(|p| p.span.start >= span.start && p.span.end <= span.end) =>
                    {
                        split_literal(&lit, span, placeholders, text, &mut w.parts);
                    }
                    other => w.parts.push(other),
                }
            }
            for p in &mut w.parts {
                match p {
                    WordPart::Hashtable { entries, .. } => {
                        words.extend(entries.iter_mut().map(|e| &mut e.value))
                    }
                    WordPart::Array { items, .. } | WordPart::Call { args: items, .. } => {
                        words.extend(items.iter_mut())
                    }
                    _ => {}
                }
            }
        }
    }
}

fn ph_var(ph: &Placeholder) -> WordPart {
    WordPart::Variable {
        name: ph.expr.clone(),
        member: None,
        default: None,
        modifier: None,
        origin: ph.origin,
        span: ph.span,
    }
}

/// Split literal text around the placeholders whose source lies inside `span`.
/// Placeholder source text is `${___}`, which quote removal leaves intact, so it
/// can be found in the literal by its text.
fn split_literal(
    lit: &str,
    span: Span,
    placeholders: &[Placeholder],
    text: &str,
    out: &mut Vec<WordPart>,
) {
    let mut rest = lit;
    let mut cursor = span.start;
    for ph in placeholders
        .iter()
        .filter(|p| p.span.start >= span.start && p.span.end <= span.end)
    {
        let needle = ph.span.slice(text);
        let Some(pos) = rest.find(needle).filter(|_| !needle.is_empty()) else {
            continue;
        };
        if pos > 0 {
            out.push(WordPart::Literal {
                text: rest[..pos].to_string(),
                span: Span {
                    start: cursor,
                    end: ph.span.start.max(cursor),
                },
            });
        }
        out.push(ph_var(ph));
        rest = &rest[pos + needle.len()..];
        cursor = ph.span.end;
    }
    if !rest.is_empty() {
        out.push(WordPart::Literal {
            text: rest.to_string(),
            span: Span {
                start: cursor.min(span.end),
                end: span.end,
            },
        });
    }
}

/// Builds a word's part list, merging adjacent literals.
#[derive(Default)]
pub(crate) struct PartsBuilder {
    parts: Vec<WordPart>,
}

impl PartsBuilder {
    pub(crate) fn literal(&mut self, text: &str, span: Span) {
        if text.is_empty() {
            return;
        }
        if let Some(WordPart::Literal { text: t, span: s }) = self.parts.last_mut() {
            t.push_str(text);
            *s = s.cover(span);
            return;
        }
        self.parts.push(WordPart::Literal {
            text: text.to_string(),
            span,
        });
    }

    pub(crate) fn push(&mut self, part: WordPart) {
        match part {
            WordPart::Literal { text, span } => self.literal(&text, span),
            other => self.parts.push(other),
        }
    }

    pub(crate) fn finish(self) -> Vec<WordPart> {
        self.parts
    }
}

/// Parse `text` with a tree-sitter grammar, recording its syntax errors and comments in
/// `script`; `None` (with an error recorded) when the grammar cannot be loaded or the parser
/// gives up.
pub(crate) fn syntax_tree(
    language: tree_sitter::Language,
    grammar: &str,
    text: &str,
    script: &mut Script,
) -> Option<tree_sitter::Tree> {
    let mut parser = tree_sitter::Parser::new();
    if parser.set_language(&language).is_err() {
        script.errors.push(SyntaxError {
            span: Span::default(),
            message: format!("{grammar} grammar version mismatch"),
        });
        return None;
    }
    let Some(tree) = parser.parse(text, None) else {
        script.errors.push(SyntaxError {
            span: Span::new(0, text.len()),
            message: "parser gave up".into(),
        });
        return None;
    };
    collect_errors_and_comments(&tree, text, &mut script.errors, &mut script.comments);
    Some(tree)
}

/// Collect ERROR/MISSING nodes and comments with an iterative cursor walk.
pub(crate) fn collect_errors_and_comments(
    tree: &tree_sitter::Tree,
    text: &str,
    errors: &mut Vec<SyntaxError>,
    comments: &mut Vec<Comment>,
) {
    let root = tree.root_node();
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let mut descend = true;
        if node.is_missing() {
            errors.push(SyntaxError {
                span: Span::new(node.start_byte(), node.end_byte()),
                message: format!("missing `{}`", node.kind()),
            });
        } else if node.is_error() {
            // Report only the outermost error of a broken region: nested ones add noise. The
            // text is not quoted: it may hold a credential, and messages are printed unmasked
            // (the location shows the masked source).
            errors.push(SyntaxError {
                span: Span::new(node.start_byte(), node.end_byte()),
                message: "syntax error: this does not parse".into(),
            });
            descend = false;
        } else if node.kind() == "comment" {
            comments.push(Comment {
                text: node.utf8_text(text.as_bytes()).unwrap_or("").to_string(),
                span: Span::new(node.start_byte(), node.end_byte()),
            });
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn syntax_errors_do_not_quote_the_source() {
        // Messages are printed unmasked; a broken line may hold a credential.
        for (shell, text) in [
            (Shell::Bash, "az login -p 'Sup3rS3cretValue!' |& |\n"),
            (Shell::PowerShell, "$p = ('Sup3rS3cretValue!'\n"),
        ] {
            let s = parse(shell, text);
            assert!(!s.errors.is_empty(), "{text}");
            for e in &s.errors {
                assert!(!e.message.contains("S3cret"), "{}", e.message);
            }
        }
    }

    use super::*;

    /// Deeply nested inputs of every recursive shape, on a thread with a small
    /// stack: the depth limit must stop the walk long before the stack runs out.
    #[test]
    fn deep_nesting_fits_in_a_small_stack() {
        let cases: Vec<(Shell, String)> = vec![
            (
                Shell::Bash,
                format!("{}x{}", "echo \"$(".repeat(3000), ")\"".repeat(3000)),
            ),
            (
                Shell::Bash,
                format!("{}x{}", "$(".repeat(3000), ")".repeat(3000)),
            ),
            (
                Shell::Bash,
                format!("{}{}", "{ ".repeat(3000), "; }".repeat(3000)),
            ),
            (Shell::Bash, format!("a {}", "<(".repeat(3000))),
            (
                Shell::PowerShell,
                format!("x {}1{}", "(".repeat(3000), ")".repeat(3000)),
            ),
            (
                Shell::PowerShell,
                format!("x {}1{}", "$(".repeat(3000), ")".repeat(3000)),
            ),
            (
                Shell::PowerShell,
                format!("x {}1{}", "@{a=".repeat(3000), "}".repeat(3000)),
            ),
            (
                Shell::PowerShell,
                format!("x {}1{}", "@(".repeat(3000), ")".repeat(3000)),
            ),
            (
                Shell::PowerShell,
                format!("x {}$a{}", "\"$(".repeat(1000), ")\"".repeat(1000)),
            ),
            (Shell::PowerShell, format!("x {}", "[a]::b(".repeat(3000))),
            (Shell::PowerShell, format!("x $a{}", ".b".repeat(30000))),
            (
                Shell::PowerShell,
                format!("{}{}", "if ($a) { ".repeat(3000), "}".repeat(3000)),
            ),
            (Shell::PowerShell, format!("x {}", "{ x ".repeat(3000))),
        ];
        std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                for (shell, text) in &cases {
                    let s = parse(*shell, text);
                    let _ = s.commands.len();
                }
            })
            .unwrap()
            .join()
            .expect("parser must not overflow a 512 KiB stack");
    }

    /// Every prefix of realistic scripts (truncated files) parses without panicking.
    #[test]
    fn truncated_inputs() {
        let bash = "#!/bin/bash\nexport X=\"${A:-b}\"\ncat <<'EOF' | az rest --body @-\n{$X}\nEOF\nP=$(az identity show -g rg -n 'i d' --query principalId -o tsv) && az role assignment create --scope \"/s/$P\" $'\\x41' `date` > f 2>&1\n";
        let ps = "$h = @{Metadata=\"true\"; N='x'}\n$c = [pscredential]::new('u', (ConvertTo-SecureString \"p`$\" -AsPlainText -Force))\nNew-AzRoleAssignment @h -ObjectId:(Get-X -N n).Id `\n  -Scope \"/s/$($a.b)\" | Out-File f.txt\n$s = @\"\nhi $x\n\"@\n";
        for (shell, text) in [(Shell::Bash, bash), (Shell::PowerShell, ps)] {
            for (i, _) in text.char_indices() {
                parse(shell, &text[..i]);
            }
        }
    }

    #[test]
    fn shebangs() {
        let p = Path::new("deploy");
        assert_eq!(detect_shell(p, "#!/bin/bash"), Some(Shell::Bash));
        assert_eq!(detect_shell(p, "#!/usr/bin/env bash"), Some(Shell::Bash));
        assert_eq!(
            detect_shell(p, "#!/usr/bin/env -S bash -e"),
            Some(Shell::Bash)
        );
        assert_eq!(detect_shell(p, "#!/bin/sh"), Some(Shell::Bash));
        assert_eq!(detect_shell(p, "#!/bin/zsh"), Some(Shell::Bash));
        assert_eq!(
            detect_shell(p, "#!/usr/bin/env pwsh"),
            Some(Shell::PowerShell)
        );
        assert_eq!(detect_shell(p, "#!/usr/bin/python3"), None);
        assert_eq!(detect_shell(p, "echo hi"), None);
        assert_eq!(
            detect_shell(Path::new("a/b.PS1"), ""),
            Some(Shell::PowerShell)
        );
        assert_eq!(
            detect_shell(Path::new("a/b.sh"), "#!/usr/bin/env pwsh"),
            Some(Shell::Bash)
        );
    }
}

/// Throughput and robustness over a real corpus. Run with
/// `IDLINT_CORPUS=/path cargo test --release measure_corpus -- --ignored --nocapture`.
#[cfg(test)]
mod measure {
    use super::*;
    use std::time::{Duration, Instant};

    #[derive(Default)]
    struct Stats {
        files: usize,
        bytes: usize,
        with_errors: usize,
        commands: usize,
        time: Duration,
    }

    impl Stats {
        fn add(&mut self, len: usize, s: &Script, t: Duration) {
            self.files += 1;
            self.bytes += len;
            self.with_errors += usize::from(!s.errors.is_empty());
            self.commands += s.commands.len();
            self.time += t;
        }

        fn report(&self, what: &str) {
            let mbs = self.bytes as f64 / 1e6 / self.time.as_secs_f64().max(1e-9);
            println!(
                "{what}: {} scripts, {} bytes, {} with syntax errors, {} commands, {:.1} MB/s",
                self.files, self.bytes, self.with_errors, self.commands, mbs
            );
        }
    }

    fn timed(shell: Shell, text: &str, stats: &mut Stats) {
        let t = Instant::now();
        let s = parse(shell, text);
        stats.add(text.len(), &s, t.elapsed());
    }

    /// Inline `scriptContent` of ARM deploymentScripts (the corpus has no standalone scripts).
    fn arm_scripts(v: &serde_json::Value, out: &mut Vec<(Shell, String)>) {
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(m) => {
                    let shell = match m.get("kind").and_then(|k| k.as_str()) {
                        Some("AzureCLI") => Some(Shell::Bash),
                        Some("AzurePowerShell") => Some(Shell::PowerShell),
                        _ => None,
                    };
                    let content = m
                        .get("properties")
                        .and_then(|p| p.get("scriptContent"))
                        .and_then(|c| c.as_str());
                    if let (Some(shell), Some(c)) = (shell, content)
                        && !c.starts_with('[')
                    {
                        out.push((shell, c.to_string()));
                    }
                    stack.extend(m.values());
                }
                serde_json::Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
    }

    #[test]
    #[ignore]
    fn measure_corpus() {
        let root = std::env::var("IDLINT_CORPUS").unwrap_or_else(|_| "/work/shared/corpus".into());
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(root)];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        let (mut sh, mut ps, mut yaml, mut inline) = (
            Stats::default(),
            Stats::default(),
            Stats::default(),
            Stats::default(),
        );
        let mut yaml_failures = 0;
        for p in &files {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            match ext {
                "sh" | "bash" => timed(Shell::Bash, &text, &mut sh),
                "ps1" | "psm1" => timed(Shell::PowerShell, &text, &mut ps),
                "yml" | "yaml" => {
                    if let Some(kind) = workflow::detect_yaml_kind(p, &text) {
                        let t = Instant::now();
                        match workflow::extract(&text, kind) {
                            Ok(scripts) => {
                                for s in &scripts {
                                    let parsed = s.parse();
                                    yaml.commands += parsed.commands.len();
                                    yaml.with_errors += usize::from(!parsed.errors.is_empty());
                                }
                            }
                            Err(_) => yaml_failures += 1,
                        }
                        yaml.files += 1;
                        yaml.bytes += text.len();
                        yaml.time += t.elapsed();
                    }
                }
                "json" if text.contains("scriptContent") => {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                        let mut scripts = Vec::new();
                        arm_scripts(&v, &mut scripts);
                        for (shell, s) in scripts {
                            timed(shell, &s, &mut inline);
                        }
                    }
                }
                _ => {}
            }
        }
        println!("corpus: {} files scanned", files.len());
        sh.report("bash files");
        ps.report("PowerShell files");
        yaml.report("CI YAML files");
        println!("CI YAML extraction failures: {yaml_failures}");
        inline.report("ARM deploymentScripts inline scriptContent");

        // Synthetic volume: the realistic test snippets repeated to ~4 MB each.
        let bash_unit = "az vm create --resource-group myResourceGroup --name myVM --image win2016datacenter \\\n  --generate-ssh-keys --assign-identity --role contributor --scope \"/subscriptions/$SUB\" \\\n  --admin-username azureuser --admin-password myPassword12\nPRINCIPAL=$(az identity show -g rg -n id1 --query principalId -o tsv)\nif [ -n \"$PRINCIPAL\" ]; then\n  az role assignment create --assignee-object-id \"$PRINCIPAL\" --role Reader --scope \"/subscriptions/${SUB_ID:?}\" | tee -a log.txt\nfi\n";
        let ps_unit = "$sec = ConvertTo-SecureString \"P@ssw0rd!\" -AsPlainText -Force\n$params = @{ ObjectId = $id.PrincipalId; RoleDefinitionName = 'Reader'; Scope = \"/subscriptions/$sub\" }\nNew-AzRoleAssignment @params\nNew-AzRoleAssignment -ObjectId (Get-AzUserAssignedIdentity -ResourceGroupName rg -Name id1).PrincipalId `\n  -RoleDefinitionName Contributor\n";
        for (shell, unit) in [(Shell::Bash, bash_unit), (Shell::PowerShell, ps_unit)] {
            let big = unit.repeat(4_000_000 / unit.len());
            let mut st = Stats::default();
            timed(shell, &big, &mut st);
            st.report(&format!(
                "synthetic {shell:?} (one {} KB file)",
                big.len() / 1000
            ));
        }
    }
}
