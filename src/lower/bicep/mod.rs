//! Bicep templates and `.bicepparam` files → model.
//!
//! Each Bicep file that no other analyzed Bicep file uses as a local module is an entry; its
//! modules are lowered inside it, one unit per module instance (`bicep:<entry>#<module>`), with
//! the parameter values and scope the caller gives them. A `.bicepparam` file supplies values
//! to the template it names (the first one in path order per template) and is checked on its
//! own for committed secrets.

pub mod expr;
mod modules;

use crate::lower::common::{
    collect_secrets, federated_credential_from_properties, identity_from_node, identity_references,
    keyvault_policies_from_properties, looks_like_reference, role_assignment_from_properties,
    role_definition_from_properties,
};
use crate::lower::eval::{self, DeployLevel, Deployment, Env};
use crate::lower::{Lowered, parse_error};
use crate::model::secrets::{is_placeholder, is_secret_parameter_name, scan};
use crate::model::value::SecretOrigin;
use crate::model::{
    Attr, Model, Node, Output, PStr, ParamKind, Parameter, Provenance, Resource, ResourceLink,
    ResourceView, SecretKind, SecretSite, UnitKey, Val,
};
use crate::parse::bicep::{
    self as ast, BicepFile, ExprKind, ObjectItem, Statement, StatementKind, TypeExpr, TypeKind,
};
use crate::source::{FileId, Format, FormatFamily, SourceDb, Span};
use expr::{Symbols, span as to_span, translate};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const FAMILY: FormatFamily = FormatFamily::Bicep;
/// Modules nested deeper than this are not followed.
const MAX_MODULE_DEPTH: usize = 8;

/// Parameter values supplied from outside (caller's `params:`, `.bicepparam`), by name.
type Supplied = HashMap<String, Node>;

/// Everything shared by the lowering of all entries: the path index and the syntax trees.
///
/// A tree is parsed when a unit first reads it and dropped when the last unit predicted to read
/// it is done (the prediction comes from [`ast::referenced_paths`]), so only the trees of the
/// units in flight are in memory: all trees of a large repository at once took more memory
/// than the whole model.
pub(crate) struct Ctx<'db> {
    db: &'db SourceDb,
    by_path: HashMap<PathBuf, FileId>,
    trees: HashMap<FileId, Tree>,
    /// Per-file results of a file's first parse (syntax errors, credential formats in string
    /// literals), whichever unit parsed it.
    per_file: Mutex<Vec<(FileId, Lowered)>>,
    /// Parameters and outputs already recorded: a module used by many callers declares the
    /// same ones in every instance, and rules see the same thing in each copy.
    declared: Mutex<HashSet<u64>>,
}

/// One file's syntax tree while units still need it.
#[derive(Default)]
struct Tree {
    parsed: Mutex<Option<Arc<BicepFile>>>,
    reported: AtomicBool,
    /// Units not yet finished that are predicted to read this file.
    readers: AtomicUsize,
}

impl<'db> Ctx<'db> {
    fn new(db: &'db SourceDb, files: &[FileId]) -> Self {
        let by_path = files
            .iter()
            .map(|&id| (db.get(id).path.clone(), id))
            .collect();
        let trees = files.iter().map(|&id| (id, Tree::default())).collect();
        Ctx {
            db,
            by_path,
            trees,
            per_file: Mutex::default(),
            declared: Mutex::default(),
        }
    }

    /// Whether a declaration with exactly this content is seen for the first time.
    fn first_declaration(&self, content: &impl std::hash::Hash) -> bool {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let key = BuildHasherDefault::<DefaultHasher>::default().hash_one(content);
        self.declared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key)
    }

    /// The syntax tree of a file, parsed on first use.
    fn ast(&self, file: FileId) -> Option<Arc<BicepFile>> {
        let tree = self.trees.get(&file)?;
        // Held while parsing: a second unit wanting the same file waits rather than parsing
        // it again.
        let mut slot = tree.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ast) = &*slot {
            return Some(ast.clone());
        }
        let ast = Arc::new(crate::parse::bicep::parse(&self.db.get(file).text));
        if !tree.reported.swap(true, Ordering::Relaxed) {
            let found = per_file_findings(self.db, file, &ast);
            self.per_file
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((file, found));
        }
        if tree.readers.load(Ordering::Acquire) > 0 {
            *slot = Some(ast.clone());
        }
        Some(ast)
    }

    /// A unit predicted to read `file` is done with it.
    fn release(&self, file: FileId) {
        if let Some(tree) = self.trees.get(&file)
            && tree.readers.fetch_sub(1, Ordering::AcqRel) == 1
        {
            *tree.parsed.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// A local module or `using` path, relative to the file that names it.
    fn resolve(&self, from: FileId, relative: &str) -> Option<FileId> {
        if is_registry_path(relative) {
            return None;
        }
        let base = self.db.get(from).path.parent().unwrap_or(Path::new("."));
        let target = crate::source::normalize_path(&base.join(relative));
        self.by_path.get(&target).copied()
    }
}

/// Once per file: syntax errors, and credential formats in every string literal.
fn per_file_findings(db: &SourceDb, file: FileId, ast: &BicepFile) -> Lowered {
    let mut out = Lowered::default();
    for e in &ast.errors {
        out.diagnostics
            .push(parse_error(to_span(file, e.span), e.message.clone()));
    }
    let unit: UnitKey = format!("bicep:{}", db.get(file).display).into();
    scan_strings(&unit, file, &db.get(file).text, ast, &mut out.model.secrets);
    out
}

/// `br:`, `br/alias:`, `ts:`, `ts/alias:` references live in a registry, not in the repo.
fn is_registry_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.starts_with("br:") || p.starts_with("br/") || p.starts_with("ts:") || p.starts_with("ts/")
}

/// The analyzed Bicep files a file names as local modules (or, for a `.bicepparam`, with
/// `using`), predicted from its tokens.
fn predicted_references(ctx: &Ctx<'_>, file: FileId) -> Vec<FileId> {
    ast::referenced_paths(&ctx.db.get(file).text)
        .iter()
        .filter_map(|path| ctx.resolve(file, path))
        .filter(|&target| target != file && ctx.db.get(target).format == Format::Bicep)
        .collect()
}

