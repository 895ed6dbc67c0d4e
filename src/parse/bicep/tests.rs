use super::*;

fn parse_ok(src: &str) -> BicepFile {
    let file = parse(src);
    assert!(
        file.errors.is_empty(),
        "unexpected errors for {src:?}: {:?}",
        file.errors
    );
    file
}

/// Value expression of the single `var` in `src`.
fn var_value(src: &str) -> Expr {
    let file = parse_ok(src);
    match file.statements.into_iter().next().map(|s| s.kind) {
        Some(StatementKind::Var { value, .. }) => value,
        other => panic!("expected a var, got {other:?}"),
    }
}

fn text(src: &str, span: Span) -> &str {
    span.text(src)
}

fn ident_name(e: &Expr) -> &str {
    match &e.kind {
        ExprKind::Ident(id) => &id.name,
        other => panic!("expected identifier, got {other:?}"),
    }
}

#[test]
fn param_with_decorators_type_and_default() {
    let src = "@secure()\n@description('The admin password')\n@sys.minLength(8)\nparam adminPassword string = 'x'\n";
    let file = parse_ok(src);
    let [stmt] = file.statements.as_slice() else {
        panic!("one statement expected")
    };
    assert_eq!(stmt.decorators.len(), 3);
    assert_eq!(text(src, stmt.decorators[0].span), "@secure()");
    assert_eq!(text(src, stmt.span), src.trim_end());
    let ExprKind::Call { base, name, args } = &stmt.decorators[2].expr.kind else {
        panic!("decorator is a call")
    };
    assert_eq!(&*name.name, "minLength");
    assert_eq!(ident_name(base.as_deref().unwrap()), "sys");
    assert!(matches!(args[0].kind, ExprKind::Int(8)));
    let StatementKind::Param { name, ty, default } = &stmt.kind else {
        panic!("param expected")
    };
    assert_eq!(&*name.name, "adminPassword");
    assert_eq!(text(src, ty.as_ref().unwrap().span), "string");
    assert_eq!(text(src, default.as_ref().unwrap().span), "'x'");
}

#[test]
fn target_scope_metadata_assert() {
    let src = "targetScope = 'subscription'\nmetadata name = 'x'\nassert ok = length(p) > 3\n";
    let file = parse_ok(src);
    assert!(matches!(
        file.statements[0].kind,
        StatementKind::TargetScope { .. }
    ));
    assert!(matches!(
        file.statements[1].kind,
        StatementKind::Metadata { .. }
    ));
    let StatementKind::Assert { value, .. } = &file.statements[2].kind else {
        panic!("assert expected")
    };
    assert!(matches!(
        value.kind,
        ExprKind::Binary {
            op: BinaryOp::Gt,
            ..
        }
    ));
}

#[test]
fn resource_with_existing_and_nested_child() {
    let src = "\
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: kvName
}
resource stg 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stg'
  properties: {
    supportsHttpsTrafficOnly: true
  }
  resource blob 'blobServices' = {
    name: 'default'
  }
}
resource child 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: stg
  name: 'default'
}
";
    let file = parse_ok(src);
    assert_eq!(file.statements.len(), 3);
    let StatementKind::Resource {
        name,
        type_string,
        existing,
        ..
    } = &file.statements[0].kind
    else {
        panic!("resource expected")
    };
    assert_eq!(&*name.name, "kv");
    assert!(existing);
    assert_eq!(&*type_string.value, "Microsoft.KeyVault/vaults@2023-07-01");
    assert_eq!(
        text(src, type_string.span),
        "'Microsoft.KeyVault/vaults@2023-07-01'"
    );
    let StatementKind::Resource { body, existing, .. } = &file.statements[1].kind else {
        panic!("resource expected")
    };
    assert!(!existing);
    let ExprKind::Object(items) = &body.kind else {
        panic!("object body")
    };
    assert_eq!(items.len(), 3);
    let ObjectItem::Resource(child) = &items[2] else {
        panic!("nested resource expected, got {:?}", items[2])
    };
    assert!(text(src, child.span).starts_with("resource blob 'blobServices' = {"));
    assert!(text(src, child.span).ends_with('}'));
    let ObjectItem::Property(p) = &items[0] else {
        panic!("property")
    };
    assert_eq!(p.key.name(), Some("name"));
    assert_eq!(text(src, p.span), "name: 'stg'");
}

