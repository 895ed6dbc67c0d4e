//! Finding suppression comments in raw text, without the parsers.
//!
//! A comment containing `idlint-ignore` (or Bicep's `#disable-next-line`) is a directive. On
//! its own line it targets the construct starting on the next line that is neither blank nor
//! a comment, through its balanced brackets, its line continuations (bash `\`, PowerShell
//! backtick) and, in YAML, its more-indented lines. After code on the same line it targets
//! that line.

/// Comment syntax of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// HCL: `#`, `//`, `/* */`; double-quoted strings.
    Hcl,
    /// Bicep: `//`, `/* */`, `#disable-next-line`; single-quoted strings.
    Bicep,
    /// JSON with comments: `//`, `/* */`; double-quoted strings.
    Json,
    /// bash: `#` at the start of a word; `\` continues a line.
    Bash,
    /// PowerShell: `#` at the start of a word; a trailing backtick continues a line.
    PowerShell,
    /// YAML: `#` at the start of a word; a construct extends over its more-indented lines.
    Yaml,
}

/// One directive comment as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDirective {
    /// Byte range of the directive text (from `idlint-ignore` or `#disable-next-line` to the
    /// end of the comment).
    pub start: usize,
    pub end: usize,
    /// The text from the keyword on.
    pub text: String,
    /// Byte range of the targeted construct.
    pub target: (usize, usize),
    /// A Bicep `#disable-next-line` (no reason required; non-idlint rule names ignored).
    pub bicep_disable: bool,
}

pub const KEYWORD: &str = "idlint-ignore";
pub const BICEP_DISABLE: &str = "#disable-next-line";

