//! Recursive-descent parser over the token vector produced by the lexer.
//!
//! Error handling: every loop either consumes a token or exits, and recursion is bounded by
//! [`MAX_DEPTH`], so no input can hang the parser or overflow the stack. Errors at or before
//! the previous error are dropped, so one broken construct yields one message.

use super::ast::*;
use super::lexer::{Tok, Token, lex};

/// Maximum nesting of expressions, types and chained operators. Real files stay far below
/// (a dozen or two). The bound keeps the recursion within ~1 MiB of stack even in unoptimised
/// builds (about 0.3 MiB optimised), so parsing is safe on 2 MiB worker threads, and it keeps
/// the recursive `Drop` of the tree shallow.
pub const MAX_DEPTH: u32 = 128;

pub fn parse(source: &str) -> BicepFile {
    let _timer = crate::parse::ParseTimer::start();
    let lexed = lex(source);
    let mut p = Parser {
        src: source,
        toks: lexed.tokens,
        pos: 0,
        last_end: 0,
        depth: 0,
        too_deep: false,
        errors: Vec::new(),
        last_error: None,
    };
    let mut statements = Vec::new();
    loop {
        p.skip_nl();
        if p.peek() == Tok::Eof {
            break;
        }
        let errors_before = p.errors.len();
        p.too_deep = false;
        let stmt = p.statement();
        let failed = matches!(stmt.kind, StatementKind::Error);
        statements.push(stmt);
        // A statement that reported errors may have stopped mid-line; skipping to the next
        // declaration avoids a second error for its leftovers.
        let clean = !failed && p.errors.len() == errors_before;
        match p.peek() {
            Tok::NewLine | Tok::Eof if clean => {}
            _ => {
                if p.errors.len() == errors_before {
                    let t = p.cur();
                    p.error(t.span(), "expected a line break after the declaration");
                }
                p.recover_to_statement();
            }
        }
    }
    let mut errors = lexed.errors;
    errors.append(&mut p.errors);
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    // Lexer and parser often report the same spot; keep the first error of each line.
    let bytes = source.as_bytes();
    let mut kept: Vec<SyntaxError> = Vec::with_capacity(errors.len());
    for e in errors {
        if let Some(prev) = kept.last() {
            let between = &bytes[prev.span.start as usize..e.span.start as usize];
            if memchr::memchr2(b'\n', b'\r', between).is_none() {
                continue;
            }
        }
        kept.push(e);
    }
    BicepFile {
        statements,
        comments: lexed.comments,
        errors: kept,
    }
}

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Token>,
    pos: usize,
    /// End of the last consumed token other than a line break.
    last_end: u32,
    depth: u32,
    /// Set once the nesting limit was hit; cleared at the next top-level statement.
    too_deep: bool,
    errors: Vec<SyntaxError>,
    /// Start of the last error reported by the parser (lexer errors are merged at the end).
    last_error: Option<u32>,
}

fn binary_op(kind: Tok) -> Option<(BinaryOp, u8)> {
    Some(match kind {
        Tok::Coalesce => (BinaryOp::Coalesce, 1),
        Tok::Or => (BinaryOp::Or, 2),
        Tok::And => (BinaryOp::And, 3),
        Tok::Eq => (BinaryOp::Eq, 4),
        Tok::NotEq => (BinaryOp::NotEq, 4),
        Tok::EqI => (BinaryOp::EqI, 4),
        Tok::NotEqI => (BinaryOp::NotEqI, 4),
        Tok::Lt => (BinaryOp::Lt, 5),
        Tok::Le => (BinaryOp::Le, 5),
        Tok::Gt => (BinaryOp::Gt, 5),
        Tok::Ge => (BinaryOp::Ge, 5),
        Tok::Plus => (BinaryOp::Add, 6),
        Tok::Minus => (BinaryOp::Sub, 6),
        Tok::Star => (BinaryOp::Mul, 7),
        Tok::Slash => (BinaryOp::Div, 7),
        Tok::Percent => (BinaryOp::Mod, 7),
        _ => return None,
    })
}

/// Operators that may start a continuation line (`cond\n  ? a\n  : b`, `x\n  && y`): no
/// statement, property or array item can begin with them, so reading past the line break
/// is unambiguous. `+`/`-`/`!`/`[`/`(` are excluded because they can start an array item.
fn continues_expression(kind: Tok) -> bool {
    matches!(
        kind,
        Tok::Question
            | Tok::Coalesce
            | Tok::Or
            | Tok::And
            | Tok::Eq
            | Tok::NotEq
            | Tok::EqI
            | Tok::NotEqI
            | Tok::Lt
            | Tok::Le
            | Tok::Gt
            | Tok::Ge
            | Tok::Star
            | Tok::Slash
            | Tok::Percent
            | Tok::Dot
    )
}

fn error_expr(at: u32) -> Expr {
    Expr {
        kind: ExprKind::Error,
        span: Span::new(at, at),
    }
}

impl<'s> Parser<'s> {
    // ---- token access -------------------------------------------------------------------

    fn cur(&self) -> Token {
        self.toks[self.pos]
    }

    fn peek(&self) -> Tok {
        self.toks[self.pos].kind
    }

    fn peek_at(&self, n: usize) -> Tok {
        self.toks.get(self.pos + n).map_or(Tok::Eof, |t| t.kind)
    }

