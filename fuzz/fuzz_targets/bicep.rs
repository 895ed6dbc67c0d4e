#![no_main]
//! Bicep: the hand-written parser, then lowering of the file as an entry (and as .bicepparam).
#[path = "common.rs"]
mod common;
use idlint::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else { return };
    let _ = idlint::parse::bicep::parse(text);
    let format = if text.starts_with("using") {
        Format::BicepParam
    } else {
        Format::Bicep
    };
    common::lower_one(text, "main.bicep", format, idlint::lower::bicep::lower_all);
});