/// Lower every Bicep entry file (with its modules and parameter file) and every `.bicepparam`.
pub fn lower_all(db: &SourceDb, files: &[FileId]) -> Lowered {
    Lowered::concat(lower_parts(db, files))
}

/// [`lower_all`], one part per unit (the caller concatenates all front ends at once).
pub fn lower_parts(db: &SourceDb, files: &[FileId]) -> Vec<Lowered> {
    use rayon::prelude::*;
    let mut files: Vec<FileId> = files.to_vec();
    files.sort_by(|a, b| db.get(*a).path.cmp(&db.get(*b).path));
    let ctx = Ctx::new(db, &files);
    let bicep: Vec<FileId> = files
        .iter()
        .copied()
        .filter(|&f| db.get(f).format == Format::Bicep)
        .collect();
    let params: Vec<FileId> = files
        .iter()
        .copied()
        .filter(|&f| db.get(f).format == Format::BicepParam)
        .collect();

    let edges: HashMap<FileId, Vec<FileId>> = files
        .par_iter()
        .map(|&f| (f, predicted_references(&ctx, f)))
        .collect();
    let reach = |from: FileId| -> Vec<FileId> {
        let mut seen: HashSet<FileId> = HashSet::new();
        let mut stack = vec![from];
        while let Some(f) = stack.pop() {
            if seen.insert(f) {
                stack.extend(edges.get(&f).into_iter().flatten().copied());
            }
        }
        let mut seen: Vec<FileId> = seen.into_iter().collect();
        seen.sort();
        seen
    };

    // Entries: files no other file uses as a module, then whatever they cannot reach (cycles).
    let used: HashSet<FileId> = bicep
        .iter()
        .flat_map(|f| edges.get(f).into_iter().flatten().copied())
        .collect();
    let mut entries: Vec<FileId> = bicep
        .iter()
        .copied()
        .filter(|f| !used.contains(f))
        .collect();
    let mut reached: HashSet<FileId> = entries.iter().flat_map(|&e| reach(e)).collect();
    for &f in &bicep {
        if !reached.contains(&f) {
            entries.push(f);
            reached.extend(reach(f));
        }
    }

    // Parameter files: the first per template supplies its values.
    let mut param_of: HashMap<FileId, FileId> = HashMap::new();
    let mut template_of: HashMap<FileId, FileId> = HashMap::new();
    for &p in &params {
        if let Some(&t) = edges.get(&p).and_then(|e| e.first()) {
            template_of.insert(p, t);
            param_of.entry(t).or_insert(p);
        }
    }

    let mut units: Vec<Unit> = entries
        .iter()
        .map(|&e| UnitKind::Entry(e, param_of.get(&e).copied()))
        .chain(
            params
                .iter()
                .map(|&p| UnitKind::Params(p, template_of.get(&p).copied())),
        )
        .map(|kind| {
            let reads = match kind {
                UnitKind::Entry(e, p) => reach(e).into_iter().chain(p).collect(),
                UnitKind::Params(p, t) => std::iter::once(p).chain(t).collect(),
            };
            Unit { kind, reads }
        })
        .collect();
    let mut results = run_units(&ctx, &units);
    // A file no unit read (a module predicted from its tokens that its caller's tree does not
    // have) is an entry of its own.
    units = bicep
        .iter()
        .filter(|&&f| !ctx.trees[&f].reported.load(Ordering::Relaxed))
        .map(|&f| Unit {
            kind: UnitKind::Entry(f, None),
            reads: reach(f),
        })
        .collect();
    results.extend(run_units(&ctx, &units));
    debug_assert!(
        ctx.trees
            .values()
            .all(|t| t.parsed.lock().is_ok_and(|slot| slot.is_none())),
        "every syntax tree is dropped once its last reader is done"
    );

    let mut per_file = std::mem::take(&mut *ctx.per_file.lock().unwrap_or_else(|e| e.into_inner()));
    per_file.sort_by_key(|(f, _)| *f);
    results.extend(per_file.into_iter().map(|(_, found)| found));
    results
}

#[derive(Clone, Copy)]
enum UnitKind {
    /// An entry template with the parameter file that supplies its values.
    Entry(FileId, Option<FileId>),
    /// A parameter file with the template it names.
    Params(FileId, Option<FileId>),
}

/// A unit of lowering and the files it is predicted to read.
struct Unit {
    kind: UnitKind,
    reads: Vec<FileId>,
}

