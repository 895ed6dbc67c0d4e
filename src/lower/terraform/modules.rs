//! One module instance: variables, locals, module calls, outputs, and the reference
//! resolution the evaluator asks for.

use super::eval::{Ev, Step, TfEnv, apply_steps, combine_prov, span_of, with_prov};
use super::{FAMILY, ModuleDir, Parsed, block_span, header_span, is_local_source, normalize};
use crate::lower::common;
use crate::lower::eval::from_json;
use crate::model::value::SecretOrigin;
use crate::model::{
    Model, Node, Output, PStr, ParamKind, Parameter, Prop, Provenance, UnitKey, Val,
};
use crate::source::{FileId, SourceDb, Span};
use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

/// Module calls nested deeper than this are not followed.
const MAX_MODULE_DEPTH: usize = 12;

/// An environment without names (var files, defaults).
struct NoEnv;

impl TfEnv for NoEnv {
    fn reference(&self, root: &str, _steps: &[Step], span: Span, _depth: usize) -> Node {
        Node::unknown(format!("'{root}' cannot be referenced here"), span)
    }
}

/// `name = value` pairs of a var file, as committed text.
pub(crate) fn vars_file_values(db: &SourceDb, p: &Parsed) -> Vec<(String, Node)> {
    let f = db.get(p.id);
    if f.path.extension().is_some_and(|e| e == "json") {
        let span = Span::new(p.id, 0, f.text.len());
        return match serde_json::from_str::<serde_json::Value>(&f.text) {
            Ok(serde_json::Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        with_prov(from_json(v, span), Provenance::ParameterFile),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
    }
    let ev = Ev {
        file: p.id,
        env: &NoEnv,
    };
    p.body
        .attributes()
        .map(|a| {
            let fallback = span_of(p.id, a.span(), Span::new(p.id, 0, 0));
            (
                a.key.as_str().to_owned(),
                with_prov(ev.eval(&a.value, fallback), Provenance::ParameterFile),
            )
        })
        .collect()
}

/// Variable values of a root module from its var files: `terraform.tfvars`, then
/// `*.auto.tfvars`, then other var files; two other var files that disagree leave the value
/// unknown (which one is used is chosen on the command line).
pub(crate) fn tfvars_values(db: &SourceDb, m: &ModuleDir) -> HashMap<String, Node> {
    let mut out: HashMap<String, Node> = HashMap::new();
    let mut from_other: HashMap<String, FileId> = HashMap::new();
    for (rank, p) in &m.vars {
        for (name, value) in vars_file_values(db, p) {
            if *rank == 2 {
                if let Some(prev) = from_other.get(&name)
                    && *prev != p.id
                    && out.get(&name).is_some_and(|v| v.val != value.val)
                {
                    let span = value.span;
                    out.insert(
                        name,
                        Node::unknown("set differently by several var files", span),
                    );
                    continue;
                }
                from_other.insert(name.clone(), p.id);
            }
            out.insert(name, value);
        }
    }
    out
}

/// The declarations of a module directory, by name.
pub(crate) struct Decls<'a> {
    pub variables: BTreeMap<String, (FileId, &'a Block)>,
    pub locals: HashMap<String, (FileId, &'a Attribute)>,
    /// `type.name` → block, and in file order.
    pub resources: HashMap<String, (FileId, &'a Block)>,
    pub resource_order: Vec<(String, FileId, &'a Block)>,
    pub data: HashMap<String, (FileId, &'a Block)>,
    pub data_order: Vec<(String, FileId, &'a Block)>,
    pub modules: BTreeMap<String, (FileId, &'a Block)>,
    pub outputs: Vec<(FileId, &'a Block)>,
    pub providers: Vec<(FileId, &'a Block)>,
    pub terraform: Vec<(FileId, &'a Block)>,
}

fn two_labels(b: &Block) -> Option<(&str, &str)> {
    match b.labels.as_slice() {
        [t, n, ..] => Some((t.as_str(), n.as_str())),
        _ => None,
    }
}

impl<'a> Decls<'a> {
    fn new(m: &'a ModuleDir) -> Self {
        let mut d = Decls {
            variables: BTreeMap::new(),
            locals: HashMap::new(),
            resources: HashMap::new(),
            resource_order: Vec::new(),
            data: HashMap::new(),
            data_order: Vec::new(),
            modules: BTreeMap::new(),
            outputs: Vec::new(),
            providers: Vec::new(),
            terraform: Vec::new(),
        };
        for p in &m.tf {
            for b in p.body.blocks() {
                let first = b.labels.first().map(|l| l.as_str().to_owned());
                match b.ident.as_str() {
                    "variable" => {
                        if let Some(n) = first {
                            d.variables.entry(n).or_insert((p.id, b));
                        }
                    }
                    "locals" => {
                        for a in b.body.attributes() {
                            d.locals
                                .entry(a.key.as_str().to_owned())
                                .or_insert((p.id, a));
                        }
                    }
                    "resource" | "ephemeral" => {
                        if let Some((t, n)) = two_labels(b) {
                            let addr = format!("{t}.{n}");
                            if !d.resources.contains_key(&addr) {
                                d.resources.insert(addr.clone(), (p.id, b));
                                d.resource_order.push((addr, p.id, b));
                            }
                        }
                    }
                    "data" => {
                        if let Some((t, n)) = two_labels(b) {
                            let addr = format!("data.{t}.{n}");
                            if !d.data.contains_key(&addr) {
                                d.data.insert(addr.clone(), (p.id, b));
                                d.data_order.push((addr, p.id, b));
                            }
                        }
                    }
                    "module" => {
                        if let Some(n) = first {
                            d.modules.entry(n).or_insert((p.id, b));
                        }
                    }
                    "output" => d.outputs.push((p.id, b)),
                    "provider" => d.providers.push((p.id, b)),
                    "terraform" => d.terraform.push((p.id, b)),
                    _ => {}
                }
            }
        }
        d
    }
}

pub(crate) type Outputs = HashMap<String, Node>;

/// One instance of a module directory.
pub(crate) struct Instance<'a> {
    pub db: &'a SourceDb,
    pub dirs: &'a BTreeMap<PathBuf, ModuleDir>,
    pub dir: PathBuf,
    pub decls: Decls<'a>,
    pub unit: UnitKey,
    /// Values for variables (from the caller or var files).
    inputs: HashMap<String, Node>,
    /// Declared inside `count` / `for_each` of a module call: every resource is many.
    pub many: bool,
    ancestors: Vec<PathBuf>,
    locals: RefCell<HashMap<String, Option<Node>>>,
    modules: RefCell<HashMap<String, Option<Rc<Outputs>>>>,
    /// Evaluated resource attributes (`type.name.attr`), `None` while in progress.
    pub attr_cache: RefCell<HashMap<String, Option<Node>>>,
    pub model: RefCell<Model>,
}

impl<'a> Instance<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: &'a SourceDb,
        dirs: &'a BTreeMap<PathBuf, ModuleDir>,
        dir: PathBuf,
        m: &'a ModuleDir,
        unit: UnitKey,
        inputs: HashMap<String, Node>,
        many: bool,
        ancestors: Vec<PathBuf>,
    ) -> Self {
        Instance {
            db,
            dirs,
            dir,
            decls: Decls::new(m),
            unit,
            inputs,
            many,
            ancestors,
            locals: RefCell::new(HashMap::new()),
            modules: RefCell::new(HashMap::new()),
            attr_cache: RefCell::new(HashMap::new()),
            model: RefCell::new(Model::default()),
        }
    }

    pub fn ev(&self, file: FileId) -> Ev<'_> {
        Ev { file, env: self }
    }

    /// Evaluate an attribute of a block's body, if written.
    pub fn attr(&self, file: FileId, b: &Block, name: &str, depth: usize) -> Option<Node> {
        let a = b.body.get_attribute(name)?;
        let fallback = span_of(file, a.span(), block_span(file, b));
        Some(self.ev(file).eval_d(&a.value, fallback, depth))
    }

    /// Lower everything the instance declares; returns its model (children included).
    pub fn lower_all(self) -> (Model, Outputs) {
        let outputs = self.outputs();
        self.lower_declarations();
        for (addr, file, b) in &self.decls.resource_order {
            super::resources::lower_resource(&self, addr, *file, b, false);
        }
        for (addr, file, b) in &self.decls.data_order {
            super::resources::lower_resource(&self, addr, *file, b, true);
        }
        let names: Vec<String> = self.decls.modules.keys().cloned().collect();
        for n in names {
            let _ = self.module_outputs(&n, 0);
        }
        (self.model.into_inner(), outputs)
    }

    fn push_secrets(&self, root: &Node, prefix: &str) {
        let mut m = self.model.borrow_mut();
        common::collect_secrets(&self.unit, FAMILY, root, prefix, &mut m.secrets);
    }

    /// Variables, locals, providers and the `terraform` block.
    fn lower_declarations(&self) {
        for (name, (file, b)) in &self.decls.variables {
            let fallback = block_span(*file, b);
            let flag = |k: &str| {
                b.body
                    .get_attribute(k)
                    .map(|a| self.ev(*file).eval(&a.value, fallback).as_bool() == Some(true))
                    .unwrap_or(false)
            };
            let ty = b.body.get_attribute("type").map(|a| {
                let text = self
                    .db
                    .get(*file)
                    .slice(span_of(*file, a.value.span(), fallback));
                text.trim().to_ascii_lowercase()
            });
            let default = b
                .body
                .get_attribute("default")
                .map(|a| with_prov(self.ev(*file).eval(&a.value, fallback), Provenance::Default));
            if let Some(d) = &default {
                let wrapped = keyed(name, d.clone());
                self.push_secrets(&wrapped, "variable");
            }
            let name_span = b
                .labels
                .first()
                .and_then(|l| match l {
                    hcl_edit::structure::BlockLabel::Ident(i) => i.span(),
                    hcl_edit::structure::BlockLabel::String(s) => s.span(),
                })
                .map(|r| Span::new(*file, r.start, r.end))
                .unwrap_or(fallback);
            let p = Parameter {
                unit: self.unit.clone(),
                name: name.clone(),
                name_span,
                span: header_span(*file, b),
                kind: ParamKind::Variable,
                ty,
                secure: flag("sensitive"),
                ephemeral: flag("ephemeral"),
                default,
                family: FAMILY,
            };
            self.model.borrow_mut().parameters.push(p);
        }
        let mut local_names: Vec<&String> = self.decls.locals.keys().collect();
        local_names.sort();
        for name in local_names {
            let v = self.local(name, 0);
            self.push_secrets(&keyed(name, v), "local");
        }
        for (file, b) in &self.decls.providers {
            let label = b.labels.first().map(|l| l.as_str()).unwrap_or("");
            let node = super::resources::body_node(self, *file, &b.body, block_span(*file, b), 0);
            let prefix = format!("provider.{label}");
            self.push_secrets(&node, &prefix);
            // `oidc_token` is a credential the shared name lists do not cover.
            for key in ["oidc_token", "client_certificate"] {
                if let Some(v) = node.get(key)
                    && let Some(text) = v.as_known_str()
                    && v.prov.is_committed_text()
                    && !crate::model::secrets::is_placeholder(text)
                {
                    self.model
                        .borrow_mut()
                        .secrets
                        .push(crate::model::SecretSite {
                            unit: self.unit.clone(),
                            span: v.span,
                            value: text.to_owned(),
                            kind: crate::model::SecretKind::Property,
                            context: format!("{prefix}.{key}"),
                            used_at: None,
                            family: FAMILY,
                        });
                }
            }
        }
        for (file, b) in &self.decls.terraform {
            let node = super::resources::body_node(self, *file, &b.body, block_span(*file, b), 0);
            self.push_secrets(&node, "terraform");
        }
    }

    /// Outputs (recorded in the model) by name.
    fn outputs(&self) -> Outputs {
        let mut map = HashMap::new();
        for (file, b) in &self.decls.outputs {
            let Some(name) = b.labels.first().map(|l| l.as_str().to_owned()) else {
                continue;
            };
            let span = header_span(*file, b);
            let value = self
                .attr(*file, b, "value", 0)
                .unwrap_or_else(|| Node::unknown("output without value", span));
            let protected = self
                .attr(*file, b, "sensitive", 0)
                .and_then(|n| n.as_bool())
                .unwrap_or(false)
                || self
                    .attr(*file, b, "ephemeral", 0)
                    .and_then(|n| n.as_bool())
                    .unwrap_or(false);
            self.push_secrets(&keyed(&name, value.clone()), "output");
            self.model.borrow_mut().outputs.push(Output {
                unit: self.unit.clone(),
                name: name.clone(),
                span,
                value: value.clone(),
                protected,
                family: FAMILY,
            });
            map.insert(name, value);
        }
        map
    }

    /// `var.name`.
    fn variable(&self, name: &str, span: Span) -> Node {
        let Some((file, b)) = self.decls.variables.get(name) else {
            return Node::unknown(format!("undeclared variable '{name}'"), span);
        };
        let flag = |k: &str| b.body.get_attribute(k).and_then(|a| a.value.as_bool()) == Some(true);
        if flag("sensitive") || flag("ephemeral") {
            return Node::new(
                Val::Secret(SecretOrigin::SecureParameter(name.to_owned())),
                span,
                Provenance::Computed,
            );
        }
        if let Some(v) = self.inputs.get(name) {
            return v.clone();
        }
        if let Some(a) = b.body.get_attribute("default") {
            let fallback = block_span(*file, b);
            let v = with_prov(self.ev(*file).eval(&a.value, fallback), Provenance::Default);
            if !matches!(v.val, Val::Null) {
                return v;
            }
        }
        let is_string = b
            .body
            .get_attribute("type")
            .map(|a| matches!(&a.value, Expression::Variable(v) if v.as_str() == "string"))
            .unwrap_or(false);
        if is_string {
            let symbol: Arc<str> = Arc::from(format!("{}:var.{name}", self.unit));
            Node::new(
                Val::Str(PStr::hole(
                    format!("variable '{name}' has no value"),
                    Some(symbol),
                )),
                span,
                Provenance::Computed,
            )
        } else {
            Node::unknown(format!("variable '{name}' has no value"), span)
        }
    }

    /// `local.name`, evaluated once; a cycle is unknown.
    fn local(&self, name: &str, depth: usize) -> Node {
        if let Some(v) = self.locals.borrow().get(name) {
            return match v {
                Some(n) => n.clone(),
                None => Node::unknown(format!("local '{name}' refers to itself"), Span::default()),
            };
        }
        let Some((file, a)) = self.decls.locals.get(name) else {
            return Node::unknown(format!("undeclared local '{name}'"), Span::default());
        };
        self.locals.borrow_mut().insert(name.to_owned(), None);
        let fallback = span_of(*file, a.span(), Span::new(*file, 0, 0));
        let v = self.ev(*file).eval_d(&a.value, fallback, depth);
        self.locals
            .borrow_mut()
            .insert(name.to_owned(), Some(v.clone()));
        v
    }

    /// Outputs of `module.name`, lowering the child instance on first use.
    fn module_outputs(&self, name: &str, depth: usize) -> Result<Rc<Outputs>, String> {
        if let Some(v) = self.modules.borrow().get(name) {
            return v
                .clone()
                .ok_or_else(|| format!("module '{name}' depends on itself"));
        }
        let Some((file, b)) = self.decls.modules.get(name) else {
            return Err(format!("undeclared module '{name}'"));
        };
        self.modules.borrow_mut().insert(name.to_owned(), None);
        let result = self.instantiate(name, *file, b, depth);
        let stored = result.as_ref().ok().cloned();
        if let Some(o) = stored {
            self.modules.borrow_mut().insert(name.to_owned(), Some(o));
        } else {
            self.modules
                .borrow_mut()
                .insert(name.to_owned(), Some(Rc::new(HashMap::new())));
        }
        result
    }

    /// A module idlint cannot read still receives its inputs: identities passed to it are
    /// used by code outside the analysis, so they are recorded as its identity references.
    fn record_opaque_module(&self, name: &str, inputs: &Node) {
        let mut references = Vec::new();
        inputs.walk(|n, _| {
            if crate::lower::common::is_identity_reference(n) {
                references.push(n.clone());
            }
        });
        if references.is_empty() {
            return;
        }
        self.model
            .borrow_mut()
            .resources
            .push(crate::model::Resource {
                unit: self.unit.clone(),
                kind: "microsoft.resources/deployments".into(),
                kind_display: format!("module.{name}"),
                api_version: None,
                name: crate::model::PStr::lit(name),
                symbol: Some(Arc::from(format!("module.{name}"))),
                id: crate::model::PStr::default(),
                span: inputs.span,
                existing: false,
                many: false,
                identity: None,
                properties: None,
                identity_references: references,
                family: crate::source::FormatFamily::Terraform,
            });
    }

    fn instantiate(
        &self,
        name: &str,
        file: FileId,
        b: &Block,
        depth: usize,
    ) -> Result<Rc<Outputs>, String> {
        let source = b
            .body
            .get_attribute("source")
            .and_then(|a| a.value.as_str())
            .unwrap_or("")
            .to_owned();
        // Evaluate the inputs (even for remote modules: their secrets are ours).
        let mut inputs = HashMap::new();
        const META: &[&str] = &[
            "source",
            "version",
            "count",
            "for_each",
            "providers",
            "depends_on",
        ];
        for a in b.body.attributes() {
            let key = a.key.as_str();
            if META.contains(&key) {
                continue;
            }
            let fallback = span_of(file, a.span(), block_span(file, b));
            inputs.insert(
                key.to_owned(),
                self.ev(file).eval_d(&a.value, fallback, depth + 1),
            );
        }
        let mut sorted: Vec<(&String, &Node)> = inputs.iter().collect();
        sorted.sort_by_key(|(k, _)| k.as_str());
        let obj = Node::new(
            Val::Object(
                sorted
                    .iter()
                    .map(|(k, v)| Prop {
                        key: Node::lit_str(k.as_str(), v.span),
                        value: (*v).clone(),
                    })
                    .collect(),
            ),
            header_span(file, b),
            Provenance::Literal,
        );
        self.push_secrets(&obj, &format!("module.{name}"));
        if !is_local_source(&source) {
            self.record_opaque_module(name, &obj);
            return Err(format!("output of remote module '{source}'"));
        }
        let dir = normalize(&self.dir.join(&source));
        let Some(m) = self.dirs.get(&dir).filter(|m| !m.tf.is_empty()) else {
            self.record_opaque_module(name, &obj);
            return Err(format!(
                "module source '{source}' is not among the analysed files"
            ));
        };
        if self.ancestors.contains(&dir) || self.ancestors.len() > MAX_MODULE_DEPTH {
            return Err(format!("module '{name}' calls itself"));
        }
        let many = self.many
            || b.body.get_attribute("count").is_some()
            || b.body.get_attribute("for_each").is_some();
        let mut ancestors = self.ancestors.clone();
        ancestors.push(dir.clone());
        let child = Instance::new(
            self.db,
            self.dirs,
            dir,
            m,
            Arc::from(format!("{}/module.{name}", self.unit)),
            inputs,
            many,
            ancestors,
        );
        let (model, outputs) = child.lower_all();
        self.model.borrow_mut().merge(model);
        Ok(Rc::new(outputs))
    }
}

/// `{name: value}`, so that secret collection sees the name as the key.
pub(crate) fn keyed(name: &str, value: Node) -> Node {
    let span = value.span;
    let prov = value.prov;
    Node::new(
        Val::Object(vec![Prop {
            key: Node::lit_str(name, span),
            value,
        }]),
        span,
        prov,
    )
}

impl TfEnv for Instance<'_> {
    fn reference(&self, root: &str, steps: &[Step], span: Span, depth: usize) -> Node {
        let first = match steps.first() {
            Some(Step::Attr(a)) => Some(a.as_str()),
            _ => None,
        };
        match (root, first) {
            ("var", Some(n)) => apply_steps(self.variable(n, span), &steps[1..], span),
            ("local", Some(n)) => {
                let mut v = self.local(n, depth);
                if v.span == Span::default() {
                    v.span = span;
                }
                apply_steps(v, &steps[1..], span)
            }
            ("module", Some(n)) => match self.module_outputs(n, depth) {
                Ok(outs) => match steps.get(1) {
                    Some(Step::Attr(o)) => match outs.get(o) {
                        Some(v) => apply_steps(v.clone(), &steps[2..], span),
                        None => Node::unknown(format!("module '{n}' has no output '{o}'"), span),
                    },
                    _ => Node::unknown(format!("all outputs of module '{n}'"), span),
                },
                Err(reason) => Node::unknown(reason, span),
            },
            ("data", Some(t)) => match steps.get(1) {
                Some(Step::Attr(n)) => super::resources::reference(
                    self,
                    &format!("data.{t}.{n}"),
                    t,
                    &steps[2..],
                    span,
                    depth,
                ),
                _ => Node::unknown("a data source", span),
            },
            ("count", _) | ("each", _) => {
                Node::unknown(format!("{root}: one of several instances"), span)
            }
            ("path", _) | ("terraform", _) | ("self", _) => {
                Node::unknown(format!("'{root}' is known only when Terraform runs"), span)
            }
            (_, Some(n)) if self.decls.resources.contains_key(&format!("{root}.{n}")) => {
                super::resources::reference(
                    self,
                    &format!("{root}.{n}"),
                    root,
                    &steps[1..],
                    span,
                    depth,
                )
            }
            _ => {
                let _ = combine_prov([]);
                Node::unknown(format!("'{root}' is not known"), span)
            }
        }
    }
}
