//! PowerShell via tree-sitter-powershell.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{
    Assignment, Command, HashEntry, MAX_DEPTH, MAX_SCRIPT_LEN, Nesting, PartsBuilder, Placeholder,
    Redirect, RedirectKind, Script, Shell, Span, SyntaxError, VarOrigin, Word, WordPart,
    syntax_tree,
};

pub fn parse_powershell(text: &str) -> Script {
    parse_powershell_with(text, &[])
}

pub(crate) fn parse_powershell_with(text: &str, placeholders: &[Placeholder]) -> Script {
    let mut script = Script {
        shell: Shell::PowerShell,
        ..Script::default()
    };
    if text.len() > MAX_SCRIPT_LEN {
        script.errors.push(SyntaxError {
            span: Span::default(),
            message: format!("script too large ({} bytes)", text.len()),
        });
        return script;
    }
    // tree-sitter-powershell reports a file without statements (empty, blank, or only line
    // comments) as an ERROR node; it is an empty script (found by tests/hostile.rs).
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || (l.starts_with('#') && !l.starts_with("#>"))
    }) {
        return script;
    }
    let Some(tree) = syntax_tree(
        tree_sitter_powershell::LANGUAGE.into(),
        "tree-sitter-powershell",
        text,
        &mut script,
    ) else {
        return script;
    };
    let mut w = Walker {
        src: text,
        script,
        depth: 0,
        hashtables: HashMap::new(),
    };
    w.stmts(tree.root_node(), &Nesting::default());
    let mut script = w.script;
    script.resolve_placeholders(placeholders, text);
    script
}

struct Walker<'a> {
    src: &'a str,
    script: Script,
    depth: u32,
    /// Hashtable literals assigned so far, by lower-cased variable name, for splatting.
    hashtables: HashMap<String, Vec<HashEntry>>,
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut c = node.walk();
    node.named_children(&mut c).collect()
}

/// Skip the grammar's precedence-level wrappers (`logical_expression` →
/// `bitwise_expression` → … → `unary_expression`): a node whose only named
/// child covers exactly the same bytes adds nothing.
fn unwrap(mut node: Node) -> Node {
    // A command without arguments (`(Get-AzAccessToken)`) has a single child, its name:
    // it is still a command.
    while node.named_child_count() == 1 && node.kind() != "command" {
        let Some(child) = node.named_child(0) else {
            break;
        };
        if child.byte_range() != node.byte_range() || child.kind() == "comment" {
            break;
        }
        node = child;
    }
    node
}

/// Whether an (unwrapped) node is a command, a pipeline of commands or a statement list,
/// as opposed to a pure expression.
fn runs_commands(node: Node) -> bool {
    match node.kind() {
        "command" | "statement_list" => true,
        "pipeline_chain" | "pipeline" => named_children(node).iter().any(|c| {
            matches!(
                c.kind(),
                "command" | "pipeline_chain" | "pipeline_chain_tail"
            )
        }),
        _ => false,
    }
}

fn strip_var_sigil(text: &str) -> &str {
    let t = text.trim_start_matches(['$', '@']);
    t.strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(t)
}

fn variable(name: &str, member: Option<String>, span: Span) -> WordPart {
    WordPart::Variable {
        name: name.to_string(),
        member,
        default: None,
        modifier: None,
        origin: VarOrigin::Shell,
        span,
    }
}

