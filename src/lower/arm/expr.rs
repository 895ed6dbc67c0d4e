//! The ARM template expression language: `[concat('a', parameters('b'))]`.
//!
//! Grammar: literal strings (`'…'`, `''` escapes a quote), integers, function calls
//! (optionally namespaced: `ns.fn(…)`), property access `.name` and indexing `[expr]`.

use crate::lower::eval::Expr;
use crate::source::{FileId, Span};

/// Maps offsets in the expression text to source spans. Exact when the JSON string had no
/// escapes (the common case); otherwise every piece gets the whole string's span.
#[derive(Clone, Copy)]
pub struct SpanMap {
    pub file: FileId,
    /// Source offset of the expression text's first byte, when offsets map one to one.
    pub base: Option<usize>,
    pub whole: Span,
}

impl SpanMap {
    fn span(&self, start: usize, end: usize) -> Span {
        match self.base {
            Some(base) => Span::new(self.file, base + start, base + end),
            None => self.whole,
        }
    }
}

struct Parser<'a> {
    text: &'a [u8],
    src: &'a str,
    pos: usize,
    map: SpanMap,
    depth: usize,
}

const MAX_DEPTH: usize = 128;

/// Parse the inside of `[...]` (without the brackets). `Err` carries a message and offset.
pub fn parse(text: &str, map: SpanMap) -> Result<Expr, (String, usize)> {
    let mut p = Parser {
        text: text.as_bytes(),
        src: text,
        pos: 0,
        map,
        depth: 0,
    };
    let result = p.expr().and_then(|expr| {
        p.skip_ws();
        if p.pos != p.text.len() {
            return Err((format!("unexpected '{}'", p.peek_char()), p.pos));
        }
        Ok(expr)
    });
    match result {
        Ok(expr) => Ok(expr),
        // Strings closed and brackets balanced: the template may still deploy (ARM is more
        // lenient than its documentation), so the value is unknown rather than the file broken.
        Err(_) if balanced(text) => Ok(Expr::Opaque("an expression idlint cannot read", map.whole)),
        Err(e) => Err(e),
    }
}

