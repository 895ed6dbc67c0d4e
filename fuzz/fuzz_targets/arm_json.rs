#![no_main]
//! ARM JSON: the span-keeping JSON parser, then template (or parameter file) lowering.
#[path = "common.rs"]
mod common;
use idlint::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else { return };
    let _ = idlint::parse::json::parse(text);
    let _ = idlint::lower::arm::detect(text);
    let format = if text.contains("deploymentParameters") {
        Format::ArmParameters
    } else {
        Format::ArmTemplate
    };
    common::lower_one(text, "t.json", format, idlint::lower::arm::lower_all);
});