    /// Kind of the next token that is not a line break.
    fn peek_past_nl(&self) -> Tok {
        match self.peek() {
            Tok::NewLine => self.peek_at(1),
            k => k,
        }
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos];
        if t.kind != Tok::Eof {
            self.pos += 1;
            if t.kind != Tok::NewLine {
                self.last_end = t.end;
            }
        }
        t
    }

    fn skip_nl(&mut self) {
        while self.peek() == Tok::NewLine {
            self.pos += 1;
        }
    }

    fn text(&self, t: Token) -> &'s str {
        &self.src[t.start as usize..t.end as usize]
    }

    fn at_kw(&self, kw: &str) -> bool {
        let t = self.cur();
        t.kind == Tok::Ident && self.text(t) == kw
    }

    fn eat(&mut self, kind: Tok) -> bool {
        if self.peek() == kind {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Reports at most one error per line: after the first, the rest of a broken line is
    /// almost always a consequence of it.
    fn suppressed(&self, start: u32) -> bool {
        self.last_error.is_some_and(|last| {
            start >= last
                && memchr::memchr2(
                    b'\n',
                    b'\r',
                    &self.src.as_bytes()[last as usize..start as usize],
                )
                .is_none()
        })
    }

    fn error(&mut self, span: Span, message: &str) {
        if self.suppressed(span.start) {
            return;
        }
        self.last_error = Some(span.start);
        self.errors.push(SyntaxError {
            span,
            message: message.to_string(),
        });
    }

    fn error_here(&mut self, expected: &str) {
        let t = self.cur();
        if self.suppressed(t.start) {
            return;
        }
        let found = match t.kind {
            Tok::NewLine => "line break".to_string(),
            Tok::Eof => "end of file".to_string(),
            // A string may hold a credential: messages are printed unmasked, so it is not quoted.
            Tok::Str | Tok::StrLeft | Tok::StrMiddle | Tok::StrRight | Tok::StrMultiline => {
                "a string".to_string()
            }
            _ => {
                let text = self.text(t);
                match text.char_indices().nth(32) {
                    Some((cut, _)) => format!("'{}...'", &text[..cut]),
                    None => format!("'{text}'"),
                }
            }
        };
        self.error(t.span(), &format!("expected {expected}, found {found}"));
    }

    fn expect(&mut self, kind: Tok, what: &str) -> bool {
        if self.eat(kind) {
            true
        } else {
            self.error_here(what);
            false
        }
    }

    fn span_from(&self, start: u32) -> Span {
        Span::new(start, self.last_end.max(start))
    }

    /// Enters one nesting level; false (after reporting) when the limit is reached.
    fn enter(&mut self) -> bool {
        if self.too_deep || self.depth >= MAX_DEPTH {
            // Refuse all further nesting in this statement: otherwise every enclosing
            // operator loop would restart the descent and report again.
            if !self.too_deep {
                let t = self.cur();
                self.error(t.span(), "nesting too deep");
                self.too_deep = true;
            }
            false
        } else {
            self.depth += 1;
            true
        }
    }

    fn ident(&mut self, what: &str) -> Option<Ident> {
        let t = self.cur();
        if t.kind == Tok::Ident {
            self.bump();
            Some(Ident {
                name: self.text(t).into(),
                span: t.span(),
            })
        } else {
            self.error_here(what);
            None
        }
    }

    /// Identifier placeholder so declarations keep their shape after an error.
    fn ident_or_missing(&mut self, what: &str) -> Ident {
        self.ident(what).unwrap_or_else(|| {
            let at = self.cur().start;
            Ident {
                name: "".into(),
                span: Span::new(at, at),
            }
        })
    }

    // ---- recovery -----------------------------------------------------------------------

    fn is_statement_start(&self) -> bool {
        match self.peek() {
            Tok::At | Tok::Eof => true,
            Tok::Ident => {
                matches!(
                    self.text(self.cur()),
                    "targetScope"
                        | "param"
                        | "var"
                        | "output"
                        | "resource"
                        | "module"
                        | "type"
                        | "func"
                        | "import"
                        | "using"
                        | "extends"
                        | "extension"
                        | "provider"
                        | "metadata"
                        | "assert"
                ) && !matches!(self.peek_at(1), Tok::Colon | Tok::NewLine)
            }
            _ => false,
        }
    }

    /// Skips to the next line that starts like a declaration.
    fn recover_to_statement(&mut self) {
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::NewLine => {
                    self.bump();
                    if self.is_statement_start() {
                        return;
                    }
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    /// Skips the rest of a broken item inside a bracketed list: up to the line break, or the
    /// list's own closing token, whichever comes first at the same bracket level.
    fn recover_in_list(&mut self, close: Tok) {
        let mut level = 0u32;
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::NewLine if level == 0 => return,
                Tok::Comma if level == 0 => return,
                Tok::LBrace | Tok::LBracket | Tok::LParen => level += 1,
                k @ (Tok::RBrace | Tok::RBracket | Tok::RParen) => {
                    if level == 0 {
                        if k == close {
                            return;
                        }
                    } else {
                        level -= 1;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    // ---- statements ---------------------------------------------------------------------

    fn decorators(&mut self) -> Vec<Decorator> {
        let mut decorators = Vec::new();
        while self.peek() == Tok::At {
            let start = self.bump().start;
            let expr = if self.enter() {
                let e = self.postfix();
                self.depth -= 1;
                e
            } else {
                error_expr(start)
            };
            let failed = matches!(expr.kind, ExprKind::Error);
            decorators.push(Decorator {
                expr,
                span: self.span_from(start),
            });
            if failed {
                break;
            }
            self.skip_nl();
        }
        decorators
    }

    fn statement(&mut self) -> Statement {
        let start = self.cur().start;
        let decorators = self.decorators();
        let kind = self.statement_kind();
        Statement {
            decorators,
            kind,
            span: self.span_from(start),
        }
    }

    fn statement_kind(&mut self) -> StatementKind {
        let t = self.cur();
        if t.kind != Tok::Ident {
            self.error_here("a declaration");
            return StatementKind::Error;
        }
        let kw = self.text(t);
        match kw {
            "targetScope" => {
                self.bump();
                self.expect(Tok::Assign, "'='");
                StatementKind::TargetScope { value: self.expr() }
            }
            "param" => {
                self.bump();
                let name = self.ident_or_missing("a parameter name");
                // A union type may start on the next line: `param p\n  | 'a'\n  | 'b'`.
                let ty = match self.peek() {
                    Tok::Assign | Tok::Eof => None,
                    Tok::NewLine if self.peek_past_nl() != Tok::Pipe => None,
                    _ => Some(self.type_expr()),
                };
                let default = self.eat(Tok::Assign).then(|| self.expr());
                if ty.is_none() && default.is_none() {
                    self.error_here("a type or '='");
                }
                StatementKind::Param { name, ty, default }
            }
            "var" => {
                self.bump();
                let name = self.ident_or_missing("a variable name");
                let ty = (self.peek() != Tok::Assign).then(|| self.type_expr());
                self.expect(Tok::Assign, "'='");
                StatementKind::Var {
                    name,
                    ty,
                    value: self.expr(),
                }
            }
            "output" => {
                self.bump();
                let name = self.ident_or_missing("an output name");
                let ty = self.type_expr();
                self.expect(Tok::Assign, "'='");
                StatementKind::Output {
                    name,
                    ty,
                    value: self.expr(),
                }
            }
            "resource" => self.resource(),
            "module" => {
                self.bump();
                let name = self.ident_or_missing("a module name");
                let path = self.string_lit("a module path string");
                self.expect(Tok::Assign, "'='");
                StatementKind::Module {
                    name,
                    path,
                    body: self.body(),
                }
            }
            "type" => {
                self.bump();
                let name = self.ident_or_missing("a type name");
                self.expect(Tok::Assign, "'='");
                StatementKind::Type {
                    name,
                    value: self.type_expr(),
                }
            }
            "func" => self.func(),
            "import" => self.import(),
            "using" => {
                self.bump();
                let path = if self.eat_kw("none") {
                    None
                } else {
                    Some(self.string_lit("a template path string or 'none'"))
                };
                let config = self.eat_kw("with").then(|| self.expr());
                StatementKind::Using { path, config }
            }
            "extends" => {
                self.bump();
                StatementKind::Extends {
                    path: self.string_lit("a parameters file path string"),
                }
            }
            "extension" | "provider" => {
                self.bump();
                let spec = if self.peek() == Tok::Ident {
                    ExtensionSpec::Name(self.ident_or_missing("an extension name"))
                } else {
                    ExtensionSpec::Path(self.string_lit("an extension name or reference"))
                };
                let config = self.eat_kw("with").then(|| self.expr());
                let alias = if self.eat_kw("as") {
                    self.ident("an alias")
                } else {
                    None
                };
                StatementKind::Extension {
                    spec,
                    config,
                    alias,
                }
            }
            "metadata" | "assert" => {
                self.bump();
                let name = self.ident_or_missing("a name");
                self.expect(Tok::Assign, "'='");
                let value = self.expr();
                if kw == "metadata" {
                    StatementKind::Metadata { name, value }
                } else {
                    StatementKind::Assert { name, value }
                }
            }
            _ => {
                self.error_here("a declaration");
                StatementKind::Error
            }
        }
    }

    fn resource(&mut self) -> StatementKind {
        self.bump();
        let name = self.ident_or_missing("a resource name");
        let type_string = self.string_lit("a resource type string");
        let existing = self.eat_kw("existing");
        self.expect(Tok::Assign, "'='");
        StatementKind::Resource {
            name,
            type_string,
            existing,
            body: self.body(),
        }
    }

    fn func(&mut self) -> StatementKind {
        self.bump();
        let name = self.ident_or_missing("a function name");
        let mut params = Vec::new();
        if self.expect(Tok::LParen, "'('") {
            loop {
                self.skip_nl();
                if self.eat(Tok::RParen) {
                    break;
                }
                let Some(pname) = self.ident("a parameter name") else {
                    self.recover_in_list(Tok::RParen);
                    if !self.eat(Tok::Comma) {
                        self.eat(Tok::RParen);
                        break;
                    }
                    continue;
                };
                let ty = self.type_expr();
                params.push(FuncParam { name: pname, ty });
                self.skip_nl();
                if !self.eat(Tok::Comma) {
                    self.skip_nl();
                    self.expect(Tok::RParen, "',' or ')'");
                    break;
                }
            }
        }
        let return_type = self.type_expr();
        self.expect(Tok::Arrow, "'=>'");
        self.skip_nl();
        StatementKind::Func {
            name,
            params,
            return_type,
            body: self.expr(),
        }
    }

    fn import(&mut self) -> StatementKind {
        self.bump();
        match self.peek() {
            Tok::LBrace => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    while matches!(self.peek(), Tok::NewLine | Tok::Comma) {
                        self.bump();
                    }
                    if self.eat(Tok::RBrace) {
                        break;
                    }
                    let start = self.cur().start;
                    let Some(name) = self.ident("an imported name") else {
                        self.recover_in_list(Tok::RBrace);
                        if self.peek() != Tok::Comma && !self.eat(Tok::RBrace) {
                            break;
                        }
                        continue;
                    };
                    let alias = if self.eat_kw("as") {
                        self.ident("an alias")
                    } else {
                        None
                    };
                    items.push(ImportItem {
                        name,
                        alias,
                        span: self.span_from(start),
                    });
                }
                self.expect_kw("from");
                StatementKind::Import(Import::Named {
                    items,
                    from: self.string_lit("a path string"),
                })
            }
            Tok::Star => {
                self.bump();
                self.expect_kw("as");
                let alias = self.ident_or_missing("a namespace alias");
                self.expect_kw("from");
                StatementKind::Import(Import::Wildcard {
                    alias,
                    from: self.string_lit("a path string"),
                })
            }
            _ => {
                let spec = self.string_lit("'{', '*' or an extension reference");
                let config = self.eat_kw("with").then(|| self.expr());
                let alias = if self.eat_kw("as") {
                    self.ident("an alias")
                } else {
                    None
                };
                StatementKind::Import(Import::Extension {
                    spec,
                    config,
                    alias,
                })
            }
        }
    }

    fn expect_kw(&mut self, kw: &str) -> bool {
        if self.eat_kw(kw) {
            true
        } else {
            self.error_here(&format!("'{kw}'"));
            false
        }
    }

    /// Resource or module body: an object, `if (...) {...}` or `[for ...]`.
    fn body(&mut self) -> Expr {
        if self.at_kw("if") && self.peek_at(1) == Tok::LParen {
            self.if_expr()
        } else {
            self.expr()
        }
    }

    fn if_expr(&mut self) -> Expr {
        let start = self.bump().start;
        if !self.enter() {
            return error_expr(start);
        }
        self.expect(Tok::LParen, "'('");
        self.skip_nl();
        let cond = self.expr();
        self.skip_nl();
        self.expect(Tok::RParen, "')'");
        let body = self.expr();
        self.depth -= 1;
        Expr {
            kind: ExprKind::If {
                cond: Box::new(cond),
                body: Box::new(body),
            },
            span: self.span_from(start),
        }
    }

    fn string_lit(&mut self, what: &str) -> StringLit {
        let t = self.cur();
        match t.kind {
            Tok::Str | Tok::StrMultiline => {
                let e = self.string();
                let value = match e.kind {
                    ExprKind::String(mut s) if !s.segments.is_empty() => s.segments.swap_remove(0),
                    _ => "".into(),
                };
                StringLit {
                    value,
                    span: t.span(),
                }
            }
            Tok::StrLeft => {
                let e = self.string();
                self.error(e.span, "string interpolation is not allowed here");
                StringLit {
                    value: "".into(),
                    span: e.span,
                }
            }
            _ => {
                self.error_here(what);
                StringLit {
                    value: "".into(),
                    span: Span::new(t.start, t.start),
                }
            }
        }
    }

    // ---- expressions --------------------------------------------------------------------

    pub(crate) fn expr(&mut self) -> Expr {
        let start = self.cur().start;
        if !self.enter() {
            return error_expr(start);
        }
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self) -> Expr {
        let t = self.cur();
        if t.kind == Tok::Ident && self.peek_at(1) == Tok::Arrow {
            let param = self.ident_or_missing("a parameter");
            return self.lambda(t.start, vec![param]);
        }
        if t.kind == Tok::LParen
            && let Some(params) = self.lambda_params()
        {
            return self.lambda(t.start, params);
        }
        let cond = self.binary(0);
        if self.peek_past_nl() != Tok::Question {
            return cond;
        }
        self.skip_nl();
        self.bump();
        self.skip_nl();
        let then = self.expr();
        if self.peek_past_nl() == Tok::Colon {
            self.skip_nl();
        }
        self.expect(Tok::Colon, "':'");
        self.skip_nl();
        let otherwise = self.expr();
        Expr {
            span: self.span_from(cond.span.start),
            kind: ExprKind::Ternary {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
        }
    }

    /// If the `(` at the cursor starts `(a, b) =>`, consumes the parameter list.
    fn lambda_params(&mut self) -> Option<Vec<Ident>> {
        let mut i = self.pos + 1;
        let kind_at = |i: usize| self.toks.get(i).map_or(Tok::Eof, |t| t.kind);
        let skip = |mut i: usize| {
            while kind_at(i) == Tok::NewLine {
                i += 1;
            }
            i
        };
        i = skip(i);
        let mut params = Vec::new();
        if kind_at(i) != Tok::RParen {
            loop {
                if kind_at(i) != Tok::Ident {
                    return None;
                }
                params.push(i);
                i = skip(i + 1);
                match kind_at(i) {
                    Tok::Comma => i = skip(i + 1),
                    Tok::RParen => break,
                    _ => return None,
                }
            }
        }
        if kind_at(i + 1) != Tok::Arrow {
            return None;
        }
        let idents = params
            .into_iter()
            .map(|j| {
                let t = self.toks[j];
                Ident {
                    name: self.text(t).into(),
                    span: t.span(),
                }
            })
            .collect();
        self.pos = i;
        self.bump();
        Some(idents)
    }

    fn lambda(&mut self, start: u32, params: Vec<Ident>) -> Expr {
        self.expect(Tok::Arrow, "'=>'");
        self.skip_nl();
        let body = self.expr();
        Expr {
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
            span: self.span_from(start),
        }
    }

    /// Precedence climbing; each operator in a chain counts as one nesting level.
    fn binary(&mut self, min_prec: u8) -> Expr {
        let depth = self.depth;
        let mut lhs = self.unary();
        loop {
            let next = self.peek_past_nl();
            let Some((op, prec)) = binary_op(next) else {
                break;
            };
            if prec < min_prec || (self.peek() == Tok::NewLine && !continues_expression(next)) {
                break;
            }
            if !self.enter() {
                break;
            }
            self.skip_nl();
            self.bump();
            let rhs = self.binary(prec + 1);
            lhs = Expr {
                span: Span::new(lhs.span.start, rhs.span.end.max(lhs.span.start)),
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
            };
        }
        self.depth = depth;
        lhs
    }

    fn unary(&mut self) -> Expr {
        let t = self.cur();
        let op = match t.kind {
            Tok::Bang => UnaryOp::Not,
            Tok::Minus => UnaryOp::Minus,
            Tok::Plus => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        self.bump();
        if !self.enter() {
            return error_expr(t.start);
        }
        let operand = self.unary();
        self.depth -= 1;
        Expr {
            span: self.span_from(t.start),
            kind: ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
        }
    }

    fn postfix(&mut self) -> Expr {
        let depth = self.depth;
        let mut e = self.primary();
        loop {
            let next = self.peek_past_nl();
            if self.peek() == Tok::NewLine && next != Tok::Dot {
                break;
            }
            if !matches!(
                next,
                Tok::Dot | Tok::DoubleColon | Tok::LBracket | Tok::Bang | Tok::LParen
            ) {
                break;
            }
            // A call needs a name right before `(`; anything else ends the expression.
            if next == Tok::LParen && !matches!(e.kind, ExprKind::Ident(_)) {
                break;
            }
            if !self.enter() {
                break;
            }
            self.skip_nl();
            let start = e.span.start;
            e = match next {
                Tok::Dot => {
                    self.bump();
                    let safe = self.eat(Tok::Question);
                    let Some(name) = self.ident("a property name") else {
                        break;
                    };
                    if self.peek() == Tok::LParen {
                        let args = self.call_args();
                        Expr {
                            kind: ExprKind::Call {
                                base: Some(Box::new(e)),
                                name,
                                args,
                            },
                            span: self.span_from(start),
                        }
                    } else {
                        Expr {
                            kind: ExprKind::Member {
                                base: Box::new(e),
                                name,
                                safe,
                            },
                            span: self.span_from(start),
                        }
                    }
                }
                Tok::DoubleColon => {
                    self.bump();
                    let Some(name) = self.ident("a child resource name") else {
                        break;
                    };
                    Expr {
                        kind: ExprKind::ResourceAccess {
                            base: Box::new(e),
                            name,
                        },
                        span: self.span_from(start),
                    }
                }
                Tok::LBracket => {
                    self.bump();
                    let safe = self.eat(Tok::Question);
                    self.skip_nl();
                    let index = self.expr();
                    self.skip_nl();
                    self.expect(Tok::RBracket, "']'");
                    Expr {
                        kind: ExprKind::Index {
                            base: Box::new(e),
                            index: Box::new(index),
                            safe,
                        },
                        span: self.span_from(start),
                    }
                }
                Tok::Bang => {
                    self.bump();
                    Expr {
                        kind: ExprKind::NonNull(Box::new(e)),
                        span: self.span_from(start),
                    }
                }
                _ => {
                    let ExprKind::Ident(name) = e.kind else {
                        unreachable!("checked above")
                    };
                    let args = self.call_args();
                    Expr {
                        kind: ExprKind::Call {
                            base: None,
                            name,
                            args,
                        },
                        span: self.span_from(start),
                    }
                }
            };
        }
        self.depth = depth;
        e
    }

    fn call_args(&mut self) -> Vec<Expr> {
        self.bump();
        let mut args = Vec::new();
        loop {
            self.skip_nl();
            if self.eat(Tok::RParen) {
                break;
            }
            if self.peek() == Tok::Eof {
                self.error_here("')'");
                break;
            }
            let before = self.pos;
            args.push(self.expr());
            self.skip_nl();
            if self.eat(Tok::Comma) {
                continue;
            }
            if self.eat(Tok::RParen) {
                break;
            }
            self.error_here("',' or ')'");
            self.recover_in_list(Tok::RParen);
            if self.pos == before {
                self.bump();
            }
            if !self.eat(Tok::Comma) {
                self.eat(Tok::RParen);
                break;
            }
        }
        args
    }

    fn primary(&mut self) -> Expr {
        let t = self.cur();
        let kind = match t.kind {
            Tok::Int => {
                self.bump();
                match self.text(t).parse::<u64>() {
                    Ok(v) => ExprKind::Int(v),
                    Err(_) => {
                        self.error(t.span(), "integer literal too large");
                        ExprKind::Int(u64::MAX)
                    }
                }
            }
            Tok::Str | Tok::StrLeft | Tok::StrMultiline => return self.string(),
            Tok::Ident => {
                self.bump();
                match self.text(t) {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    "null" => ExprKind::Null,
                    name => ExprKind::Ident(Ident {
                        name: name.into(),
                        span: t.span(),
                    }),
                }
            }
            Tok::LBrace => return self.object(),
            Tok::LBracket => return self.array(),
            Tok::LParen => {
                self.bump();
                self.skip_nl();
                let inner = self.expr();
                self.skip_nl();
                self.expect(Tok::RParen, "')'");
                ExprKind::Paren(Box::new(inner))
            }
            _ => {
                self.error_here("an expression");
                return error_expr(t.start);
            }
        };
        Expr {
            kind,
            span: self.span_from(t.start),
        }
    }

    fn string(&mut self) -> Expr {
        let t = self.bump();
        let start = t.start;
        let raw = self.text(t);
        if t.kind == Tok::StrMultiline {
            let inner = if t.terminated {
                &raw[3..raw.len() - 3]
            } else {
                &raw[3..]
            };
            // The line break right after the opening `'''` is not part of the value.
            let inner = inner
                .strip_prefix("\r\n")
                .or_else(|| inner.strip_prefix('\n'))
                .unwrap_or(inner);
            return Expr {
                kind: ExprKind::String(StringExpr {
                    segments: vec![inner.into()],
                    exprs: Vec::new(),
                    multiline: true,
                }),
                span: t.span(),
            };
        }
        let mut segments = vec![self.segment(t)];
        let mut exprs = Vec::new();
        if t.kind == Tok::StrLeft {
            loop {
                exprs.push(self.expr());
                match self.peek() {
                    Tok::StrMiddle => {
                        let m = self.bump();
                        segments.push(self.segment(m));
                    }
                    Tok::StrRight => {
                        let r = self.bump();
                        segments.push(self.segment(r));
                        break;
                    }
                    _ => {
                        self.error_here("'}' closing the interpolation");
                        // Resynchronise on the rest of the string, if it is on this line.
                        while !matches!(
                            self.peek(),
                            Tok::StrMiddle | Tok::StrRight | Tok::NewLine | Tok::Eof
                        ) {
                            self.bump();
                        }
                        if self.peek() == Tok::StrMiddle {
                            continue;
                        }
                        if self.peek() == Tok::StrRight {
                            self.bump();
                        }
                        segments.push("".into());
                        break;
                    }
                }
            }
        }
        Expr {
            kind: ExprKind::String(StringExpr {
                segments,
                exprs,
                multiline: false,
            }),
            span: self.span_from(start),
        }
    }

    /// Unescaped literal text of one string piece.
    fn segment(&mut self, t: Token) -> Box<str> {
        let raw = self.text(t);
        let open = 1;
        let close = match (t.kind, t.terminated) {
            (_, false) => 0,
            (Tok::StrLeft | Tok::StrMiddle, true) => 2,
            _ => 1,
        };
        let body = raw.get(open..raw.len().saturating_sub(close)).unwrap_or("");
        let base = t.start + open as u32;
        if !body.contains('\\') {
            return body.into();
        }
        let mut out = String::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let esc_start = base + i as u32;
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 't')) => out.push('\t'),
                Some((_, c @ ('\\' | '\'' | '$'))) => out.push(c),
                Some((j, 'u')) => {
                    let rest = &body[j + 1..];
                    let decoded = rest
                        .strip_prefix('{')
                        .and_then(|r| r.find('}').map(|end| &r[..end]))
                        .filter(|hex| !hex.is_empty() && hex.len() <= 6)
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .and_then(char::from_u32);
                    match decoded {
                        Some(ch) => {
                            out.push(ch);
                            let len = rest.find('}').unwrap_or(0);
                            for _ in 0..=len {
                                chars.next();
                            }
                        }
                        None => {
                            let end = base + j as u32 + 1;
                            self.error(Span::new(esc_start, end), "invalid unicode escape");
                        }
                    }
                }
                Some((j, c)) => {
                    let end = base + (j + c.len_utf8()) as u32;
                    self.error(Span::new(esc_start, end), "invalid escape sequence");
                    out.push(c);
                }
                None => {}
            }
        }
        out.into()
    }

    fn object(&mut self) -> Expr {
        let start = self.bump().start;
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Tok::NewLine | Tok::Comma) {
                self.bump();
            }
            match self.peek() {
                Tok::RBrace => {
                    self.bump();
                    break;
                }
                Tok::Eof => {
                    self.error_here("'}'");
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            if let Some(item) = self.object_item() {
                items.push(item);
            }
            if !matches!(
                self.peek(),
                Tok::NewLine | Tok::Comma | Tok::RBrace | Tok::Eof
            ) {
                self.error_here("a line break, ',' or '}'");
                self.recover_in_list(Tok::RBrace);
            }
            if self.pos == before {
                self.bump();
            }
        }
        Expr {
            kind: ExprKind::Object(items),
            span: self.span_from(start),
        }
    }

    fn object_item(&mut self) -> Option<ObjectItem> {
        let t = self.cur();
        match t.kind {
            Tok::Ellipsis => {
                self.bump();
                let expr = self.expr();
                Some(ObjectItem::Spread {
                    expr,
                    span: self.span_from(t.start),
                })
            }
            Tok::At => {
                let stmt = self.statement();
                Some(ObjectItem::Resource(Box::new(stmt)))
            }
            Tok::Ident if self.text(t) == "resource" && self.peek_at(1) == Tok::Ident => {
                // A nested declaration costs about twice the stack of an expression level.
                if !self.enter() {
                    return None;
                }
                let kind = self.resource();
                self.depth -= 1;
                Some(ObjectItem::Resource(Box::new(Statement {
                    decorators: Vec::new(),
                    kind,
                    span: self.span_from(t.start),
                })))
            }
            Tok::Ident | Tok::Str | Tok::StrLeft | Tok::StrMultiline => {
                let key = self.property_key();
                if !self.expect(Tok::Colon, "':'") {
                    return None;
                }
                self.skip_nl();
                let value = self.expr();
                Some(ObjectItem::Property(ObjectProperty {
                    key,
                    value,
                    span: self.span_from(t.start),
                }))
            }
            _ => {
                self.error_here("a property name");
                None
            }
        }
    }

    fn property_key(&mut self) -> PropertyKey {
        let t = self.cur();
        if t.kind == Tok::Ident {
            self.bump();
            return PropertyKey::Ident(Ident {
                name: self.text(t).into(),
                span: t.span(),
            });
        }
        let e = self.string();
        match e.kind {
            ExprKind::String(value) => PropertyKey::String {
                value,
                span: e.span,
            },
            _ => unreachable!("string() always yields a string"),
        }
    }

    fn array(&mut self) -> Expr {
        let start = self.bump().start;
        self.skip_nl();
        if self.at_kw("for") && matches!(self.peek_at(1), Tok::Ident | Tok::LParen) {
            return self.for_expr(start);
        }
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Tok::NewLine | Tok::Comma) {
                self.bump();
            }
            match self.peek() {
                Tok::RBracket => {
                    self.bump();
                    break;
                }
                Tok::Eof => {
                    self.error_here("']'");
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let t = self.cur();
            if t.kind == Tok::Ellipsis {
                self.bump();
                let expr = self.expr();
                items.push(ArrayItem::Spread {
                    expr,
                    span: self.span_from(t.start),
                });
            } else {
                items.push(ArrayItem::Expr(self.expr()));
            }
            if !matches!(
                self.peek(),
                Tok::NewLine | Tok::Comma | Tok::RBracket | Tok::Eof
            ) {
                self.error_here("a line break, ',' or ']'");
                self.recover_in_list(Tok::RBracket);
            }
            if self.pos == before {
                self.bump();
            }
        }
        Expr {
            kind: ExprKind::Array(items),
            span: self.span_from(start),
        }
    }

    fn for_expr(&mut self, start: u32) -> Expr {
        self.bump();
        let (item, index) = if self.eat(Tok::LParen) {
            let item = self.ident_or_missing("a loop variable");
            let index = if self.eat(Tok::Comma) {
                self.ident("an index variable")
            } else {
                None
            };
            self.expect(Tok::RParen, "')'");
            (item, index)
        } else {
            (self.ident_or_missing("a loop variable"), None)
        };
        self.expect_kw("in");
        let iterable = self.expr();
        self.expect(Tok::Colon, "':'");
        self.skip_nl();
        let body = if self.at_kw("if") && self.peek_at(1) == Tok::LParen {
            self.if_expr()
        } else {
            self.expr()
        };
        self.skip_nl();
        if !self.expect(Tok::RBracket, "']'") {
            self.recover_in_list(Tok::RBracket);
            self.eat(Tok::RBracket);
        }
        Expr {
            kind: ExprKind::For(Box::new(ForExpr {
                item,
                index,
                iterable,
                body,
            })),
            span: self.span_from(start),
        }
    }

    // ---- types --------------------------------------------------------------------------

    fn type_expr(&mut self) -> TypeExpr {
        let start = self.cur().start;
        if !self.enter() {
            return TypeExpr {
                kind: TypeKind::Error,
                span: Span::new(start, start),
            };
        }
        // A union may be laid out one member per line, with a leading `|`.
        let leading_pipe = self.peek_past_nl() == Tok::Pipe && {
            self.skip_nl();
            self.bump();
            self.skip_nl();
            true
        };
        let first = self.type_postfix();
        let ty = if leading_pipe || self.peek_past_nl() == Tok::Pipe {
            let mut members = vec![first];
            while self.peek_past_nl() == Tok::Pipe {
                self.skip_nl();
                self.bump();
                self.skip_nl();
                members.push(self.type_postfix());
            }
            TypeExpr {
                kind: TypeKind::Union(members),
                span: self.span_from(start),
            }
        } else {
            first
        };
        self.depth -= 1;
        ty
    }

    fn type_postfix(&mut self) -> TypeExpr {
        let depth = self.depth;
        let mut ty = self.type_primary();
        let start = ty.span.start;
        while let kind @ (Tok::Question | Tok::LBracket | Tok::Dot) = self.peek() {
            if !self.enter() {
                break;
            }
            self.bump();
            let base = Box::new(ty);
            let kind = match kind {
                Tok::Question => TypeKind::Nullable(base),
                Tok::Dot => {
                    let name = if self.eat(Tok::Star) {
                        None
                    } else {
                        Some(self.ident_or_missing("a property name or '*'"))
                    };
                    TypeKind::Member { base, name }
                }
                _ => {
                    let t = self.cur();
                    let kind = match t.kind {
                        Tok::RBracket => TypeKind::Array(base),
                        Tok::Star => {
                            self.bump();
                            TypeKind::Index { base, index: None }
                        }
                        Tok::Int => {
                            self.bump();
                            let index = self.text(t).parse().ok();
                            TypeKind::Index { base, index }
                        }
                        _ => {
                            self.error_here("']', '*' or an index");
                            TypeKind::Array(base)
                        }
                    };
                    self.expect(Tok::RBracket, "']'");
                    kind
                }
            };
            ty = TypeExpr {
                kind,
                span: self.span_from(start),
            };
        }
        self.depth = depth;
        ty
    }

    fn type_primary(&mut self) -> TypeExpr {
        let t = self.cur();
        let kind = match t.kind {
            Tok::Ident => {
                if self.text(t) == "resource" && matches!(self.peek_at(1), Tok::Str | Tok::StrLeft)
                {
                    self.bump();
                    TypeKind::Resource(self.string_lit("a resource type string"))
                } else {
                    let name = self.ident_or_missing("a type");
                    if self.eat(Tok::Lt) {
                        let mut args = Vec::new();
                        loop {
                            args.push(self.type_expr());
                            if !self.eat(Tok::Comma) {
                                break;
                            }
                        }
                        self.expect(Tok::Gt, "'>'");
                        TypeKind::Generic { name, args }
                    } else {
                        TypeKind::Name(name)
                    }
                }
            }
            Tok::Str | Tok::StrLeft | Tok::StrMultiline => {
                TypeKind::String(self.string_lit("a string"))
            }
            Tok::Int => {
                self.bump();
                TypeKind::Int {
                    value: self.text(t).parse().unwrap_or(u64::MAX),
                    negative: false,
                }
            }
            Tok::Minus if self.peek_at(1) == Tok::Int => {
                self.bump();
                let n = self.bump();
                TypeKind::Int {
                    value: self.text(n).parse().unwrap_or(u64::MAX),
                    negative: true,
                }
            }
            Tok::LBrace => self.object_type(),
            Tok::LBracket => self.tuple_type(),
            Tok::LParen => {
                self.bump();
                self.skip_nl();
                let inner = self.type_expr();
                self.skip_nl();
                self.expect(Tok::RParen, "')'");
                TypeKind::Paren(Box::new(inner))
            }
            _ => {
                self.error_here("a type");
                return TypeExpr {
                    kind: TypeKind::Error,
                    span: Span::new(t.start, t.start),
                };
            }
        };
        TypeExpr {
            kind,
            span: self.span_from(t.start),
        }
    }

    fn object_type(&mut self) -> TypeKind {
        self.bump();
        let mut props = Vec::new();
        loop {
            while matches!(self.peek(), Tok::NewLine | Tok::Comma) {
                self.bump();
            }
            match self.peek() {
                Tok::RBrace => {
                    self.bump();
                    break;
                }
                Tok::Eof => {
                    self.error_here("'}'");
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let start = self.cur().start;
            let decorators = self.decorators();
            let key = match self.peek() {
                Tok::Star => {
                    self.bump();
                    Some(None)
                }
                Tok::Ident | Tok::Str | Tok::StrLeft | Tok::StrMultiline => {
                    Some(Some(self.property_key()))
                }
                _ => {
                    self.error_here("a property name");
                    None
                }
            };
            if let Some(key) = key {
                let optional = self.eat(Tok::Question);
                if self.expect(Tok::Colon, "':'") {
                    self.skip_nl();
                    let ty = self.type_expr();
                    props.push(TypeProperty {
                        decorators,
                        key,
                        optional,
                        ty,
                        span: self.span_from(start),
                    });
                }
            }
            if !matches!(
                self.peek(),
                Tok::NewLine | Tok::Comma | Tok::RBrace | Tok::Eof
            ) {
                self.error_here("a line break, ',' or '}'");
                self.recover_in_list(Tok::RBrace);
            }
            if self.pos == before {
                self.bump();
            }
        }
        TypeKind::Object(props)
    }

    fn tuple_type(&mut self) -> TypeKind {
        self.bump();
        let mut items = Vec::new();
        loop {
            while matches!(self.peek(), Tok::NewLine | Tok::Comma) {
                self.bump();
            }
            match self.peek() {
                Tok::RBracket => {
                    self.bump();
                    break;
                }
                Tok::Eof => {
                    self.error_here("']'");
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let decorators = self.decorators();
            let ty = self.type_expr();
            items.push(TupleItem { decorators, ty });
            if !matches!(
                self.peek(),
                Tok::NewLine | Tok::Comma | Tok::RBracket | Tok::Eof
            ) {
                self.error_here("a line break, ',' or ']'");
                self.recover_in_list(Tok::RBracket);
            }
            if self.pos == before {
                self.bump();
            }
        }
        TypeKind::Tuple(items)
    }
}
