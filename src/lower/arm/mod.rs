//! ARM JSON templates and parameter files → model.

pub mod expr;

use crate::lower::common::{
    collect_secrets, federated_credential_from_properties, identity_from_node, identity_references,
    keyvault_policies_from_properties, role_assignment_from_properties,
    role_definition_from_properties,
};
use crate::lower::eval::{self, DeployLevel, Deployment, Env};
use crate::lower::{Lowered, parse_error};
use crate::model::secrets::{is_placeholder, is_secret_parameter_name, scan};
use crate::model::value::SecretOrigin;
use crate::model::{
    Model, Node, Output, PStr, ParamKind, Parameter, Prop, Provenance, Resource, ResourceLink,
    SecretKind, SecretSite, Seg, UnitKey, Val,
};
use crate::parse::json::{self, Value, as_str, get};
use crate::source::{FileId, Format, FormatFamily, SourceDb, Span};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

const FAMILY: FormatFamily = FormatFamily::Arm;
/// Nested and linked deployments deeper than this are not followed.
const MAX_NESTING: usize = 8;

/// Classify a JSON document by its `$schema`: any deployment scope, http or https, with or
/// without the trailing `#`, in any case.
pub fn detect(text: &str) -> Option<Format> {
    let schema = json::sniff_schema(text)?.to_ascii_lowercase();
    let schema = schema.trim_end_matches('#');
    if !schema.contains("schema.management.azure.com/schemas/") {
        return None;
    }
    if schema.ends_with("deploymentparameters.json") {
        Some(Format::ArmParameters)
    } else if schema.ends_with("deploymenttemplate.json") {
        Some(Format::ArmTemplate)
    } else {
        None
    }
}

fn level_from_schema(schema: Option<&str>) -> DeployLevel {
    let s = schema.unwrap_or_default().to_ascii_lowercase();
    if s.contains("subscriptiondeploymenttemplate") {
        DeployLevel::Subscription
    } else if s.contains("managementgroupdeploymenttemplate") {
        DeployLevel::ManagementGroup
    } else if s.contains("tenantdeploymenttemplate") {
        DeployLevel::Tenant
    } else {
        DeployLevel::ResourceGroup
    }
}

/// Values supplied to a template's parameters from outside (parameter file, nested
/// deployment `parameters`).
type Supplied = HashMap<String, Node>;

/// Lower every ARM template (each with its paired parameter file) and parameter file.
pub fn lower_all(db: &SourceDb, files: &[FileId]) -> Lowered {
    Lowered::concat(lower_parts(db, files))
}

/// [`lower_all`], one part per unit (the caller concatenates all front ends at once).
pub fn lower_parts(db: &SourceDb, files: &[FileId]) -> Vec<Lowered> {
    use rayon::prelude::*;
    enum Unit {
        Template {
            template: FileId,
            parameters: Option<FileId>,
        },
        Parameters {
            file: FileId,
            template: Option<FileId>,
        },
    }
    let mut units = Vec::new();
    let mut params_of: HashMap<FileId, FileId> = HashMap::new();
    for &id in files {
        if db.get(id).format == Format::ArmParameters {
            let template = template_for_parameters(db, id);
            if let Some(t) = template {
                // Files are in path order: the first parameter file of a template wins.
                params_of.entry(t).or_insert(id);
            }
            units.push(Unit::Parameters { file: id, template });
        }
    }
    for &id in files {
        if db.get(id).format == Format::ArmTemplate {
            units.push(Unit::Template {
                template: id,
                parameters: params_of.get(&id).copied(),
            });
        }
    }
    // Templates first, so that parameter files reuse the secure names read while lowering
    // their template instead of parsing it again; merged in unit order all the same.
    let mut templates: HashMap<FileId, (Lowered, HashSet<String>)> = units
        .par_iter()
        .filter_map(|unit| match *unit {
            Unit::Template {
                template,
                parameters,
            } => Some((template, lower_template_inner(db, template, parameters))),
            Unit::Parameters { .. } => None,
        })
        .collect();
    let mut parameters: HashMap<FileId, Lowered> = units
        .par_iter()
        .filter_map(|unit| match *unit {
            Unit::Parameters { file, template } => {
                let secure = template.and_then(|t| templates.get(&t)).map(|(_, s)| s);
                let empty = HashSet::new();
                Some((
                    file,
                    lower_parameter_file(db, file, secure.unwrap_or(&empty)),
                ))
            }
            Unit::Template { .. } => None,
        })
        .collect();
    units
        .iter()
        .map(|unit| {
            let lowered = match *unit {
                Unit::Template { template, .. } => templates.remove(&template).map(|(l, _)| l),
                Unit::Parameters { file, .. } => parameters.remove(&file),
            };
            lowered.unwrap_or_default()
        })
        .collect()
}