/// Where a line's comment starts (outside strings), if it has one.
fn comment_start(line: &str, syntax: Syntax) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' && q == b'"' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        let word_start = i == 0 || b[i - 1].is_ascii_whitespace();
        match (syntax, c) {
            (_, b'"') => quote = Some(b'"'),
            // `don't` inside a word is not a quote in shells and YAML.
            (Syntax::Bicep | Syntax::Bash | Syntax::PowerShell | Syntax::Yaml, b'\'')
                if syntax == Syntax::Bicep || word_start =>
            {
                quote = Some(b'\'')
            }
            (Syntax::Hcl | Syntax::Bicep | Syntax::Json, b'/')
                if b.get(i + 1).is_some_and(|n| *n == b'/' || *n == b'*') =>
            {
                return Some(i);
            }
            (Syntax::Hcl, b'#') => return Some(i),
            (Syntax::Bicep, b'#') if line[i..].starts_with(BICEP_DISABLE) => return Some(i),
            (Syntax::Bash | Syntax::PowerShell | Syntax::Yaml, b'#') if word_start => {
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Lines with their byte offsets (without the newline).
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        out.push((start, trimmed));
        start += line.len();
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_comment_only(line: &str, syntax: Syntax) -> bool {
    let t = line.trim_start();
    comment_start(line, syntax).is_some_and(|c| c == line.len() - t.len())
        || (matches!(syntax, Syntax::Hcl | Syntax::Bicep | Syntax::Json) && t.starts_with("/*"))
}

/// Bracket depth change over a line's code (strings and comments skipped).
fn depth_delta(line: &str, syntax: Syntax) -> i32 {
    let code = match comment_start(line, syntax) {
        Some(c) => &line[..c],
        None => line,
    };
    let b = code.as_bytes();
    let mut quote: Option<u8> = None;
    let mut delta = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' && (q == b'"' || syntax == Syntax::Bicep) {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
        } else {
            match c {
                b'"' => quote = Some(b'"'),
                b'\'' if matches!(syntax, Syntax::Bicep | Syntax::PowerShell | Syntax::Bash) => {
                    quote = Some(b'\'')
                }
                b'{' | b'[' | b'(' => delta += 1,
                b'}' | b']' | b')' => delta -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    delta
}

fn continues(line: &str, syntax: Syntax) -> bool {
    let t = line.trim_end();
    match syntax {
        Syntax::Bash => t.ends_with('\\'),
        Syntax::PowerShell => t.ends_with('`'),
        _ => false,
    }
}

/// The byte extent of the construct starting on line `first`.
fn construct(all: &[(usize, &str)], first: usize, syntax: Syntax) -> (usize, usize) {
    let (start, line) = all[first];
    let start = start + indent(line);
    let base_indent = indent(line);
    let mut depth = 0i32;
    let mut i = first;
    loop {
        let (_, l) = all[i];
        depth += depth_delta(l, syntax);
        let more = depth > 0
            || continues(l, syntax)
            || (syntax == Syntax::Yaml
                && all
                    .get(i + 1)
                    .is_some_and(|(_, n)| n.trim().is_empty() || indent(n) > base_indent));
        if !more || i + 1 >= all.len() {
            break;
        }
        i += 1;
    }
    // Trailing blank lines of a YAML block are not part of it.
    while i > first && all[i].1.trim().is_empty() {
        i -= 1;
    }
    (start, all[i].0 + all[i].1.len())
}

/// Every directive in a file.
pub fn directives(text: &str, syntax: Syntax) -> Vec<RawDirective> {
    let has = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    if !(has(KEYWORD) || syntax == Syntax::Bicep && has(BICEP_DISABLE)) {
        return Vec::new();
    }
    let all = lines(text);
    let mut out = Vec::new();
    for (n, (offset, line)) in all.iter().enumerate() {
        let Some(c) = comment_start(line, syntax) else {
            continue;
        };
        let comment = &line[c..];
        let (at, bicep_disable) = if let Some(k) = comment.find(KEYWORD) {
            (k, false)
        } else if syntax == Syntax::Bicep && comment.starts_with(BICEP_DISABLE) {
            (0, true)
        } else {
            continue;
        };
        let text_start = c + at;
        let mut text_end = line.len();
        if let Some(close) = line[text_start..].find("*/") {
            text_end = text_start + close;
        }
        let directive_text = line[text_start..text_end].trim_end().to_owned();
        let target = if !line[..c].trim().is_empty() {
            (offset + indent(line), offset + line.len())
        } else {
            match (n + 1..all.len())
                .find(|&i| !all[i].1.trim().is_empty() && !is_comment_only(all[i].1, syntax))
            {
                Some(next) => construct(&all, next, syntax),
                // Nothing follows: the directive targets nothing (and will be unused).
                None => (text.len(), text.len()),
            }
        };
        out.push(RawDirective {
            start: offset + text_start,
            end: offset + text_start + directive_text.len(),
            text: directive_text,
            target,
            bicep_disable,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(text: &str, syntax: Syntax) -> Vec<&str> {
        directives(text, syntax)
            .iter()
            .map(|d| &text[d.target.0..d.target.1])
            .collect()
    }

    #[test]
    fn hcl_block_through_its_braces() {
        let text = "# idlint-ignore broad-role-scope: break-glass\nresource \"a\" \"b\" {\n  x = { y = 1 }\n}\nresource \"c\" \"d\" {}\n";
        assert_eq!(
            target(text, Syntax::Hcl),
            ["resource \"a\" \"b\" {\n  x = { y = 1 }\n}"]
        );
        let text = "// idlint-ignore x: y\n\n# other comment\nlocals {\n}\n";
        assert_eq!(target(text, Syntax::Hcl), ["locals {\n}"]);
    }

    #[test]
    fn trailing_comment_targets_its_line() {
        let text = "a = \"#not\" # idlint-ignore hardcoded-secret: test key\nb = 2\n";
        let d = directives(text, Syntax::Hcl);
        assert_eq!(d.len(), 1);
        assert_eq!(
            &text[d[0].target.0..d[0].target.1],
            "a = \"#not\" # idlint-ignore hardcoded-secret: test key"
        );
        assert_eq!(d[0].text, "idlint-ignore hardcoded-secret: test key");
    }

    #[test]
    fn strings_hide_comment_markers() {
        assert!(directives("x = \"// idlint-ignore a: b\"\n", Syntax::Hcl).is_empty());
        assert!(directives("{ \"a\": \"# idlint-ignore a: b\" }\n", Syntax::Json).is_empty());
        assert!(directives("echo foo#idlint-ignore a: b\n", Syntax::Bash).is_empty());
    }

    #[test]
    fn json_resource_object() {
        let text = "[\n  // idlint-ignore broad-role-scope: ok\n  {\n    \"type\": \"x\",\n    \"p\": [1, 2]\n  },\n  {}\n]";
        assert_eq!(
            target(text, Syntax::Json),
            ["{\n    \"type\": \"x\",\n    \"p\": [1, 2]\n  },"]
        );
    }

    #[test]
    fn bicep_disable_next_line_and_strings() {
        let text = "#disable-next-line hardcoded-secret no-unused-params\nvar p = 'it''s // not'\nvar q = 1\n";
        let d = directives(text, Syntax::Bicep);
        assert_eq!(d.len(), 1);
        assert!(d[0].bicep_disable);
        assert_eq!(
            &text[d[0].target.0..d[0].target.1],
            "var p = 'it''s // not'"
        );
        let text = "// idlint-ignore broad-role-scope: ok\nresource r 'x' = {\n  name: '}'\n}\n";
        assert_eq!(
            target(text, Syntax::Bicep),
            ["resource r 'x' = {\n  name: '}'\n}"]
        );
    }

    #[test]
    fn shell_continuations() {
        let text = "# idlint-ignore hardcoded-secret: rotated\naz login \\\n  -p x\necho done\n";
        assert_eq!(target(text, Syntax::Bash), ["az login \\\n  -p x"]);
        let text = "# idlint-ignore hardcoded-secret: rotated\nConnect-AzAccount `\n  -x y\nWrite-Host hi\n";
        assert_eq!(
            target(text, Syntax::PowerShell),
            ["Connect-AzAccount `\n  -x y"]
        );
    }

    #[test]
    fn yaml_block_by_indentation() {
        let text = "steps:\n  # idlint-ignore hardcoded-secret: test\n  - run: |\n      az login -p x\n\n  - run: echo\n";
        assert_eq!(
            target(text, Syntax::Yaml),
            ["- run: |\n      az login -p x"]
        );
    }

    #[test]
    fn nothing_follows() {
        let d = directives("x = 1\n# idlint-ignore a: b\n", Syntax::Hcl);
        assert_eq!(d[0].target, (d[0].target.0, d[0].target.0));
    }
}
