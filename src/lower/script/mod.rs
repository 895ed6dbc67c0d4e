//! az CLI (bash), Azure PowerShell and the scripts inside CI YAML → model.
//!
//! All scripts of one directory form one deployment unit (`script:<dir>`): an identity
//! created in one script and attached or assigned in another of the same folder links. Word
//! values are resolved by [`resolve`] (file-local variables, `$(az identity show …)`,
//! `(Get-AzUserAssignedIdentity …).PrincipalId`, access tokens); [`azcli`] and [`pwsh`]
//! turn commands into model facts; [`tokens`] finds access tokens written out.

mod azcli;
mod pwsh;
mod resolve;
#[cfg(test)]
mod tests;
mod tokens;

use crate::lower::common::role_definition_from_properties;
use crate::lower::{Lowered, parse_error};
use crate::model::secrets::{is_placeholder, looks_like_reference, scan};
use crate::model::{
    IdentityDecl, Model, Node, PStr, Prop, Provenance, Resource, RoleAssignment, RoleRef,
    SecretKind, SecretSite, UnitKey, Val,
};
use crate::parse::script::workflow::{self, YamlKind};
use crate::parse::script::{self, Script, Shell, Word};
use crate::source::{FileId, Format, FormatFamily, SourceDb, Span};
use resolve::{Value, Vars};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

const FAMILY: FormatFamily = FormatFamily::Script;

/// Lower every script, grouped by directory into units.
pub fn lower_all(db: &SourceDb, files: &[FileId]) -> Lowered {
    Lowered::concat(lower_parts(db, files))
}

/// [`lower_all`], one part per unit (the caller concatenates all front ends at once).
pub fn lower_parts(db: &SourceDb, files: &[FileId]) -> Vec<Lowered> {
    use rayon::prelude::*;
    let mut units: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
    for &id in files {
        let dir = db
            .get(id)
            .path
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default();
        units.entry(dir).or_default().push(id);
    }
    let units: Vec<Vec<FileId>> = units.into_values().collect();
    units.par_iter().map(|f| lower_unit(db, f)).collect()
}

/// The unit key of a script: its directory as displayed (`script:deploy`).
fn unit_key(db: &SourceDb, file: FileId) -> UnitKey {
    let display = &db.get(file).display;
    let dir = display.rsplit_once('/').map(|(d, _)| d).unwrap_or(".");
    format!("script:{dir}").into()
}