/// `x.parameters.json` and `x.parameters.dev.json` pair with `x.json`.
fn template_for_parameters(db: &SourceDb, file: FileId) -> Option<FileId> {
    let path = &db.get(file).path;
    let name = path.file_name()?.to_str()?;
    let at = name.to_ascii_lowercase().find(".parameters")?;
    let candidate = path.with_file_name(format!("{}.json", &name[..at]));
    db.find_path(&candidate)
        .filter(|&id| db.get(id).format == Format::ArmTemplate)
}

/// Lower one ARM template, with values from its parameter file when one is paired.
pub fn lower_template(db: &SourceDb, file: FileId, parameter_file: Option<FileId>) -> Lowered {
    lower_template_inner(db, file, parameter_file).0
}

/// [`lower_template`], and the template's secure parameter names for its parameter files.
fn lower_template_inner(
    db: &SourceDb,
    file: FileId,
    parameter_file: Option<FileId>,
) -> (Lowered, HashSet<String>) {
    let mut out = Lowered::default();
    let source = db.get(file);
    let parsed = match json::parse(&source.text) {
        Ok(p) => p,
        Err(e) => {
            out.diagnostics.push(parse_error(
                Span::new(file, e.start, e.end),
                format!("invalid JSON: {}", e.message),
            ));
            return (out, HashSet::new());
        }
    };
    let secure = secure_names_in(&parsed.value);
    let supplied = parameter_file
        .map(|pf| read_parameter_values(db, pf))
        .unwrap_or_default();
    let unit: UnitKey = format!("arm:{}", source.display).into();
    let level = level_from_schema(get(&parsed.value, "$schema").and_then(as_str));
    let mut lowerer = Lowerer {
        db,
        unit,
        model: Model::default(),
        diagnostics: Vec::new(),
    };
    lowerer.template(
        file,
        &parsed.value,
        Deployment::new(level, &lowerer.unit),
        supplied,
        None,
        0,
    );
    scan_all_strings(
        &lowerer.unit,
        file,
        &parsed.value,
        &mut lowerer.model.secrets,
    );
    out.model = lowerer.model;
    out.diagnostics.extend(lowerer.diagnostics);
    (out, secure)
}

/// Well-known credential formats in every string of the document, wherever it is.
fn scan_all_strings(unit: &UnitKey, file: FileId, root: &Value<'_>, out: &mut Vec<SecretSite>) {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            Value::StringLit(s) => {
                for hit in scan(&s.value) {
                    // Exact when the literal has no escapes; otherwise the whole string.
                    let raw_len = s.range.end - s.range.start;
                    let span = if raw_len == s.value.len() + 2 {
                        Span::new(
                            file,
                            s.range.start + 1 + hit.start,
                            s.range.start + 1 + hit.end,
                        )
                    } else {
                        Span::new(file, s.range.start, s.range.end)
                    };
                    out.push(SecretSite {
                        unit: unit.clone(),
                        span,
                        value: s.value[hit.start..hit.end].to_owned(),
                        kind: SecretKind::Pattern(hit.name),
                        context: "a string".into(),
                        used_at: None,
                        family: FAMILY,
                    });
                }
            }
            Value::Array(a) => stack.extend(a.elements.iter()),
            Value::Object(o) => stack.extend(o.properties.iter().map(|p| &p.value)),
            _ => {}
        }
    }
}

/// Parameter values from a parameter file: literal values, and Key Vault references as
/// secrets that are not literals.
fn read_parameter_values(db: &SourceDb, file: FileId) -> Supplied {
    let mut values = Supplied::new();
    let Ok(parsed) = json::parse(&db.get(file).text) else {
        return values;
    };
    let Some(Value::Object(params)) = get(&parsed.value, "parameters") else {
        return values;
    };
    for p in &params.properties {
        let name = p.name.as_str().to_ascii_lowercase();
        if let Some(v) = get(&p.value, "value") {
            values.insert(name, literal_node(file, v, Provenance::ParameterFile));
        } else if get(&p.value, "reference").is_some() {
            let (s, e) = json::range(&p.value);
            values.insert(
                name,
                Node::new(
                    Val::Secret(SecretOrigin::KeyVault),
                    Span::new(file, s, e),
                    Provenance::Computed,
                ),
            );
        }
    }
    values
}