#[test]
fn conditional_and_loop_bodies() {
    let src = "\
@batchSize(2)
module m './m.bicep' = [for (site, i) in sites: if (site.enabled) {
  name: 'm${i}'
}]
resource r 'A.B/c@2020-01-01' = if (deploy) {
  name: 'r'
}
var names = [for x in xs: x.name]
";
    let file = parse_ok(src);
    let StatementKind::Module { path, body, .. } = &file.statements[0].kind else {
        panic!("module")
    };
    assert_eq!(&*path.value, "./m.bicep");
    let ExprKind::For(f) = &body.kind else {
        panic!("for body")
    };
    assert_eq!(&*f.item.name, "site");
    assert_eq!(f.index.as_ref().map(|i| &*i.name), Some("i"));
    assert_eq!(text(src, f.iterable.span), "sites");
    assert!(matches!(f.body.kind, ExprKind::If { .. }));
    assert!(text(src, body.span).starts_with("[for") && text(src, body.span).ends_with("}]"));
    let StatementKind::Resource { body, .. } = &file.statements[1].kind else {
        panic!("resource")
    };
    let ExprKind::If { cond, .. } = &body.kind else {
        panic!("if body")
    };
    assert_eq!(ident_name(cond), "deploy");
    let StatementKind::Var { value, .. } = &file.statements[2].kind else {
        panic!("var")
    };
    assert!(matches!(value.kind, ExprKind::For(_)));
}

#[test]
fn operators_and_precedence() {
    let e = var_value("var x = a || b && c == d + e * f\n");
    let ExprKind::Binary { op, rhs, .. } = &e.kind else {
        panic!("binary")
    };
    assert_eq!(*op, BinaryOp::Or);
    let ExprKind::Binary { op, rhs, .. } = &rhs.kind else {
        panic!("binary")
    };
    assert_eq!(*op, BinaryOp::And);
    let ExprKind::Binary { op, rhs, .. } = &rhs.kind else {
        panic!("binary")
    };
    assert_eq!(*op, BinaryOp::Eq);
    let ExprKind::Binary { op, rhs, .. } = &rhs.kind else {
        panic!("binary")
    };
    assert_eq!(*op, BinaryOp::Add);
    assert!(matches!(
        rhs.kind,
        ExprKind::Binary {
            op: BinaryOp::Mul,
            ..
        }
    ));

    let e = var_value("var x = a ?? b ? c : d ? e : f\n");
    let ExprKind::Ternary {
        cond, otherwise, ..
    } = &e.kind
    else {
        panic!("ternary")
    };
    assert!(matches!(
        cond.kind,
        ExprKind::Binary {
            op: BinaryOp::Coalesce,
            ..
        }
    ));
    assert!(matches!(otherwise.kind, ExprKind::Ternary { .. }));

    let e = var_value("var x = !empty(a) && -1 < 2 && b =~ 'x'\n");
    assert!(matches!(
        e.kind,
        ExprKind::Binary {
            op: BinaryOp::And,
            ..
        }
    ));
}

#[test]
fn multi_line_ternary_and_operators() {
    let e = var_value("var x = cond\n  ? 'a'\n  : 'b'\n");
    assert!(matches!(e.kind, ExprKind::Ternary { .. }));
    let e = var_value("var x = a\n  && b\n  || c\n");
    assert!(matches!(
        e.kind,
        ExprKind::Binary {
            op: BinaryOp::Or,
            ..
        }
    ));
    // A line break after an operator ends the expression, as in Bicep.
    assert_eq!(parse("var x = a &&\n  b\n").errors.len(), 1);
}

#[test]
fn safe_access_non_null_and_indexing() {
    let src = "var x = a.?b[?0].c!.d[1]\n";
    let e = var_value(src);
    let ExprKind::Index { base, safe, .. } = &e.kind else {
        panic!("index")
    };
    assert!(!safe);
    let ExprKind::Member { base, name, .. } = &base.kind else {
        panic!("member")
    };
    assert_eq!(&*name.name, "d");
    let ExprKind::NonNull(inner) = &base.kind else {
        panic!("non-null")
    };
    assert_eq!(text(src, inner.span), "a.?b[?0].c");
    let ExprKind::Member { base, .. } = &inner.kind else {
        panic!("member")
    };
    let ExprKind::Index { base, safe, .. } = &base.kind else {
        panic!("index")
    };
    assert!(safe);
    let ExprKind::Member { safe, name, .. } = &base.kind else {
        panic!("member")
    };
    assert!(safe);
    assert_eq!(&*name.name, "b");
    let e = var_value("var x = !a\n");
    assert!(matches!(
        e.kind,
        ExprKind::Unary {
            op: UnaryOp::Not,
            ..
        }
    ));
}

