#![no_main]
//! az CLI in bash: tree-sitter-bash and the walk over its tree.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = idlint::parse::script::bash::parse_bash(text);
});