/// Lower a parameter file on its own: literal values for secret-named parameters, and
/// well-known credential formats in any value. `secure_names` are parameters the paired
/// template declares secure.
pub fn lower_parameter_file(
    db: &SourceDb,
    file: FileId,
    secure_names: &HashSet<String>,
) -> Lowered {
    let mut out = Lowered::default();
    let source = db.get(file);
    let parsed = match json::parse(&source.text) {
        Ok(p) => p,
        Err(e) => {
            out.diagnostics.push(parse_error(
                Span::new(file, e.start, e.end),
                format!("invalid JSON: {}", e.message),
            ));
            return out;
        }
    };
    let unit: UnitKey = format!("arm:{}", source.display).into();
    let Some(Value::Object(params)) = get(&parsed.value, "parameters") else {
        return out;
    };
    for p in &params.properties {
        let name = p.name.as_str();
        let Some(v) = get(&p.value, "value") else {
            continue;
        };
        let node = literal_node(file, v, Provenance::ParameterFile);
        let secret_named =
            is_secret_parameter_name(name) || secure_names.contains(&name.to_ascii_lowercase());
        if let (true, Some(text)) = (secret_named, node.as_known_str())
            && !is_placeholder(text)
            && !crate::lower::common::looks_like_reference(text)
        {
            out.model.secrets.push(SecretSite {
                unit: unit.clone(),
                span: node.span,
                value: text.to_owned(),
                kind: SecretKind::ParameterValue,
                context: format!("parameter '{name}'"),
                used_at: None,
                family: FAMILY,
            });
            continue;
        }
        collect_secrets(
            &unit,
            FAMILY,
            &node,
            &format!("parameter '{name}'"),
            &mut out.model.secrets,
        );
    }
    out
}

/// The names of a template's secure parameters, for judging its parameter files.
pub fn secure_parameter_names(db: &SourceDb, template: FileId) -> HashSet<String> {
    match json::parse(&db.get(template).text) {
        Ok(parsed) => secure_names_in(&parsed.value),
        Err(_) => HashSet::new(),
    }
}

/// The secure parameter names (lowercase) of a parsed template.
fn secure_names_in(template: &Value<'_>) -> HashSet<String> {
    let mut names = HashSet::new();
    if let Some(Value::Object(params)) = get(template, "parameters") {
        for p in &params.properties {
            let ty = get(&p.value, "type").and_then(as_str).unwrap_or_default();
            if ty.to_ascii_lowercase().starts_with("secure") {
                names.insert(p.name.as_str().to_ascii_lowercase());
            }
        }
    }
    names
}

/// A JSON value as a node without evaluating expressions (parameter files allow none).
fn literal_node(file: FileId, v: &Value<'_>, prov: Provenance) -> Node {
    let (s, e) = json::range(v);
    let span = Span::new(file, s, e);
    let val = match v {
        Value::StringLit(text) => Val::Str(PStr::lit(text.value.to_string())),
        Value::NumberLit(n) => n
            .value
            .parse()
            .map(Val::Int)
            .unwrap_or(Val::Unknown("a fractional number".into())),
        Value::BooleanLit(b) => Val::Bool(b.value),
        Value::NullKeyword(_) => Val::Null,
        Value::Array(a) => Val::Array(
            a.elements
                .iter()
                .map(|e| literal_node(file, e, prov))
                .collect(),
        ),
        Value::Object(o) => Val::Object(
            o.properties
                .iter()
                .map(|p| Prop {
                    key: key_node(file, p),
                    value: literal_node(file, &p.value, prov),
                })
                .collect(),
        ),
    };
    Node::new(val, span, prov)
}

fn key_node(file: FileId, p: &json::ObjectProp<'_>) -> Node {
    let range = match &p.name {
        jsonc_parser::ast::ObjectPropName::String(s) => s.range,
        jsonc_parser::ast::ObjectPropName::Word(w) => w.range,
    };
    Node::lit_str(p.name.as_str(), Span::new(file, range.start, range.end))
}

struct Lowerer<'db> {
    db: &'db SourceDb,
    unit: UnitKey,
    model: Model,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

/// The evaluation environment of one template body.
struct TemplateEnv<'v, 'a> {
    file: FileId,
    text: &'v str,
    params: HashMap<String, &'v Value<'a>>,
    supplied: Supplied,
    vars: HashMap<String, &'v Value<'a>>,
    var_cache: RefCell<HashMap<String, Node>>,
    in_progress: RefCell<HashSet<String>>,
    deployment: Deployment,
    unit: UnitKey,
    /// Expression errors found while evaluating (reported once each).
    errors: RefCell<Vec<(Span, String)>>,
}

impl<'v, 'a> TemplateEnv<'v, 'a> {
    /// Evaluate a JSON value: strings that are expressions are parsed and evaluated.
    fn value(&self, v: &Value<'_>, prov: Provenance) -> Node {
        let (s, e) = json::range(v);
        let span = Span::new(self.file, s, e);
        match v {
            Value::StringLit(lit) => self.string(&lit.value, span, prov),
            Value::NumberLit(n) => Node::new(
                n.value
                    .parse()
                    .map(Val::Int)
                    .unwrap_or(Val::Unknown("a fractional number".into())),
                span,
                prov,
            ),
            Value::BooleanLit(b) => Node::new(Val::Bool(b.value), span, prov),
            Value::NullKeyword(_) => Node::new(Val::Null, span, prov),
            Value::Array(a) => Node::new(
                Val::Array(a.elements.iter().map(|e| self.value(e, prov)).collect()),
                span,
                prov,
            ),
            Value::Object(o) => self.object(o, span, prov, None),
        }
    }