#[test]
fn calls_namespaces_and_member_calls() {
    let src = "var k = stg.listKeys().keys[0].value\nvar s = kv.getSecret('x')\nvar r = az.resourceGroup()\nvar p = parent::child.id\n";
    let file = parse_ok(src);
    let values: Vec<&Expr> = file
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Var { value, .. } => value,
            _ => panic!("var"),
        })
        .collect();
    assert_eq!(text(src, values[0].span), "stg.listKeys().keys[0].value");
    let ExprKind::Call { name, args, .. } = &values[1].kind else {
        panic!("call")
    };
    assert_eq!(&*name.name, "getSecret");
    assert_eq!(args.len(), 1);
    assert_eq!(
        values[1].kind.call_namespace().map(|i| &*i.name),
        Some("kv")
    );
    assert_eq!(
        values[2].kind.call_namespace().map(|i| &*i.name),
        Some("az")
    );
    let ExprKind::Member { base, .. } = &values[3].kind else {
        panic!("member")
    };
    assert!(matches!(base.kind, ExprKind::ResourceAccess { .. }));
}

#[test]
fn multi_line_call_arguments() {
    let e = var_value("var x = union(\n  a,\n  {\n    b: 1\n  }\n)\n");
    let ExprKind::Call { args, .. } = &e.kind else {
        panic!("call")
    };
    assert_eq!(args.len(), 2);
}

#[test]
fn objects_arrays_commas_and_spread() {
    let src = "var o = { a: 1, 'b-c': 'x', ...base }\nvar l = [1, 2, ...rest]\nvar m = {\n  a: [\n    1\n    'two'\n  ]\n}\n";
    let file = parse_ok(src);
    let StatementKind::Var { value, .. } = &file.statements[0].kind else {
        panic!("var")
    };
    let ExprKind::Object(items) = &value.kind else {
        panic!("object")
    };
    assert_eq!(items.len(), 3);
    let ObjectItem::Property(p) = &items[1] else {
        panic!("property")
    };
    assert_eq!(p.key.name(), Some("b-c"));
    assert_eq!(text(src, p.key.span()), "'b-c'");
    let ObjectItem::Spread { expr, span } = &items[2] else {
        panic!("spread")
    };
    assert_eq!(ident_name(expr), "base");
    assert_eq!(text(src, *span), "...base");
    let StatementKind::Var { value, .. } = &file.statements[1].kind else {
        panic!("var")
    };
    let ExprKind::Array(items) = &value.kind else {
        panic!("array")
    };
    assert_eq!(items.len(), 3);
    assert!(matches!(items[2], ArrayItem::Spread { .. }));
}

#[test]
fn lambdas() {
    let e = var_value("var f = map(xs, x => x.name)\n");
    let ExprKind::Call { args, .. } = &e.kind else {
        panic!("call")
    };
    let ExprKind::Lambda { params, .. } = &args[1].kind else {
        panic!("lambda")
    };
    assert_eq!(params.len(), 1);
    let e = var_value("var f = reduce(xs, 0, (acc, x) => acc + x)\n");
    let ExprKind::Call { args, .. } = &e.kind else {
        panic!("call")
    };
    let ExprKind::Lambda { params, body } = &args[2].kind else {
        panic!("lambda")
    };
    assert_eq!(params.len(), 2);
    assert!(matches!(body.kind, ExprKind::Binary { .. }));
    let e = var_value("var f = (a)\n");
    assert!(matches!(e.kind, ExprKind::Paren(_)));
}