/// Lower units in parallel; each releases the trees it read.
fn run_units(ctx: &Ctx<'_>, units: &[Unit]) -> Vec<Lowered> {
    use rayon::prelude::*;
    for u in units {
        for f in &u.reads {
            if let Some(tree) = ctx.trees.get(f) {
                tree.readers.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    units
        .par_iter()
        .map(|u| {
            let lowered = match u.kind {
                UnitKind::Entry(file, params) => lower_entry(ctx, file, params),
                UnitKind::Params(file, template) => lower_param_file(ctx, file, template),
            };
            for &f in &u.reads {
                ctx.release(f);
            }
            lowered
        })
        .collect()
}

/// The unit key of an entry file.
fn entry_unit(ctx: &Ctx<'_>, file: FileId) -> UnitKey {
    format!("bicep:{}", ctx.db.get(file).display).into()
}

fn level_of_file(ast: &BicepFile) -> DeployLevel {
    for s in &ast.statements {
        if let StatementKind::TargetScope { value } = &s.kind
            && let ExprKind::String(sx) = &value.kind
            && let Some(text) = sx.as_literal()
        {
            return match text.to_ascii_lowercase().as_str() {
                "subscription" => DeployLevel::Subscription,
                "managementgroup" => DeployLevel::ManagementGroup,
                "tenant" => DeployLevel::Tenant,
                _ => DeployLevel::ResourceGroup,
            };
        }
    }
    DeployLevel::ResourceGroup
}

/// Lower one entry template, with values from its `.bicepparam` when one names it.
fn lower_entry(ctx: &Ctx<'_>, file: FileId, params: Option<FileId>) -> Lowered {
    let Some(ast) = ctx.ast(file) else {
        return Lowered::default();
    };
    let supplied = params
        .map(|p| param_file_values(ctx, p, level_of_file(&ast)))
        .unwrap_or_default();
    let lw = Lowerer {
        ctx,
        model: RefCell::default(),
        unknown_identity_ref: Default::default(),
    };
    let inst = Instance::new(
        &lw,
        file,
        &ast,
        entry_unit(ctx, file),
        Deployment::new(level_of_file(&ast), &entry_unit(ctx, file)),
        supplied,
        false,
        vec![file],
    );
    inst.run();
    let mut model = lw.model.into_inner();
    if lw.unknown_identity_ref.get() {
        let units: HashSet<UnitKey> = model.resources.iter().map(|r| r.unit.clone()).collect();
        let mut units: Vec<UnitKey> = units.into_iter().collect();
        units.sort();
        model.units_with_unknown_identity_refs.extend(units);
    }
    Lowered {
        model,
        diagnostics: Vec::new(),
    }
}

/// Shared state of one entry's lowering (the entry and all its module instances).
pub(crate) struct Lowerer<'c, 'db> {
    ctx: &'c Ctx<'db>,
    model: RefCell<Model>,
    /// An unread module was given an identity id whose name is unknown.
    unknown_identity_ref: std::cell::Cell<bool>,
}

/// A resource declaration: top level, or a child nested in a parent's body.
#[derive(Clone)]
struct ResDecl<'a> {
    stmt: &'a Statement,
    /// The symbol path of the enclosing resource for nested children.
    parent: Option<String>,
}

/// What other declarations need of a resource: its full type, name and id.
#[derive(Clone, Debug)]
struct ResInfo {
    kind_display: String,
    /// The `@version` of the type string.
    api_version: Option<String>,
    name: PStr,
    id: PStr,
    existing: bool,
}

/// One lowering of one file: the entry itself, or one module instance.
pub(crate) struct Instance<'a, 'c, 'db> {
    lw: &'a Lowerer<'c, 'db>,
    file: FileId,
    ast: &'a BicepFile,
    unit: UnitKey,
    deployment: Deployment,
    supplied: Supplied,
    /// Inside a module loop: everything declared is possibly many.
    many: bool,
    /// Files of the module chain down to this one (cycle guard).
    chain: Vec<FileId>,
    params: HashMap<&'a str, &'a Statement>,
    vars: HashMap<&'a str, &'a ast::Expr>,
    resources: HashMap<String, ResDecl<'a>>,
    resource_order: Vec<String>,
    modules: HashMap<&'a str, &'a Statement>,
    functions: HashSet<&'a str>,
    var_cache: RefCell<HashMap<String, Node>>,
    res_info: RefCell<HashMap<String, ResInfo>>,
    module_values: RefCell<HashMap<String, Node>>,
    in_progress: RefCell<HashSet<String>>,
    /// Loop variables in scope (innermost last).
    locals: RefCell<Vec<(String, Node)>>,
    /// Symbol paths of the resources whose bodies are being evaluated (for nested names).
    nest: RefCell<Vec<String>>,
    /// Provenance of parameter values written in this file (defaults, or `.bicepparam`).
    param_prov: Provenance,
}

fn decorated(decorators: &[ast::Decorator], name: &str) -> bool {
    decorators.iter().any(|d| match &d.expr.kind {
        ExprKind::Call { name: n, .. } => n.name.eq_ignore_ascii_case(name),
        ExprKind::Ident(n) => n.name.eq_ignore_ascii_case(name),
        _ => false,
    })
}

/// The lowercase type name of a parameter, as rules compare it.
fn type_name(ty: &TypeExpr) -> String {
    match &ty.kind {
        TypeKind::Name(id) => id.name.to_ascii_lowercase(),
        TypeKind::Generic { name, .. } => name.name.to_ascii_lowercase(),
        TypeKind::Nullable(inner) | TypeKind::Paren(inner) => type_name(inner),
        TypeKind::Array(_) | TypeKind::Tuple(_) => "array".into(),
        TypeKind::Object(_) => "object".into(),
        TypeKind::Resource(_) => "resource".into(),
        TypeKind::String(_) | TypeKind::Union(_) => "union".into(),
        TypeKind::Int { .. } => "int".into(),
        _ => "type".into(),
    }
}

/// The object of a resource or module body, unwrapping `if` and `for`; the loop if any.
fn unwrap_body(body: &ast::Expr) -> (Option<&ast::ForExpr>, Option<&ast::Expr>) {
    let mut e = body;
    let mut for_expr = None;
    loop {
        match &e.kind {
            ExprKind::For(f) => {
                for_expr = Some(&**f);
                e = &f.body;
            }
            ExprKind::If { body, .. } => e = body,
            ExprKind::Paren(inner) => e = inner,
            ExprKind::Object(_) => return (for_expr, Some(e)),
            _ => return (for_expr, None),
        }
    }
}

/// The `if (…)` condition of a resource or module body, inside any loop.
pub(crate) fn body_condition(body: &ast::Expr) -> Option<&ast::Expr> {
    let mut e = body;
    loop {
        match &e.kind {
            ExprKind::For(f) => e = &f.body,
            ExprKind::Paren(inner) => e = inner,
            ExprKind::If { cond, .. } => return Some(cond),
            _ => return None,
        }
    }
}

fn body_items(obj: Option<&ast::Expr>) -> &[ObjectItem] {
    match obj.map(|o| &o.kind) {
        Some(ExprKind::Object(items)) => items,
        _ => &[],
    }
}

/// The expression of a property of a body object.
fn body_prop<'e>(obj: Option<&'e ast::Expr>, key: &str) -> Option<&'e ast::Expr> {
    body_items(obj).iter().find_map(|i| match i {
        ObjectItem::Property(p) if p.key.name().is_some_and(|k| k.eq_ignore_ascii_case(key)) => {
            Some(&p.value)
        }
        _ => None,
    })
}

/// Change `Literal` provenance to `to` everywhere in a value (defaults, parameter files).
fn retag(mut node: Node, to: Provenance) -> Node {
    fn go(n: &mut Node, to: Provenance) {
        if n.prov == Provenance::Literal {
            n.prov = to;
        }
        match &mut n.val {
            Val::Array(items) => items.iter_mut().for_each(|i| go(i, to)),
            Val::Object(props) => props.iter_mut().for_each(|p| {
                go(&mut p.key, to);
                go(&mut p.value, to);
            }),
            _ => {}
        }
    }
    go(&mut node, to);
    node
}

