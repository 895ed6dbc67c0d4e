//! PowerShell via tree-sitter-powershell.
use super::{Placeholder, Script};
pub fn parse_powershell(text: &str) -> Script {
    parse_powershell_with(text, &[])
}
pub(crate) fn parse_powershell_with(_text: &str, _p: &[Placeholder]) -> Script {
    Script::default()
}
