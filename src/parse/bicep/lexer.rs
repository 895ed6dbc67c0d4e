//! Tokenizer. String interpolation is resolved here (with a brace-depth stack) so the parser
//! sees `'a${` / `}b${` / `}c'` pieces and never has to re-scan string contents.

use super::ast::{Comment, CommentKind, Span, SyntaxError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident,
    Int,
    /// `'abc'`
    Str,
    /// `'abc${`
    StrLeft,
    /// `}abc${`
    StrMiddle,
    /// `}abc'`
    StrRight,
    /// `'''abc'''`
    StrMultiline,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Ellipsis,
    Colon,
    DoubleColon,
    Question,
    Coalesce,
    At,
    Assign,
    Eq,
    NotEq,
    EqI,
    NotEqI,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    And,
    Or,
    Pipe,
    Arrow,
    NewLine,
    Unknown,
    Eof,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: Tok,
    /// False for a string token cut short by a line break or end of input; the closing
    /// delimiter is then absent and must not be stripped.
    pub terminated: bool,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

struct Lexer<'s> {
    src: &'s [u8],
    text: &'s str,
    pos: usize,
    tokens: Vec<Token>,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
    /// One entry per open `${`: the number of `{` opened inside it that are still unclosed.
    interp: Vec<u32>,
    /// Whether a token has been emitted on the current line (pragmas must start a line).
    line_has_token: bool,
    error_on_line: bool,
}

