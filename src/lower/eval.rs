//! Partial evaluation of template expressions, shared by ARM and Bicep.
//!
//! Both front ends parse their expression syntax into [`Expr`]; one evaluator gives both the
//! same functions and the same Unknown semantics. What cannot be known before deployment
//! becomes `Unknown(reason)` or a hole in a [`PStr`], never a guess.

use crate::model::value::SecretOrigin;
use crate::model::{Attr, Node, PStr, Prop, Provenance, ResourceLink, ResourceView, Val};
use crate::source::Span;
use std::sync::Arc;

/// A template expression.
#[derive(Clone, Debug)]
pub enum Expr {
    Str(String, Span),
    Int(i64, Span),
    Bool(bool, Span),
    Null(Span),
    /// A function call; `name` is lowercase without namespace (`az.`, `sys.`).
    Call {
        name: String,
        args: Vec<Expr>,
        span: Span,
    },
    /// A method on a value (`kv.getSecret('x')`, `stg.listKeys()`).
    MethodCall {
        base: Box<Expr>,
        name: String,
        args: Vec<Expr>,
        span: Span,
    },
    Member {
        base: Box<Expr>,
        name: String,
        span: Span,
    },
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
    /// A Bicep symbol (parameter, variable, resource, module, loop variable).
    Symbol(String, Span),
    /// String interpolation: the parts are concatenated.
    Interp(Vec<Expr>, Span),
    Array(Vec<Expr>, Span),
    Object(Vec<(Expr, Expr)>, Span),
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    Not(Box<Expr>, Span),
    /// An already evaluated value.
    Value(Node),
    /// Syntax the evaluator does not model (lambdas, loops inside expressions…).
    Opaque(&'static str, Span),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    Ne,
    And,
    Or,
    Coalesce,
    Other,
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Str(_, s)
            | Expr::Int(_, s)
            | Expr::Bool(_, s)
            | Expr::Null(s)
            | Expr::Symbol(_, s)
            | Expr::Interp(_, s)
            | Expr::Array(_, s)
            | Expr::Object(_, s)
            | Expr::Not(_, s)
            | Expr::Opaque(_, s) => *s,
            Expr::Call { span, .. }
            | Expr::MethodCall { span, .. }
            | Expr::Member { span, .. }
            | Expr::Index { span, .. }
            | Expr::Ternary { span, .. }
            | Expr::Binary { span, .. } => *span,
            Expr::Value(n) => n.span,
        }
    }
}

/// Where a template deploys: ids built by `resourceId()` and friends start from here.
#[derive(Clone, Debug)]
pub struct Deployment {
    pub level: DeployLevel,
    pub subscription: PStr,
    pub resource_group: PStr,
    pub management_group: PStr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeployLevel {
    Tenant,
    ManagementGroup,
    Subscription,
    ResourceGroup,
}

impl Deployment {
    /// A deployment of `unit`. Its unknown subscription, resource group and management group
    /// are the same unknowns everywhere in that unit (so ids built in different places of one
    /// template compare equal) but not across units, which may deploy anywhere.
    pub fn new(level: DeployLevel, unit: &str) -> Self {
        let symbol = |what: &str| -> Option<Arc<str>> { Some(format!("{unit}#{what}").into()) };
        Deployment {
            level,
            subscription: PStr::hole("the deployment's subscription", symbol("subscription")),
            resource_group: PStr::hole("the deployment's resource group", symbol("resourceGroup")),
            management_group: PStr::hole(
                "the deployment's management group",
                symbol("managementGroup"),
            ),
        }
    }

    /// The scope string of the deployment itself.
    pub fn scope_id(&self) -> PStr {
        match self.level {
            DeployLevel::Tenant => PStr::lit("/"),
            DeployLevel::ManagementGroup => PStr::concat([
                PStr::lit("/providers/Microsoft.Management/managementGroups/"),
                self.management_group.clone(),
            ]),
            DeployLevel::Subscription => self.subscription_id(),
            DeployLevel::ResourceGroup => self.resource_group_id(),
        }
    }

    pub fn subscription_id(&self) -> PStr {
        PStr::concat([PStr::lit("/subscriptions/"), self.subscription.clone()])
    }