    /// An object's value; a property named `opaque` (and what is below it) is left
    /// unevaluated, as an unknown value.
    fn object(
        &self,
        o: &jsonc_parser::ast::Object<'_>,
        span: Span,
        prov: Provenance,
        opaque: Option<(&str, &str)>,
    ) -> Node {
        let mut props = Vec::with_capacity(o.properties.len());
        for p in &o.properties {
            // Property loops: `"copy": [{"name": "x", "count": n, "input": {...}}]`
            // make `x` an array of possibly many inputs.
            if p.name.as_str().eq_ignore_ascii_case("copy")
                && let Value::Array(loops) = &p.value
            {
                for l in &loops.elements {
                    let (Some(name), Some(input)) = (get(l, "name"), get(l, "input")) else {
                        continue;
                    };
                    let key = self.value(name, prov);
                    let (ls, le) = json::range(l);
                    props.push(Prop {
                        key,
                        value: Node::new(
                            Val::Array(vec![self.value(input, prov)]),
                            Span::new(self.file, ls, le),
                            Provenance::Computed,
                        ),
                    });
                }
                continue;
            }
            let key = match &p.name {
                jsonc_parser::ast::ObjectPropName::String(s) => self.string(
                    &s.value,
                    Span::new(self.file, s.range.start, s.range.end),
                    prov,
                ),
                jsonc_parser::ast::ObjectPropName::Word(w) => {
                    Node::lit_str(w.value, Span::new(self.file, w.range.start, w.range.end))
                }
            };
            let value = match opaque {
                Some((name, why)) if p.name.as_str().eq_ignore_ascii_case(name) => {
                    let (s, e) = json::range(&p.value);
                    Node::unknown(why, Span::new(self.file, s, e))
                }
                _ => self.value(&p.value, prov),
            };
            props.push(Prop { key, value });
        }
        Node::new(Val::Object(props), span, prov)
    }

    fn string(&self, text: &str, span: Span, prov: Provenance) -> Node {
        match arm_expression(text) {
            ArmString::Literal(lit) => Node::new(Val::Str(PStr::lit(lit)), span, prov),
            ArmString::Expression(inner) => {
                // Offsets map one to one when the JSON source has no escapes.
                let raw = self.text.get(span.range()).unwrap_or("");
                let base = (raw.len() == text.len() + 2).then_some(span.start as usize + 2);
                let map = expr::SpanMap {
                    file: self.file,
                    base,
                    whole: span,
                };
                match expr::parse(inner, map) {
                    Ok(e) => eval::eval(&e, self),
                    Err((message, at)) => {
                        let at_span = base
                            .map(|b| Span::new(self.file, b + at, b + at + 1))
                            .unwrap_or(span);
                        self.errors
                            .borrow_mut()
                            .push((at_span, format!("invalid template expression: {message}")));
                        Node::unknown("an invalid expression", span)
                    }
                }
            }
        }
    }
}

enum ArmString<'s> {
    Literal(&'s str),
    Expression(&'s str),
}

fn arm_expression(text: &str) -> ArmString<'_> {
    let trimmed = text.trim();
    if trimmed.starts_with("[[") {
        // `[[` escapes a literal `[`.
        return ArmString::Literal(&text[text.find('[').map(|i| i + 1).unwrap_or(0)..]);
    }
    if trimmed.len() >= 2 && trimmed.starts_with('[') && trimmed.ends_with(']') {
        return ArmString::Expression(&trimmed[1..trimmed.len() - 1]);
    }
    ArmString::Literal(text)
}

impl Env for TemplateEnv<'_, '_> {
    fn parameter(&self, name: &str, span: Span) -> Node {
        let key = name.to_ascii_lowercase();
        let decl = self.params.get(&key).copied();
        let secure = decl
            .and_then(|d| get(d, "type"))
            .and_then(as_str)
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("secure"));
        if secure {
            // A secure value is a secret wherever it flows; its default is judged by
            // `secure-parameter-default` at the declaration.
            return Node::new(
                Val::Secret(SecretOrigin::SecureParameter(name.to_owned())),
                span,
                Provenance::Computed,
            );
        }
        if let Some(v) = self.supplied.get(&key) {
            return v.clone();
        }
        if let Some(default) = decl.and_then(|d| get(d, "defaultValue")) {
            if !self.in_progress.borrow_mut().insert(format!("p:{key}")) {
                return Node::unknown("a parameter default that refers to itself", span);
            }
            let node = self.value(default, Provenance::Default);
            self.in_progress.borrow_mut().remove(&format!("p:{key}"));
            return node;
        }
        let is_string = decl
            .and_then(|d| get(d, "type"))
            .and_then(as_str)
            .is_none_or(|t| t.eq_ignore_ascii_case("string"));
        eval::unsupplied_parameter(&self.unit, name, &key, is_string, span)
    }

    fn variable(&self, name: &str, span: Span) -> Node {
        let key = name.to_ascii_lowercase();
        if let Some(n) = self.var_cache.borrow().get(&key) {
            return n.clone();
        }
        let Some(v) = self.vars.get(&key).copied() else {
            return Node::unknown(format!("variable '{name}' is not declared"), span);
        };
        if !self.in_progress.borrow_mut().insert(format!("v:{key}")) {
            return Node::unknown("a variable that refers to itself", span);
        }
        let node = self.value(v, Provenance::Literal);
        self.in_progress.borrow_mut().remove(&format!("v:{key}"));
        self.var_cache.borrow_mut().insert(key, node.clone());
        node
    }

    fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    fn unit(&self) -> Arc<str> {
        self.unit.clone()
    }
}