fn with_span(mut n: Node, span: Span) -> Node {
    n.span = span;
    n
}

/// The id of a resource of type `ty` named `name` under `prefix` (a scope id).
fn provider_id(prefix: PStr, ty: &str, name: &PStr) -> PStr {
    let lower = ty.to_ascii_lowercase();
    let names = crate::model::PStr::split_path(name);
    // Scopes that are resources too have ids of their own shape.
    if lower == "microsoft.resources/resourcegroups" {
        let mut out = prefix;
        out.push_str("/resourceGroups/");
        out.push(&names[0]);
        return out;
    }
    if lower == "microsoft.management/managementgroups" {
        let mut out = PStr::lit("/providers/Microsoft.Management/managementGroups/");
        out.push(&names[0]);
        return out;
    }
    let mut types = ty.split('/');
    let mut out = prefix;
    out.push_str("/providers/");
    out.push_str(types.next().unwrap_or(""));
    for (i, t) in types.enumerate() {
        out.push_str("/");
        out.push_str(t);
        out.push_str("/");
        out.push(names.get(i).unwrap_or(&PStr::hole("a missing name", None)));
    }
    out
}

impl<'a, 'c, 'db> Instance<'a, 'c, 'db> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        lw: &'a Lowerer<'c, 'db>,
        file: FileId,
        ast: &'a BicepFile,
        unit: UnitKey,
        deployment: Deployment,
        supplied: Supplied,
        many: bool,
        chain: Vec<FileId>,
    ) -> Self {
        let mut inst = Instance {
            lw,
            file,
            ast,
            unit,
            deployment,
            supplied,
            many,
            chain,
            params: HashMap::new(),
            vars: HashMap::new(),
            resources: HashMap::new(),
            resource_order: Vec::new(),
            modules: HashMap::new(),
            functions: HashSet::new(),
            var_cache: RefCell::default(),
            res_info: RefCell::default(),
            module_values: RefCell::default(),
            in_progress: RefCell::default(),
            locals: RefCell::default(),
            nest: RefCell::default(),
            param_prov: Provenance::Default,
        };
        for stmt in &ast.statements {
            match &stmt.kind {
                StatementKind::Param { name, .. } => {
                    inst.params.insert(&name.name, stmt);
                }
                StatementKind::Var { name, value, .. } => {
                    inst.vars.insert(&name.name, value);
                }
                StatementKind::Resource { .. } => inst.declare_resource(stmt, None),
                StatementKind::Module { name, .. } => {
                    inst.modules.insert(&name.name, stmt);
                }
                StatementKind::Func { name, .. } => {
                    inst.functions.insert(&name.name);
                }
                StatementKind::Import(ast::Import::Named { items, .. }) => {
                    for i in items {
                        inst.functions
                            .insert(&i.alias.as_ref().unwrap_or(&i.name).name);
                    }
                }
                _ => {}
            }
        }
        inst
    }

    fn declare_resource(&mut self, stmt: &'a Statement, parent: Option<String>) {
        let StatementKind::Resource { name, body, .. } = &stmt.kind else {
            return;
        };
        let path = match &parent {
            Some(p) => format!("{p}::{}", name.name),
            None => name.name.to_string(),
        };
        self.resources
            .insert(path.clone(), ResDecl { stmt, parent });
        self.resource_order.push(path.clone());
        let (_, obj) = unwrap_body(body);
        for item in body_items(obj) {
            if let ObjectItem::Resource(child) = item {
                self.declare_resource(child, Some(path.clone()));
            }
        }
    }
}

impl Symbols for Instance<'_, '_, '_> {
    fn is_symbol(&self, name: &str) -> bool {
        self.locals.borrow().iter().any(|(n, _)| n == name)
            || self.params.contains_key(name)
            || self.vars.contains_key(name)
            || self.resources.contains_key(name)
            || self.modules.contains_key(name)
    }

    fn is_function(&self, name: &str) -> bool {
        self.functions.contains(name)
    }
}

impl Env for Instance<'_, '_, '_> {
    fn parameter(&self, name: &str, span: Span) -> Node {
        self.param_value(name, span)
    }

    fn variable(&self, name: &str, span: Span) -> Node {
        self.var_value(name, span)
    }

    fn symbol(&self, name: &str, span: Span) -> Node {
        if let Some((_, v)) = self.locals.borrow().iter().rev().find(|(n, _)| n == name) {
            return with_span(v.clone(), span);
        }
        for prefix in self.nest.borrow().iter().rev() {
            let path = format!("{prefix}::{name}");
            if self.resources.contains_key(&path) {
                return self.resource_link(&path, span);
            }
        }
        if self.params.contains_key(name) {
            return self.param_value(name, span);
        }
        if self.vars.contains_key(name) {
            return self.var_value(name, span);
        }
        if self.resources.contains_key(name) {
            return self.resource_link(name, span);
        }
        if self.modules.contains_key(name) {
            return with_span(self.module_value(name), span);
        }
        if self.functions.contains(name) {
            return Node::unknown(
                format!("'{name}' is an imported or user-defined name"),
                span,
            );
        }
        Node::unknown(format!("unknown symbol '{name}'"), span)
    }

    fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    fn unit(&self) -> Arc<str> {
        self.unit.clone()
    }
}

impl<'a> Instance<'a, '_, '_> {
    /// Evaluate an expression of this file.
    fn eval(&self, e: &ast::Expr) -> Node {
        let x = translate(e, self.file, self);
        eval::eval(&x, self)
    }

    /// Evaluate without the loop variables in scope (declarations outside any loop).
    fn eval_outside(&self, e: &ast::Expr) -> Node {
        let locals = std::mem::take(&mut *self.locals.borrow_mut());
        let nest = std::mem::take(&mut *self.nest.borrow_mut());
        let n = self.eval(e);
        *self.locals.borrow_mut() = locals;
        *self.nest.borrow_mut() = nest;
        n
    }

    fn span(&self, s: ast::Span) -> Span {
        to_span(self.file, s)
    }