#[test]
fn strings_interpolation_escapes_and_multiline() {
    let src = "var s = 'a${b}c${'n${d}'}e'\n";
    let e = var_value(src);
    let ExprKind::String(s) = &e.kind else {
        panic!("string")
    };
    assert_eq!(
        s.segments,
        vec!["a".into(), "c".into(), "e".into()] as Vec<Box<str>>
    );
    assert_eq!(s.exprs.len(), 2);
    assert_eq!(text(src, s.exprs[0].span), "b");
    let ExprKind::String(inner) = &s.exprs[1].kind else {
        panic!("nested string")
    };
    assert_eq!(inner.exprs.len(), 1);
    assert_eq!(text(src, e.span), "'a${b}c${'n${d}'}e'");

    let e = var_value(r"var s = 'it\'s \\ \n \$ \${x} \u{41}'");
    let ExprKind::String(s) = &e.kind else {
        panic!("string")
    };
    assert_eq!(s.as_literal(), Some("it's \\ \n $ ${x} A"));

    let e = var_value("var s = '''\nline 'one'\n${no} \\n\n'''\n");
    let ExprKind::String(s) = &e.kind else {
        panic!("string")
    };
    assert!(s.multiline);
    assert_eq!(s.as_literal(), Some("line 'one'\n${no} \\n\n"));

    let e = var_value("var s = 'obj ${ {a: 1}.a } end'\n");
    let ExprKind::String(s) = &e.kind else {
        panic!("string")
    };
    assert_eq!(s.exprs.len(), 1);
    assert!(matches!(s.exprs[0].kind, ExprKind::Member { .. }));
}

#[test]
fn comments_and_directives_are_collected() {
    let src = "// idlint-ignore rule-x\n#disable-next-line no-unused-params\nparam p string /* trailing */\n/* multi\nline */\nvar v = 1 // end\n";
    let file = parse_ok(src);
    assert_eq!(file.statements.len(), 2);
    let got: Vec<(CommentKind, &str)> = file
        .comments
        .iter()
        .map(|c| (c.kind, text(src, c.span)))
        .collect();
    assert_eq!(
        got,
        vec![
            (CommentKind::Line, "// idlint-ignore rule-x"),
            (
                CommentKind::Directive,
                "#disable-next-line no-unused-params"
            ),
            (CommentKind::Block, "/* trailing */"),
            (CommentKind::Block, "/* multi\nline */"),
            (CommentKind::Line, "// end"),
        ]
    );
}

#[test]
fn types() {
    let src = "\
type union = 'a' | 'b'
type multi =
  | 'x'
  | 'y'
type obj = {
  @description('d')
  a: string
  b?: int
  'c-d': string[]
  *: bool
}
type tup = [string, int?]
param p resourceInput<'Microsoft.X/y@2024-01-01'>.properties
param q resourceOutput<'Microsoft.X/y@2024-01-01'>
param n string?
param r int[]
param s types.myType
type e = obj.a
type i = tup[0]
type it = int[][*]
type neg = -1 | 2
param legacy resource 'Microsoft.X/y@2020-01-01'
";
    let file = parse_ok(src);
    let tys: Vec<&TypeExpr> = file
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Type { value, .. } => value,
            StatementKind::Param { ty: Some(ty), .. } => ty,
            other => panic!("type or param expected, got {other:?}"),
        })
        .collect();
    let TypeKind::Union(m) = &tys[0].kind else {
        panic!("union")
    };
    assert_eq!(m.len(), 2);
    let TypeKind::Union(m) = &tys[1].kind else {
        panic!("union")
    };
    assert_eq!(m.len(), 2);
    let TypeKind::Object(props) = &tys[2].kind else {
        panic!("object type")
    };
    assert_eq!(props.len(), 4);
    assert_eq!(props[0].decorators.len(), 1);
    assert!(props[1].optional && !props[0].optional);
    assert!(matches!(props[2].ty.kind, TypeKind::Array(_)));
    assert!(props[3].key.is_none());
    assert!(matches!(tys[3].kind, TypeKind::Tuple(ref t) if t.len() == 2));
    let TypeKind::Member { base, name } = &tys[4].kind else {
        panic!("member type")
    };
    assert_eq!(name.as_ref().map(|n| &*n.name), Some("properties"));
    let TypeKind::Generic { name, args } = &base.kind else {
        panic!("generic")
    };
    assert_eq!(&*name.name, "resourceInput");
    assert!(
        matches!(&args[0].kind, TypeKind::String(s) if &*s.value == "Microsoft.X/y@2024-01-01")
    );
    assert!(matches!(tys[5].kind, TypeKind::Generic { .. }));
    assert!(matches!(tys[6].kind, TypeKind::Nullable(_)));
    assert!(matches!(tys[7].kind, TypeKind::Array(_)));
    assert!(matches!(tys[8].kind, TypeKind::Member { .. }));
    assert!(matches!(
        tys[10].kind,
        TypeKind::Index { index: Some(0), .. }
    ));
    assert!(matches!(tys[11].kind, TypeKind::Index { index: None, .. }));
    let TypeKind::Union(m) = &tys[12].kind else {
        panic!("union")
    };
    assert!(matches!(
        m[0].kind,
        TypeKind::Int {
            value: 1,
            negative: true
        }
    ));
    assert!(matches!(tys[13].kind, TypeKind::Resource(_)));
}