pub(crate) fn lex(text: &str) -> Lexed {
    let mut lx = Lexer {
        src: text.as_bytes(),
        text,
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 4 + 1),
        comments: Vec::new(),
        errors: Vec::new(),
        interp: Vec::new(),
        line_has_token: false,
        error_on_line: false,
    };
    if text.starts_with('\u{feff}') {
        lx.pos = 3;
    }
    lx.run();
    let end = text.len() as u32;
    lx.tokens.push(Token {
        kind: Tok::Eof,
        terminated: true,
        start: end,
        end,
    });
    Lexed {
        tokens: lx.tokens,
        comments: lx.comments,
        errors: lx.errors,
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn peek(&self, off: usize) -> u8 {
        self.src.get(self.pos + off).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: Tok, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            terminated: true,
            start: start as u32,
            end: end as u32,
        });
        self.line_has_token = true;
    }

    fn error(&mut self, start: usize, end: usize, message: &str) {
        // One lexical error per line is enough; a binary blob would otherwise yield one per byte.
        if self.error_on_line {
            return;
        }
        self.error_on_line = true;
        self.errors.push(SyntaxError {
            span: Span::new(start as u32, end as u32),
            message: message.to_string(),
        });
    }

    fn run(&mut self) {
        while self.pos < self.src.len() {
            let start = self.pos;
            let b = self.src[start];
            match b {
                b' ' | b'\t' | 0x0b | 0x0c => self.pos += 1,
                b'\n' | b'\r' => {
                    self.pos += if b == b'\r' && self.peek(1) == b'\n' {
                        2
                    } else {
                        1
                    };
                    // Interpolation never spans lines; resetting keeps an unbalanced `${`
                    // from swallowing the rest of the file.
                    self.interp.clear();
                    self.line_has_token = false;
                    self.error_on_line = false;
                    match self.tokens.last_mut() {
                        Some(t) if t.kind == Tok::NewLine => t.end = self.pos as u32,
                        _ => {
                            self.push(Tok::NewLine, start, self.pos);
                            self.line_has_token = false;
                        }
                    }
                }
                b'/' if self.peek(1) == b'/' => {
                    let end = memchr::memchr2(b'\n', b'\r', &self.src[start..])
                        .map_or(self.src.len(), |i| start + i);
                    self.comment(CommentKind::Line, start, end);
                }
                b'/' if self.peek(1) == b'*' => {
                    let end = match memchr::memmem::find(&self.src[start + 2..], b"*/") {
                        Some(i) => start + 2 + i + 2,
                        None => {
                            self.error(start, start + 2, "unterminated block comment");
                            self.src.len()
                        }
                    };
                    self.comment(CommentKind::Block, start, end);
                }
                b'#' if !self.line_has_token => {
                    let end = memchr::memchr2(b'\n', b'\r', &self.src[start..])
                        .map_or(self.src.len(), |i| start + i);
                    self.comment(CommentKind::Directive, start, end);
                }
                b'\'' => {
                    if self.peek(1) == b'\'' && self.peek(2) == b'\'' {
                        self.multiline_string(start);
                    } else {
                        self.pos += 1;
                        self.string_body(start, Tok::Str, Tok::StrLeft);
                    }
                }
                b'{' => {
                    if let Some(depth) = self.interp.last_mut() {
                        *depth += 1;
                    }
                    self.pos += 1;
                    self.push(Tok::LBrace, start, self.pos);
                }
                b'}' => {
                    self.pos += 1;
                    match self.interp.last_mut() {
                        Some(0) => {
                            self.interp.pop();
                            self.string_body(start, Tok::StrRight, Tok::StrMiddle);
                        }
                        Some(depth) => {
                            *depth -= 1;
                            self.push(Tok::RBrace, start, self.pos);
                        }
                        None => self.push(Tok::RBrace, start, self.pos),
                    }
                }
                _ if is_ident_start(b) => {
                    let mut end = start + 1;
                    while end < self.src.len() && is_ident_continue(self.src[end]) {
                        end += 1;
                    }
                    self.pos = end;
                    self.push(Tok::Ident, start, end);
                }
                b'0'..=b'9' => {
                    let mut end = start + 1;
                    while end < self.src.len() && self.src[end].is_ascii_digit() {
                        end += 1;
                    }
                    self.pos = end;
                    self.push(Tok::Int, start, end);
                }
                _ => self.punct(start, b),
            }
        }
    }

    fn comment(&mut self, kind: CommentKind, start: usize, end: usize) {
        self.comments.push(Comment {
            kind,
            span: Span::new(start as u32, end as u32),
        });
        self.pos = end;
    }

    fn punct(&mut self, start: usize, b: u8) {
        let next = self.peek(1);
        let (kind, len) = match (b, next) {
            (b'(', _) => (Tok::LParen, 1),
            (b')', _) => (Tok::RParen, 1),
            (b'[', _) => (Tok::LBracket, 1),
            (b']', _) => (Tok::RBracket, 1),
            (b',', _) => (Tok::Comma, 1),
            (b'.', b'.') if self.peek(2) == b'.' => (Tok::Ellipsis, 3),
            (b'.', _) => (Tok::Dot, 1),
            (b':', b':') => (Tok::DoubleColon, 2),
            (b':', _) => (Tok::Colon, 1),
            (b'?', b'?') => (Tok::Coalesce, 2),
            (b'?', _) => (Tok::Question, 1),
            (b'@', _) => (Tok::At, 1),
            (b'=', b'=') => (Tok::Eq, 2),
            (b'=', b'~') => (Tok::EqI, 2),
            (b'=', b'>') => (Tok::Arrow, 2),
            (b'=', _) => (Tok::Assign, 1),
            (b'!', b'=') => (Tok::NotEq, 2),
            (b'!', b'~') => (Tok::NotEqI, 2),
            (b'!', _) => (Tok::Bang, 1),
            (b'<', b'=') => (Tok::Le, 2),
            (b'<', _) => (Tok::Lt, 1),
            (b'>', b'=') => (Tok::Ge, 2),
            (b'>', _) => (Tok::Gt, 1),
            (b'+', _) => (Tok::Plus, 1),
            (b'-', _) => (Tok::Minus, 1),
            (b'*', _) => (Tok::Star, 1),
            (b'/', _) => (Tok::Slash, 1),
            (b'%', _) => (Tok::Percent, 1),
            (b'&', b'&') => (Tok::And, 2),
            (b'|', b'|') => (Tok::Or, 2),
            (b'|', _) => (Tok::Pipe, 1),
            _ => {
                // Cover the whole character so spans stay on UTF-8 boundaries.
                let len = self.text[start..].chars().next().map_or(1, char::len_utf8);
                self.error(start, start + len, "unexpected character");
                (Tok::Unknown, len)
            }
        };
        self.pos = start + len;
        self.push(kind, start, self.pos);
    }

    /// Scans string content after an opening `'` or an interpolation-closing `}` up to the
    /// closing quote (`done`) or the next `${` (`open`).
    fn string_body(&mut self, start: usize, done: Tok, open: Tok) {
        let src = self.src;
        let mut i = self.pos;
        while i < src.len() {
            match src[i] {
                b'\'' => {
                    self.pos = i + 1;
                    self.push(done, start, self.pos);
                    return;
                }
                // Skipping one byte after `\` is safe even before a multi-byte char: its
                // continuation bytes are never delimiters.
                b'\\' if i + 1 < src.len() && !matches!(src[i + 1], b'\n' | b'\r') => i += 2,
                b'$' if src.get(i + 1) == Some(&b'{') => {
                    self.pos = i + 2;
                    self.push(open, start, self.pos);
                    self.interp.push(0);
                    return;
                }
                b'\n' | b'\r' => {
                    self.unterminated(start, i, done);
                    return;
                }
                _ => i += 1,
            }
        }
        self.unterminated(start, src.len(), done);
    }

    fn unterminated(&mut self, start: usize, end: usize, kind: Tok) {
        self.error(start, end, "unterminated string");
        self.pos = end;
        self.push(kind, start, end);
        if let Some(t) = self.tokens.last_mut() {
            t.terminated = false;
        }
    }

    fn multiline_string(&mut self, start: usize) {
        let body = start + 3;
        match memchr::memmem::find(&self.src[body..], b"'''") {
            Some(i) => {
                let mut end = body + i + 3;
                // `''''` closes with the last three quotes: a quote just before the
                // delimiter belongs to the content.
                while self.src.get(end) == Some(&b'\'') {
                    end += 1;
                }
                self.pos = end;
                self.push(Tok::StrMultiline, start, end);
            }
            None => {
                self.error(start, start + 3, "unterminated multi-line string");
                self.pos = self.src.len();
                self.push(Tok::StrMultiline, start, self.pos);
                if let Some(t) = self.tokens.last_mut() {
                    t.terminated = false;
                }
            }
        }
    }
}
