#![no_main]
//! Azure PowerShell: tree-sitter-powershell and the walk over its tree.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = idlint::parse::script::powershell::parse_powershell(text);
});