#[test]
fn func_import_using_extension() {
    let src = "\
import {a, b as c} from 'x.bicep'
import * as ns from 'y.bicep'
import {
  d
  e
} from 'z.bicep'
func greet(name string, n int) string => 'hi ${name}'
extension microsoftGraphV1 as graph
extension 'br:mcr.microsoft.com/bicep/extensions/k8s:1.0' with {
  namespace: 'default'
} as k8s
extension bare
";
    let file = parse_ok(src);
    let StatementKind::Import(Import::Named { items, from }) = &file.statements[0].kind else {
        panic!("named import")
    };
    assert_eq!(&*from.value, "x.bicep");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].alias.as_ref().map(|a| &*a.name), Some("c"));
    assert_eq!(text(src, items[1].span), "b as c");
    assert!(matches!(
        &file.statements[1].kind,
        StatementKind::Import(Import::Wildcard { alias, .. }) if &*alias.name == "ns"
    ));
    assert!(matches!(
        &file.statements[2].kind,
        StatementKind::Import(Import::Named { items, .. }) if items.len() == 2
    ));
    let StatementKind::Func {
        params,
        return_type,
        body,
        ..
    } = &file.statements[3].kind
    else {
        panic!("func")
    };
    assert_eq!(params.len(), 2);
    assert_eq!(text(src, return_type.span), "string");
    assert!(matches!(body.kind, ExprKind::String(_)));
    assert!(matches!(
        &file.statements[4].kind,
        StatementKind::Extension { spec: ExtensionSpec::Name(n), alias: Some(a), .. }
            if &*n.name == "microsoftGraphV1" && &*a.name == "graph"
    ));
    assert!(matches!(
        &file.statements[5].kind,
        StatementKind::Extension {
            spec: ExtensionSpec::Path(_),
            config: Some(_),
            alias: Some(_)
        }
    ));
    assert!(matches!(
        &file.statements[6].kind,
        StatementKind::Extension {
            alias: None,
            config: None,
            ..
        }
    ));

    let params = parse_ok("using './main.bicep'\nparam p = 'v'\nparam q = {\n  a: 1\n}\n");
    assert!(matches!(
        &params.statements[0].kind,
        StatementKind::Using { path: Some(p), .. } if &*p.value == "./main.bicep"
    ));
    assert!(matches!(
        &params.statements[1].kind,
        StatementKind::Param {
            ty: None,
            default: Some(_),
            ..
        }
    ));
    let none = parse_ok("using none\n");
    assert!(matches!(
        none.statements[0].kind,
        StatementKind::Using { path: None, .. }
    ));
}

#[test]
fn bom_and_crlf() {
    let src = "\u{feff}param a string\r\nvar b = {\r\n  c: a\r\n}\r\n";
    let file = parse_ok(src);
    assert_eq!(file.statements.len(), 2);
    assert_eq!(text(src, file.statements[0].span), "param a string");
}

