//! idlint: static analysis of Azure identity configuration in infrastructure-as-code.
pub mod diagnostic;
pub mod lower;
pub mod model;
pub mod parse;
pub mod source;

pub fn main_entry() -> i32 {
    0
}
