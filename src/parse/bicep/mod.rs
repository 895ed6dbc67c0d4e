//! Hand-written Bicep / Bicep-parameters parser: lexer plus recursive descent, producing a
//! span-annotated syntax tree. Never panics; malformed input yields [`SyntaxError`]s.

mod ast;
mod lexer;
mod parser;
mod references;

pub use ast::*;
pub use parser::{MAX_DEPTH, parse};
pub use references::referenced_paths;

/// 1-based line and column (in bytes) of a byte offset, for messages.
pub fn line_col(source: &str, offset: u32) -> (u32, u32) {
    let offset = (offset as usize).min(source.len());
    let before = &source.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line as u32, (offset - line_start + 1) as u32)
}

#[cfg(test)]
mod tests;