/// A resource declaration in template order, with its parent's type and name for children.
struct Decl<'v, 'a> {
    value: &'v Value<'a>,
    symbol: Option<String>,
    parent: Option<(String, PStr)>,
}

impl<'db> Lowerer<'db> {
    fn template<'v, 'a>(
        &mut self,
        file: FileId,
        template: &'v Value<'a>,
        deployment: Deployment,
        supplied: Supplied,
        outer: Option<&TemplateEnv<'_, '_>>,
        depth: usize,
    ) {
        let text = &self.db.get(file).text;
        let mut params = HashMap::new();
        if let Some(Value::Object(o)) = get(template, "parameters") {
            for p in &o.properties {
                params.insert(p.name.as_str().to_ascii_lowercase(), &p.value);
            }
        }
        let mut vars = HashMap::new();
        if let Some(Value::Object(o)) = get(template, "variables") {
            for p in &o.properties {
                vars.insert(p.name.as_str().to_ascii_lowercase(), &p.value);
            }
        }
        let env = TemplateEnv {
            file,
            text,
            params,
            supplied,
            vars,
            var_cache: RefCell::default(),
            in_progress: RefCell::default(),
            deployment,
            unit: self.unit.clone(),
            errors: RefCell::default(),
        };
        // With outer evaluation a nested template's expressions see the parent's names.
        let env_ref: &TemplateEnv<'_, '_> = match outer {
            Some(o) => o,
            None => &env,
        };
        // A nested template in outer mode still deploys at its own scope.
        let scoped;
        let env_ref = if outer.is_some() && env_ref.deployment.level != env.deployment.level {
            scoped = TemplateEnv {
                file: env_ref.file,
                text: env_ref.text,
                params: env_ref.params.clone(),
                supplied: env_ref.supplied.clone(),
                vars: env_ref.vars.clone(),
                var_cache: RefCell::default(),
                in_progress: RefCell::default(),
                deployment: env.deployment.clone(),
                unit: self.unit.clone(),
                errors: RefCell::default(),
            };
            &scoped
        } else {
            env_ref
        };
        if outer.is_none() {
            self.parameters(file, template);
        }
        let mut decls = Vec::new();
        match get(template, "resources") {
            Some(Value::Array(a)) => decls.extend(a.elements.iter().map(|value| Decl {
                value,
                symbol: None,
                parent: None,
            })),
            // languageVersion 2.0: resources keyed by symbolic name.
            Some(Value::Object(o)) => decls.extend(o.properties.iter().map(|p| Decl {
                value: &p.value,
                symbol: Some(p.name.as_str().to_owned()),
                parent: None,
            })),
            _ => {}
        }
        let mut i = 0;
        while i < decls.len() {
            let children = self.resource(env_ref, file, &decls[i], depth);
            decls.extend(children);
            i += 1;
        }
        if let Some(Value::Object(o)) = get(template, "outputs") {
            for p in &o.properties {
                let Some(v) = get(&p.value, "value") else {
                    continue;
                };
                let ty = get(&p.value, "type").and_then(as_str).unwrap_or_default();
                let (s, e) = json::range(&p.value);
                let r = match &p.name {
                    jsonc_parser::ast::ObjectPropName::String(s) => s.range,
                    jsonc_parser::ast::ObjectPropName::Word(w) => w.range,
                };
                let value = env_ref.value(v, Provenance::Literal);
                let _ = (s, e);
                self.model.outputs.push(Output {
                    unit: self.unit.clone(),
                    name: p.name.as_str().to_owned(),
                    span: Span::new(file, r.start, r.end),
                    value,
                    protected: ty.to_ascii_lowercase().starts_with("secure"),
                    family: FAMILY,
                });
            }
        }
        let errors = std::mem::take(&mut *env.errors.borrow_mut());
        let more = if std::ptr::eq(env_ref, &env) {
            Vec::new()
        } else {
            std::mem::take(&mut *env_ref.errors.borrow_mut())
        };
        for (span, message) in errors.into_iter().chain(more) {
            self.diagnostics.push(parse_error(span, message));
        }
    }