/// Lower the scripts of one directory together.
pub fn lower_unit(db: &SourceDb, files: &[FileId]) -> Lowered {
    let Some(&first) = files.first() else {
        return Lowered::default();
    };
    let mut unit = Unit {
        db,
        key: unit_key(db, first),
        model: Model::default(),
        diagnostics: Vec::new(),
        declared: HashMap::new(),
    };
    for &file in files {
        let source = db.get(file);
        let scripts: Vec<Script> = match source.format {
            Format::Bash => vec![script::parse(Shell::Bash, &source.text)],
            Format::PowerShell => vec![script::parse(Shell::PowerShell, &source.text)],
            Format::GithubWorkflow | Format::AzurePipelines => {
                let kind = if source.format == Format::GithubWorkflow {
                    YamlKind::GitHubActions
                } else {
                    YamlKind::AzurePipelines
                };
                match workflow::extract(&source.text, kind) {
                    Ok(embedded) => embedded.iter().map(|e| e.parse()).collect(),
                    Err(e) => {
                        unit.diagnostics.push(parse_error(
                            Span::new(file, e.span.start as usize, e.span.end as usize),
                            format!("invalid YAML: {}", e.message),
                        ));
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        };
        let before = unit.model.secrets.len();
        for s in &scripts {
            for e in &s.errors {
                unit.diagnostics.push(parse_error(
                    Span::new(file, e.span.start as usize, e.span.end as usize),
                    e.message.clone(),
                ));
            }
            let mut cx = Cx {
                unit: &mut unit,
                file,
                script: s,
                vars: Vars::new(s),
            };
            cx.lower();
        }
        unit.scan_patterns(file, before);
    }
    Lowered {
        model: unit.model,
        diagnostics: unit.diagnostics,
    }
}

/// State of one unit while its scripts are lowered.
pub(crate) struct Unit<'db> {
    db: &'db SourceDb,
    key: UnitKey,
    model: Model,
    diagnostics: Vec<crate::diagnostic::Diagnostic>,
    /// Resources declared so far by (kind, lowercase name), to merge `identity assign` into
    /// the `create` of the same resource.
    declared: HashMap<(String, String), usize>,
}

impl Unit<'_> {
    /// Well-known credential formats anywhere in the file, except inside a site already
    /// recorded for it (the argument that holds the same literal).
    fn scan_patterns(&mut self, file: FileId, first_site: usize) {
        let text = &self.db.get(file).text;
        let existing: Vec<Span> = self.model.secrets[first_site..]
            .iter()
            .map(|s| s.span)
            .collect();
        for hit in scan(text) {
            let span = Span::new(file, hit.start, hit.end);
            if existing
                .iter()
                .any(|e| e.file == file && e.start <= span.start && span.end <= e.end)
            {
                continue;
            }
            self.model.secrets.push(SecretSite {
                unit: self.key.clone(),
                span,
                value: text[hit.start..hit.end].to_owned(),
                kind: SecretKind::Pattern(hit.name),
                context: "a script".into(),
                used_at: None,
                family: FAMILY,
            });
        }
    }
}

/// What a command grants, to whom and where (see [`Cx::grant`]).
pub(crate) struct Grant {
    pub role: RoleRef,
    pub principal: Node,
    pub principal_type: Option<Node>,
    /// The scope and where it is written.
    pub scope: (Node, Span),
    pub condition: Option<Node>,
    /// Made inside a loop or other control flow: possibly many times.
    pub many: bool,
}

/// Where a resource created or changed by a script lives.
pub(crate) struct Place {
    pub subscription: PStr,
    pub resource_group: PStr,
}

impl Place {
    pub fn rg_id(&self) -> PStr {
        let mut id = PStr::lit("/subscriptions/");
        id.push(&self.subscription);
        id.push_str("/resourceGroups/");
        id.push(&self.resource_group);
        id
    }

    pub fn subscription_id(&self) -> PStr {
        let mut id = PStr::lit("/subscriptions/");
        id.push(&self.subscription);
        id
    }

    /// `/subscriptions/<s>/resourceGroups/<rg>/providers/<Type>/<name>`.
    pub fn resource_id(&self, ty: &str, name: &PStr) -> PStr {
        let mut id = self.rg_id();
        id.push_str("/providers/");
        id.push_str(ty);
        id.push_str("/");
        id.push(name);
        id
    }
}

/// The current subscription (`az account set`, `Set-AzContext`): unknown, the same hole
/// everywhere in a unit but not across units, which may run against other subscriptions (as
/// for ARM deployments).
pub(crate) fn current_subscription(unit: &str) -> PStr {
    PStr::hole(
        "the current subscription",
        Some(format!("{unit}#subscription").into()),
    )
}

/// One script being lowered.
pub(crate) struct Cx<'u, 'db, 's> {
    unit: &'u mut Unit<'db>,
    file: FileId,
    script: &'s Script,
    vars: Vars<'s>,
}

impl<'s> Cx<'_, '_, 's> {
    fn lower(&mut self) {
        let script = self.script;
        for a in &script.assignments {
            self.secret_variable(a);
        }
        for (i, cmd) in script.commands.iter().enumerate() {
            let Some(name) = cmd.name.literal() else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            if lower == "az" {
                azcli::lower(self, i);
            } else if script.shell == Shell::PowerShell && lower.contains('-') {
                pwsh::lower(self, i, &lower);
            }
        }
        tokens::find_leaks(self);
    }

    pub fn span(&self, s: script::Span) -> Span {
        Span::new(self.file, s.start as usize, s.end as usize)
    }

    pub fn value(&self, w: &Word) -> Value {
        resolve::word(self, w, 0)
    }

