//! bash/sh via tree-sitter-bash.

use tree_sitter::Node;

use super::{
    Assignment, Command, MAX_DEPTH, MAX_SCRIPT_LEN, Nesting, PartsBuilder, Placeholder, Redirect,
    RedirectKind, Script, Shell, Span, SyntaxError, VarOrigin, Word, WordPart, syntax_tree,
};

pub fn parse_bash(text: &str) -> Script {
    parse_bash_with(text, &[])
}

pub(crate) fn parse_bash_with(text: &str, placeholders: &[Placeholder]) -> Script {
    let mut script = Script {
        shell: Shell::Bash,
        ..Script::default()
    };
    if text.len() > MAX_SCRIPT_LEN {
        script.errors.push(SyntaxError {
            span: Span::default(),
            message: format!("script too large ({} bytes)", text.len()),
        });
        return script;
    }
    let Some(tree) = syntax_tree(
        tree_sitter_bash::LANGUAGE.into(),
        "tree-sitter-bash",
        text,
        &mut script,
    ) else {
        return script;
    };
    let mut w = Walker {
        src: text,
        script,
        depth: 0,
        pending_args: Vec::new(),
    };
    w.stmts(tree.root_node(), &Nesting::default());
    let mut script = w.script;
    script.resolve_placeholders(placeholders, text);
    script
}

/// `--name=value` is the same as `--name value` to every CLI idlint reads: split it, so that
/// option lookups see one shape. Only where the flag is written plainly (not quoted), so
/// that offsets in the word's text are offsets in the source.
fn split_long_option(src: &str, w: Word) -> Vec<Word> {
    let Some(WordPart::Literal { text, span }) = w.parts.first() else {
        return vec![w];
    };
    let Some(eq) = text.find('=').filter(|_| text.starts_with("--")) else {
        return vec![w];
    };
    let (start, end) = (span.start as usize, span.end as usize);
    if src.get(start..start + eq + 1) != text.get(..=eq) {
        return vec![w];
    }
    let flag_span = Span::new(start, start + eq);
    let flag = Word {
        span: flag_span,
        parts: vec![WordPart::Literal {
            text: text[..eq].to_owned(),
            span: flag_span,
        }],
    };
    let value_start = start + eq + 1;
    let mut parts = w.parts.clone();
    let rest = &text[eq + 1..];
    if rest.is_empty() && parts.len() > 1 {
        parts.remove(0);
    } else {
        parts[0] = WordPart::Literal {
            text: rest.to_owned(),
            span: Span::new(value_start, end),
        };
    }
    let value = Word {
        span: Span::new(value_start, (w.span.end as usize).max(value_start)),
        parts,
    };
    vec![flag, value]
}

struct Walker<'a> {
    src: &'a str,
    script: Script,
    /// Recursion depth of this walker's own calls (not tree depth).
    depth: u32,
    /// Command arguments found inside redirect nodes, collected by `redirect`.
    pending_args: Vec<Word>,
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).collect()
}

/// Children paired with their field names.
fn fielded_children<'t>(node: Node<'t>) -> Vec<(Option<&'t str>, Node<'t>)> {
    let mut out = Vec::new();
    let mut c = node.walk();
    if c.goto_first_child() {
        loop {
            out.push((c.field_name(), c.node()));
            if !c.goto_next_sibling() {
                break;
            }
        }
    }
    out
}

impl Nesting {
    fn nested(&self) -> Nesting {
        Nesting {
            depth: self.depth + 1,
            ..self.clone()
        }
    }
    pub(crate) fn in_substitution(&self) -> Nesting {
        Nesting {
            substitution: true,
            ..self.nested()
        }
    }
    pub(crate) fn in_control_flow(&self) -> Nesting {
        Nesting {
            control_flow: true,
            ..self.nested()
        }
    }
    pub(crate) fn in_function(&self, name: String) -> Nesting {
        Nesting {
            function: Some(name),
            ..self.nested()
        }
    }
}

