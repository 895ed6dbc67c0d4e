//! Partial evaluation of Terraform expressions (hcl-edit syntax) into model [`Node`]s.
//!
//! References (`var.x`, `local.y`, `azurerm_x.y.id`, `module.m.out`, `data.t.n.attr`) are
//! handed to a [`TfEnv`]; everything else (literals, templates, operators, the common
//! functions) is evaluated here. What cannot be known becomes `Unknown` or a hole.

use crate::lower::eval::{from_json, to_pstr};
use crate::model::value::SecretOrigin;
use crate::model::{Node, PStr, Prop, Provenance, Val};
use crate::source::{FileId, Span};
use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Element, Template};

/// Expressions nested deeper than this are not evaluated.
const MAX_DEPTH: usize = 128;

/// One step of a traversal after its root name.
#[derive(Clone, Debug)]
pub enum Step {
    Attr(String),
    Index(Node),
    Splat,
}

/// What the evaluator asks of the module instance it evaluates in.
pub trait TfEnv {
    /// Resolve `root` followed by `steps` (a reference). `span` covers the whole reference.
    fn reference(&self, root: &str, steps: &[Step], span: Span, depth: usize) -> Node;
}

pub struct Ev<'a> {
    pub file: FileId,
    pub env: &'a dyn TfEnv,
}

pub fn span_of(file: FileId, s: Option<std::ops::Range<usize>>, fallback: Span) -> Span {
    match s {
        Some(r) => Span::new(file, r.start, r.end),
        None => fallback,
    }
}

fn computed(val: Val, span: Span) -> Node {
    Node::new(val, span, Provenance::Computed)
}

/// The weakest provenance of the inputs: any computed input makes the result computed.
pub fn combine_prov<'n>(nodes: impl IntoIterator<Item = &'n Node>) -> Provenance {
    let mut out = Provenance::Literal;
    for n in nodes {
        match n.prov {
            Provenance::Computed => return Provenance::Computed,
            Provenance::Default | Provenance::ParameterFile => out = n.prov,
            Provenance::Literal => {}
        }
    }
    out
}

fn secret_in<'n>(nodes: impl IntoIterator<Item = &'n Node>) -> Option<SecretOrigin> {
    nodes.into_iter().find_map(|n| match &n.val {
        Val::Secret(o) => Some(o.clone()),
        _ => None,
    })
}

/// Re-tag a value and everything below it with `prov` (variable defaults, tfvars values).
pub fn with_prov(mut node: Node, prov: Provenance) -> Node {
    fn go(n: &mut Node, prov: Provenance, depth: usize) {
        if n.prov == Provenance::Literal {
            n.prov = prov;
        }
        if depth > MAX_DEPTH {
            return;
        }
        match &mut n.val {
            Val::Array(items) => items.iter_mut().for_each(|i| go(i, prov, depth + 1)),
            Val::Object(props) => props.iter_mut().for_each(|p| {
                go(&mut p.key, prov, depth + 1);
                go(&mut p.value, prov, depth + 1)
            }),
            _ => {}
        }
    }
    go(&mut node, prov, 0);
    node
}

