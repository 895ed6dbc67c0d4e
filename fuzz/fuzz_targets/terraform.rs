#![no_main]
//! HCL/Terraform: hcl-edit parsing inside the front end, then lowering of a one-file module.
#[path = "common.rs"]
mod common;
use idlint::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else { return };
    let (name, format) = if text.starts_with('#') {
        ("terraform.tfvars", Format::TerraformVars)
    } else {
        ("main.tf", Format::Terraform)
    };
    common::lower_one(text, name, format, idlint::lower::terraform::lower);
});