    pub fn resource_group_id(&self) -> PStr {
        PStr::concat([
            self.subscription_id(),
            PStr::lit("/resourceGroups/"),
            self.resource_group.clone(),
        ])
    }
}

/// What the evaluator asks of the template it evaluates in.
pub trait Env {
    fn parameter(&self, name: &str, span: Span) -> Node;
    fn variable(&self, name: &str, span: Span) -> Node;
    /// A Bicep symbol; ARM has none.
    fn symbol(&self, name: &str, span: Span) -> Node {
        Node::unknown(format!("unknown symbol '{name}'"), span)
    }
    fn deployment(&self) -> &Deployment;
    /// The unit that names resolve in (for `reference('name')`).
    fn unit(&self) -> Arc<str>;
}

/// Nodes deeper than this are not evaluated (hostile inputs nest without bound).
const MAX_DEPTH: usize = 200;

pub fn eval(expr: &Expr, env: &dyn Env) -> Node {
    eval_depth(expr, env, 0)
}

fn combine_prov<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Provenance {
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

/// The value of a parameter nothing supplies and that has no default. A string is a hole
/// named by `key` (the parameter name as the format compares it), so that two uses of it
/// compare equal within the unit.
pub fn unsupplied_parameter(
    unit: &str,
    name: &str,
    key: &str,
    is_string: bool,
    span: Span,
) -> Node {
    let reason = format!("parameter '{name}' has no value here");
    if is_string {
        Node::new(
            Val::Str(PStr::hole(
                reason,
                Some(format!("{unit}:param:{key}").into()),
            )),
            span,
            Provenance::Computed,
        )
    } else {
        Node::unknown(reason, span)
    }
}

/// A value as a string piece: strings as they are, numbers and booleans printed, links and
/// unknowns as holes.
pub fn to_pstr(node: &Node) -> PStr {
    match &node.val {
        Val::Str(p) => p.clone(),
        Val::Int(i) => PStr::lit(i.to_string()),
        Val::Bool(b) => PStr::lit(b.to_string()),
        Val::Null => PStr::default(),
        Val::Attr { link, attr } => {
            let symbol = match link {
                ResourceLink::Symbol { unit, name } => format!("{unit}:{name}.{attr:?}"),
                ResourceLink::Id(id) => format!("{}.{attr:?}", id.display()),
            };
            PStr::hole("a value known only at deployment", Some(symbol.into()))
        }
        Val::Unknown(reason) => PStr::hole(reason.clone(), None),
        _ => PStr::hole("a value that is not a string", None),
    }
}

fn str_node(p: PStr, span: Span, prov: Provenance) -> Node {
    Node::new(Val::Str(p), span, prov)
}

fn secret_in<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Option<SecretOrigin> {
    nodes.into_iter().find_map(|n| match &n.val {
        Val::Secret(o) => Some(o.clone()),
        Val::OneOf(options) => secret_in(options),
        _ => None,
    })
}

fn eval_depth(expr: &Expr, env: &dyn Env, depth: usize) -> Node {
    if depth > MAX_DEPTH {
        return Node::unknown("expression nested too deeply", expr.span());
    }
    let ev = |e: &Expr| eval_depth(e, env, depth + 1);
    match expr {
        Expr::Str(s, span) => Node::lit_str(s.clone(), *span),
        Expr::Int(i, span) => Node::new(Val::Int(*i), *span, Provenance::Literal),
        Expr::Bool(b, span) => Node::new(Val::Bool(*b), *span, Provenance::Literal),
        Expr::Null(span) => Node::new(Val::Null, *span, Provenance::Literal),
        Expr::Value(n) => n.clone(),
        Expr::Opaque(what, span) => Node::unknown(format!("{what} is not evaluated"), *span),
        Expr::Symbol(name, span) => env.symbol(name, *span),
        Expr::Interp(parts, span) => {
            let nodes: Vec<Node> = parts.iter().map(ev).collect();
            // `'${uami.id}'` is the link itself, not a string around it.
            if nodes.len() == 1 && !matches!(nodes[0].val, Val::Str(_)) {
                return nodes.into_iter().next().unwrap();
            }
            if let Some(origin) = secret_in(&nodes) {
                return Node::new(Val::Secret(origin), *span, Provenance::Computed);
            }
            let prov = combine_prov(&nodes);
            str_node(PStr::concat(nodes.iter().map(to_pstr)), *span, prov)
        }
        Expr::Array(items, span) => {
            let nodes: Vec<Node> = items.iter().map(ev).collect();
            Node::new(Val::Array(nodes), *span, Provenance::Literal)
        }
        Expr::Object(props, span) => {
            let props = props
                .iter()
                .map(|(k, v)| Prop {
                    key: ev(k),
                    value: ev(v),
                })
                .collect();
            Node::new(Val::Object(props), *span, Provenance::Literal)
        }
        Expr::Member { base, name, span } => member(ev(base), name, *span, env),
        Expr::Index { base, index, span } => {
            let base = ev(base);
            let index = ev(index);
            index_value(base, &index, *span, env)
        }
        Expr::Ternary {
            cond,
            then,
            otherwise,
            span,
        } => {
            let c = ev(cond);
            match c.as_bool() {
                Some(true) => ev(then),
                Some(false) => ev(otherwise),
                None => one_of(ev(then), ev(otherwise), *span),
            }
        }
        Expr::Not(inner, span) => match ev(inner).as_bool() {
            Some(b) => Node::new(Val::Bool(!b), *span, Provenance::Computed),
            None => Node::unknown("a condition known only at deployment", *span),
        },
        Expr::Binary {
            op,
            left,
            right,
            span,
        } => binary(*op, ev(left), ev(right), *span),
        Expr::Call { name, args, span } => call(name, args, *span, env, depth),
        Expr::MethodCall {
            base,
            name,
            args: _,
            span,
        } => {
            let lname = name.to_ascii_lowercase();
            if lname == "getsecret" {
                return Node::new(
                    Val::Secret(SecretOrigin::KeyVault),
                    *span,
                    Provenance::Computed,
                );
            }
            if lname.starts_with("list") {
                return Node::new(
                    Val::Secret(SecretOrigin::ListCall(name.clone())),
                    *span,
                    Provenance::Computed,
                );
            }
            let _ = ev(base);
            Node::unknown(format!("result of {name}()"), *span)
        }
    }
}

/// Either value, when a condition cannot be evaluated: links, secrets and scope shapes in
/// both branches stay visible to the graph and the rules.
pub fn one_of(a: Node, b: Node, span: Span) -> Node {
    if a.val == b.val {
        return a;
    }
    let mut options = Vec::new();
    for n in [a, b] {
        match n.val {
            Val::OneOf(inner) => options.extend(inner),
            _ => options.push(n),
        }
    }
    Node::new(Val::OneOf(options), span, Provenance::Computed)
}

fn binary(op: BinOp, l: Node, r: Node, span: Span) -> Node {
    let computed = |val| Node::new(val, span, Provenance::Computed);
    match op {
        BinOp::Coalesce => match &l.val {
            Val::Null => r,
            Val::Unknown(_) => Node::unknown("a value known only at deployment", span),
            _ => l,
        },
        BinOp::And => match (l.as_bool(), r.as_bool()) {
            (Some(false), _) | (_, Some(false)) => computed(Val::Bool(false)),
            (Some(true), Some(true)) => computed(Val::Bool(true)),
            _ => Node::unknown("a condition known only at deployment", span),
        },
        BinOp::Or => match (l.as_bool(), r.as_bool()) {
            (Some(true), _) | (_, Some(true)) => computed(Val::Bool(true)),
            (Some(false), Some(false)) => computed(Val::Bool(false)),
            _ => Node::unknown("a condition known only at deployment", span),
        },
        BinOp::Eq | BinOp::Ne => match equal(&l, &r) {
            Some(eq) => computed(Val::Bool(eq == (op == BinOp::Eq))),
            None => Node::unknown("a comparison known only at deployment", span),
        },
        BinOp::Other => Node::unknown("arithmetic or comparison", span),
    }
}

fn equal(a: &Node, b: &Node) -> Option<bool> {
    match (&a.val, &b.val) {
        (Val::Str(x), Val::Str(y)) => match x.compare(y) {
            crate::model::Match::Yes => Some(true),
            crate::model::Match::No => Some(false),
            crate::model::Match::Maybe => None,
        },
        (Val::Int(x), Val::Int(y)) => Some(x == y),
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Null, Val::Null) => Some(true),
        (Val::Null, Val::Str(_) | Val::Int(_) | Val::Bool(_))
        | (Val::Str(_) | Val::Int(_) | Val::Bool(_), Val::Null) => Some(false),
        _ => None,
    }
}

fn member(base: Node, name: &str, span: Span, env: &dyn Env) -> Node {
    let lname = name.to_ascii_lowercase();
    match &base.val {
        Val::Object(_) => match base.get(name) {
            Some(v) => v.clone(),
            None if base.has_unknown_keys() => Node::unknown(format!("property '{name}'"), span),
            None => Node::unknown(format!("no property '{name}'"), span),
        },
        Val::Resource { link, view } => {
            let attr = |attr| {
                Node::new(
                    Val::Attr {
                        link: link.clone(),
                        attr,
                    },
                    span,
                    Provenance::Computed,
                )
            };
            let view_of = |view| {
                Node::new(
                    Val::Resource {
                        link: link.clone(),
                        view,
                    },
                    span,
                    Provenance::Computed,
                )
            };
            match (view, lname.as_str()) {
                (ResourceView::Symbol | ResourceView::Full, "id") => attr(Attr::Id),
                (ResourceView::Symbol | ResourceView::Full, "name") => {
                    let _ = env;
                    attr(Attr::Name)
                }
                (ResourceView::Symbol | ResourceView::Full, "properties") => {
                    view_of(ResourceView::Properties)
                }
                (
                    ResourceView::Symbol | ResourceView::Full | ResourceView::Properties,
                    "identity",
                ) => view_of(ResourceView::Identity),
                (ResourceView::Properties, "principalid") => attr(Attr::PrincipalId),
                (ResourceView::Identity, "principalid") => attr(Attr::SystemPrincipalId),
                (_, "clientid") => attr(Attr::ClientId),
                _ => attr(Attr::Other),
            }
        }
        Val::Secret(_) => Node::new(base.val.clone(), span, Provenance::Computed),
        _ => Node::unknown(
            format!("property '{name}' of a value known only at deployment"),
            span,
        ),
    }
}

fn index_value(base: Node, index: &Node, span: Span, env: &dyn Env) -> Node {
    match (&base.val, &index.val) {
        (Val::Array(items), Val::Int(i)) => items
            .get(*i as usize)
            .cloned()
            .unwrap_or_else(|| Node::unknown("index out of range", span)),
        (Val::Object(_) | Val::Resource { .. }, Val::Str(p)) if p.is_known() => {
            member(base, p.known().unwrap_or_default(), span, env)
        }
        (Val::Secret(_), _) => Node::new(base.val.clone(), span, Provenance::Computed),
        // `identity.userAssignedIdentities[id]`: the properties of that identity.
        (
            Val::Attr {
                attr: Attr::Other, ..
            },
            _,
        ) if matches!(index.val, Val::Str(_) | Val::Attr { .. }) => {
            let link = match &index.val {
                Val::Attr { link, .. } => link.clone(),
                _ => ResourceLink::Id(to_pstr(index)),
            };
            Node::new(
                Val::Resource {
                    link,
                    view: ResourceView::Properties,
                },
                span,
                Provenance::Computed,
            )
        }
        _ => Node::unknown("an element known only at deployment", span),
    }
}

/// Build `{prefix}/providers/{ns}/{type}/{name}[/{child}/{name}…]`.
fn provider_id(prefix: PStr, ty: &Node, names: &[Node]) -> PStr {
    let ty_text = ty.as_known_str().unwrap_or("");
    let mut segments = ty_text.split('/');
    let namespace = segments.next().unwrap_or("");
    let mut out = prefix;
    out.push_str("/providers/");
    out.push_str(namespace);
    let types: Vec<&str> = segments.collect();
    for (i, t) in types.iter().enumerate() {
        out.push_str("/");
        out.push_str(t);
        out.push_str("/");
        match names.get(i) {
            Some(n) => out.push(&to_pstr(n)),
            None => out.push(&PStr::hole("a missing name", None)),
        }
    }
    out
}

/// Split `resourceId([sub], [rg], type, names…)`-style arguments at the type argument.
fn split_at_type(args: &[Node]) -> Option<(Vec<&Node>, &Node, &[Node])> {
    let pos = args
        .iter()
        .position(|a| a.as_known_str().is_some_and(|s| s.contains('/')))?;
    Some((args[..pos].iter().collect(), &args[pos], &args[pos + 1..]))
}

fn call(name: &str, arg_exprs: &[Expr], span: Span, env: &dyn Env, depth: usize) -> Node {
    let ev = |e: &Expr| eval_depth(e, env, depth + 1);
    // Functions that take names, not values.
    match name {
        "parameters" | "variables" => {
            let arg = arg_exprs.first().map(ev);
            return match arg.as_ref().and_then(|a| a.as_known_str()) {
                Some(n) if name == "parameters" => env.parameter(n, span),
                Some(n) => env.variable(n, span),
                None => Node::unknown(format!("{name}() with a computed name"), span),
            };
        }
        _ => {}
    }
    let args: Vec<Node> = arg_exprs.iter().map(ev).collect();
    let computed = |val| Node::new(val, span, Provenance::Computed);
    let prov = combine_prov(&args);
    let dep = env.deployment();
    match name {
        "concat" => {
            if !args.is_empty() && args.iter().all(|a| matches!(a.val, Val::Array(_))) {
                let items = args
                    .iter()
                    .flat_map(|a| a.items().iter().cloned())
                    .collect();
                return computed(Val::Array(items));
            }
            if let Some(origin) = secret_in(&args) {
                return computed(Val::Secret(origin));
            }
            str_node(PStr::concat(args.iter().map(to_pstr)), span, prov)
        }
        "format" => {
            if let Some(origin) = secret_in(&args) {
                return computed(Val::Secret(origin));
            }
            match args.first().and_then(|a| a.as_known_str()) {
                Some(fmt) => str_node(format_pstr(fmt, &args[1..]), span, prov),
                None => Node::unknown("format() with a computed format string", span),
            }
        }
        "tolower" | "toupper" => match args.first().map(|a| &a.val) {
            Some(Val::Str(p)) => {
                let mut out = PStr::default();
                for seg in &p.0 {
                    match seg {
                        crate::model::Seg::Lit(s) if name == "tolower" => {
                            out.push_str(&s.to_lowercase())
                        }
                        crate::model::Seg::Lit(s) => out.push_str(&s.to_uppercase()),
                        hole => out.0.push(hole.clone()),
                    }
                }
                str_node(out, span, prov)
            }
            _ => Node::unknown(format!("{name}() of a computed value"), span),
        },
        "string" => match args.first() {
            Some(a) if matches!(a.val, Val::Str(_) | Val::Int(_) | Val::Bool(_)) => {
                str_node(to_pstr(a), span, prov)
            }
            _ => Node::unknown("string() of a computed value", span),
        },
        "trim" => match args.first().and_then(|a| a.as_known_str()) {
            Some(s) => str_node(PStr::lit(s.trim()), span, prov),
            None => Node::unknown("trim() of a computed value", span),
        },
        "replace" => match (
            args.first().and_then(|a| a.as_known_str()),
            args.get(1).and_then(|a| a.as_known_str()),
            args.get(2).and_then(|a| a.as_known_str()),
        ) {
            (Some(s), Some(from), Some(to)) if !from.is_empty() => {
                str_node(PStr::lit(s.replace(from, to)), span, prov)
            }
            _ => Node::unknown("replace() of a computed value", span),
        },
        "json" => match args.first().and_then(|a| a.as_known_str()) {
            Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(v) => from_json(&v, span),
                Err(_) => Node::unknown("json() of invalid JSON", span),
            },
            None => Node::unknown("json() of a computed value", span),
        },
        "createarray" | "array" => computed(Val::Array(args)),
        "createobject" => {
            let props = args
                .chunks(2)
                .filter_map(|c| match c {
                    [k, v] => Some(Prop {
                        key: k.clone(),
                        value: v.clone(),
                    }),
                    _ => None,
                })
                .collect();
            computed(Val::Object(props))
        }
        "union" => {
            if args.iter().all(|a| matches!(a.val, Val::Object(_))) {
                let mut props: Vec<Prop> = Vec::new();
                for a in &args {
                    for p in a.props() {
                        if let Some(k) = p.key.as_known_str()
                            && let Some(existing) = props.iter_mut().find(|q| {
                                q.key
                                    .as_known_str()
                                    .is_some_and(|q| q.eq_ignore_ascii_case(k))
                            })
                        {
                            existing.value = p.value.clone();
                            continue;
                        }
                        props.push(p.clone());
                    }
                }
                return computed(Val::Object(props));
            }
            if args.iter().all(|a| matches!(a.val, Val::Array(_))) {
                return computed(Val::Array(
                    args.iter().flat_map(|a| a.items().to_vec()).collect(),
                ));
            }
            Node::unknown("union() of computed values", span)
        }
        "if" => match args.first().and_then(|c| c.as_bool()) {
            Some(true) => args
                .get(1)
                .cloned()
                .unwrap_or_else(|| Node::unknown("if()", span)),
            Some(false) => args
                .get(2)
                .cloned()
                .unwrap_or_else(|| Node::unknown("if()", span)),
            None => match (args.get(1), args.get(2)) {
                (Some(a), Some(b)) => one_of(a.clone(), b.clone(), span),
                _ => Node::unknown("a condition known only at deployment", span),
            },
        },
        "coalesce" => {
            for a in &args {
                match a.val {
                    Val::Null => continue,
                    Val::Unknown(_) => return Node::unknown("coalesce() of computed values", span),
                    _ => return a.clone(),
                }
            }
            computed(Val::Null)
        }
        "equals" => match (args.first(), args.get(1)) {
            (Some(a), Some(b)) => match equal(a, b) {
                Some(eq) => computed(Val::Bool(eq)),
                None => Node::unknown("a comparison known only at deployment", span),
            },
            _ => Node::unknown("equals()", span),
        },
        "not" => match args.first().and_then(|a| a.as_bool()) {
            Some(b) => computed(Val::Bool(!b)),
            None => Node::unknown("a condition known only at deployment", span),
        },
        "and" | "or" => {
            let bools: Vec<Option<bool>> = args.iter().map(|a| a.as_bool()).collect();
            let decided = name != "and";
            if bools.contains(&Some(decided)) {
                computed(Val::Bool(decided))
            } else if bools.iter().all(|b| b.is_some()) {
                computed(Val::Bool(!decided))
            } else {
                Node::unknown("a condition known only at deployment", span)
            }
        }
        "empty" => match args.first().map(|a| &a.val) {
            Some(Val::Str(p)) if p.is_known() => computed(Val::Bool(p.known() == Some(""))),
            Some(Val::Array(items)) => computed(Val::Bool(items.is_empty())),
            Some(Val::Object(props)) => computed(Val::Bool(props.is_empty())),
            Some(Val::Null) => computed(Val::Bool(true)),
            _ => Node::unknown("empty() of a computed value", span),
        },
        "true" => computed(Val::Bool(true)),
        "false" => computed(Val::Bool(false)),
        "null" => computed(Val::Null),
        "bool" => match args.first().and_then(|a| a.as_bool()) {
            Some(b) => computed(Val::Bool(b)),
            None => Node::unknown("bool() of a computed value", span),
        },
        "int" => match args.first().map(|a| &a.val) {
            Some(Val::Int(i)) => computed(Val::Int(*i)),
            Some(Val::Str(p)) if p.known().and_then(|s| s.parse::<i64>().ok()).is_some() => {
                computed(Val::Int(p.known().unwrap().parse().unwrap_or_default()))
            }
            _ => Node::unknown("int() of a computed value", span),
        },
        "any" => args
            .into_iter()
            .next()
            .unwrap_or_else(|| Node::unknown("any()", span)),
        "subscription" => {
            let sub = args
                .first()
                .map(to_pstr)
                .unwrap_or_else(|| dep.subscription.clone());
            scope_object(
                span,
                &[
                    (
                        "id",
                        PStr::concat([PStr::lit("/subscriptions/"), sub.clone()]),
                    ),
                    ("subscriptionId", sub),
                    (
                        "tenantId",
                        PStr::hole("the tenant id", Some("tenant".into())),
                    ),
                    ("displayName", PStr::hole("the subscription name", None)),
                ],
            )
        }
        "resourcegroup" => {
            let (sub, rg) = match args.as_slice() {
                [] => (dep.subscription.clone(), dep.resource_group.clone()),
                [rg] => (dep.subscription.clone(), to_pstr(rg)),
                [sub, rg, ..] => (to_pstr(sub), to_pstr(rg)),
            };
            scope_object(
                span,
                &[
                    (
                        "id",
                        PStr::concat([
                            PStr::lit("/subscriptions/"),
                            sub,
                            PStr::lit("/resourceGroups/"),
                            rg.clone(),
                        ]),
                    ),
                    ("name", rg),
                    (
                        "location",
                        PStr::hole("the resource group location", Some("location".into())),
                    ),
                ],
            )
        }
        "managementgroup" => {
            let mg = args
                .first()
                .map(to_pstr)
                .unwrap_or_else(|| dep.management_group.clone());
            scope_object(
                span,
                &[
                    (
                        "id",
                        PStr::concat([
                            PStr::lit("/providers/Microsoft.Management/managementGroups/"),
                            mg.clone(),
                        ]),
                    ),
                    ("name", mg),
                ],
            )
        }
        "tenant" => scope_object(
            span,
            &[
                ("id", PStr::lit("/")),
                (
                    "tenantId",
                    PStr::hole("the tenant id", Some("tenant".into())),
                ),
            ],
        ),
        "resourceid" => match split_at_type(&args) {
            Some((lead, ty, names)) => {
                let (sub, rg) = match lead.as_slice() {
                    [] => (dep.subscription.clone(), Some(dep.resource_group.clone())),
                    [rg] => (dep.subscription.clone(), Some(to_pstr(rg))),
                    [sub, rg, ..] => (to_pstr(sub), Some(to_pstr(rg))),
                };
                let prefix = match (dep.level, lead.len()) {
                    (DeployLevel::ResourceGroup, _) | (_, 1..) => PStr::concat([
                        PStr::lit("/subscriptions/"),
                        sub,
                        PStr::lit("/resourceGroups/"),
                        rg.unwrap_or_default(),
                    ]),
                    (DeployLevel::Subscription, 0) => dep.subscription_id(),
                    (DeployLevel::ManagementGroup, 0) => dep.scope_id(),
                    (DeployLevel::Tenant, 0) => PStr::default(),
                };
                str_node(provider_id(prefix, ty, names), span, prov)
            }
            None => Node::unknown("resourceId() with a computed type", span),
        },
        "subscriptionresourceid" => match split_at_type(&args) {
            Some((lead, ty, names)) => {
                let sub = lead
                    .first()
                    .map(|s| to_pstr(s))
                    .unwrap_or_else(|| dep.subscription.clone());
                let prefix = PStr::concat([PStr::lit("/subscriptions/"), sub]);
                str_node(provider_id(prefix, ty, names), span, prov)
            }
            None => Node::unknown("subscriptionResourceId() with a computed type", span),
        },
        "tenantresourceid" => match split_at_type(&args) {
            Some((_, ty, names)) => str_node(provider_id(PStr::default(), ty, names), span, prov),
            None => Node::unknown("tenantResourceId() with a computed type", span),
        },
        "managementgroupresourceid" => match split_at_type(&args) {
            Some((lead, ty, names)) => {
                let mg = lead
                    .first()
                    .map(|s| to_pstr(s))
                    .unwrap_or_else(|| dep.management_group.clone());
                let prefix = PStr::concat([
                    PStr::lit("/providers/Microsoft.Management/managementGroups/"),
                    mg,
                ]);
                str_node(provider_id(prefix, ty, names), span, prov)
            }
            None => Node::unknown("managementGroupResourceId() with a computed type", span),
        },
        "extensionresourceid" => match args.split_first() {
            Some((base, rest)) => match split_at_type(rest) {
                Some((_, ty, names)) => str_node(provider_id(to_pstr(base), ty, names), span, prov),
                None => Node::unknown("extensionResourceId() with a computed type", span),
            },
            None => Node::unknown("extensionResourceId()", span),
        },
        "reference" => {
            let full = args
                .get(2)
                .and_then(|a| a.as_known_str())
                .is_some_and(|s| s.eq_ignore_ascii_case("full"));
            let view = if full {
                ResourceView::Full
            } else {
                ResourceView::Properties
            };
            let link = match args.first().map(|a| (&a.val, a)) {
                Some((Val::Str(p), _)) if p.known().is_some_and(|k| !k.contains('/')) => {
                    ResourceLink::Symbol {
                        unit: env.unit(),
                        name: p.known().unwrap_or_default().into(),
                    }
                }
                Some((
                    Val::Attr {
                        link,
                        attr: Attr::Id,
                    },
                    _,
                )) => link.clone(),
                Some((Val::Resource { link, .. }, _)) => link.clone(),
                Some((_, a)) => ResourceLink::Id(to_pstr(a)),
                None => return Node::unknown("reference()", span),
            };
            computed(Val::Resource { link, view })
        }
        "guid" | "uniquestring" => {
            let symbol: String = format!(
                "{name}({})",
                args.iter()
                    .map(|a| to_pstr(a).display())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            str_node(
                PStr::hole(format!("{name}() result"), Some(symbol.into())),
                span,
                Provenance::Computed,
            )
        }
        "newguid" | "utcnow" => Node::unknown(format!("{name}() at deployment"), span),
        "copyindex" => Node::unknown("copyIndex(): one of several instances", span),
        "getsecret" => computed(Val::Secret(SecretOrigin::KeyVault)),
        "readenvironmentvariable" => match args.get(1) {
            Some(default) => default.clone(),
            None => Node::unknown("an environment variable", span),
        },
        "first" => match args.first().map(|a| &a.val) {
            Some(Val::Array(items)) if !items.is_empty() => items[0].clone(),
            _ => Node::unknown("first() of a computed value", span),
        },
        "last" => match args.first().map(|a| &a.val) {
            Some(Val::Array(items)) if !items.is_empty() => items[items.len() - 1].clone(),
            _ => Node::unknown("last() of a computed value", span),
        },
        "split" => match (
            args.first().and_then(|a| a.as_known_str()),
            args.get(1).and_then(|a| a.as_known_str()),
        ) {
            (Some(s), Some(sep)) if !sep.is_empty() => computed(Val::Array(
                s.split(sep)
                    .map(|p| Node::new(Val::Str(PStr::lit(p)), span, prov))
                    .collect(),
            )),
            _ => Node::unknown("split() of a computed value", span),
        },
        "join" => match (
            args.first().map(|a| &a.val),
            args.get(1).and_then(|a| a.as_known_str()),
        ) {
            (Some(Val::Array(items)), Some(sep)) => {
                let mut out = PStr::default();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    out.push(&to_pstr(item));
                }
                str_node(out, span, prov)
            }
            _ => Node::unknown("join() of a computed value", span),
        },
        "length" => match args.first().map(|a| &a.val) {
            Some(Val::Array(items)) => computed(Val::Int(items.len() as i64)),
            Some(Val::Str(p)) if p.is_known() => {
                computed(Val::Int(p.known().unwrap_or("").chars().count() as i64))
            }
            _ => Node::unknown("length() of a computed value", span),
        },
        "contains" => match (args.first(), args.get(1)) {
            (Some(c), Some(item)) => match (&c.val, &item.val) {
                (Val::Array(items), _) => {
                    let results: Vec<Option<bool>> = items.iter().map(|i| equal(i, item)).collect();
                    if results.contains(&Some(true)) {
                        computed(Val::Bool(true))
                    } else if results.iter().all(|r| r == &Some(false)) {
                        computed(Val::Bool(false))
                    } else {
                        Node::unknown("contains() of computed values", span)
                    }
                }
                (Val::Str(s), Val::Str(x)) if s.is_known() && x.is_known() => computed(Val::Bool(
                    s.known()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains(&x.known().unwrap_or("").to_lowercase()),
                )),
                (Val::Object(_), Val::Str(k)) if k.is_known() => {
                    computed(Val::Bool(c.get(k.known().unwrap_or("")).is_some()))
                }
                _ => Node::unknown("contains() of computed values", span),
            },
            _ => Node::unknown("contains()", span),
        },
        "startswith" | "endswith" => match (
            args.first().and_then(|a| a.as_known_str()),
            args.get(1).and_then(|a| a.as_known_str()),
        ) {
            (Some(s), Some(x)) => {
                let (s, x) = (s.to_lowercase(), x.to_lowercase());
                computed(Val::Bool(if name == "startswith" {
                    s.starts_with(&x)
                } else {
                    s.ends_with(&x)
                }))
            }
            _ => Node::unknown(format!("{name}() of a computed value"), span),
        },
        "environment" => scope_object(
            span,
            &[
                (
                    "name",
                    PStr::hole("the cloud name", Some("environment".into())),
                ),
                (
                    "resourceManager",
                    PStr::hole(
                        "the cloud's ARM endpoint",
                        Some("environment.resourceManager".into()),
                    ),
                ),
            ],
        ),
        "deployment" => scope_object(
            span,
            &[(
                "name",
                PStr::hole("the deployment name", Some("deployment".into())),
            )],
        ),
        _ if name.starts_with("list") => {
            computed(Val::Secret(SecretOrigin::ListCall(name.to_owned())))
        }
        _ => Node::unknown(format!("{name}() is not evaluated"), span),
    }
}