impl Ev<'_> {
    pub fn span(&self, e: &Expression, fallback: Span) -> Span {
        span_of(self.file, e.span(), fallback)
    }

    pub fn eval(&self, e: &Expression, fallback: Span) -> Node {
        self.eval_d(e, fallback, 0)
    }

    pub fn eval_d(&self, e: &Expression, fallback: Span, depth: usize) -> Node {
        let span = self.span(e, fallback);
        if depth > MAX_DEPTH {
            return Node::unknown("expression nested too deeply", span);
        }
        let ev = |x: &Expression| self.eval_d(x, span, depth + 1);
        match e {
            Expression::Null(_) => Node::new(Val::Null, span, Provenance::Literal),
            Expression::Bool(b) => Node::new(Val::Bool(*b.value()), span, Provenance::Literal),
            Expression::Number(n) => match n.value().as_i64() {
                Some(i) => Node::new(Val::Int(i), span, Provenance::Literal),
                None => Node::new(
                    Val::Str(PStr::lit(n.value().to_string())),
                    span,
                    Provenance::Literal,
                ),
            },
            Expression::String(s) => Node::lit_str(s.value().clone(), span),
            Expression::Array(a) => {
                let items = a.iter().map(ev).collect();
                Node::new(Val::Array(items), span, Provenance::Literal)
            }
            Expression::Object(o) => {
                let props = o
                    .iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(id) => {
                                Node::lit_str(id.as_str(), span_of(self.file, id.span(), span))
                            }
                            ObjectKey::Expression(x) => match x {
                                // `(var.x)` or `"${...}"` keys are evaluated; a bare
                                // identifier is the key itself.
                                Expression::Variable(id) => {
                                    Node::lit_str(id.as_str(), span_of(self.file, id.span(), span))
                                }
                                _ => ev(x),
                            },
                        };
                        Prop {
                            key,
                            value: ev(v.expr()),
                        }
                    })
                    .collect();
                Node::new(Val::Object(props), span, Provenance::Literal)
            }
            Expression::StringTemplate(t) => self.template(t, span, depth),
            Expression::HeredocTemplate(h) => self.template(&h.template, span, depth),
            Expression::Parenthesis(p) => ev(p.inner()),
            Expression::Variable(v) => self.env.reference(v.as_str(), &[], span, depth + 1),
            Expression::Conditional(c) => {
                let cond = ev(&c.cond_expr);
                match cond.as_bool() {
                    Some(true) => ev(&c.true_expr),
                    Some(false) => ev(&c.false_expr),
                    None => {
                        let (a, b) = (ev(&c.true_expr), ev(&c.false_expr));
                        if a.val == b.val {
                            a
                        } else if let Some(o) = secret_in([&a, &b]) {
                            computed(Val::Secret(o), span)
                        } else {
                            Node::unknown("a condition known only at apply time", span)
                        }
                    }
                }
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str().to_ascii_lowercase();
                let args: Vec<&Expression> = f.args.iter().collect();
                self.call(&name, &args, span, depth)
            }
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, span, depth),
            Expression::UnaryOp(u) => {
                let v = ev(&u.expr);
                match (u.operator.value(), &v.val) {
                    (UnaryOperator::Not, _) => match v.as_bool() {
                        Some(b) => computed(Val::Bool(!b), span),
                        None => Node::unknown("a condition known only at apply time", span),
                    },
                    (UnaryOperator::Neg, Val::Int(i)) => {
                        Node::new(Val::Int(i.wrapping_neg()), span, v.prov)
                    }
                    _ => Node::unknown("arithmetic on a computed value", span),
                }
            }
            Expression::BinaryOp(b) => {
                let l = ev(&b.lhs_expr);
                let r = ev(&b.rhs_expr);
                binary(*b.operator.value(), l, r, span)
            }
            Expression::ForExpr(_) => Node::unknown("a for expression is not evaluated", span),
        }
    }

    fn template(&self, t: &Template, span: Span, depth: usize) -> Node {
        let mut nodes = Vec::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => nodes.push(Node::lit_str(
                    l.value().clone(),
                    span_of(self.file, l.span(), span),
                )),
                Element::Interpolation(i) => nodes.push(self.eval_d(&i.expr, span, depth + 1)),
                Element::Directive(_) => {
                    nodes.push(Node::unknown("a template directive is not evaluated", span))
                }
            }
        }
        if nodes.len() == 1 {
            let only = nodes.pop().unwrap_or_else(|| Node::lit_str("", span));
            if !matches!(only.val, Val::Str(_)) {
                return only;
            }
            // A plain quoted string: the node covers the quotes.
            return Node::new(only.val, span, only.prov);
        }
        if let Some(o) = secret_in(&nodes) {
            return computed(Val::Secret(o), span);
        }
        let prov = combine_prov(&nodes);
        Node::new(
            Val::Str(PStr::concat(nodes.iter().map(to_pstr))),
            span,
            prov,
        )
    }

    fn traversal(
        &self,
        base: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        span: Span,
        depth: usize,
    ) -> Node {
        let steps: Vec<Step> = ops
            .iter()
            .map(|op| match op.value() {
                TraversalOperator::GetAttr(id) => Step::Attr(id.as_str().to_owned()),
                TraversalOperator::Index(x) => Step::Index(self.eval_d(x, span, depth + 1)),
                TraversalOperator::LegacyIndex(i) => Step::Index(Node::new(
                    Val::Int(*i.value() as i64),
                    span,
                    Provenance::Literal,
                )),
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => Step::Splat,
            })
            .collect();
        match base {
            Expression::Variable(v) => self.env.reference(v.as_str(), &steps, span, depth + 1),
            other => {
                let b = self.eval_d(other, span, depth + 1);
                apply_steps(b, &steps, span)
            }
        }
    }

    fn call(&self, name: &str, arg_exprs: &[&Expression], span: Span, depth: usize) -> Node {
        let ev = |x: &Expression| self.eval_d(x, span, depth + 1);
        // `try` and `can` swallow errors: the first argument that evaluates is the value.
        if name == "try" {
            return match arg_exprs.first() {
                Some(a) => {
                    let v = ev(a);
                    if v.is_unknown() {
                        Node::unknown("try() of a value known only at apply time", span)
                    } else {
                        v
                    }
                }
                None => Node::unknown("try()", span),
            };
        }
        let args: Vec<Node> = arg_exprs.iter().map(|a| ev(a)).collect();
        call(name, args, span)
    }
}