    /// A value as a model node at the word's span.
    pub fn node(&self, w: &Word) -> Node {
        self.value(w).node(self.span(w.span))
    }

    /// A string value, holes for what is unknown.
    pub fn pstr(&self, w: &Word) -> PStr {
        self.value(w).text
    }

    /// A literal passed where a secret belongs (directly or through a variable).
    pub fn secret_arg(&mut self, w: &Word, context: String) {
        let v = self.value(w);
        let Some(written) = v.literal else { return };
        let Some(text) = v.text.known() else { return };
        if text.is_empty() || is_placeholder(text) || looks_like_reference(text) {
            return;
        }
        let span = self.span(written);
        let used = self.span(w.span);
        self.argument_secret(span, used, text.to_owned(), context);
    }

    /// Record a literal secret written at `span` and passed to a command at `used`. The
    /// literal of a secret-named variable, already recorded where it is assigned, becomes
    /// this argument (reported where it is used) rather than a second site.
    pub fn argument_secret(&mut self, span: Span, used: Span, value: String, context: String) {
        if let Some(site) = self
            .unit
            .model
            .secrets
            .iter_mut()
            .find(|s| s.span == span && s.kind == SecretKind::Property)
        {
            site.kind = SecretKind::Argument;
            site.context = context;
            site.used_at = (used != span).then_some(used);
            return;
        }
        self.unit.model.secrets.push(SecretSite {
            unit: self.unit.key.clone(),
            span,
            value,
            kind: SecretKind::Argument,
            context,
            used_at: (used != span).then_some(used),
            family: FAMILY,
        });
    }

    /// A secret-named variable (`ARM_CLIENT_SECRET=…`, `$env:AZURE_CLIENT_SECRET = '…'`)
    /// assigned literal text.
    fn secret_variable(&mut self, a: &script::Assignment) {
        let bare = a.name.strip_prefix("env:").unwrap_or(&a.name);
        if !crate::model::secrets::is_secret_parameter_name(bare) {
            return;
        }
        let Some(text) = a.value.literal() else {
            return;
        };
        if text.is_empty() || is_placeholder(&text) || looks_like_reference(&text) {
            return;
        }
        self.unit.model.secrets.push(SecretSite {
            unit: self.unit.key.clone(),
            span: self.span(a.value.span),
            value: text,
            kind: SecretKind::Property,
            context: format!("variable '{bare}'"),
            used_at: None,
            family: FAMILY,
        });
    }

    /// A custom role created by a command: from its JSON definition when it could be read,
    /// otherwise with permissions unknown.
    pub fn custom_role(&mut self, span: Span, definition: Option<Node>) {
        let unit = self.unit_key();
        let def = match definition {
            Some(p) => {
                let guid = p.get("id").cloned();
                role_definition_from_properties(&unit, FAMILY, span, guid, &p, None)
            }
            None => {
                let empty = Node::new(Val::Object(Vec::new()), span, Provenance::Computed);
                let mut d =
                    role_definition_from_properties(&unit, FAMILY, span, None, &empty, None);
                d.permissions_unknown = true;
                d
            }
        };
        self.model().role_definitions.push(def);
    }

    /// A service principal created by a command (`az ad sp create-for-rbac`,
    /// `New-AzADServicePrincipal`), in the tenant, with a generated password unless it uses a
    /// certificate.
    pub fn new_service_principal(&mut self, command: &str, name: PStr, span: Span, password: bool) {
        let place = Place {
            subscription: current_subscription(&self.unit.key),
            resource_group: PStr::hole("tenant", None),
        };
        let props = Node::new(
            Val::Object(vec![Prop {
                key: Node::lit_str("generatedPassword", span),
                value: Node::new(Val::Bool(password), span, Provenance::Computed),
            }]),
            span,
            Provenance::Computed,
        );
        let symbol = format!("{command} {}", name.display());
        self.resource(
            "Microsoft.Graph/servicePrincipals",
            name,
            &place,
            span,
            symbol,
            false,
            Some(props),
        );
    }

