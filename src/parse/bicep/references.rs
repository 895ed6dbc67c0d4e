//! The files a Bicep file names, found from its tokens without building a syntax tree: the
//! lowering needs the module graph before it parses anything, so that each tree lives only
//! while the deployment units that read it are being lowered.

use super::lexer::{Tok, lex};

/// The literal paths of the top-level `module <name> '<path>'` statements and of a
/// `.bicepparam`'s `using '<path>'`, in source order. Paths written with escape sequences are
/// returned as written; the lowering treats this list as a prediction and checks it against
/// the real tree.
pub fn referenced_paths(source: &str) -> Vec<String> {
    // Most files name neither: no need to tokenize them.
    let names = |word: &str| memchr::memmem::find(source.as_bytes(), word.as_bytes()).is_some();
    if !names("module") && !names("using") {
        return Vec::new();
    }
    let lexed = lex(source);
    let toks = &lexed.tokens;
    let text = |i: usize| {
        source
            .get(toks[i].start as usize..toks[i].end as usize)
            .unwrap_or("")
    };
    let literal = |i: usize| -> Option<String> {
        let t = toks.get(i)?;
        if t.kind != Tok::Str || !t.terminated {
            return None;
        }
        let raw = source.get(t.start as usize..t.end as usize)?;
        Some(raw.get(1..raw.len() - 1)?.to_owned())
    };
    let mut out = Vec::new();
    let mut depth = 0usize;
    for i in 0..toks.len() {
        match toks[i].kind {
            Tok::LBrace | Tok::LBracket | Tok::LParen | Tok::StrLeft => depth += 1,
            Tok::RBrace | Tok::RBracket | Tok::RParen | Tok::StrRight => {
                depth = depth.saturating_sub(1)
            }
            Tok::Ident if depth == 0 => match text(i) {
                "module" if toks.get(i + 1).is_some_and(|t| t.kind == Tok::Ident) => {
                    out.extend(literal(i + 2));
                }
                "using" => out.extend(literal(i + 1)),
                _ => {}
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::referenced_paths;

    #[test]
    fn finds_module_and_using_paths_at_top_level_only() {
        let src = "@description('x')\nmodule a './a.bicep' = {\n  name: 'module b \\'./no.bicep\\''\n  params: { module: 'p' }\n}\n\
            // module c './comment.bicep' = {}\n/* module d './block.bicep' = {} */\n\
            module e 'br:registry/x:1' = [for i in range(0, 2): {}]\nresource module 'x@1' = {}\n\
            var s = '${module}'\nmodule f '../f.bicep' = if (true) {}\n";
        assert_eq!(
            referenced_paths(src),
            vec!["./a.bicep", "br:registry/x:1", "../f.bicep"]
        );
        assert_eq!(
            referenced_paths("using './main.bicep'\nparam a = 1\n"),
            vec!["./main.bicep"]
        );
        assert_eq!(referenced_paths("using none\n"), Vec::<String>::new());
    }
}