    fn resource_link(&self, path: &str, span: Span) -> Node {
        Node::new(
            Val::Resource {
                link: ResourceLink::Symbol {
                    unit: self.unit.clone(),
                    name: path.into(),
                },
                view: ResourceView::Symbol,
            },
            span,
            Provenance::Computed,
        )
    }

    fn param_value(&self, name: &str, span: Span) -> Node {
        let Some(stmt) = self.params.get(name).copied() else {
            return Node::unknown(format!("parameter '{name}' is not declared"), span);
        };
        let StatementKind::Param { ty, default, .. } = &stmt.kind else {
            return Node::unknown("not a parameter", span);
        };
        if decorated(&stmt.decorators, "secure") {
            // A secure value is a secret wherever it flows; its default is judged at the
            // declaration by `secure-parameter-default`.
            return Node::new(
                Val::Secret(SecretOrigin::SecureParameter(name.to_owned())),
                span,
                Provenance::Computed,
            );
        }
        if let Some(v) = self.supplied.get(name) {
            return v.clone();
        }
        if let Some(default) = default {
            let key = format!("p:{name}");
            if !self.in_progress.borrow_mut().insert(key.clone()) {
                return Node::unknown("a parameter default that refers to itself", span);
            }
            let node = retag(self.eval_outside(default), self.param_prov);
            self.in_progress.borrow_mut().remove(&key);
            return node;
        }
        // A nullable parameter (`string?`) may be null: not a string with a hole.
        let is_string = ty
            .as_ref()
            .is_none_or(|t| matches!(&t.kind, TypeKind::Name(n) if &*n.name == "string"));
        eval::unsupplied_parameter(&self.unit, name, name, is_string, span)
    }

    fn var_value(&self, name: &str, span: Span) -> Node {
        if let Some(n) = self.var_cache.borrow().get(name) {
            return n.clone();
        }
        let Some(e) = self.vars.get(name).copied() else {
            return Node::unknown(format!("variable '{name}' is not declared"), span);
        };
        let key = format!("v:{name}");
        if !self.in_progress.borrow_mut().insert(key.clone()) {
            return Node::unknown("a variable that refers to itself", span);
        }
        let node = self.eval_outside(e);
        self.in_progress.borrow_mut().remove(&key);
        self.var_cache
            .borrow_mut()
            .insert(name.to_owned(), node.clone());
        node
    }

    /// Bind a statement loop's variables as unknown values for the duration of `f`.
    fn in_loop<T>(&self, for_expr: Option<&ast::ForExpr>, f: impl FnOnce() -> T) -> T {
        let Some(fe) = for_expr else {
            return f();
        };
        let n = self.locals.borrow().len();
        let item_span = self.span(fe.item.span);
        self.locals.borrow_mut().push((
            fe.item.name.to_string(),
            Node::unknown(format!("'{}': one item of a loop", fe.item.name), item_span),
        ));
        if let Some(i) = &fe.index {
            self.locals.borrow_mut().push((
                i.name.to_string(),
                Node::unknown("a loop index", self.span(i.span)),
            ));
        }
        let out = f();
        self.locals.borrow_mut().truncate(n);
        out
    }

    /// Full type, name and id of a resource, computed once and on demand (a resource may
    /// name a parent or scope declared further down).
    fn info(&self, path: &str) -> Option<ResInfo> {
        if let Some(i) = self.res_info.borrow().get(path) {
            return Some(i.clone());
        }
        let decl = self.resources.get(path)?.clone();
        let key = format!("r:{path}");
        if !self.in_progress.borrow_mut().insert(key.clone()) {
            return None;
        }
        let info = self.compute_info(path, &decl);
        self.in_progress.borrow_mut().remove(&key);
        self.res_info
            .borrow_mut()
            .insert(path.to_owned(), info.clone());
        Some(info)
    }

    fn compute_info(&self, path: &str, decl: &ResDecl<'a>) -> ResInfo {
        let StatementKind::Resource {
            type_string,
            existing,
            body,
            ..
        } = &decl.stmt.kind
        else {
            unreachable!("only resources are declared as resources");
        };
        let ty = type_string.value.split('@').next().unwrap_or("").to_owned();
        let api_version = type_string
            .value
            .split_once('@')
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        let (for_expr, obj) = unwrap_body(body);
        let saved_locals = std::mem::take(&mut *self.locals.borrow_mut());
        let saved_nest = std::mem::take(&mut *self.nest.borrow_mut());
        // Loop variables of the enclosing resources and this one are unknown here.
        let loops = self.loops_of(path);
        let _ = for_expr;
        let (name_node, parent_node, scope_node) = self.in_loops(&loops, || {
            (
                body_prop(obj, "name").map(|e| self.eval(e)),
                body_prop(obj, "parent").map(|e| self.eval(e)),
                body_prop(obj, "scope").map(|e| self.eval(e)),
            )
        });
        *self.locals.borrow_mut() = saved_locals;
        *self.nest.borrow_mut() = saved_nest;

        let mut name = match name_node.as_ref().map(|n| &n.val) {
            Some(Val::Str(p)) => p.clone(),
            _ => PStr::hole(format!("the name of '{path}'"), None),
        };
        let parent_path = decl
            .parent
            .clone()
            .or_else(|| match parent_node.map(|n| n.val) {
                Some(Val::Resource {
                    link: ResourceLink::Symbol { unit, name },
                    ..
                }) if unit == self.unit => Some(name.to_string()),
                _ => None,
            });
        let parent = parent_path.as_deref().and_then(|p| self.info(p));
        let mut kind_display = ty.clone();
        let id = if let Some(parent) = &parent {
            if !ty.contains('/') {
                kind_display = format!("{}/{ty}", parent.kind_display);
            }
            let child_ty = kind_display.rsplit('/').next().unwrap_or("").to_owned();
            let mut id = parent.id.clone();
            id.push_str("/");
            id.push_str(&child_ty);
            id.push_str("/");
            id.push(&name);
            name = PStr::concat([parent.name.clone(), PStr::lit("/"), name]);
            id
        } else {
            let prefix = match &scope_node {
                Some(s) => self.scope_prefix(s),
                None => match self.deployment.level {
                    DeployLevel::ResourceGroup => self.deployment.resource_group_id(),
                    DeployLevel::Subscription => self.deployment.subscription_id(),
                    DeployLevel::ManagementGroup => self.deployment.scope_id(),
                    DeployLevel::Tenant => PStr::default(),
                },
            };
            let prefix = if ty.eq_ignore_ascii_case("microsoft.resources/resourcegroups")
                && scope_node.is_none()
            {
                self.deployment.subscription_id()
            } else {
                prefix
            };
            provider_id(prefix, &kind_display, &name)
        };
        ResInfo {
            kind_display,
            api_version,
            name,
            id,
            existing: *existing,
        }
    }