fn scope_object(span: Span, fields: &[(&str, PStr)]) -> Node {
    let props = fields
        .iter()
        .map(|(k, v)| Prop {
            key: Node::lit_str(*k, span),
            value: Node::new(Val::Str(v.clone()), span, Provenance::Computed),
        })
        .collect();
    Node::new(Val::Object(props), span, Provenance::Computed)
}

/// `format('{0}/{1}', a, b)` with .NET-style placeholders (format specifiers are dropped).
fn format_pstr(fmt: &str, args: &[Node]) -> PStr {
    let mut out = PStr::default();
    let mut rest = fmt;
    while let Some(open) = rest.find('{') {
        if rest[open..].starts_with("{{") {
            out.push_str(&rest[..open + 1]);
            rest = &rest[open + 2..];
            continue;
        }
        out.push_str(&rest[..open].replace("}}", "}"));
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &rest[open + 1..open + close];
        let index = inner.split([':', ',']).next().unwrap_or("").trim();
        match index.parse::<usize>().ok().and_then(|i| args.get(i)) {
            Some(arg) => out.push(&to_pstr(arg)),
            None => out.push(&PStr::hole("a format argument", None)),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(&rest.replace("}}", "}"));
    out
}

/// A JSON value as a node (all with one span: it has no positions of its own).
pub fn from_json(v: &serde_json::Value, span: Span) -> Node {
    let val = match v {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Val::Int)
            .unwrap_or(Val::Unknown("a fractional number".into())),
        serde_json::Value::String(s) => Val::Str(PStr::lit(s.clone())),
        serde_json::Value::Array(items) => {
            Val::Array(items.iter().map(|i| from_json(i, span)).collect())
        }
        serde_json::Value::Object(map) => Val::Object(
            map.iter()
                .map(|(k, v)| Prop {
                    key: Node::lit_str(k.clone(), span),
                    value: from_json(v, span),
                })
                .collect(),
        ),
    };
    Node::new(val, span, Provenance::Literal)
}