    fn parameters(&mut self, file: FileId, template: &Value<'_>) {
        let Some(Value::Object(o)) = get(template, "parameters") else {
            return;
        };
        for p in &o.properties {
            let ty = get(&p.value, "type")
                .and_then(as_str)
                .map(str::to_ascii_lowercase);
            let (s, e) = json::range(&p.value);
            let key = key_node(file, p);
            let default =
                get(&p.value, "defaultValue").map(|d| literal_node(file, d, Provenance::Default));
            self.model.parameters.push(Parameter {
                unit: self.unit.clone(),
                name: p.name.as_str().to_owned(),
                name_span: key.span,
                span: Span::new(file, s, e),
                kind: ParamKind::Template,
                secure: ty.as_deref().is_some_and(|t| t.starts_with("secure")),
                ty,
                ephemeral: false,
                default,
                family: FAMILY,
            });
        }
    }

    /// Lower one resource; returns its nested child resources.
    fn resource<'v, 'a>(
        &mut self,
        env: &TemplateEnv<'_, '_>,
        file: FileId,
        decl: &Decl<'v, 'a>,
        depth: usize,
    ) -> Vec<Decl<'v, 'a>> {
        let v = decl.value;
        let (mut s, e) = json::range(v);
        // Start at the first property: a lone `{` line says nothing about the resource.
        if let Value::Object(o) = v
            && let Some(first) = o.properties.first()
        {
            s = first.range.start;
        }
        let span = Span::new(file, s, e);
        let Some(ty_value) = get(v, "type") else {
            return Vec::new();
        };
        let ty_node = env.value(ty_value, Provenance::Literal);
        let Some(ty_text) = ty_node.as_known_str().map(str::to_owned) else {
            return Vec::new();
        };
        let name_node = get(v, "name")
            .map(|n| env.value(n, Provenance::Literal))
            .unwrap_or_else(|| Node::unknown("no name", span));
        let mut name = match &name_node.val {
            Val::Str(p) => p.clone(),
            _ => PStr::hole("a computed name", None),
        };
        let mut kind_display = ty_text.clone();
        if let Some((parent_ty, parent_name)) = &decl.parent
            && !ty_text.contains('/')
        {
            kind_display = format!("{parent_ty}/{ty_text}");
            name = PStr::concat([parent_name.clone(), PStr::lit("/"), name]);
        }
        let kind = kind_display.to_ascii_lowercase();
        // A condition known to be false: the resource is not deployed.
        if get(v, "condition")
            .is_some_and(|c| env.value(c, Provenance::Literal).as_bool() == Some(false))
        {
            return Vec::new();
        }
        let many = get(v, "copy").is_some();
        let api_version = get(v, "apiVersion")
            .and_then(as_str)
            .filter(|t| !t.starts_with('['))
            .map(|t| t.trim().to_owned());
        let existing =
            get(v, "existing").is_some_and(|x| matches!(x, Value::BooleanLit(b) if b.value));
        let properties = get(v, "properties").map(|p| match p {
            // A nested template is lowered as its own deployment below; evaluating it here
            // as well, in the caller's scope, doubled the work and the memory.
            Value::Object(o)
                if kind == "microsoft.resources/deployments" && depth < MAX_NESTING =>
            {
                let (s, e) = json::range(p);
                env.object(
                    o,
                    Span::new(file, s, e),
                    Provenance::Literal,
                    Some((
                        "template",
                        "a nested template, lowered as its own deployment",
                    )),
                )
            }
            _ => env.value(p, Provenance::Literal),
        });
        let identity = get(v, "identity").map(|i| env.value(i, Provenance::Literal));
        let scope_prop = get(v, "scope").map(|x| env.value(x, Provenance::Literal));

        // Children declared inside this resource.
        let mut children = Vec::new();
        if let Some(Value::Array(a)) = get(v, "resources") {
            children.extend(a.elements.iter().map(|value| Decl {
                value,
                symbol: None,
                parent: Some((kind_display.clone(), name.clone())),
            }));
        }

        // Legacy nested extension form: `Microsoft.Storage/storageAccounts/providers/roleAssignments`.
        let legacy_extension = kind.contains("/providers/");
        let id = if legacy_extension {
            PStr::default()
        } else {
            resource_id(&env.deployment, &kind_display, &name, scope_prop.as_ref())
        };
        let symbol: Option<Arc<str>> = decl.symbol.as_deref().map(Arc::from);

        if kind.ends_with("microsoft.authorization/roleassignments")
            || kind.ends_with("/providers/roleassignments")
        {
            let (scope, scope_span) = if let Some(sc) = &scope_prop {
                (scope_from_property(&env.deployment, sc), sc.span)
            } else if legacy_extension {
                (
                    legacy_extension_scope(&env.deployment, &kind_display, &name, span),
                    name_node.span,
                )
            } else {
                (
                    Node::new(
                        Val::Str(env.deployment.scope_id()),
                        span,
                        Provenance::Computed,
                    ),
                    span,
                )
            };
            let empty = Node::new(Val::Object(Vec::new()), span, Provenance::Literal);
            let label = format!("role assignment '{}'", name.display());
            self.model
                .role_assignments
                .push(role_assignment_from_properties(
                    &self.unit,
                    FAMILY,
                    span,
                    properties.as_ref().unwrap_or(&empty),
                    scope,
                    scope_span,
                    many,
                    label,
                ));
        }
        if kind == "microsoft.authorization/roledefinitions"
            && let Some(props) = &properties
        {
            self.model
                .role_definitions
                .push(role_definition_from_properties(
                    &self.unit,
                    FAMILY,
                    span,
                    Some(name_node.clone()),
                    props,
                    Some(ResourceLink::Id(id.clone())),
                ));
        }
        if kind == "microsoft.managedidentity/userassignedidentities/federatedidentitycredentials" {
            let parent_name = crate::model::PStr::split_path(&name)
                .into_iter()
                .next()
                .unwrap_or_default();
            let parent_id = resource_id(
                &env.deployment,
                "Microsoft.ManagedIdentity/userAssignedIdentities",
                &parent_name,
                None,
            );
            self.model
                .federated_credentials
                .push(federated_credential_from_properties(
                    &self.unit,
                    FAMILY,
                    span,
                    Node::new(Val::Str(parent_id), name_node.span, Provenance::Computed),
                    properties.as_ref(),
                ));
        }
        if kind == "microsoft.keyvault/vaults" || kind == "microsoft.keyvault/vaults/accesspolicies"
        {
            let vault_name = crate::model::PStr::split_path(&name)
                .into_iter()
                .next()
                .unwrap_or_default();
            let vault = ResourceLink::Id(resource_id(
                &env.deployment,
                "Microsoft.KeyVault/vaults",
                &vault_name,
                None,
            ));
            if let Some(props) = &properties {
                self.model
                    .keyvault_policies
                    .extend(keyvault_policies_from_properties(
                        &self.unit,
                        FAMILY,
                        props,
                        Some(vault),
                    ));
            }
        }
        if kind == "microsoft.resources/deployments" && depth < MAX_NESTING {
            self.nested_deployment(env, file, v, properties.as_ref(), depth);
        }

        // Secrets in properties (and in tags and the raw identity block, which rarely hold any).
        if let Some(props) = &properties {
            let skip_nested = kind == "microsoft.resources/deployments";
            if !skip_nested {
                collect_secrets(
                    &self.unit,
                    FAMILY,
                    props,
                    "properties",
                    &mut self.model.secrets,
                );
            }
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
            self.model
                .units_with_unknown_identity_refs
                .push(self.unit.clone());
        }
        self.model.resources.push(Resource {
            unit: self.unit.clone(),
            kind,
            kind_display,
            api_version,
            name,
            symbol,
            id,
            span,
            existing,
            many,
            identity: identity_decl,
            properties,
            identity_references: references,
            family: FAMILY,
        });
        children
    }

