//! Modules: each use of a local module is lowered as an instance of its own, with the
//! caller's parameter values and scope; its outputs flow back to the caller.

use super::{FAMILY, Instance, MAX_MODULE_DEPTH, Supplied, body_prop, level_of_file, unwrap_body};
use crate::lower::common::is_identity_reference;
use crate::lower::eval::{self, Deployment};
use crate::model::scope::provider_part;
use crate::model::{Attr, Node, PStr, Prop, Provenance, Resource, ResourceLink, ResourceView, Val};
use crate::parse::bicep::{ExprKind, StatementKind};
use crate::source::Format;

/// Where a module's `scope:` puts it.
enum ModuleScope {
    /// No `scope:`: the caller's.
    Caller,
    Subscription(Option<Node>),
    ResourceGroup(Vec<Node>),
    ManagementGroup(Option<Node>),
    Tenant,
    /// A resource group declared by the caller (`scope: rg`).
    DeclaredGroup(PStr),
    Unknown,
}

impl Instance<'_, '_, '_> {
    /// The value of a module symbol: `{ name, outputs }`, lowering the instance on first use.
    pub(super) fn module_value(&self, name: &str) -> Node {
        if let Some(v) = self.module_values.borrow().get(name) {
            return v.clone();
        }
        let key = format!("m:{name}");
        if !self.in_progress.borrow_mut().insert(key.clone()) {
            return Node::unknown("a module that refers to itself", self.span_of_module(name));
        }
        let v = self.lower_module(name);
        self.in_progress.borrow_mut().remove(&key);
        self.module_values
            .borrow_mut()
            .insert(name.to_owned(), v.clone());
        v
    }

    fn span_of_module(&self, name: &str) -> crate::source::Span {
        self.modules
            .get(name)
            .map(|s| self.span(s.span))
            .unwrap_or_default()
    }

    fn lower_module(&self, symbol: &str) -> Node {
        let Some(stmt) = self.modules.get(symbol).copied() else {
            return Node::unknown(
                format!("module '{symbol}' is not declared"),
                Default::default(),
            );
        };
        let StatementKind::Module { path, body, .. } = &stmt.kind else {
            return Node::unknown("not a module", Default::default());
        };
        let span = self.span(stmt.span);
        let (for_expr, obj) = unwrap_body(body);
        let many = self.many || for_expr.is_some();
        // A condition known to be false: the module is not deployed.
        if let Some(cond) = super::body_condition(body)
            && self.in_loop(for_expr, || self.eval(cond)).as_bool() == Some(false)
        {
            return Node::unknown("a module whose condition is false", span);
        }
        // Parameters and scope are evaluated in the caller, loop variables unknown.
        let (params, scope, name) = self.in_loop(for_expr, || {
            (
                body_prop(obj, "params").map(|e| self.eval(e)),
                body_prop(obj, "scope").map(|e| self.module_scope(e)),
                body_prop(obj, "name").map(|e| self.eval(e)),
            )
        });
        let unknown_outputs = |reason: String| {
            // What the module does with identities it is given is unknown: an identity id
            // passed in counts as used by the module's deployment.
            self.opaque_module_use(symbol, span, params.as_ref(), many);
            Node::new(
                Val::Object(vec![Prop {
                    key: Node::lit_str("outputs", span),
                    value: Node::unknown(reason, span),
                }]),
                span,
                Provenance::Computed,
            )
        };
        if super::is_registry_path(&path.value) {
            return unknown_outputs(format!(
                "outputs of registry module '{}', which is not fetched",
                path.value
            ));
        }
        let ctx = self.lw.ctx;
        let Some(target) = ctx.resolve(self.file, &path.value) else {
            return unknown_outputs(format!(
                "outputs of module '{}', which is not among the analyzed files",
                path.value
            ));
        };
        if ctx.db.get(target).format != Format::Bicep {
            return unknown_outputs(format!(
                "outputs of module '{}', which is not a Bicep file",
                path.value
            ));
        }
        if self.chain.contains(&target) {
            return unknown_outputs(format!("outputs of module '{}' (a cycle)", path.value));
        }
        if self.chain.len() > MAX_MODULE_DEPTH {
            return unknown_outputs(format!(
                "outputs of module '{}' (nested more than {MAX_MODULE_DEPTH} deep)",
                path.value
            ));
        }
        let Some(ast) = ctx.ast(target) else {
            return unknown_outputs("a module that could not be read".into());
        };
        let mut supplied = Supplied::new();
        for p in params.as_ref().map(|p| p.props()).unwrap_or_default() {
            if let Some(k) = p.key.as_known_str() {
                supplied.insert(k.to_owned(), p.value.clone());
            }
        }
        let mut dep = Deployment::new(level_of_file(&ast), "");
        dep.subscription = self.deployment.subscription.clone();
        dep.resource_group = self.deployment.resource_group.clone();
        dep.management_group = self.deployment.management_group.clone();
        match scope.unwrap_or(ModuleScope::Caller) {
            ModuleScope::Caller | ModuleScope::Tenant => {}
            ModuleScope::Subscription(sub) => {
                if let Some(s) = sub {
                    dep.subscription = eval::to_pstr(&s);
                }
            }
            ModuleScope::ResourceGroup(args) => match args.as_slice() {
                [] => {}
                [rg] => dep.resource_group = eval::to_pstr(rg),
                [sub, rg, ..] => {
                    dep.subscription = eval::to_pstr(sub);
                    dep.resource_group = eval::to_pstr(rg);
                }
            },
            ModuleScope::ManagementGroup(mg) => {
                if let Some(m) = mg {
                    dep.management_group = eval::to_pstr(&m);
                }
            }
            ModuleScope::DeclaredGroup(rg) => dep.resource_group = rg,
            ModuleScope::Unknown => {
                let hole = || PStr::hole("the module's scope, known only at deployment", None);
                dep.subscription = hole();
                dep.resource_group = hole();
                dep.management_group = hole();
            }
        }
        let mut chain = self.chain.clone();
        chain.push(target);
        let unit = format!("{}#{symbol}", self.unit).into();
        let inst = Instance::new(self.lw, target, &ast, unit, dep, supplied, many, chain);
        let outputs = inst.run();
        let outputs = if many {
            Node::unknown("outputs of a module in a loop", span)
        } else {
            outputs
        };
        let mut props = vec![Prop {
            key: Node::lit_str("outputs", span),
            value: outputs,
        }];
        if let Some(n) = name {
            props.push(Prop {
                key: Node::lit_str("name", span),
                value: n,
            });
        }
        Node::new(Val::Object(props), span, Provenance::Computed)
    }

    /// A module that is not lowered (registry, missing, cycle) is recorded as the deployment
    /// resource it is, holding every identity id its parameters pass in.
    fn opaque_module_use(
        &self,
        symbol: &str,
        span: crate::source::Span,
        params: Option<&Node>,
        many: bool,
    ) {
        let mut refs = Vec::new();
        if let Some(p) = params {
            p.walk(|n, _| match &n.val {
                Val::Attr { attr: Attr::Id, .. }
                | Val::Resource {
                    view: ResourceView::Symbol,
                    ..
                } => refs.push(n.clone()),
                // An id whose identity name is unknown might be any identity of this
                // deployment (not of every file analyzed).
                Val::Str(p) if is_identity_reference(n) => match provider_part(p) {
                    Some((_, names)) if names.last().is_some_and(|n| n.is_known()) => {
                        refs.push(n.clone())
                    }
                    _ => self.lw.unknown_identity_ref.set(true),
                },
                _ => {}
            });
        }
        let mut model = self.lw.model.borrow_mut();
        model.resources.push(Resource {
            unit: self.unit.clone(),
            kind: "microsoft.resources/deployments".into(),
            kind_display: "Microsoft.Resources/deployments".into(),
            api_version: None,
            name: PStr::hole(format!("the name of module '{symbol}'"), None),
            symbol: Some(symbol.into()),
            id: PStr::default(),
            span,
            existing: false,
            many,
            identity: None,
            properties: None,
            identity_references: refs,
            family: FAMILY,
        });
    }

    fn module_scope(&self, e: &crate::parse::bicep::Expr) -> ModuleScope {
        let mut e = e;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        if let ExprKind::Call { base, name, args } = &e.kind {
            let namespaced = match base.as_deref().map(|b| &b.kind) {
                None => true,
                Some(ExprKind::Ident(ns)) => {
                    !super::expr::Symbols::is_symbol(self, &ns.name)
                        && (ns.name.eq_ignore_ascii_case("az")
                            || ns.name.eq_ignore_ascii_case("sys"))
                }
                _ => false,
            };
            if namespaced {
                let args: Vec<Node> = args.iter().map(|a| self.eval(a)).collect();
                match name.name.to_ascii_lowercase().as_str() {
                    "subscription" => return ModuleScope::Subscription(args.into_iter().next()),
                    "resourcegroup" => return ModuleScope::ResourceGroup(args),
                    "managementgroup" => {
                        return ModuleScope::ManagementGroup(args.into_iter().next());
                    }
                    "tenant" => return ModuleScope::Tenant,
                    _ => {}
                }
            }
        }
        match self.eval(e).val {
            Val::Resource {
                link: ResourceLink::Symbol { unit, name },
                ..
            } if unit == self.unit => match self.info(&name) {
                Some(i)
                    if i.kind_display
                        .eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") =>
                {
                    ModuleScope::DeclaredGroup(i.name)
                }
                _ => ModuleScope::Unknown,
            },
            _ => ModuleScope::Unknown,
        }
    }
}