impl<'a> Walker<'a> {
    fn text(&self, node: Node) -> &'a str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn enter(&mut self, node: Node) -> bool {
        if self.depth >= MAX_DEPTH {
            self.script.errors.push(SyntaxError {
                span: span(node),
                message: format!("nesting deeper than {MAX_DEPTH} levels; not analysed"),
            });
            return false;
        }
        self.depth += 1;
        true
    }

    /// Walk statements under `root`. Iterative over the tree; recursion happens
    /// only through words (substitutions) and is depth-limited.
    fn stmts<'t>(&mut self, root: Node<'t>, nesting: &Nesting) {
        if !self.enter(root) {
            return;
        }
        let mut stack = vec![(root, nesting.clone())];
        while let Some((node, nest)) = stack.pop() {
            let push_children = |node: Node<'t>, nest: Nesting, stack: &mut Vec<_>| {
                let kids = named_children(node);
                stack.extend(kids.into_iter().rev().map(|k| (k, nest.clone())));
            };
            match node.kind() {
                "command" => {
                    self.command(node, &nest, &[]);
                }
                "redirected_statement" => self.redirected(node, &nest),
                "pipeline" => self.pipeline(node, &nest),
                "declaration_command" => self.declaration(node, &nest),
                "variable_assignment" => {
                    if let Some(a) = self.assignment(node, &nest, false) {
                        self.script.assignments.push(a);
                    }
                }
                "function_definition" => {
                    let name = node
                        .child_by_field_name("name")
                        .map(|n| self.text(n).to_string())
                        .unwrap_or_default();
                    if let Some(body) = node.child_by_field_name("body") {
                        stack.push((body, nest.in_function(name)));
                    }
                }
                "if_statement"
                | "for_statement"
                | "c_style_for_statement"
                | "while_statement"
                | "case_statement" => push_children(node, nest.in_control_flow(), &mut stack),
                "command_substitution" | "process_substitution" => {
                    push_children(node, nest.in_substitution(), &mut stack)
                }
                "comment" | "heredoc_body" | "heredoc_start" | "heredoc_end" => {}
                _ => push_children(node, nest, &mut stack),
            }
        }
        self.depth -= 1;
    }

    fn reserve(&mut self, node: Node, nesting: &Nesting) -> usize {
        self.script.commands.push(Command {
            name: Word::default(),
            args: Vec::new(),
            span: span(node),
            redirects: Vec::new(),
            env: Vec::new(),
            piped_to: None,
            nesting: nesting.clone(),
        });
        self.script.commands.len() - 1
    }

    /// Convert a `command` node. The command is reserved before its words are
    /// converted so `commands` stays ordered by start offset.
    fn command<'t>(
        &mut self,
        node: Node<'t>,
        nesting: &Nesting,
        extra_redirects: &[Node<'t>],
    ) -> usize {
        let idx = self.reserve(node, nesting);
        let mut name = Word::default();
        let mut args = Vec::new();
        let mut env = Vec::new();
        let mut redirect_nodes = Vec::new();
        for (field, child) in fielded_children(node) {
            if !child.is_named() {
                continue;
            }
            match (field, child.kind()) {
                (Some("name"), _) => name = self.word(child, nesting),
                (Some("argument"), _) => args.push(self.word(child, nesting)),
                (Some("redirect"), _) => redirect_nodes.push(child),
                (_, "variable_assignment") => {
                    if let Some(a) = self.assignment(child, nesting, false) {
                        env.push(a);
                    }
                }
                (_, "comment") => {}
                // e.g. `subshell` argument positions tree-sitter does not name.
                _ => args.push(self.word(child, nesting)),
            }
        }
        redirect_nodes.extend_from_slice(extra_redirects);
        let mut redirects = Vec::new();
        let mut follow_ups = Vec::new();
        let outer_pending = std::mem::take(&mut self.pending_args);
        for r in redirect_nodes {
            self.redirect(r, nesting, &mut redirects, &mut follow_ups);
        }
        args.append(&mut self.pending_args);
        self.pending_args = outer_pending;
        let c = &mut self.script.commands[idx];
        c.span = redirects.iter().fold(c.span, |s, r| s.cover(r.span));
        c.name = name;
        c.args = args
            .into_iter()
            .flat_map(|w| split_long_option(self.src, w))
            .collect();
        c.env = env;
        c.redirects = redirects;
        // Statements written after a here-doc operator (`cat <<EOF | az …`).
        for stmt in follow_ups {
            let before = self.script.commands.len();
            let is_pipe = self.text(stmt).trim_start().starts_with('|');
            self.stmts(stmt, nesting);
            if is_pipe && self.script.commands.len() > before {
                self.link_pipe(idx, before);
            }
        }
        idx
    }

    fn redirect<'t>(
        &mut self,
        node: Node<'t>,
        nesting: &Nesting,
        out: &mut Vec<Redirect>,
        follow_ups: &mut Vec<Node<'t>>,
    ) {
        let fd = node
            .child_by_field_name("descriptor")
            .map(|d| self.text(d).to_string());
        match node.kind() {
            "file_redirect" => {
                let op = fielded_children(node)
                    .into_iter()
                    .find(|(_, c)| !c.is_named())
                    .map(|(_, c)| c.kind())
                    .unwrap_or(">");
                // tree-sitter-bash attaches words after a redirect target to the
                // redirect (`<file arg1 arg2`); bash treats them as command arguments.
                let mut dests = Vec::new();
                let mut c = node.walk();
                if c.goto_first_child() {
                    loop {
                        if c.field_name() == Some("destination") {
                            dests.push(c.node());
                        }
                        if !c.goto_next_sibling() {
                            break;
                        }
                    }
                }
                let dest = dests.first().copied();
                let target = dest.map(|d| self.word(d, nesting)).unwrap_or_default();
                for extra in dests.iter().skip(1) {
                    let w = self.word(*extra, nesting);
                    self.pending_args.push(w);
                }
                let kind = match op {
                    ">>" | "&>>" => RedirectKind::Append,
                    "<" => RedirectKind::Read,
                    ">&" | "<&" | ">&-" | "<&-"
                        if dest.is_none_or(|d| d.kind() == "number" || self.text(d) == "-") =>
                    {
                        RedirectKind::Duplicate
                    }
                    _ => RedirectKind::Write,
                };
                out.push(Redirect {
                    kind,
                    fd,
                    target,
                    span: span(node),
                });
            }
            "heredoc_redirect" => {
                let quoted = node
                    .named_child(0)
                    .filter(|s| s.kind() == "heredoc_start")
                    .is_some_and(|s| self.text(s).contains(['\'', '"', '\\']));
                let mut target = Word::default();
                for child in named_children(node) {
                    match child.kind() {
                        "heredoc_body" => {
                            target = if quoted {
                                Word {
                                    span: span(child),
                                    parts: vec![WordPart::Literal {
                                        text: self.text(child).to_string(),
                                        span: span(child),
                                    }],
                                }
                            } else {
                                self.word(child, nesting)
                            };
                        }
                        "heredoc_start" | "heredoc_end" => {}
                        "file_redirect" | "herestring_redirect" | "heredoc_redirect" => {
                            self.redirect(child, nesting, out, follow_ups)
                        }
                        _ => follow_ups.push(child),
                    }
                }
                // The here-doc comes first in source order even if its body comes later.
                out.insert(
                    0,
                    Redirect {
                        kind: RedirectKind::HereDoc,
                        fd,
                        target,
                        span: span(node),
                    },
                );
            }
            "herestring_redirect" => {
                let target = node
                    .named_children(&mut node.walk())
                    .find(|c| c.kind() != "file_descriptor")
                    .map(|c| self.word(c, nesting))
                    .unwrap_or_default();
                out.push(Redirect {
                    kind: RedirectKind::HereString,
                    fd,
                    target,
                    span: span(node),
                });
            }
            _ => follow_ups.push(node),
        }
    }

    fn redirected<'t>(&mut self, node: Node<'t>, nesting: &Nesting) {
        let mut redirects = Vec::new();
        let mut body = None;
        for (field, child) in fielded_children(node) {
            match field {
                Some("body") => body = Some(child),
                Some("redirect") => redirects.push(child),
                _ if child.is_named() && child.kind() != "comment" => redirects.push(child),
                _ => {}
            }
        }
        match body {
            Some(b) if b.kind() == "command" => {
                self.command(b, nesting, &redirects);
            }
            _ => {
                let before = self.script.commands.len();
                if let Some(b) = body {
                    self.stmts(b, nesting);
                }
                let mut converted = Vec::new();
                let mut follow_ups = Vec::new();
                for r in redirects {
                    self.redirect(r, nesting, &mut converted, &mut follow_ups);
                }
                // `{ …; } > file` / `while …; done > file`: every command inside writes there.
                let after = self.script.commands.len();
                for c in &mut self.script.commands[before..after] {
                    c.redirects.extend(converted.iter().cloned());
                }
                for stmt in follow_ups {
                    self.stmts(stmt, nesting);
                }
            }
        }
    }

    fn pipeline(&mut self, node: Node, nesting: &Nesting) {
        let mut prev: Option<usize> = None;
        for stage in named_children(node) {
            if stage.kind() == "comment" {
                continue;
            }
            let before = self.script.commands.len();
            self.stmts(stage, nesting);
            if self.script.commands.len() > before {
                if let Some(p) = prev {
                    self.link_pipe(p, before);
                }
                prev = Some(before);
            }
        }
    }

    /// Record `from | to`, and model `| tee file` as a file redirect of `from`.
    fn link_pipe(&mut self, from: usize, to: usize) {
        self.script.commands[from].piped_to = Some(to);
        let next = &self.script.commands[to];
        if next.name.literal().as_deref() == Some("tee") {
            let append = next.has_flag("-a") || next.has_flag("--append");
            let files: Vec<Word> = next
                .args
                .iter()
                .filter(|a| !a.literal().is_some_and(|l| l.starts_with('-')))
                .cloned()
                .collect();
            let span = next.span;
            for target in files {
                self.script.commands[from].redirects.push(Redirect {
                    kind: if append {
                        RedirectKind::Append
                    } else {
                        RedirectKind::PipeToFile
                    },
                    fd: None,
                    target,
                    span,
                });
            }
        }
    }

    fn declaration(&mut self, node: Node, nesting: &Nesting) {
        let keyword = node.child(0).map(|k| k.kind()).unwrap_or("");
        let mut exported = keyword == "export";
        for child in named_children(node) {
            match child.kind() {
                "word" => {
                    let flag = self.text(child);
                    if flag.starts_with('-') && flag.contains('x') {
                        exported = true;
                    }
                }
                "variable_assignment" => {
                    if let Some(a) = self.assignment(child, nesting, exported) {
                        self.script.assignments.push(a);
                    }
                }
                "variable_name" | "comment" => {}
                // `export $(cat .env | xargs)` and the like.
                _ => self.stmts(child, nesting),
            }
        }
    }

    fn assignment(&mut self, node: Node, nesting: &Nesting, exported: bool) -> Option<Assignment> {
        let name_node = node.child_by_field_name("name")?;
        let name = self.text(name_node).to_string();
        let value = match node.child_by_field_name("value") {
            Some(v) => self.word(v, nesting),
            None => Word {
                span: Span::new(node.end_byte(), node.end_byte()),
                parts: Vec::new(),
            },
        };
        Some(Assignment {
            name,
            value,
            span: span(node),
            exported,
        })
    }

    fn word(&mut self, node: Node, nesting: &Nesting) -> Word {
        let mut parts = PartsBuilder::default();
        if self.enter(node) {
            self.word_parts(node, nesting, &mut parts);
            self.depth -= 1;
        } else {
            parts.push(WordPart::Opaque {
                text: self.text(node).to_string(),
                span: span(node),
            });
        }
        Word {
            span: span(node),
            parts: parts.finish(),
        }
    }

    fn word_parts(&mut self, node: Node, nesting: &Nesting, out: &mut PartsBuilder) {
        let sp = span(node);
        let text = self.text(node);
        match node.kind() {
            "word" => {
                if has_unescaped_glob(text) {
                    out.push(WordPart::Opaque {
                        text: text.to_string(),
                        span: sp,
                    });
                } else {
                    out.literal(&unescape_unquoted(text), sp);
                }
            }
            "number" | "special_variable_name" | "variable_name" | "test_operator" => {
                out.literal(text, sp)
            }
            "raw_string" => {
                let inner = text
                    .strip_prefix('\'')
                    .and_then(|t| t.strip_suffix('\''))
                    .unwrap_or(text);
                // Even an empty '' yields an (empty) word, which matters for `--password ''`.
                out.push(WordPart::Literal {
                    text: inner.to_string(),
                    span: sp,
                });
            }
            "ansi_c_string" => {
                let inner = text
                    .strip_prefix("$'")
                    .and_then(|t| t.strip_suffix('\''))
                    .unwrap_or(text);
                out.push(WordPart::Literal {
                    text: decode_ansi_c(inner),
                    span: sp,
                });
            }
            "command_name" | "translated_string" => {
                for child in named_children(node) {
                    self.word_parts(child, nesting, out);
                }
            }
            "string" | "heredoc_body" => {
                let quoted = node.kind() == "string";
                let (mut pos, end) = if quoted {
                    (sp.start as usize + 1, (sp.end as usize).saturating_sub(1))
                } else {
                    (sp.start as usize, sp.end as usize)
                };
                if quoted && named_children(node).is_empty() && pos >= end {
                    out.push(WordPart::Literal {
                        text: String::new(),
                        span: sp,
                    });
                }
                for child in named_children(node) {
                    if child.start_byte() > pos {
                        self.dq_literal(pos, child.start_byte(), out);
                    }
                    match child.kind() {
                        "string_content" | "heredoc_content" => {
                            self.dq_literal(child.start_byte(), child.end_byte(), out)
                        }
                        _ => self.word_parts(child, nesting, out),
                    }
                    pos = pos.max(child.end_byte());
                }
                if end > pos {
                    self.dq_literal(pos, end, out);
                }
            }
            "concatenation" => {
                let mut pos = sp.start as usize;
                for child in named_children(node) {
                    if child.start_byte() > pos {
                        let gap = self.src.get(pos..child.start_byte()).unwrap_or("");
                        out.literal(&unescape_unquoted(gap), Span::new(pos, child.start_byte()));
                    }
                    self.word_parts(child, nesting, out);
                    pos = pos.max(child.end_byte());
                }
                if (sp.end as usize) > pos {
                    let gap = self.src.get(pos..sp.end as usize).unwrap_or("");
                    out.literal(&unescape_unquoted(gap), Span::new(pos, sp.end as usize));
                }
            }
            "simple_expansion" => out.push(WordPart::Variable {
                name: text.trim_start_matches('$').to_string(),
                member: None,
                default: None,
                modifier: None,
                origin: VarOrigin::Shell,
                span: sp,
            }),
            "expansion" => {
                out.push(parse_expansion(text, sp));
                // `${X:-$(az …)}`: the default's commands still run.
                self.stmts_in(node, &nesting.in_substitution());
            }
            "command_substitution" | "process_substitution" => {
                let before = self.script.commands.len();
                let inner = nesting.in_substitution();
                for child in named_children(node) {
                    self.stmts(child, &inner);
                }
                out.push(WordPart::CommandSubstitution {
                    commands: (before..self.script.commands.len()).collect(),
                    member: None,
                    span: sp,
                });
            }
            _ => {
                out.push(WordPart::Opaque {
                    text: text.to_string(),
                    span: sp,
                });
                self.stmts_in(node, &nesting.in_substitution());
            }
        }
    }

    /// Find commands under `node` without treating `node` itself as a statement.
    fn stmts_in(&mut self, node: Node, nesting: &Nesting) {
        let mut has_subst = false;
        let mut c = node.walk();
        // Cheap pre-check keeps plain `${X:-y}` from walking anything.
        for d in node.named_children(&mut c) {
            if d.kind() != "word" && d.kind() != "variable_name" && d.kind() != "number" {
                has_subst = true;
                break;
            }
        }
        if has_subst {
            for child in named_children(node) {
                self.stmts(child, nesting);
            }
        }
    }

    fn dq_literal(&self, start: usize, end: usize, out: &mut PartsBuilder) {
        let raw = self.src.get(start..end).unwrap_or("");
        out.literal(&unescape_double_quoted(raw), Span::new(start, end));
    }
}