#[test]
fn error_recovery_continues_with_next_statement() {
    let src = "\
param a string
var ok = 1
var broken = (1 + 
var b = %%% 2
param after string
resource r 'A.B/c@2020-01-01' = {
  name: 'r'
  properties: %%%
  other: 1
}
output o string = after
";
    let file = parse(src);
    assert!(!file.errors.is_empty());
    assert!(file.errors.len() <= 4, "{:?}", file.errors);
    let first = &file.errors[0];
    assert_eq!(line_col(src, first.span.start).0, 3);
    let names: Vec<&str> = file
        .statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Param { name, .. } | StatementKind::Output { name, .. } => {
                Some(&*name.name)
            }
            StatementKind::Resource { name, .. } => Some(&*name.name),
            _ => None,
        })
        .collect();
    assert_eq!(names, vec!["a", "after", "r", "o"]);
    // The broken property does not lose the one after it.
    let r = file
        .statements
        .iter()
        .find_map(|s| match &s.kind {
            StatementKind::Resource { body, .. } => Some(body),
            _ => None,
        })
        .unwrap();
    let ExprKind::Object(items) = &r.kind else {
        panic!("object")
    };
    assert!(
        items
            .iter()
            .any(|i| matches!(i, ObjectItem::Property(p) if p.key.name() == Some("other")))
    );
}

#[test]
fn error_spans_point_at_offending_token() {
    let src = "param a string\nvar x = 1 +\nvar y = foo bar\n";
    let file = parse(src);
    let spans: Vec<&str> = file.errors.iter().map(|e| text(src, e.span)).collect();
    assert_eq!(spans, vec!["\n", "bar"], "{:?}", file.errors);
    assert_eq!(
        file.errors[0].message,
        "expected an expression, found line break"
    );
    let src = "var s = 'unterminated\nparam p string\n";
    let file = parse(src);
    assert_eq!(file.errors.len(), 1);
    assert_eq!(text(src, file.errors[0].span), "'unterminated");
    assert!(matches!(
        file.statements[1].kind,
        StatementKind::Param { .. }
    ));
    let file = parse("var s = 'bad \\q escape'\n");
    assert_eq!(file.errors.len(), 1);
    assert_eq!(file.errors[0].message, "invalid escape sequence");
}

#[test]
fn garbage_lines_yield_few_errors() {
    let src = "this is not bicep\n}}}}\n@@@\nparam ok string\n";
    let file = parse(src);
    assert!(
        !file.errors.is_empty() && file.errors.len() <= 3,
        "{:?}",
        file.errors
    );
    assert!(matches!(
        file.statements.last().unwrap().kind,
        StatementKind::Param { .. }
    ));
}

fn run_with_small_stack(f: impl FnOnce() + Send + 'static) {
    // Test threads have 2 MiB by default too; pin it so the bound is explicit.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_nesting_reports_error_without_overflow() {
    run_with_small_stack(|| {
        let n = 100_000;
        for (open, close) in [("[", "]"), ("(", ")"), ("{a:", "}"), ("!", ""), ("-", "")] {
            let src = format!(
                "var x = {}1{}\nparam after string\n",
                open.repeat(n),
                close.repeat(n)
            );
            let file = parse(&src);
            assert!(
                file.errors.iter().any(|e| e.message == "nesting too deep"),
                "{open}: {:?}",
                &file.errors[..file.errors.len().min(3)]
            );
            assert!(
                file.errors.len() < 10,
                "{open}: {} errors",
                file.errors.len()
            );
            assert!(matches!(
                file.statements.last().unwrap().kind,
                StatementKind::Param { .. }
            ));
        }
        for chain in ["a.b", "+1", "!", "[0]"] {
            let src = format!("var x = a{}\n", chain.repeat(100_000));
            let file = parse(&src);
            assert!(file.errors.iter().any(|e| e.message == "nesting too deep"));
        }
        let src = format!("var x = {}\n", "a ? b : ".repeat(100_000));
        assert!(!parse(&src).errors.is_empty());
        let src = format!("type t = {}string\n", "{a: ".repeat(100_000));
        assert!(!parse(&src).errors.is_empty());
        let src = format!("var x = '{}'\n", "${'".repeat(100_000));
        assert!(!parse(&src).errors.is_empty());
        // Moderate nesting is fine.
        let src = format!("var x = {}1{}\n", "[".repeat(50), "]".repeat(50));
        assert!(parse(&src).errors.is_empty());
    });
}

const SAMPLE: &str = r#"targetScope = 'resourceGroup'

import { roleAssignmentType } from 'br/public:avm/utl/types/avm-common-types:0.5.1'

@description('Name of the key vault.')
@minLength(3)
param name string
param location string = resourceGroup().location
@secure()
param secretValue string?
param roleAssignments roleAssignmentType[]?
param tags object = {}