/// Apply traversal steps to an evaluated value.
pub fn apply_steps(mut node: Node, steps: &[Step], span: Span) -> Node {
    for (i, step) in steps.iter().enumerate() {
        node = match (step, &node.val) {
            (_, Val::Secret(o)) => computed(Val::Secret(o.clone()), span),
            (Step::Attr(name), Val::Object(_)) => match node.get(name) {
                Some(v) => v.clone(),
                None => Node::unknown(format!("attribute '{name}' is not known"), span),
            },
            (Step::Index(ix), Val::Array(items)) => match &ix.val {
                Val::Int(n) if *n >= 0 && (*n as usize) < items.len() => items[*n as usize].clone(),
                _ => Node::unknown("an element known only at apply time", span),
            },
            (Step::Index(ix), Val::Object(_)) => match ix.as_known_str() {
                Some(k) => match node.get(k) {
                    Some(v) => v.clone(),
                    None => Node::unknown(format!("key '{k}' is not known"), span),
                },
                None => Node::unknown("an element known only at apply time", span),
            },
            (Step::Splat, Val::Array(items)) => {
                let rest = &steps[i + 1..];
                let mapped = items
                    .iter()
                    .map(|it| apply_steps(it.clone(), rest, span))
                    .collect();
                return Node::new(Val::Array(mapped), span, node.prov);
            }
            (Step::Splat, _) => continue,
            (_, Val::Attr { .. }) => Node::unknown("a value known only at apply time", span),
            _ => Node::unknown("a value known only at apply time", span),
        };
    }
    node
}

fn binary(op: BinaryOperator, l: Node, r: Node, span: Span) -> Node {
    use BinaryOperator as B;
    let prov = combine_prov([&l, &r]);
    match op {
        B::And => match (l.as_bool(), r.as_bool()) {
            (Some(false), _) | (_, Some(false)) => computed(Val::Bool(false), span),
            (Some(true), Some(true)) => computed(Val::Bool(true), span),
            _ => Node::unknown("a condition known only at apply time", span),
        },
        B::Or => match (l.as_bool(), r.as_bool()) {
            (Some(true), _) | (_, Some(true)) => computed(Val::Bool(true), span),
            (Some(false), Some(false)) => computed(Val::Bool(false), span),
            _ => Node::unknown("a condition known only at apply time", span),
        },
        B::Eq | B::NotEq => match equal(&l, &r) {
            Some(eq) => computed(Val::Bool(eq == (op == B::Eq)), span),
            None => Node::unknown("a comparison known only at apply time", span),
        },
        _ => match (&l.val, &r.val) {
            (Val::Int(a), Val::Int(b)) => {
                let v = match op {
                    B::Plus => a.checked_add(*b),
                    B::Minus => a.checked_sub(*b),
                    B::Mul => a.checked_mul(*b),
                    B::Div => a.checked_div(*b),
                    B::Mod => a.checked_rem(*b),
                    B::Less => return computed(Val::Bool(a < b), span),
                    B::LessEq => return computed(Val::Bool(a <= b), span),
                    B::Greater => return computed(Val::Bool(a > b), span),
                    B::GreaterEq => return computed(Val::Bool(a >= b), span),
                    _ => None,
                };
                match v {
                    Some(v) => Node::new(Val::Int(v), span, prov),
                    None => Node::unknown("arithmetic overflow", span),
                }
            }
            _ => Node::unknown("arithmetic on a computed value", span),
        },
    }
}