    fn in_loops<T>(&self, loops: &[&ast::ForExpr], f: impl FnOnce() -> T) -> T {
        match loops.split_first() {
            None => f(),
            Some((first, rest)) => self.in_loop(Some(first), || self.in_loops(rest, f)),
        }
    }

    /// The id a `scope:` value stands for, as a prefix for ids of resources under it.
    fn scope_prefix(&self, scope: &Node) -> PStr {
        match &scope.val {
            Val::Resource {
                link: ResourceLink::Symbol { unit, name },
                ..
            } if *unit == self.unit => self
                .info(name)
                .map(|i| i.id)
                .unwrap_or_else(|| PStr::hole("a scope that refers to itself", None)),
            Val::Object(_) => scope
                .get("id")
                .and_then(|i| i.as_pstr().cloned())
                .unwrap_or_else(|| PStr::hole("a scope object without id", None)),
            Val::Str(p) => p.clone(),
            _ => PStr::hole("a scope known only at deployment", None),
        }
    }

    /// A `scope:` value as role assignments keep it: a resource link or a scope string.
    fn scope_node(&self, scope: &Node) -> Node {
        match &scope.val {
            Val::Object(_) => match scope.get("id") {
                Some(id) => with_span(id.clone(), scope.span),
                None => Node::unknown("a scope object without id", scope.span),
            },
            _ => scope.clone(),
        }
    }

    /// Lower every declaration of the file.
    fn run(&self) -> Node {
        for stmt in &self.ast.statements {
            match &stmt.kind {
                StatementKind::Param { name, ty, default } => {
                    let default = default
                        .as_ref()
                        .map(|d| retag(self.eval_outside(d), Provenance::Default));
                    let ty = ty.as_ref().map(type_name);
                    let secure = decorated(&stmt.decorators, "secure");
                    let name_span = self.span(name.span);
                    if self
                        .lw
                        .ctx
                        .first_declaration(&("param", name_span, &ty, secure, &default))
                    {
                        self.lw.model.borrow_mut().parameters.push(Parameter {
                            unit: self.unit.clone(),
                            name: name.name.to_string(),
                            name_span,
                            span: self.span(stmt.span),
                            kind: ParamKind::Template,
                            ty,
                            secure,
                            ephemeral: false,
                            default,
                            family: FAMILY,
                        });
                    }
                }
                StatementKind::Module { name, .. } => {
                    self.module_value(&name.name);
                }
                _ => {}
            }
        }
        for path in &self.resource_order {
            self.lower_resource(path);
        }
        let mut outputs = Vec::new();
        for stmt in &self.ast.statements {
            if let StatementKind::Output { name, value, .. } = &stmt.kind {
                let v = self.eval_outside(value);
                outputs.push(crate::model::Prop {
                    key: Node::lit_str(name.name.to_string(), self.span(name.span)),
                    value: v.clone(),
                });
                let (span, protected) =
                    (self.span(name.span), decorated(&stmt.decorators, "secure"));
                if self
                    .lw
                    .ctx
                    .first_declaration(&("output", span, protected, &v))
                {
                    self.lw.model.borrow_mut().outputs.push(Output {
                        unit: self.unit.clone(),
                        name: name.name.to_string(),
                        span,
                        value: v,
                        protected,
                        family: FAMILY,
                    });
                }
            }
        }
        Node::new(
            Val::Object(outputs),
            self.span(ast::Span::new(0, 0)),
            Provenance::Computed,
        )
    }