    /// A role assignment made by `command` (`az role assignment create`,
    /// `New-AzRoleAssignment`, the `--role` of `create-for-rbac`…).
    pub fn grant(&mut self, command: &str, span: Span, grant: Grant) {
        let (scope, scope_span) = grant.scope;
        let a = RoleAssignment {
            unit: self.unit_key(),
            span,
            role: grant.role,
            principal: grant.principal,
            principal_type: grant.principal_type,
            scope,
            scope_span,
            condition: grant.condition,
            many: grant.many,
            family: FAMILY,
            label: command.into(),
        };
        self.model().role_assignments.push(a);
    }

    /// Declare (or find) a resource created or changed by a command.
    #[allow(clippy::too_many_arguments)]
    pub fn resource(
        &mut self,
        kind_display: &str,
        name: PStr,
        place: &Place,
        span: Span,
        symbol: String,
        existing: bool,
        properties: Option<Node>,
    ) -> usize {
        let kind = kind_display.to_ascii_lowercase();
        let key = (kind.clone(), name.display().to_ascii_lowercase());
        if let Some(&i) = self.unit.declared.get(&key) {
            let r = &mut self.unit.model.resources[i];
            if r.existing && !existing {
                r.existing = false;
                r.span = span;
            }
            return i;
        }
        let id = place.resource_id(kind_display, &name);
        self.unit.model.resources.push(Resource {
            unit: self.unit.key.clone(),
            kind,
            kind_display: kind_display.to_owned(),
            api_version: None,
            name,
            symbol: Some(symbol.into()),
            id,
            span,
            existing,
            many: false,
            identity: None,
            properties,
            identity_references: Vec::new(),
            family: FAMILY,
        });
        let i = self.unit.model.resources.len() - 1;
        self.unit.declared.insert(key, i);
        i
    }

    /// Merge identity facts into a resource's identity block.
    pub fn add_identity(
        &mut self,
        resource: usize,
        span: Span,
        system: Option<bool>,
        user: Vec<Node>,
    ) {
        let unknown_ref = user.iter().any(|n| match &n.val {
            Val::Str(p) => crate::model::scope::provider_part(p).is_none(),
            Val::Attr { .. } => false,
            _ => true,
        });
        if unknown_ref {
            self.unit
                .model
                .units_with_unknown_identity_refs
                .push(self.unit.key.clone());
        }
        let r = &mut self.unit.model.resources[resource];
        let decl = r.identity.get_or_insert_with(|| IdentityDecl {
            span,
            system_assigned: None,
            user_assigned_enabled: None,
            user_assigned: Vec::new(),
            user_assigned_unknown: false,
        });
        if let Some(s) = system {
            decl.system_assigned = Some(decl.system_assigned.unwrap_or(false) || s);
        }
        if !user.is_empty() {
            decl.user_assigned_enabled = Some(true);
        }
        decl.user_assigned.extend(user);
    }

    /// A reference to a user-assigned identity written as a name or an id.
    pub fn identity_ref(&self, w: &Word, place: &Place) -> Node {
        let v = self.value(w);
        let span = self.span(w.span);
        if v.link.is_some() {
            return v.node(span);
        }
        if let Some(id) = &v.object {
            return Node::new(
                Val::Attr {
                    link: crate::model::ResourceLink::Id(id.clone()),
                    attr: crate::model::Attr::Id,
                },
                span,
                Provenance::Computed,
            );
        }
        let text = v.text.display();
        let prov = if v.literal.is_some() {
            Provenance::Literal
        } else {
            Provenance::Computed
        };
        if text.contains('/') {
            return Node::new(Val::Str(v.text), span, prov);
        }
        Node::new(
            Val::Str(place.resource_id(UAMI_TYPE, &v.text)),
            span,
            Provenance::Computed,
        )
    }

    pub fn push_unknown_refs(&mut self) {
        self.unit
            .model
            .units_with_unknown_identity_refs
            .push(self.unit.key.clone());
    }

    pub fn model(&mut self) -> &mut Model {
        &mut self.unit.model
    }