fn equal(a: &Node, b: &Node) -> Option<bool> {
    use crate::model::Match;
    match (&a.val, &b.val) {
        (Val::Str(x), Val::Str(y)) => match x.compare(y) {
            Match::Yes => Some(true),
            Match::No => Some(false),
            Match::Maybe => None,
        },
        (Val::Int(x), Val::Int(y)) => Some(x == y),
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Null, Val::Null) => Some(true),
        (Val::Null, Val::Str(_) | Val::Int(_) | Val::Bool(_))
        | (Val::Str(_) | Val::Int(_) | Val::Bool(_), Val::Null) => Some(false),
        _ => None,
    }
}

fn str_node(p: PStr, span: Span, prov: Provenance) -> Node {
    Node::new(Val::Str(p), span, prov)
}

fn map_known_str(args: &[Node], span: Span, what: &str, f: impl Fn(&str) -> String) -> Node {
    match args.first().map(|a| &a.val) {
        Some(Val::Str(p)) => {
            let mut out = PStr::default();
            for seg in &p.0 {
                match seg {
                    crate::model::Seg::Lit(s) => out.push_str(&f(s)),
                    hole => out.0.push(hole.clone()),
                }
            }
            str_node(out, span, combine_prov(args))
        }
        Some(Val::Secret(o)) => computed(Val::Secret(o.clone()), span),
        _ => Node::unknown(format!("{what}() of a computed value"), span),
    }
}

