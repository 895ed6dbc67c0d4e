//! ARM `metadata.idlint.ignore`: strict JSON has no comments, so a resource carries its
//! suppressions as a string or an array of strings in the directive syntax:
//!
//! ```json
//! { "type": "Microsoft.Authorization/roleAssignments", "metadata": { "idlint": {
//!     "ignore": "broad-role-scope: break-glass identity, reviewed by security" } } }
//! ```
//!
//! The `idlint-ignore` keyword is optional here. The target is the object that holds the
//! `metadata` (a resource, or the whole template for the template's own metadata). The
//! template is parsed a second time for this only when its text mentions `idlint`, which
//! keeps the ARM lowering untouched.

use super::Found;
use super::scan::KEYWORD;
use crate::parse::json::{self, Value};
use crate::source::{FileId, Span};

pub fn metadata_directives(file: FileId, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    if memchr::memmem::find(text.as_bytes(), b"\"idlint\"").is_none() {
        return out;
    }
    let Ok(parsed) = json::parse(text) else {
        return out;
    };
    walk(file, &parsed.value, &mut out);
    out
}

fn walk(file: FileId, value: &Value<'_>, out: &mut Vec<Found>) {
    match value {
        Value::Object(obj) => {
            if let Some(ignore) = obj
                .get_object("metadata")
                .and_then(|m| m.get_object("idlint"))
                .and_then(|i| i.get("ignore"))
            {
                let target = Span::new(file, obj.range.start, obj.range.end);
                let strings: Vec<_> = match &ignore.value {
                    Value::StringLit(s) => vec![s],
                    Value::Array(a) => a
                        .elements
                        .iter()
                        .filter_map(|e| match e {
                            Value::StringLit(s) => Some(s),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                for s in strings {
                    let v = s.value.trim();
                    let text = if v.starts_with(KEYWORD) {
                        v.to_owned()
                    } else {
                        format!("{KEYWORD} {v}")
                    };
                    out.push(Found {
                        span: Span::new(file, s.range.start, s.range.end),
                        text,
                        target,
                        bicep_disable: false,
                    });
                }
            }
            for p in &obj.properties {
                walk(file, &p.value, out);
            }
        }
        Value::Array(a) => {
            for e in &a.elements {
                walk(file, e, out);
            }
        }
        _ => {}
    }
}
