#![no_main]
//! ARM template expressions (the inside of `[...]`).
use idlint::lower::arm::expr::{SpanMap, parse};
use idlint::source::{FileId, Span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let whole = Span::new(FileId(0), 0, text.len());
    for base in [Some(1), None] {
        let _ = parse(text, SpanMap { file: FileId(0), base, whole });
    }
});