/// Terraform's built-in functions over evaluated arguments.
pub fn call(name: &str, args: Vec<Node>, span: Span) -> Node {
    let prov = combine_prov(&args);
    match name {
        "lower" => map_known_str(&args, span, name, |s| s.to_lowercase()),
        "upper" => map_known_str(&args, span, name, |s| s.to_uppercase()),
        "trimspace" => match args.first().and_then(|a| a.as_known_str()) {
            Some(s) => str_node(PStr::lit(s.trim()), span, prov),
            None => Node::unknown("trimspace() of a computed value", span),
        },
        "tostring" | "sensitive" | "nonsensitive" | "tolist" | "toset" | "tomap"
        | "ephemeralasnull" => match args.into_iter().next() {
            Some(a) if name == "tostring" && matches!(a.val, Val::Int(_) | Val::Bool(_)) => {
                str_node(to_pstr(&a), span, a.prov)
            }
            Some(a) => a,
            None => Node::unknown(format!("{name}()"), span),
        },
        "format" => {
            if let Some(o) = secret_in(&args) {
                return computed(Val::Secret(o), span);
            }
            match args.first().and_then(|a| a.as_known_str()) {
                Some(fmt) => str_node(format_pstr(fmt, &args[1..]), span, prov),
                None => Node::unknown("format() with a computed format string", span),
            }
        }
        "join" => match (args.first().and_then(|a| a.as_known_str()), args.get(1)) {
            (Some(sep), Some(list)) => {
                if let Some(o) = secret_in(&args) {
                    return computed(Val::Secret(o), span);
                }
                let mut items: Vec<&Node> = Vec::new();
                for l in &args[1..] {
                    match &l.val {
                        Val::Array(xs) => items.extend(xs.iter()),
                        _ => return Node::unknown("join() of a computed list", span),
                    }
                }
                let _ = list;
                let mut out = PStr::default();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    out.push(&to_pstr(item));
                }
                str_node(out, span, combine_prov(items.iter().copied()))
            }
            _ => Node::unknown("join() of computed values", span),
        },
        "concat" => {
            let mut items = Vec::new();
            for a in &args {
                match &a.val {
                    Val::Array(xs) => items.extend(xs.iter().cloned()),
                    _ => return Node::unknown("concat() of a computed list", span),
                }
            }
            computed(Val::Array(items), span)
        }
        "flatten" => {
            let mut items = Vec::new();
            fn flat(n: &Node, out: &mut Vec<Node>, depth: usize) -> bool {
                match &n.val {
                    Val::Array(xs) if depth < 32 => xs.iter().all(|x| flat(x, out, depth + 1)),
                    Val::Array(_) | Val::Unknown(_) => false,
                    _ => {
                        out.push(n.clone());
                        true
                    }
                }
            }
            match args.first() {
                Some(a) if matches!(a.val, Val::Array(_)) && flat(a, &mut items, 0) => {
                    computed(Val::Array(items), span)
                }
                _ => Node::unknown("flatten() of a computed list", span),
            }
        }
        "merge" => {
            let mut props: Vec<Prop> = Vec::new();
            for a in &args {
                match &a.val {
                    Val::Object(ps) => {
                        for p in ps {
                            if let Some(k) = p.key.as_known_str() {
                                props.retain(|q| q.key.as_known_str() != Some(k));
                            }
                            props.push(p.clone());
                        }
                    }
                    Val::Null => {}
                    _ => return Node::unknown("merge() of a computed map", span),
                }
            }
            computed(Val::Object(props), span)
        }
        "coalesce" => {
            for a in args {
                match &a.val {
                    Val::Null => continue,
                    Val::Str(p) if p.known() == Some("") => continue,
                    Val::Unknown(_) => {
                        return Node::unknown(
                            "coalesce() of a value known only at apply time",
                            span,
                        );
                    }
                    _ => return a,
                }
            }
            Node::unknown("coalesce() with no value", span)
        }
        "lookup" => match (args.first(), args.get(1).and_then(|k| k.as_known_str())) {
            (Some(m), Some(k)) if matches!(m.val, Val::Object(_)) => match m.get(k) {
                Some(v) => v.clone(),
                None if m.has_unknown_keys() => Node::unknown("lookup() of a computed key", span),
                None => args
                    .get(2)
                    .cloned()
                    .unwrap_or_else(|| Node::unknown(format!("no key '{k}'"), span)),
            },
            _ => Node::unknown("lookup() of computed values", span),
        },
        "element" => match (args.first().map(|a| &a.val), args.get(1).map(|a| &a.val)) {
            (Some(Val::Array(items)), Some(Val::Int(i))) if !items.is_empty() && *i >= 0 => {
                items[(*i as usize) % items.len()].clone()
            }
            _ => Node::unknown("element() with an index known only at apply time", span),
        },
        "length" => match args.first().map(|a| &a.val) {
            Some(Val::Array(items)) => computed(Val::Int(items.len() as i64), span),
            Some(Val::Object(ps)) => computed(Val::Int(ps.len() as i64), span),
            Some(Val::Str(p)) if p.is_known() => computed(
                Val::Int(p.known().unwrap_or("").chars().count() as i64),
                span,
            ),
            _ => Node::unknown("length() of a computed value", span),
        },
        "replace" => match (
            args.first().and_then(|a| a.as_known_str()),
            args.get(1).and_then(|a| a.as_known_str()),
            args.get(2).and_then(|a| a.as_known_str()),
        ) {
            (Some(s), Some(from), Some(to)) if !from.is_empty() && !from.starts_with('/') => {
                str_node(PStr::lit(s.replace(from, to)), span, prov)
            }
            _ => Node::unknown("replace() of a computed value", span),
        },
        "split" => match (
            args.first().and_then(|a| a.as_known_str()),
            args.get(1).and_then(|a| a.as_known_str()),
        ) {
            (Some(sep), Some(s)) if !sep.is_empty() => computed(
                Val::Array(
                    s.split(sep)
                        .map(|p| Node::new(Val::Str(PStr::lit(p)), span, prov))
                        .collect(),
                ),
                span,
            ),
            _ => Node::unknown("split() of a computed value", span),
        },
        "keys" | "values" => match args.first() {
            Some(m) if matches!(m.val, Val::Object(_)) => computed(
                Val::Array(
                    m.props()
                        .iter()
                        .map(|p| {
                            if name == "keys" {
                                p.key.clone()
                            } else {
                                p.value.clone()
                            }
                        })
                        .collect(),
                ),
                span,
            ),
            _ => Node::unknown(format!("{name}() of a computed map"), span),
        },
        "contains" => match (args.first(), args.get(1)) {
            (Some(c), Some(item)) => match &c.val {
                Val::Array(items) => {
                    let r: Vec<Option<bool>> = items.iter().map(|i| equal(i, item)).collect();
                    if r.contains(&Some(true)) {
                        computed(Val::Bool(true), span)
                    } else if r.iter().all(|x| *x == Some(false)) {
                        computed(Val::Bool(false), span)
                    } else {
                        Node::unknown("contains() of computed values", span)
                    }
                }
                _ => Node::unknown("contains() of a computed list", span),
            },
            _ => Node::unknown("contains()", span),
        },
        "jsonencode" => match to_json(args.first(), 0) {
            Some(v) => str_node(PStr::lit(v.to_string()), span, prov),
            None => match secret_in(&args) {
                Some(o) => computed(Val::Secret(o), span),
                None => Node::unknown("jsonencode() of a value known only at apply time", span),
            },
        },
        "jsondecode" => match args.first().and_then(|a| a.as_known_str()) {
            Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(v) => with_prov(from_json(&v, span), prov),
                Err(_) => Node::unknown("jsondecode() of invalid JSON", span),
            },
            None => Node::unknown("jsondecode() of a computed value", span),
        },
        "startswith" | "endswith" => match (
            args.first().and_then(|a| a.as_known_str()),
            args.get(1).and_then(|a| a.as_known_str()),
        ) {
            (Some(s), Some(x)) => computed(
                Val::Bool(if name == "startswith" {
                    s.starts_with(x)
                } else {
                    s.ends_with(x)
                }),
                span,
            ),
            _ => Node::unknown(format!("{name}() of a computed value"), span),
        },
        "can" => Node::unknown("can() is not evaluated", span),
        _ => Node::unknown(format!("{name}() is not evaluated"), span),
    }
}