var builtInRoles = {
  Owner: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657')
  'Key Vault Administrator': '00482a5a'
}
var formatted = map(roleAssignments ?? [], ra => union(ra, {
  roleDefinitionId: builtInRoles[?ra.roleDefinitionIdOrName] ?? ra.roleDefinitionIdOrName
}))

// idlint-ignore AZ-ID-001
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: { ...tags, owner: 'me' }
  properties: {
    enableRbacAuthorization: true
    accessPolicies: []
    sku: { family: 'A', name: 'standard' }
    tenantId: subscription().tenantId
  }
  resource secret 'secrets' = if (!empty(secretValue)) {
    name: 'secret'
    properties: {
      value: secretValue!
    }
  }
}

#disable-next-line use-recent-api-versions
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (r, i) in (formatted ?? []): {
  name: guid(kv.id, r.principalId, '${i}')
  scope: kv
  properties: {
    principalId: r.principalId
    roleDefinitionId: contains(r.roleDefinitionId, '/') ? r.roleDefinitionId : subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      r.roleDefinitionId
    )
    description: r.?description
  }
}]

output uri string = kv.properties.vaultUri
output secretUri string? = kv::secret.?properties.secretUri
output msg string = '''
multi ${line}
'''
"#;

#[test]
fn realistic_sample_parses_cleanly() {
    let file = parse_ok(SAMPLE);
    assert_eq!(file.statements.len(), 14);
    assert_eq!(file.comments.len(), 2);
}

#[test]
fn every_prefix_of_sample_parses_without_panic() {
    for end in (0..=SAMPLE.len()).filter(|&i| SAMPLE.is_char_boundary(i)) {
        let prefix = &SAMPLE[..end];
        let file = parse(prefix);
        for e in &file.errors {
            assert!(e.span.start <= e.span.end && e.span.end as usize <= prefix.len());
        }
        assert!(
            file.errors.len() < 20,
            "{} errors at prefix {end}",
            file.errors.len()
        );
    }
}

#[test]
fn arbitrary_bytes_do_not_panic() {
    // Deterministic xorshift so failures reproduce.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let alphabet = b"{}[]()'$\\:.?!=<>|&,@#/*\n\r\t abcx19-+\xff";
    for _ in 0..2000 {
        let mut bytes = Vec::new();
        for _ in 0..64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let src = String::from_utf8_lossy(&bytes);
        let file = parse(&src);
        for e in &file.errors {
            assert!(e.span.end as usize <= src.len());
        }
    }
    // Also mutate the sample: replace one byte at a time.
    let bytes = SAMPLE.as_bytes();
    for i in (0..bytes.len()).step_by(7) {
        let mut b = bytes.to_vec();
        b[i] = alphabet[i % alphabet.len()];
        parse(&String::from_utf8_lossy(&b));
    }
}

/// Repetitive garbage must stay linear and produce a handful of errors, not one per repeat.
#[test]
fn pathological_inputs_yield_few_errors() {
    let patterns = [
        "((((",
        "'${",
        "[for x in ",
        "@",
        "{\n",
        "a ? ",
        "(a, ",
        "x.",
        "resource r 'a' = {\n",
        "'\\u{",
        "/*",
        "'''",
        "}\n",
        "@a\n",
        "func f(",
        "import {",
        "type t = {\n",
        "\u{fffd}",
        "{\n  a: [{\n b: 'x${c(d)}'",
        "[for x in y: if (z) ",
        "x => ",
        "a[",
    ];
    for p in patterns {
        let src = format!("var x = {}", p.repeat(200_000 / p.len()));
        let file = parse(&src);
        assert!(
            file.errors.len() <= 3,
            "{p:?}: {:?}",
            &file.errors[..file.errors.len().min(5)]
        );
    }
}

#[test]
fn syntax_errors_do_not_quote_strings() {
    // Messages are printed unmasked; a string in the way may be a credential.
    let f = parse(
        "param 'Sup3rS3cretValue!' string\nvar x = 'a' 'Other5ecret!'\noutput o string = {\n  key 'Third5ecret!'\n}\n",
    );
    assert!(f.errors.len() >= 2, "{:?}", f.errors);
    for e in &f.errors {
        assert!(!e.message.contains("ecret"), "{}", e.message);
    }
    assert!(
        f.errors.iter().any(|e| e.message.contains("a string")),
        "{:?}",
        f.errors
    );
}