/// Whether quotes are closed and parentheses and brackets balanced.
fn balanced(text: &str) -> bool {
    let mut depth: Vec<u8> = Vec::new();
    let mut in_string = false;
    for b in text.bytes() {
        match (in_string, b) {
            (true, b'\'') => in_string = false,
            (true, _) => {}
            (false, b'\'') => in_string = true,
            (false, b'(' | b'[') => depth.push(b),
            (false, b')') if depth.pop() != Some(b'(') => return false,
            (false, b']') if depth.pop() != Some(b'[') => return false,
            _ => {}
        }
    }
    !in_string && depth.is_empty()
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.text.len() {
            let b = self.text[self.pos];
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else if b >= 0x80 {
                // Templates in the wild separate arguments with non-breaking spaces.
                match self.src[self.pos..].chars().next() {
                    Some(c) if c.is_whitespace() => self.pos += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn peek_char(&self) -> char {
        self.src[self.pos..].chars().next().unwrap_or(' ')
    }

    fn expect(&mut self, byte: u8) -> Result<(), (String, usize)> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else if self.pos >= self.text.len() {
            Err((
                format!(
                    "expected '{}' before the end of the expression",
                    byte as char
                ),
                self.pos,
            ))
        } else {
            Err((
                format!("expected '{}', found '{}'", byte as char, self.peek_char()),
                self.pos,
            ))
        }
    }

    fn expr(&mut self) -> Result<Expr, (String, usize)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(("expression nested too deeply".into(), self.pos));
        }
        self.skip_ws();
        let start = self.pos;
        let mut expr = match self.peek() {
            Some(b'\'') => self.string()?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.call()?,
            Some(_) => return Err((format!("unexpected '{}'", self.peek_char()), self.pos)),
            None => return Err(("empty expression".into(), self.pos)),
        };
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.skip_ws();
                    let name = self.ident()?;
                    expr = Expr::Member {
                        base: Box::new(expr),
                        name,
                        span: self.map.span(start, self.pos),
                    };
                }
                Some(b'[') => {
                    self.pos += 1;
                    let index = self.expr()?;
                    self.expect(b']')?;
                    expr = Expr::Index {
                        base: Box::new(expr),
                        index: Box::new(index),
                        span: self.map.span(start, self.pos),
                    };
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(expr)
    }

    fn ident(&mut self) -> Result<String, (String, usize)> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(("expected a name".into(), self.pos));
        }
        Ok(self.src[start..self.pos].to_owned())
    }

    fn call(&mut self) -> Result<Expr, (String, usize)> {
        let start = self.pos;
        let mut name = self.ident()?;
        // `namespace.function(` is one user-defined function name.
        let save = self.pos;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if let Ok(member) = self.ident() {
                self.skip_ws();
                if self.peek() == Some(b'(') {
                    name = format!("{name}.{member}");
                } else {
                    self.pos = save;
                }
            } else {
                self.pos = save;
            }
        }
        self.skip_ws();
        if self.peek() != Some(b'(') {
            // Bare `true`/`false`/`null` are accepted by ARM as function-less literals.
            let span = self.map.span(start, self.pos);
            return match name.to_ascii_lowercase().as_str() {
                "true" => Ok(Expr::Bool(true, span)),
                "false" => Ok(Expr::Bool(false, span)),
                "null" => Ok(Expr::Null(span)),
                _ => Err((format!("expected '(' after '{name}'"), self.pos)),
            };
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            loop {
                args.push(self.expr()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    None => {
                        return Err((
                            "expected ')' before the end of the expression".into(),
                            self.pos,
                        ));
                    }
                    Some(_) => {
                        return Err((
                            format!("expected ',' or ')', found '{}'", self.peek_char()),
                            self.pos,
                        ));
                    }
                }
            }
        }
        let lower = name.to_ascii_lowercase();
        Ok(Expr::Call {
            name: lower,
            args,
            span: self.map.span(start, self.pos),
        })
    }

    fn string(&mut self) -> Result<Expr, (String, usize)> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(rel) = self.src[self.pos..].find('\'') else {
                return Err(("unterminated string".into(), start));
            };
            out.push_str(&self.src[self.pos..self.pos + rel]);
            self.pos += rel + 1;
            if self.peek() == Some(b'\'') {
                out.push('\'');
                self.pos += 1;
            } else {
                break;
            }
        }
        Ok(Expr::Str(out, self.map.span(start, self.pos)))
    }

    fn number(&mut self) -> Result<Expr, (String, usize)> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let span = self.map.span(start, self.pos);
        self.src[start..self.pos]
            .parse::<i64>()
            .map(|i| Expr::Int(i, span))
            .map_err(|_| ("invalid number".into(), start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> SpanMap {
        SpanMap {
            file: FileId(0),
            base: Some(0),
            whole: Span::default(),
        }
    }

    #[test]
    fn parses_nested_calls_members_and_escapes() {
        let e = parse("concat('it''s', parameters('a'))[0].b", map()).unwrap();
        let Expr::Member { base, name, .. } = e else {
            panic!("member")
        };
        assert_eq!(name, "b");
        let Expr::Index { base, .. } = *base else {
            panic!("index")
        };
        let Expr::Call { name, args, span } = *base else {
            panic!("call")
        };
        assert_eq!(name, "concat");
        assert_eq!(span.range(), 0..32);
        assert!(matches!(&args[0], Expr::Str(s, _) if s == "it's"));
    }

    #[test]
    fn namespaced_functions_and_errors() {
        assert!(
            matches!(parse("ns.fn(1)", map()).unwrap(), Expr::Call { name, .. } if name == "ns.fn")
        );
        assert!(matches!(
            parse("reference('x').principalId", map()).unwrap(),
            Expr::Member { .. }
        ));
        assert!(parse("concat('a'", map()).is_err());
        assert!(matches!(
            parse("concat('a') junk", map()),
            Ok(Expr::Opaque(..))
        ));
        assert!(parse("concat('a", map()).is_err());
        assert!(matches!(
            parse("concat(\u{a0}'a')", map()),
            Ok(Expr::Call { .. })
        ));
        let deep = "f(".repeat(1000) + &")".repeat(1000);
        // Too deep to evaluate, but well formed: an unknown value, not a crash or an error.
        assert!(matches!(parse(&deep, map()), Ok(Expr::Opaque(..))));
    }
}