    pub fn unit_key(&self) -> UnitKey {
        self.unit.key.clone()
    }

    /// Read a file named relative to the script: from the source db, else from disk.
    pub fn read_relative(&self, relative: &str) -> Option<(Option<FileId>, String)> {
        let base = self.unit.db.get(self.file).path.parent()?;
        let path = crate::source::normalize_path(&base.join(relative));
        if let Some(id) = self.unit.db.find_path(&path) {
            return Some((Some(id), self.unit.db.get(id).text.clone()));
        }
        let meta = std::fs::metadata(&path).ok()?;
        if meta.len() > 1024 * 1024 {
            return None;
        }
        std::fs::read_to_string(&path).ok().map(|t| (None, t))
    }
}

pub(crate) const UAMI_TYPE: &str = "Microsoft.ManagedIdentity/userAssignedIdentities";

/// Custom role JSON (az `--role-definition`, PowerShell `-InputFile`) → an ARM-shaped
/// properties node. `base` maps JSON offsets into `file` when the JSON text is a contiguous
/// slice of it; otherwise every node gets `fallback`.
pub(crate) fn role_json(
    text: &str,
    file: FileId,
    base: Option<usize>,
    fallback: Span,
) -> Option<Node> {
    let parsed = crate::parse::json::parse(text).ok()?;
    let root = json_node(&parsed.value, file, base, fallback);
    let list = |key: &str| root.get(key).cloned();
    if root.get("permissions").is_some() {
        return Some(root);
    }
    let empty = || Node::new(Val::Array(Vec::new()), fallback, Provenance::Literal);
    let key = |k: &str| Node::lit_str(k, fallback);
    let mut block = Vec::new();
    for (json_key, arm_key) in [
        ("Actions", "actions"),
        ("NotActions", "notActions"),
        ("DataActions", "dataActions"),
        ("NotDataActions", "notDataActions"),
    ] {
        block.push(crate::model::Prop {
            key: key(arm_key),
            value: list(json_key).unwrap_or_else(empty),
        });
    }
    let mut props = vec![crate::model::Prop {
        key: key("permissions"),
        value: Node::new(
            Val::Array(vec![Node::new(
                Val::Object(block),
                root.span,
                Provenance::Literal,
            )]),
            root.span,
            Provenance::Literal,
        ),
    }];
    for (json_key, arm_key) in [
        ("Name", "roleName"),
        ("roleName", "roleName"),
        ("AssignableScopes", "assignableScopes"),
        ("Id", "id"),
    ] {
        if let Some(v) = list(json_key)
            && !props.iter().any(|p| p.key.as_known_str() == Some(arm_key))
        {
            props.push(crate::model::Prop {
                key: key(arm_key),
                value: v,
            });
        }
    }
    Some(Node::new(
        Val::Object(props),
        root.span,
        Provenance::Literal,
    ))
}

fn json_node(
    v: &crate::parse::json::Value<'_>,
    file: FileId,
    base: Option<usize>,
    fallback: Span,
) -> Node {
    use crate::parse::json::{self, Value as J};
    let (s, e) = json::range(v);
    let span = match base {
        Some(b) => Span::new(file, b + s, b + e),
        None => fallback,
    };
    let val = match v {
        J::StringLit(t) => Val::Str(PStr::lit(t.value.to_string())),
        J::NumberLit(n) => n
            .value
            .parse()
            .map(Val::Int)
            .unwrap_or(Val::Unknown("a number".into())),
        J::BooleanLit(b) => Val::Bool(b.value),
        J::NullKeyword(_) => Val::Null,
        J::Array(a) => Val::Array(
            a.elements
                .iter()
                .map(|x| json_node(x, file, base, fallback))
                .collect(),
        ),
        J::Object(o) => Val::Object(
            o.properties
                .iter()
                .map(|p| crate::model::Prop {
                    key: Node::lit_str(p.name.as_str(), span),
                    value: json_node(&p.value, file, base, fallback),
                })
                .collect(),
        ),
    };
    Node::new(val, span, Provenance::Literal)
}