const FILE_WRITERS: [&str; 4] = ["out-file", "set-content", "add-content", "tee-object"];

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

    /// Iterative over the tree; recursion only through expressions, depth-limited.
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
                    self.command(node, &nest);
                }
                "pipeline_chain" => self.pipeline(node, &nest),
                "assignment_expression" => self.assignment(node, &nest),
                "function_statement" => {
                    let name = named_children(node)
                        .into_iter()
                        .find(|c| c.kind() == "function_name")
                        .map(|n| self.text(n).to_string())
                        .unwrap_or_default();
                    push_children(node, nest.in_function(name), &mut stack);
                }
                "if_statement" | "foreach_statement" | "for_statement" | "while_statement"
                | "do_statement" | "switch_statement" | "try_statement" | "trap_statement" => {
                    push_children(node, nest.in_control_flow(), &mut stack)
                }
                "script_block_expression" => {
                    let inner = Nesting {
                        script_block: true,
                        depth: nest.depth + 1,
                        ..nest.clone()
                    };
                    push_children(node, inner, &mut stack)
                }
                "sub_expression" | "parenthesized_expression" | "array_expression" => {
                    push_children(node, nest.in_substitution(), &mut stack)
                }
                "comment" => {}
                _ => push_children(node, nest, &mut stack),
            }
        }
        self.depth -= 1;
    }

    fn pipeline(&mut self, node: Node, nesting: &Nesting) {
        let mut prev: Option<usize> = None;
        let mut c = node.walk();
        let children: Vec<Node> = node.children(&mut c).collect();
        let mut piped = false;
        for stage in children {
            if !stage.is_named() {
                piped = stage.kind() == "|";
                continue;
            }
            if stage.kind() == "comment" {
                continue;
            }
            let before = self.script.commands.len();
            if stage.kind() == "command" {
                self.command(stage, nesting);
            } else {
                self.stmts(stage, nesting);
            }
            if self.script.commands.len() > before {
                if let (Some(p), true) = (prev, piped) {
                    self.link_pipe(p, before);
                }
                prev = Some(before);
            }
            piped = false;
        }
    }

    /// Record `from | to`; `| Out-File x` and friends also become a redirect of `from`.
    fn link_pipe(&mut self, from: usize, to: usize) {
        self.script.commands[from].piped_to = Some(to);
        let next = &self.script.commands[to];
        let name = next.name.literal().unwrap_or_default().to_ascii_lowercase();
        if !FILE_WRITERS.contains(&name.as_str()) {
            return;
        }
        let target = ["-FilePath", "-Path", "-LiteralPath"]
            .iter()
            .find_map(|f| next.option(f))
            .or_else(|| {
                // First positional argument: skip parameters and their values.
                let mut it = next.args.iter().peekable();
                while let Some(a) = it.next() {
                    match a.literal() {
                        Some(l) if l.starts_with('-') => {
                            let switch = ["-Append", "-Force", "-NoClobber", "-NoNewline"]
                                .iter()
                                .any(|s| s.eq_ignore_ascii_case(&l));
                            if !switch {
                                it.next();
                            }
                        }
                        _ => return Some(a),
                    }
                }
                None
            })
            .cloned();
        let append = name == "add-content" || next.has_flag("-Append");
        let span = next.span;
        if let Some(target) = target {
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

    fn command(&mut self, node: Node, nesting: &Nesting) -> usize {
        let trimmed_end = node.start_byte() + self.text(node).trim_end().len();
        self.script.commands.push(Command {
            name: Word::default(),
            args: Vec::new(),
            span: Span::new(node.start_byte(), trimmed_end),
            redirects: Vec::new(),
            env: Vec::new(),
            piped_to: None,
            nesting: nesting.clone(),
        });
        let idx = self.script.commands.len() - 1;
        let mut name = Word::default();
        let mut args = Vec::new();
        let mut redirects = Vec::new();
        for child in named_children(node) {
            match child.kind() {
                "command_name" => name = self.literal_word(child),
                "command_name_expr" => {
                    let inner = unwrap(child);
                    name = if inner.kind() == "command_name" {
                        self.literal_word(inner)
                    } else {
                        self.expr_word(child, nesting)
                    };
                }
                "command_elements" => {
                    for el in named_children(child) {
                        self.element(el, nesting, &mut args, &mut redirects);
                    }
                }
                _ => {}
            }
        }
        let c = &mut self.script.commands[idx];
        c.name = name;
        c.args = args;
        c.redirects = redirects;
        idx
    }

    fn element(
        &mut self,
        el: Node,
        nesting: &Nesting,
        args: &mut Vec<Word>,
        redirects: &mut Vec<Redirect>,
    ) {
        match el.kind() {
            "command_argument_sep" | "comment" => {}
            "command_parameter" => {
                let text = self.text(el);
                if text.contains('$') {
                    args.push(self.bare_word(el));
                } else {
                    args.push(self.literal_word(el));
                }
            }
            "generic_token" => args.push(self.bare_word(el)),
            "stop_parsing" => {
                // `--%`: the rest of the line goes verbatim to the native command.
                let rest = self.text(el).trim_start_matches("--%");
                let start = el.end_byte() - rest.len();
                for (off, w) in split_whitespace_indices(rest) {
                    let sp = Span::new(start + off, start + off + w.len());
                    args.push(Word {
                        span: sp,
                        parts: vec![WordPart::Literal {
                            text: w.to_string(),
                            span: sp,
                        }],
                    });
                }
            }
            "redirection" => redirects.push(self.redirection(el, nesting)),
            _ => {
                let inner = unwrap(el);
                let text = self.text(inner);
                if inner.kind() == "variable" && text.starts_with('@') {
                    let name = strip_var_sigil(text);
                    match self.hashtables.get(&name.to_ascii_lowercase()) {
                        Some(entries) => {
                            for e in entries {
                                args.push(Word {
                                    span: e.key_span,
                                    parts: vec![WordPart::Literal {
                                        text: format!("-{}", e.key),
                                        span: e.key_span,
                                    }],
                                });
                                args.push(e.value.clone());
                            }
                        }
                        None => args.push(Word {
                            span: span(inner),
                            parts: vec![WordPart::Splat {
                                name: name.to_string(),
                                span: span(inner),
                            }],
                        }),
                    }
                } else {
                    args.push(self.expr_word(el, nesting));
                }
            }
        }
    }

    fn redirection(&mut self, node: Node, nesting: &Nesting) -> Redirect {
        let mut kind = RedirectKind::Write;
        let mut fd = None;
        let mut target = Word::default();
        for child in named_children(node) {
            match child.kind() {
                "merging_redirection_operator" => {
                    kind = RedirectKind::Duplicate;
                    let op = self.text(child);
                    fd = op
                        .split('>')
                        .next()
                        .filter(|s| !s.is_empty())
                        .map(String::from);
                    let dest = op.rsplit('&').next().unwrap_or("");
                    let sp = Span::new(child.end_byte() - dest.len(), child.end_byte());
                    target = Word {
                        span: sp,
                        parts: vec![WordPart::Literal {
                            text: dest.to_string(),
                            span: sp,
                        }],
                    };
                }
                "file_redirection_operator" => {
                    let op = self.text(child);
                    if op.ends_with(">>") {
                        kind = RedirectKind::Append;
                    } else if op.starts_with('<') {
                        kind = RedirectKind::Read;
                    }
                    fd = op
                        .split(['>', '<'])
                        .next()
                        .filter(|s| !s.is_empty())
                        .map(String::from);
                }
                "redirected_file_name" => {
                    if let Some(t) = named_children(child)
                        .into_iter()
                        .find(|c| c.kind() != "command_argument_sep")
                    {
                        target = if t.kind() == "generic_token" {
                            self.bare_word(t)
                        } else {
                            self.expr_word(t, nesting)
                        };
                    }
                }
                _ => {}
            }
        }
        Redirect {
            kind,
            fd,
            target,
            span: span(node),
        }
    }

    fn assignment(&mut self, node: Node, nesting: &Nesting) {
        let mut left = None;
        let mut value = None;
        let mut c = node.walk();
        for (i, child) in node.children(&mut c).enumerate() {
            if child.kind() == "left_assignment_expression" {
                left = Some(child);
            } else if node.field_name_for_child(i as u32) == Some("value") {
                value = Some(child);
            }
        }
        let Some(left) = left else { return };
        let mut target = unwrap(left);
        if target.kind() == "cast_expression"
            && let Some(last) = named_children(target).last()
        {
            target = unwrap(*last);
        }
        let name = match target.kind() {
            "variable" => strip_var_sigil(self.text(target)).to_string(),
            _ => self.text(target).trim_start_matches('$').to_string(),
        };
        let value = match value {
            Some(v) => self.value_word(v, nesting),
            None => Word::default(),
        };
        if let [WordPart::Hashtable { entries, .. }] = value.parts.as_slice() {
            self.hashtables
                .insert(name.to_ascii_lowercase(), entries.clone());
        }
        let exported = name.len() > 4
            && name
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("env:"));
        self.script.assignments.push(Assignment {
            name,
            value,
            span: span(node),
            exported,
        });
    }

    /// Right-hand side of an assignment: a command (or pipeline) becomes a
    /// substitution part, anything else an expression word.
    fn value_word(&mut self, v: Node, nesting: &Nesting) -> Word {
        if !runs_commands(unwrap(v)) {
            return self.expr_word(v, nesting);
        }
        let before = self.script.commands.len();
        self.stmts(v, nesting);
        Word {
            span: span(v),
            parts: vec![WordPart::CommandSubstitution {
                commands: (before..self.script.commands.len()).collect(),
                member: None,
                span: span(v),
            }],
        }
    }

    fn literal_word(&self, node: Node) -> Word {
        let sp = span(node);
        Word {
            span: sp,
            parts: vec![WordPart::Literal {
                text: self.text(node).to_string(),
                span: sp,
            }],
        }
    }

    /// A bare (unquoted) token: backtick escapes plus `$var` / `${var}` references.
    fn bare_word(&self, node: Node) -> Word {
        let sp = span(node);
        let mut pb = PartsBuilder::default();
        self.expandable(node.start_byte(), node.end_byte(), &mut pb, false);
        Word {
            span: sp,
            parts: pb.finish(),
        }
    }

    /// Scan `start..end` as expandable text. Used for bare tokens, where the
    /// grammar exposes no child nodes for embedded variables.
    fn expandable(&self, start: usize, end: usize, out: &mut PartsBuilder, dq: bool) {
        let text = self.src.get(start..end).unwrap_or("");
        let bytes = text.as_bytes();
        let mut lit = String::new();
        let mut lit_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'`' && i + 1 < bytes.len() {
                let next = text[i + 1..].chars().next().unwrap_or(' ');
                lit.push_str(&backtick_escape(next));
                i += 1 + next.len_utf8();
            } else if dq && c == b'"' && bytes.get(i + 1) == Some(&b'"') {
                lit.push('"');
                i += 2;
            } else if c == b'$' {
                let rest = &text[i + 1..];
                let len = if let Some(r) = rest.strip_prefix('{') {
                    r.find('}').map(|p| p + 2)
                } else {
                    let n = rest
                        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == ':'))
                        .unwrap_or(rest.len());
                    // `$env:X` keeps its drive; a trailing `:` (`$x:`) does not belong to it.
                    let n = rest[..n].trim_end_matches(':').len();
                    (n > 0).then_some(n)
                };
                match len {
                    Some(n) => {
                        out.literal(&lit, Span::new(start + lit_start, start + i));
                        lit.clear();
                        let vt = &text[i..i + 1 + n];
                        out.push(variable(
                            strip_var_sigil(vt),
                            None,
                            Span::new(start + i, start + i + 1 + n),
                        ));
                        i += 1 + n;
                        lit_start = i;
                    }
                    None => {
                        lit.push('$');
                        i += 1;
                    }
                }
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                lit.push(ch);
                i += ch.len_utf8();
            }
        }
        out.literal(&lit, Span::new(start + lit_start, end));
    }

    fn expr_word(&mut self, node: Node, nesting: &Nesting) -> Word {
        let mut pb = PartsBuilder::default();
        self.expr_parts(unwrap(node), nesting, &mut pb);
        Word {
            span: span(node),
            parts: pb.finish(),
        }
    }

    fn opaque(&mut self, node: Node, nesting: &Nesting, out: &mut PartsBuilder) {
        out.push(WordPart::Opaque {
            text: self.text(node).to_string(),
            span: span(node),
        });
        for child in named_children(node) {
            self.stmts(child, &nesting.in_substitution());
        }
    }

    /// Every recursive path through expressions comes through here, so the
    /// depth check bounds the walker's stack use.
    fn expr_parts(&mut self, node: Node, nesting: &Nesting, out: &mut PartsBuilder) {
        if self.enter(node) {
            self.expr_parts_inner(node, nesting, out);
            self.depth -= 1;
        } else {
            out.push(WordPart::Opaque {
                text: self.text(node).to_string(),
                span: span(node),
            });
        }
    }

    fn expr_parts_inner(&mut self, node: Node, nesting: &Nesting, out: &mut PartsBuilder) {
        let sp = span(node);
        let text = self.text(node);
        match node.kind() {
            "verbatim_string_characters" => {
                let inner = text
                    .strip_prefix(['\'', '‘', '’'])
                    .map(|t| t.strip_suffix(['\'', '‘', '’']).unwrap_or(t))
                    .unwrap_or(text);
                out.push(WordPart::Literal {
                    text: inner.replace("''", "'"),
                    span: sp,
                });
            }
            "verbatim_here_string_characters" => out.push(WordPart::Literal {
                text: here_string_body(text).to_string(),
                span: sp,
            }),
            "expandable_string_literal" | "expandable_here_string_literal" => {
                let here = node.kind() == "expandable_here_string_literal";
                let (mut pos, end) = if here {
                    let body = here_string_body(text);
                    let off = text.find(body).unwrap_or(0);
                    (
                        sp.start as usize + off,
                        sp.start as usize + off + body.len(),
                    )
                } else {
                    (sp.start as usize + 1, (sp.end as usize).saturating_sub(1))
                };
                let kids = named_children(node);
                if kids.is_empty() && pos >= end {
                    out.push(WordPart::Literal {
                        text: String::new(),
                        span: sp,
                    });
                }
                for child in kids {
                    if child.start_byte() > pos {
                        self.expandable(pos, child.start_byte().min(end), out, !here);
                    }
                    self.expr_parts(unwrap(child), nesting, out);
                    pos = pos.max(child.end_byte());
                }
                if end > pos {
                    self.expandable(pos, end, out, !here);
                }
            }
            "variable" | "braced_variable" => {
                out.push(variable(strip_var_sigil(text), None, sp));
            }
            "member_access" => self.member_access(node, nesting, out),
            "parenthesized_expression" | "sub_expression" | "array_expression" => {
                let inner_nodes: Vec<Node> = named_children(node)
                    .into_iter()
                    .filter(|c| c.kind() != "comment")
                    .collect();
                let single = match inner_nodes.as_slice() {
                    [one] => Some(unwrap(*one)),
                    _ => None,
                };
                let is_expression = single.is_some_and(|n| !runs_commands(n));
                match single {
                    Some(n) if is_expression => {
                        if node.kind() == "array_expression"
                            && n.kind() != "array_literal_expression"
                        {
                            let item = self.expr_word(n, nesting);
                            out.push(WordPart::Array {
                                items: vec![item],
                                span: sp,
                            });
                        } else {
                            self.expr_parts(n, nesting, out);
                        }
                    }
                    _ => {
                        let before = self.script.commands.len();
                        for child in inner_nodes {
                            self.stmts(child, &nesting.in_substitution());
                        }
                        out.push(WordPart::CommandSubstitution {
                            commands: (before..self.script.commands.len()).collect(),
                            member: None,
                            span: sp,
                        });
                    }
                }
            }
            "array_literal_expression" => {
                let items = named_children(node)
                    .into_iter()
                    .filter(|c| c.kind() != "comment")
                    .map(|c| self.expr_word(c, nesting))
                    .collect();
                out.push(WordPart::Array { items, span: sp });
            }
            "hash_literal_expression" => {
                let mut entries = Vec::new();
                let body = named_children(node)
                    .into_iter()
                    .find(|c| c.kind() == "hash_literal_body");
                for entry in body.map(named_children).unwrap_or_default() {
                    if entry.kind() != "hash_entry" {
                        continue;
                    }
                    let mut key = None;
                    let mut value = None;
                    for part in named_children(entry) {
                        match part.kind() {
                            "key_expression" => key = Some(part),
                            "comment" => {}
                            _ => value = Some(part),
                        }
                    }
                    let Some(key) = key else { continue };
                    let key_text = self
                        .text(key)
                        .trim_matches(|c| c == '\'' || c == '"')
                        .to_string();
                    let value = match value {
                        Some(v) => self.value_word(v, nesting),
                        None => Word::default(),
                    };
                    entries.push(HashEntry {
                        key: key_text,
                        key_span: span(key),
                        value,
                    });
                }
                out.push(WordPart::Hashtable { entries, span: sp });
            }
            "invokation_expression" => {
                let arg_list = named_children(node)
                    .into_iter()
                    .find(|c| c.kind() == "argument_list");
                match arg_list {
                    Some(list) => {
                        let callee = self
                            .src
                            .get(node.start_byte()..list.start_byte())
                            .unwrap_or("")
                            .trim()
                            .to_string();
                        let args = named_children(list)
                            .into_iter()
                            .filter(|c| c.kind() == "argument_expression_list")
                            .flat_map(named_children)
                            .filter(|c| c.kind() != "comment")
                            .map(|a| self.expr_word(a, nesting))
                            .collect();
                        out.push(WordPart::Call {
                            callee,
                            args,
                            span: sp,
                        });
                    }
                    None => self.opaque(node, nesting, out),
                }
            }
            "generic_token" => {
                self.expandable(node.start_byte(), node.end_byte(), out, false);
            }
            "integer_literal"
            | "decimal_integer_literal"
            | "hexadecimal_integer_literal"
            | "real_literal"
            | "simple_name"
            | "command_name"
            | "command_parameter" => out.literal(text, sp),
            "script_block_expression" => {
                out.push(WordPart::Opaque {
                    text: text.to_string(),
                    span: sp,
                });
                self.stmts(node, nesting);
            }
            _ => self.opaque(node, nesting, out),
        }
    }

    /// `$id.PrincipalId`, `(Get-X …).PrincipalId`, `$a.b.c`.
    fn member_access(&mut self, node: Node, nesting: &Nesting, out: &mut PartsBuilder) {
        let sp = span(node);
        let mut members = Vec::new();
        let mut base = node;
        // Iterative: member chains can be long.
        while base.kind() == "member_access" {
            let kids = named_children(base);
            let (Some(obj), Some(member)) = (kids.first(), kids.last()) else {
                break;
            };
            // `[Type]::Member` and `?.` are not plain property reads.
            let op = self
                .src
                .get(obj.end_byte()..member.start_byte())
                .unwrap_or("");
            if op != "." || kids.len() != 2 {
                return self.opaque(node, nesting, out);
            }
            members.push(self.text(*member).to_string());
            base = unwrap(*obj);
        }
        members.reverse();
        let member = members.join(".");
        match base.kind() {
            "variable" => out.push(variable(strip_var_sigil(self.text(base)), Some(member), sp)),
            "parenthesized_expression" | "sub_expression" => {
                let mut inner = PartsBuilder::default();
                self.expr_parts(base, nesting, &mut inner);
                match inner.finish().as_mut_slice() {
                    [WordPart::CommandSubstitution { commands, .. }] => {
                        out.push(WordPart::CommandSubstitution {
                            commands: std::mem::take(commands),
                            member: Some(member),
                            span: sp,
                        });
                    }
                    [
                        WordPart::Variable {
                            name, member: m, ..
                        },
                    ] => {
                        let joined = match m.take() {
                            Some(m) => format!("{m}.{member}"),
                            None => member,
                        };
                        out.push(variable(name, Some(joined), sp));
                    }
                    _ => out.push(WordPart::Opaque {
                        text: self.text(node).to_string(),
                        span: sp,
                    }),
                }
            }
            _ => self.opaque(node, nesting, out),
        }
    }
}