    /// Loops of a resource and of its enclosing resources (outermost first); the resource is
    /// also many when its module instance is.
    fn loops_of(&self, path: &str) -> Vec<&'a ast::ForExpr> {
        let mut loops = Vec::new();
        let mut p = Some(path.to_owned());
        while let Some(pp) = p {
            let Some(d) = self.resources.get(&pp) else {
                break;
            };
            if let StatementKind::Resource { body, .. } = &d.stmt.kind
                && let (Some(fe), _) = unwrap_body(body)
            {
                loops.push(fe);
            }
            p = d.parent.clone();
        }
        loops.reverse();
        loops
    }

    fn lower_resource(&self, path: &str) {
        let Some(decl) = self.resources.get(path).cloned() else {
            return;
        };
        let Some(info) = self.info(path) else {
            return;
        };
        let StatementKind::Resource { body, .. } = &decl.stmt.kind else {
            return;
        };
        let span = self.span(decl.stmt.span);
        let loops = self.loops_of(path);
        let many = self.many || !loops.is_empty();
        // A condition known to be false: the resource is not deployed.
        if let Some(cond) = body_condition(body)
            && self.in_loops(&loops, || self.eval(cond)).as_bool() == Some(false)
        {
            return;
        }
        let (_, obj) = unwrap_body(body);
        let (properties, identity, scope) = self.in_loops(&loops, || {
            // Names of children and siblings resolve inside the body.
            let mut nest = Vec::new();
            let mut p = decl.parent.clone();
            while let Some(pp) = p {
                p = self.resources.get(&pp).and_then(|d| d.parent.clone());
                nest.push(pp);
            }
            nest.reverse();
            nest.push(path.to_owned());
            let saved = std::mem::replace(&mut *self.nest.borrow_mut(), nest);
            let r = (
                body_prop(obj, "properties").map(|e| self.eval(e)),
                body_prop(obj, "identity").map(|e| self.eval(e)),
                body_prop(obj, "scope").map(|e| self.eval(e)),
            );
            *self.nest.borrow_mut() = saved;
            r
        });
        let kind = info.kind_display.to_ascii_lowercase();
        let symbol: Arc<str> = path.into();
        let self_link = ResourceLink::Symbol {
            unit: self.unit.clone(),
            name: symbol.clone(),
        };
        let parent_link = || {
            decl.parent
                .as_ref()
                .map(|p| ResourceLink::Symbol {
                    unit: self.unit.clone(),
                    name: p.as_str().into(),
                })
                .or_else(|| {
                    let parent =
                        self.in_loops(&loops, || body_prop(obj, "parent").map(|e| self.eval(e)))?;
                    match parent.val {
                        Val::Resource { link, .. } => Some(link),
                        _ => None,
                    }
                })
        };
        let mut model = Model::default();

        if kind.ends_with("microsoft.authorization/roleassignments") {
            let (scope, scope_span) = match &scope {
                Some(sc) => (self.scope_node(sc), sc.span),
                None => (
                    Node::new(
                        Val::Str(self.deployment.scope_id()),
                        span,
                        Provenance::Computed,
                    ),
                    span,
                ),
            };
            let mut props = properties
                .clone()
                .unwrap_or_else(|| Node::new(Val::Object(Vec::new()), span, Provenance::Literal));
            self.resolve_role_reference(&mut props);
            let label = match info.name.known() {
                Some(n) => format!("role assignment '{n}'"),
                None => format!("role assignment '{path}'"),
            };
            model.role_assignments.push(role_assignment_from_properties(
                &self.unit, FAMILY, span, &props, scope, scope_span, many, label,
            ));
        }
        if kind == "microsoft.authorization/roledefinitions"
            && let Some(props) = &properties
        {
            let name_node = Node::new(Val::Str(info.name.clone()), span, Provenance::Computed);
            model.role_definitions.push(role_definition_from_properties(
                &self.unit,
                FAMILY,
                span,
                Some(name_node),
                props,
                Some(self_link.clone()),
            ));
        }
        if kind == "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials" {
            let identity_node = match parent_link() {
                Some(link) => Node::new(
                    Val::Resource {
                        link,
                        view: ResourceView::Symbol,
                    },
                    span,
                    Provenance::Computed,
                ),
                None => {
                    let parent_name = crate::model::PStr::split_path(&info.name)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    let prefix = match self.deployment.level {
                        DeployLevel::ResourceGroup => self.deployment.resource_group_id(),
                        _ => self.deployment.scope_id(),
                    };
                    Node::new(
                        Val::Str(provider_id(
                            prefix,
                            "Microsoft.ManagedIdentity/userAssignedIdentities",
                            &parent_name,
                        )),
                        span,
                        Provenance::Computed,
                    )
                }
            };
            model
                .federated_credentials
                .push(federated_credential_from_properties(
                    &self.unit,
                    FAMILY,
                    span,
                    identity_node,
                    properties.as_ref(),
                ));
        }
        if kind == "microsoft.keyvault/vaults" || kind == "microsoft.keyvault/vaults/accesspolicies"
        {
            let vault = if kind == "microsoft.keyvault/vaults" {
                Some(self_link.clone())
            } else {
                parent_link()
            };
            if let Some(props) = &properties {
                model
                    .keyvault_policies
                    .extend(keyvault_policies_from_properties(
                        &self.unit, FAMILY, props, vault,
                    ));
            }
        }
        if let Some(props) = &properties {
            collect_secrets(&self.unit, FAMILY, props, "properties", &mut model.secrets);
        }
        let (references, unknown_refs) = properties
            .as_ref()
            .map(identity_references)
            .unwrap_or_default();
        let identity_decl = identity.as_ref().map(identity_from_node);
        if unknown_refs
            || identity_decl
                .as_ref()
                .is_some_and(|d| d.user_assigned_unknown)
        {
            model
                .units_with_unknown_identity_refs
                .push(self.unit.clone());
        }
        model.resources.push(Resource {
            unit: self.unit.clone(),
            kind,
            kind_display: info.kind_display.clone(),
            api_version: info.api_version.clone(),
            name: info.name.clone(),
            symbol: Some(symbol),
            id: info.id.clone(),
            span,
            existing: info.existing,
            many,
            identity: identity_decl,
            properties,
            identity_references: references,
            family: FAMILY,
        });
        self.lw.model.borrow_mut().merge(model);
    }

    /// `roleDefinitionId: contributor.id` on an `existing` role definition (the Bicep idiom
    /// for built-in roles) is that definition's id string, which names the built-in role.
    fn resolve_role_reference(&self, props: &mut Node) {
        let Val::Object(items) = &mut props.val else {
            return;
        };
        for p in items.iter_mut() {
            if !p
                .key
                .as_known_str()
                .is_some_and(|k| k.eq_ignore_ascii_case("roleDefinitionId"))
            {
                continue;
            }
            if let Val::Attr {
                link: ResourceLink::Symbol { unit, name },
                attr: Attr::Id,
            } = &p.value.val
                && *unit == self.unit
                && let Some(info) = self.info(name)
                && info.existing
                && info
                    .kind_display
                    .eq_ignore_ascii_case("Microsoft.Authorization/roleDefinitions")
            {
                p.value = Node::new(Val::Str(info.id), p.value.span, Provenance::Computed);
            }
        }
    }
}

/// Evaluate the values of a `.bicepparam` file (committed text: `ParameterFile`).
fn param_file_values(ctx: &Ctx<'_>, file: FileId, level: DeployLevel) -> Supplied {
    let Some(ast) = ctx.ast(file) else {
        return Supplied::new();
    };
    let lw = Lowerer {
        ctx,
        model: RefCell::default(),
        unknown_identity_ref: Default::default(),
    };
    let mut inst = Instance::new(
        &lw,
        file,
        &ast,
        entry_unit(ctx, file),
        Deployment::new(level, &entry_unit(ctx, file)),
        Supplied::new(),
        false,
        vec![file],
    );
    inst.param_prov = Provenance::ParameterFile;
    let mut out = Supplied::new();
    for stmt in &ast.statements {
        if let StatementKind::Param {
            name,
            default: Some(_),
            ..
        } = &stmt.kind
        {
            let v = inst.param_value(&name.name, inst.span(name.span));
            out.insert(name.name.to_string(), v);
        }
    }
    out
}