/// Only `*` counts: bash passes a pattern that matches nothing through
/// verbatim, and `?`/`[` are everywhere in unquoted URLs and `--query [0].id`,
/// where the literal reading is the useful one.
fn has_unescaped_glob(text: &str) -> bool {
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '*' {
            return true;
        }
    }
    false
}

fn unescape_unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape_double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('\n') => {
                    chars.next();
                }
                Some(&n @ ('$' | '`' | '"' | '\\')) => {
                    chars.next();
                    out.push(n);
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn decode_ansi_c(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' | '\'' | '"' | '?' => out.push(e),
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            chars.next();
                            n += 1;
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

/// `${NAME}`, `${NAME:-default}`, `${#NAME}`, `${NAME/a/b}` …
fn parse_expansion(text: &str, sp: Span) -> WordPart {
    let inner = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let (length, inner) = match inner.strip_prefix('#') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, inner),
    };
    let inner = inner.strip_prefix('!').unwrap_or(inner);
    let name_len = if inner.starts_with(|c: char| "@*#?$!-0123456789".contains(c))
        && !inner.starts_with(|c: char| c.is_ascii_digit())
    {
        1
    } else {
        inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len())
    };
    let (name, rest) = inner.split_at(name_len.min(inner.len()));
    let mut default = None;
    let mut modifier = None;
    for op in [":-", ":=", "-", "="] {
        if let Some(d) = rest.strip_prefix(op) {
            default = Some(d.to_string());
            break;
        }
    }
    if default.is_none() && !rest.is_empty() {
        modifier = Some(rest.to_string());
    }
    if length {
        modifier = Some("#".to_string());
    }
    WordPart::Variable {
        name: name.to_string(),
        member: None,
        default,
        modifier,
        origin: VarOrigin::Shell,
        span: sp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(w: &Word) -> String {
        w.literal().unwrap_or_else(|| panic!("not literal: {w:?}"))
    }

    fn find<'s>(s: &'s Script, name: &str, arg0: &str) -> &'s Command {
        s.commands
            .iter()
            .find(|c| {
                c.name.literal().as_deref() == Some(name)
                    && c.args.first().and_then(Word::literal).as_deref() == Some(arg0)
            })
            .unwrap_or_else(|| panic!("no `{name} {arg0}` in {:#?}", s.commands))
    }

    #[test]
    fn vm_create_with_continuations() {
        let src = "#!/bin/bash\naz vm create --resource-group myResourceGroup --name myVM \\\n  --image win2016datacenter --generate-ssh-keys --assign-identity \\\n  --role contributor --scope <subscription id> \\\n  --admin-username azureuser --admin-password myPassword12\n";
        let s = parse_bash(src);
        let c = find(&s, "az", "vm");
        assert!(c.nesting.is_top_level());
        assert!(c.has_flag("--assign-identity"));
        let pw = c.option("--admin-password").unwrap();
        assert_eq!(lit(pw), "myPassword12");
        assert_eq!(pw.span.slice(src), "myPassword12");
        assert_eq!(lit(c.option("--role").unwrap()), "contributor");
        assert_eq!(c.span.slice(src).lines().count(), 4);
        assert_eq!(s.comments[0].text, "#!/bin/bash");
        // `<subscription id>` is placeholder text; bash reads it as `< subscription`, arg `id`,
        // and the `>` before the continuation writes to a file named `--admin-username`.
        let kinds: Vec<_> = c
            .redirects
            .iter()
            .map(|r| (r.kind, lit(&r.target)))
            .collect();
        assert_eq!(
            kinds,
            [
                (RedirectKind::Read, "subscription".to_string()),
                (RedirectKind::Write, "--admin-username".to_string())
            ]
        );
    }

    #[test]
    fn identity_then_role_assignment() {
        let src = r#"az identity create -g rg -n id1
PRINCIPAL=$(az identity show -g rg -n id1 --query principalId -o tsv)
az role assignment create --assignee-object-id "$PRINCIPAL" --role Reader --scope "/subscriptions/$SUB_ID"
"#;
        let s = parse_bash(src);
        assert_eq!(s.errors, vec![]);
        assert_eq!(s.commands.len(), 3);
        let create = find(&s, "az", "identity");
        assert_eq!(lit(create.option("-n").unwrap()), "id1");
        let a = &s.assignments[0];
        assert_eq!(a.name, "PRINCIPAL");
        let WordPart::CommandSubstitution { commands, .. } = &a.value.parts[0] else {
            panic!("{a:?}")
        };
        let show = &s.commands[commands[0]];
        assert_eq!(
            show.span.slice(src),
            "az identity show -g rg -n id1 --query principalId -o tsv"
        );
        assert!(show.nesting.substitution);
        assert_eq!(lit(show.option("--query").unwrap()), "principalId");
        let ra = &s.commands[2];
        assert_eq!(
            ra.option("--assignee-object-id").unwrap().as_variable(),
            Some("PRINCIPAL")
        );
        let scope = ra.option("--scope").unwrap();
        assert_eq!(scope.span.slice(src), "\"/subscriptions/$SUB_ID\"");
        match scope.parts.as_slice() {
            [
                WordPart::Literal { text, span },
                WordPart::Variable { name, span: vs, .. },
            ] => {
                assert_eq!(text, "/subscriptions/");
                assert_eq!(span.slice(src), "/subscriptions/");
                assert_eq!(name, "SUB_ID");
                assert_eq!(vs.slice(src), "$SUB_ID");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quoting_and_expansions() {
        let src =
            r#"az keyvault secret set --value 'a b'"c\"d$E"${F:-def} "${G:?need G}" $'x\ty' a\ b"#;
        let s = parse_bash(src);
        let c = &s.commands[0];
        let v = c.option("--value").unwrap();
        assert_eq!(v.display(), "a bc\"d${E}${F}");
        let Some(WordPart::Variable { name, default, .. }) = v.parts.last() else {
            panic!()
        };
        assert_eq!((name.as_str(), default.as_deref()), ("F", Some("def")));
        let g = &c.args[5];
        let [WordPart::Variable { name, modifier, .. }] = g.parts.as_slice() else {
            panic!("{g:?}")
        };
        assert_eq!(
            (name.as_str(), modifier.as_deref()),
            ("G", Some(":?need G"))
        );
        assert_eq!(lit(&c.args[6]), "x\ty");
        assert_eq!(lit(&c.args[7]), "a b");
        let s = parse_bash("az vm list --query [0].id -o tsv; ls *.json");
        assert_eq!(lit(s.commands[0].option("--query").unwrap()), "[0].id");
        assert!(
            matches!(&s.commands[1].args[0].parts[..], [WordPart::Opaque { text, .. }] if text == "*.json")
        );
    }

    #[test]
    fn exports_locals_heredoc_pipes_and_nesting() {
        let src = r#"export AZURE_CLIENT_SECRET="s3cr3t"
deploy() {
  local rg=$1
  for n in a b; do
    az identity create -g "$rg" -n "$n" | tee -a ids.json && echo ok
  done
}
cat <<EOF > creds.json
{"password": "$PW"}
EOF
cat <<'EOF' | az rest --body @-
literal $NOT_A_VAR
EOF
X=1 az login --service-principal -p "$SECRET" >> log.txt 2>&1
"#;
        let s = parse_bash(src);
        assert_eq!(s.errors, vec![]);
        let exp = &s.assignments[0];
        assert_eq!(
            (exp.name.as_str(), exp.exported),
            ("AZURE_CLIENT_SECRET", true)
        );
        assert_eq!(lit(&exp.value), "s3cr3t");
        assert_eq!(s.assignments[1].name, "rg");
        let create = find(&s, "az", "identity");
        assert_eq!(create.nesting.function.as_deref(), Some("deploy"));
        assert!(create.nesting.control_flow);
        let tee = &s.commands[create.piped_to.unwrap()];
        assert_eq!(tee.name.literal().as_deref(), Some("tee"));
        assert_eq!(create.redirects[0].kind, RedirectKind::Append);
        assert_eq!(lit(&create.redirects[0].target), "ids.json");

        let cat = s
            .commands
            .iter()
            .find(|c| c.name.literal().as_deref() == Some("cat"))
            .unwrap();
        assert_eq!(cat.redirects[0].kind, RedirectKind::HereDoc);
        assert_eq!(
            cat.redirects[0].target.display(),
            "{\"password\": \"${PW}\"}\n"
        );
        assert_eq!(cat.redirects[1].kind, RedirectKind::Write);
        assert_eq!(lit(&cat.redirects[1].target), "creds.json");

        let rest = find(&s, "az", "rest");
        let cat2 = s
            .commands
            .iter()
            .find(|c| {
                c.piped_to
                    .is_some_and(|i| std::ptr::eq(&s.commands[i], rest))
            })
            .unwrap();
        assert_eq!(lit(&cat2.redirects[0].target), "literal $NOT_A_VAR\n");

        let login = find(&s, "az", "login");
        assert_eq!(login.env[0].name, "X");
        assert_eq!(login.option("-p").unwrap().as_variable(), Some("SECRET"));
        assert_eq!(login.redirects[0].kind, RedirectKind::Append);
        assert_eq!(login.redirects[1].kind, RedirectKind::Duplicate);
        assert_eq!(login.redirects[1].fd.as_deref(), Some("2"));
    }

    #[test]
    fn errors_are_reported_and_rest_is_kept() {
        let src = "az identity create -g rg -n a\nif then fi ( ;;\naz group list\n";
        let s = parse_bash(src);
        assert!(!s.errors.is_empty());
        assert!(
            s.commands
                .iter()
                .any(|c| c.span.slice(src) == "az identity create -g rg -n a")
        );
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let deep = "echo $(".repeat(100_000);
        let s = parse_bash(&deep);
        assert!(!s.errors.is_empty());
        let deep_ok = format!("{}x{}", "$(".repeat(5_000), ")".repeat(5_000));
        let s = parse_bash(&deep_ok);
        assert!(s.errors.iter().any(|e| e.message.contains("nesting")));
        let garbage: String = (0..20_000u32)
            .map(|i| char::from_u32((i * 7919) % 0x2FFF).unwrap_or('x'))
            .collect();
        parse_bash(&garbage);
        parse_bash("cat <<EOF");
        parse_bash("\"unterminated $(");
        parse_bash("");
    }
}
