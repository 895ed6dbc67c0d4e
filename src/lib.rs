//! idlint: static analysis of Azure identity configuration in infrastructure-as-code.
pub mod parse;

pub fn main_entry() -> i32 {
    0
}