/// The names of a template's `@secure()` parameters.
fn secure_parameter_names(ast: &BicepFile) -> HashSet<String> {
    ast.statements
        .iter()
        .filter_map(|s| match &s.kind {
            StatementKind::Param { name, .. } if decorated(&s.decorators, "secure") => {
                Some(name.name.to_ascii_lowercase())
            }
            _ => None,
        })
        .collect()
}

/// Check a `.bicepparam` file on its own: literal values for secret-named or secure
/// parameters, and credentials anywhere in its values.
fn lower_param_file(ctx: &Ctx<'_>, file: FileId, template: Option<FileId>) -> Lowered {
    let mut out = Lowered::default();
    let Some(ast) = ctx.ast(file) else {
        return out;
    };
    let template_ast = template.and_then(|t| ctx.ast(t));
    let secure = template_ast
        .as_deref()
        .map(secure_parameter_names)
        .unwrap_or_default();
    let level = template_ast
        .as_deref()
        .map(level_of_file)
        .unwrap_or(DeployLevel::ResourceGroup);
    let values = param_file_values(ctx, file, level);
    let unit = entry_unit(ctx, file);
    for stmt in &ast.statements {
        let StatementKind::Param { name, .. } = &stmt.kind else {
            continue;
        };
        let Some(node) = values.get(&*name.name) else {
            continue;
        };
        let secret_named = is_secret_parameter_name(&name.name)
            || secure.contains(&name.name.to_ascii_lowercase());
        if let (true, Some(text)) = (secret_named, node.as_known_str())
            && node.prov.is_committed_text()
            && !text.is_empty()
            && !is_placeholder(text)
            && !looks_like_reference(text)
        {
            out.model.secrets.push(SecretSite {
                unit: unit.clone(),
                span: node.span,
                value: text.to_owned(),
                kind: SecretKind::ParameterValue,
                context: format!("parameter '{}'", name.name),
                used_at: None,
                family: FAMILY,
            });
            continue;
        }
        collect_secrets(
            &unit,
            FAMILY,
            node,
            &format!("parameter '{}'", name.name),
            &mut out.model.secrets,
        );
    }
    out
}

/// Well-known credential formats in every string literal of a file, wherever it is.
fn scan_strings(
    unit: &UnitKey,
    file: FileId,
    text: &str,
    ast: &BicepFile,
    out: &mut Vec<SecretSite>,
) {
    let mut visit = |s: &ast::StringExpr, sp: ast::Span| {
        let raw_len = (sp.end - sp.start) as usize;
        let plain = s.exprs.is_empty() && !s.multiline;
        for seg in &s.segments {
            for hit in scan(seg) {
                let span = if plain
                    && raw_len == seg.len() + 2
                    && text.get(sp.start as usize + 1..sp.end as usize - 1) == Some(&**seg)
                {
                    Span::new(
                        file,
                        sp.start as usize + 1 + hit.start,
                        sp.start as usize + 1 + hit.end,
                    )
                } else {
                    to_span(file, sp)
                };
                out.push(SecretSite {
                    unit: unit.clone(),
                    span,
                    value: seg[hit.start..hit.end].to_owned(),
                    kind: SecretKind::Pattern(hit.name),
                    context: "a string".into(),
                    used_at: None,
                    family: FAMILY,
                });
            }
        }
    };
    for stmt in &ast.statements {
        walk_statement(stmt, &mut visit);
    }
}

fn walk_statement(stmt: &Statement, f: &mut dyn FnMut(&ast::StringExpr, ast::Span)) {
    for d in &stmt.decorators {
        walk_expr(&d.expr, f);
    }
    match &stmt.kind {
        StatementKind::TargetScope { value }
        | StatementKind::Var { value, .. }
        | StatementKind::Output { value, .. }
        | StatementKind::Metadata { value, .. }
        | StatementKind::Assert { value, .. } => walk_expr(value, f),
        StatementKind::Param {
            default: Some(d), ..
        } => walk_expr(d, f),
        StatementKind::Resource { body, .. }
        | StatementKind::Module { body, .. }
        | StatementKind::Func { body, .. } => walk_expr(body, f),
        StatementKind::Using {
            config: Some(c), ..
        }
        | StatementKind::Extension {
            config: Some(c), ..
        } => walk_expr(c, f),
        _ => {}
    }
}

fn walk_expr(e: &ast::Expr, f: &mut dyn FnMut(&ast::StringExpr, ast::Span)) {
    match &e.kind {
        ExprKind::String(s) => {
            f(s, e.span);
            for x in &s.exprs {
                walk_expr(x, f);
            }
        }
        ExprKind::Object(items) => {
            for i in items {
                match i {
                    ObjectItem::Property(p) => {
                        if let ast::PropertyKey::String { value, span } = &p.key {
                            f(value, *span);
                        }
                        walk_expr(&p.value, f);
                    }
                    ObjectItem::Spread { expr, .. } => walk_expr(expr, f),
                    ObjectItem::Resource(stmt) => walk_statement(stmt, f),
                }
            }
        }
        ExprKind::Array(items) => {
            for i in items {
                match i {
                    ast::ArrayItem::Expr(x) | ast::ArrayItem::Spread { expr: x, .. } => {
                        walk_expr(x, f)
                    }
                }
            }
        }
        ExprKind::Call { base, args, .. } => {
            if let Some(b) = base {
                walk_expr(b, f);
            }
            args.iter().for_each(|a| walk_expr(a, f));
        }
        ExprKind::Member { base, .. } | ExprKind::ResourceAccess { base, .. } => walk_expr(base, f),
        ExprKind::Index { base, index, .. } => {
            walk_expr(base, f);
            walk_expr(index, f);
        }
        ExprKind::NonNull(x) | ExprKind::Paren(x) => walk_expr(x, f),
        ExprKind::Unary { operand, .. } => walk_expr(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            walk_expr(lhs, f);
            walk_expr(rhs, f);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            walk_expr(cond, f);
            walk_expr(then, f);
            walk_expr(otherwise, f);
        }
        ExprKind::For(fe) => {
            walk_expr(&fe.iterable, f);
            walk_expr(&fe.body, f);
        }
        ExprKind::If { cond, body } => {
            walk_expr(cond, f);
            walk_expr(body, f);
        }
        ExprKind::Lambda { body, .. } => walk_expr(body, f),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