fn backtick_escape(c: char) -> String {
    match c {
        '0' => "\0".into(),
        'a' => "\x07".into(),
        'b' => "\x08".into(),
        'e' => "\x1b".into(),
        'f' => "\x0c".into(),
        'n' => "\n".into(),
        'r' => "\r".into(),
        't' => "\t".into(),
        'v' => "\x0b".into(),
        '\n' => String::new(),
        other => other.to_string(),
    }
}

/// The body of `@"…"@` / `@'…'@`: from after the opening line break to before the closing one.
fn here_string_body(text: &str) -> &str {
    let after_open = text.find('\n').map_or(text.len(), |p| p + 1);
    let before_close = text.rfind('\n').unwrap_or(0);
    let body = text
        .get(after_open..before_close.max(after_open))
        .unwrap_or("");
    body.strip_suffix('\r').unwrap_or(body)
}

fn split_whitespace_indices(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(w: &Word) -> String {
        w.literal().unwrap_or_else(|| panic!("not literal: {w:?}"))
    }

    fn find<'s>(s: &'s Script, name: &str) -> &'s Command {
        s.commands
            .iter()
            .find(|c| {
                c.name
                    .literal()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .unwrap_or_else(|| panic!("no `{name}` in {:#?}", s.commands))
    }

    #[test]
    fn imds_token_request_with_hashtable_header() {
        let src = "$response = Invoke-WebRequest -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/' -Headers @{Metadata=\"true\"}\n$content = $response.Content | ConvertFrom-Json\n";
        let s = parse_powershell(src);
        assert_eq!(s.errors, vec![]);
        let iwr = find(&s, "Invoke-WebRequest");
        assert!(
            lit(iwr.option("-Uri").unwrap())
                .starts_with("http://169.254.169.254/metadata/identity")
        );
        let headers = iwr.option("-Headers").unwrap();
        assert_eq!(headers.span.slice(src), "@{Metadata=\"true\"}");
        let [WordPart::Hashtable { entries, .. }] = headers.parts.as_slice() else {
            panic!("{headers:?}")
        };
        assert_eq!(entries[0].key, "Metadata");
        assert_eq!(entries[0].key_span.slice(src), "Metadata");
        assert_eq!(lit(&entries[0].value), "true");
        assert_eq!(entries[0].value.span.slice(src), "\"true\"");
        let a = &s.assignments[0];
        assert_eq!(a.name, "response");
        let WordPart::CommandSubstitution { commands, .. } = &a.value.parts[0] else {
            panic!()
        };
        assert!(std::ptr::eq(&s.commands[commands[0]], iwr));
        let [WordPart::CommandSubstitution { commands, .. }] =
            s.assignments[1].value.parts.as_slice()
        else {
            panic!("{:?}", s.assignments[1])
        };
        assert_eq!(commands.len(), 1);
        assert_eq!(
            s.commands[commands[0]].name.literal().as_deref(),
            Some("ConvertFrom-Json")
        );
    }

    #[test]
    fn secure_strings_and_credentials() {
        let src = r#"$sec = ConvertTo-SecureString "P@ssw0rd!" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ($user, $sec)
$cred2 = [pscredential]::new("admin", $sec)
"#;
        let s = parse_powershell(src);
        assert_eq!(s.errors, vec![]);
        let cts = find(&s, "ConvertTo-SecureString");
        assert_eq!(lit(&cts.args[0]), "P@ssw0rd!");
        assert_eq!(cts.args[0].span.slice(src), "\"P@ssw0rd!\"");
        assert!(cts.has_flag("-AsPlainText"));
        let no = find(&s, "New-Object");
        assert_eq!(
            lit(&no.args[0]),
            "System.Management.Automation.PSCredential"
        );
        let [WordPart::Array { items, .. }] = no.args[1].parts.as_slice() else {
            panic!("{:?}", no.args[1])
        };
        assert_eq!(items[0].as_variable(), Some("user"));
        assert_eq!(items[1].as_variable(), Some("sec"));
        let [WordPart::Call { callee, args, .. }] = s.assignments[2].value.parts.as_slice() else {
            panic!("{:?}", s.assignments[2])
        };
        assert_eq!(callee, "[pscredential]::new");
        assert_eq!(lit(&args[0]), "admin");
        assert_eq!(args[1].as_variable(), Some("sec"));
    }

    #[test]
    fn member_of_a_command_without_arguments() {
        let s = parse_powershell("$t = (Get-AzAccessToken).Token\nWrite-Host (Get-Date)\n");
        let [
            WordPart::CommandSubstitution {
                commands, member, ..
            },
        ] = s.assignments[0].value.parts.as_slice()
        else {
            panic!("{:?}", s.assignments[0].value)
        };
        assert_eq!(member.as_deref(), Some("Token"));
        assert_eq!(
            s.commands[commands[0]].name.literal().as_deref(),
            Some("Get-AzAccessToken")
        );
        assert!(
            s.commands
                .iter()
                .any(|c| c.name.literal().as_deref() == Some("Get-Date"))
        );
    }

    #[test]
    fn role_assignment_with_member_on_substitution_and_splatting() {
        let src = "$params = @{\n  ObjectId = $id.PrincipalId\n  RoleDefinitionName = 'Reader'\n  Scope = \"/subscriptions/$subId\"\n}\nNew-AzRoleAssignment @params\nNew-AzRoleAssignment -ObjectId (Get-AzUserAssignedIdentity -ResourceGroupName rg -Name id1).PrincipalId `\n  -RoleDefinitionName Contributor\nNew-AzRoleAssignment @unknown -ObjectId:$x\n";
        let s = parse_powershell(src);
        assert_eq!(s.errors, vec![]);
        let splatted = &s.commands[0];
        assert_eq!(
            splatted.name.literal().as_deref(),
            Some("New-AzRoleAssignment")
        );
        let oid = splatted.option("-ObjectId").unwrap();
        let [WordPart::Variable { name, member, .. }] = oid.parts.as_slice() else {
            panic!("{oid:?}")
        };
        assert_eq!(
            (name.as_str(), member.as_deref()),
            ("id", Some("PrincipalId"))
        );
        assert_eq!(oid.span.slice(src), "$id.PrincipalId");
        assert_eq!(splatted.args[0].span.slice(src), "ObjectId");
        assert_eq!(
            lit(splatted.option("-RoleDefinitionName").unwrap()),
            "Reader"
        );
        assert_eq!(
            splatted.option("-Scope").unwrap().display(),
            "/subscriptions/${subId}"
        );

        let direct = &s.commands[1];
        let oid = direct.option("-ObjectId").unwrap();
        let [
            WordPart::CommandSubstitution {
                commands, member, ..
            },
        ] = oid.parts.as_slice()
        else {
            panic!("{oid:?}")
        };
        assert_eq!(member.as_deref(), Some("PrincipalId"));
        let get = &s.commands[commands[0]];
        assert_eq!(
            get.name.literal().as_deref(),
            Some("Get-AzUserAssignedIdentity")
        );
        assert!(get.nesting.substitution);
        assert_eq!(lit(get.option("-Name").unwrap()), "id1");
        // The backtick continuation keeps the next line's parameter on the same command.
        assert_eq!(
            lit(direct.option("-RoleDefinitionName").unwrap()),
            "Contributor"
        );

        let third = &s.commands[3];
        assert!(
            matches!(&third.args[0].parts[..], [WordPart::Splat { name, .. }] if name == "unknown")
        );
        assert_eq!(third.option("-ObjectId").unwrap().as_variable(), Some("x"));
    }

    #[test]
    fn strings_env_pipes_redirects_nesting() {
        let src = r#"$env:AZURE_CLIENT_SECRET = "a${b}c$($d.Id)`$e"
function Deploy-It {
  foreach ($n in $names) {
    New-AzUserAssignedIdentity -ResourceGroupName rg -Name $n | Out-File -FilePath ids.txt -Append
  }
}
Get-AzContext | ForEach-Object { Set-AzContext -Subscription $_.Subscription }
az login --service-principal -p $secret 2>&1 > login.log
$h = @'
literal $x
'@
"#;
        let s = parse_powershell(src);
        let env = &s.assignments[0];
        assert_eq!(env.name, "env:AZURE_CLIENT_SECRET");
        assert!(env.exported);
        assert_eq!(env.value.display(), "a${b}c${d.Id}$e");
        let create = find(&s, "New-AzUserAssignedIdentity");
        assert_eq!(create.nesting.function.as_deref(), Some("Deploy-It"));
        assert!(create.nesting.control_flow);
        assert_eq!(create.redirects[0].kind, RedirectKind::Append);
        assert_eq!(lit(&create.redirects[0].target), "ids.txt");
        let out = &s.commands[create.piped_to.unwrap()];
        assert_eq!(out.name.literal().as_deref(), Some("Out-File"));
        let set = find(&s, "Set-AzContext");
        assert!(set.nesting.script_block);
        let login = find(&s, "az");
        assert_eq!(login.option("-p").unwrap().as_variable(), Some("secret"));
        assert_eq!(login.redirects[0].kind, RedirectKind::Duplicate);
        assert_eq!(login.redirects[1].kind, RedirectKind::Write);
        assert_eq!(lit(&login.redirects[1].target), "login.log");
        assert_eq!(
            login.span.slice(src),
            "az login --service-principal -p $secret 2>&1 > login.log"
        );
        assert_eq!(lit(&s.assignments.last().unwrap().value), "literal $x");
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let s = parse_powershell(&"$(".repeat(100_000));
        assert!(!s.errors.is_empty());
        let deep = format!("Write-Host {}1{}", "(".repeat(3_000), ")".repeat(3_000));
        let s = parse_powershell(&deep);
        assert!(s.errors.iter().any(|e| e.message.contains("nesting")));
        let garbage: String = (0..20_000u32)
            .map(|i| char::from_u32((i * 7919) % 0x2FFF).unwrap_or('x'))
            .collect();
        parse_powershell(&garbage);
        parse_powershell("@{ a = ");
        parse_powershell("\"unterminated $(");
        parse_powershell("");
    }
}