    fn nested_deployment(
        &mut self,
        env: &TemplateEnv<'_, '_>,
        file: FileId,
        v: &Value<'_>,
        properties: Option<&Node>,
        depth: usize,
    ) {
        let Some(props_value) = get(v, "properties") else {
            return;
        };
        let inner_mode = get(props_value, "expressionEvaluationOptions")
            .and_then(|o| get(o, "scope"))
            .and_then(as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        // Where the nested deployment deploys.
        let mut deployment = env.deployment.clone();
        let sub = get(v, "subscriptionId").map(|x| env.value(x, Provenance::Literal));
        let rg = get(v, "resourceGroup").map(|x| env.value(x, Provenance::Literal));
        let scope = get(v, "scope").map(|x| env.value(x, Provenance::Literal));
        if let Some(sub) = &sub {
            deployment.subscription = eval::to_pstr(sub);
        }
        if let Some(rg) = &rg {
            deployment.resource_group = eval::to_pstr(rg);
        }
        // Supplied parameters, evaluated in the parent.
        let mut supplied = Supplied::new();
        if let Some(Value::Object(o)) = get(props_value, "parameters") {
            for p in &o.properties {
                if let Some(val) = get(&p.value, "value") {
                    supplied.insert(
                        p.name.as_str().to_ascii_lowercase(),
                        env.value(val, Provenance::Literal),
                    );
                } else if get(&p.value, "reference").is_some() {
                    let (s, e) = json::range(&p.value);
                    supplied.insert(
                        p.name.as_str().to_ascii_lowercase(),
                        Node::new(
                            Val::Secret(SecretOrigin::KeyVault),
                            Span::new(file, s, e),
                            Provenance::Computed,
                        ),
                    );
                }
            }
        }
        let _ = properties;
        let set_level = |deployment: &mut Deployment, schema: Option<&str>| {
            deployment.level = level_from_schema(schema);
            if let Some(sc) = scope.as_ref().and_then(|s| s.as_pstr()) {
                let text = sc.display().to_ascii_lowercase();
                if text.contains("managementgroups/") {
                    deployment.level = DeployLevel::ManagementGroup;
                    deployment.management_group =
                        crate::model::PStr::split_path(sc).pop().unwrap_or_default();
                } else if text == "/" {
                    deployment.level = DeployLevel::Tenant;
                }
            }
            if rg.is_some() {
                deployment.level = DeployLevel::ResourceGroup;
            }
        };
        if let Some(template) = get(props_value, "template") {
            set_level(&mut deployment, get(template, "$schema").and_then(as_str));
            if inner_mode {
                self.template(file, template, deployment, supplied, None, depth + 1);
            } else {
                self.template(
                    file,
                    template,
                    deployment,
                    Supplied::new(),
                    Some(env),
                    depth + 1,
                );
            }
            return;
        }
        // Linked template with a path relative to this file.
        let Some(relative) = get(props_value, "templateLink")
            .and_then(|l| get(l, "relativePath"))
            .map(|p| env.value(p, Provenance::Literal))
        else {
            return;
        };
        let Some(relative) = relative.as_known_str() else {
            return;
        };
        let base = self.db.get(file).path.parent().unwrap_or(Path::new("."));
        let target = crate::source::normalize_path(&base.join(relative));
        let Some(linked) = self.db.find_path(&target) else {
            return;
        };
        let linked_text = &self.db.get(linked).text;
        let Ok(parsed) = json::parse(linked_text) else {
            return;
        };
        set_level(
            &mut deployment,
            get(&parsed.value, "$schema").and_then(as_str),
        );
        self.template(linked, &parsed.value, deployment, supplied, None, depth + 1);
    }
}

/// The id of a resource declared in a template at the given deployment.
fn resource_id(dep: &Deployment, ty: &str, name: &PStr, scope: Option<&Node>) -> PStr {
    let mut prefix = match scope.and_then(|s| s.as_pstr()) {
        Some(sc) => scope_string(dep, sc),
        None => match dep.level {
            DeployLevel::ResourceGroup => dep.resource_group_id(),
            DeployLevel::Subscription => dep.subscription_id(),
            DeployLevel::ManagementGroup => dep.scope_id(),
            DeployLevel::Tenant => PStr::default(),
        },
    };
    let mut types = ty.split('/');
    prefix.push_str("/providers/");
    prefix.push_str(types.next().unwrap_or(""));
    let names = crate::model::PStr::split_path(name);
    for (i, t) in types.enumerate() {
        prefix.push_str("/");
        prefix.push_str(t);
        prefix.push_str("/");
        prefix.push(names.get(i).unwrap_or(&PStr::hole("a missing name", None)));
    }
    prefix
}

/// An ARM `scope` property as a full scope string: the relative form
/// `Microsoft.Storage/storageAccounts/name` is a resource in the deployment's resource group.
fn scope_string(dep: &Deployment, scope: &PStr) -> PStr {
    match scope.0.first() {
        Some(Seg::Lit(s)) if !s.starts_with('/') && s.contains('.') => {
            let mut parts = crate::model::PStr::split_path(scope).into_iter();
            let namespace = parts.next().unwrap_or_default();
            let rest: Vec<PStr> = parts.collect();
            let mut out = dep.resource_group_id();
            out.push_str("/providers/");
            out.push(&namespace);
            for p in rest {
                out.push_str("/");
                out.push(&p);
            }
            out
        }
        _ => scope.clone(),
    }
}

fn scope_from_property(dep: &Deployment, scope: &Node) -> Node {
    match &scope.val {
        Val::Str(p) => Node::new(Val::Str(scope_string(dep, p)), scope.span, scope.prov),
        _ => scope.clone(),
    }
}

/// Scope of `X/Y/providers/roleAssignments` named `x/Microsoft.Authorization/guid`.
fn legacy_extension_scope(dep: &Deployment, ty: &str, name: &PStr, span: Span) -> Node {
    let lower = ty.to_ascii_lowercase();
    let Some(at) = lower.find("/providers/") else {
        return Node::unknown("an unrecognised extension type", span);
    };
    let target_ty = &ty[..at];
    let names = crate::model::PStr::split_path(name);
    let target_names = target_ty.split('/').count().saturating_sub(1);
    let target_name = PStr::concat(names.iter().take(target_names).enumerate().flat_map(
        |(i, n)| {
            [
                if i == 0 {
                    PStr::default()
                } else {
                    PStr::lit("/")
                },
                n.clone(),
            ]
        },
    ));
    let id = resource_id(dep, target_ty, &target_name, None);
    Node::new(Val::Str(id), span, Provenance::Computed)
}

#[cfg(test)]
mod tests;