/// A fully known value as JSON; `None` when any part is unknown.
pub fn to_json(node: Option<&Node>, depth: usize) -> Option<serde_json::Value> {
    let node = node?;
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match &node.val {
        Val::Null => serde_json::Value::Null,
        Val::Bool(b) => serde_json::Value::Bool(*b),
        Val::Int(i) => serde_json::Value::from(*i),
        Val::Str(p) => serde_json::Value::String(p.known()?.to_owned()),
        Val::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|i| to_json(Some(i), depth + 1))
                .collect::<Option<_>>()?,
        ),
        Val::Object(props) => {
            let mut map = serde_json::Map::new();
            for p in props {
                map.insert(
                    p.key.as_known_str()?.to_owned(),
                    to_json(Some(&p.value), depth + 1)?,
                );
            }
            serde_json::Value::Object(map)
        }
        _ => return None,
    })
}

/// `format("%s-%s", a, b)`: `%s`, `%d`, `%v` and friends take the next argument; `%%` is `%`.
fn format_pstr(fmt: &str, args: &[Node]) -> PStr {
    let mut out = PStr::default();
    let mut next = 0usize;
    let mut chars = fmt.char_indices().peekable();
    let mut lit = String::new();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        if chars.peek().map(|(_, c)| *c) == Some('%') {
            chars.next();
            lit.push('%');
            continue;
        }
        // Skip flags, width and precision up to the verb.
        while let Some((_, c)) = chars.peek() {
            if c.is_ascii_alphabetic() {
                break;
            }
            chars.next();
        }
        chars.next();
        out.push_str(&lit);
        lit.clear();
        match args.get(next) {
            Some(a) => out.push(&to_pstr(a)),
            None => out.push(&PStr::hole("a missing format argument", None)),
        }
        next += 1;
    }
    out.push_str(&lit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_verbs() {
        let s = Span::default();
        let p = format_pstr(
            "%s-%d%%x",
            &[
                Node::lit_str("a", s),
                Node::new(Val::Int(3), s, Provenance::Literal),
            ],
        );
        assert_eq!(p.known(), Some("a-3%x"));
    }
}
