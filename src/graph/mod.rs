//! The identity graph: the merged model with its references resolved, across files and
//! formats. Rules and reports ask it questions; nothing here knows a syntax.

pub mod query;

use crate::model::roles::{BuiltinRole, builtin_by_id, builtin_by_name_or_id};
use crate::model::scope::{ScopeLevel, last_after, level_of, provider_part};
use crate::model::{
    Attr, Match, Model, Node, PStr, Resource, ResourceLink, ResourceView, RoleRef, Seg, UnitKey,
    Val,
};
use crate::source::Span;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Index of a resource in `Model::resources`.
pub type ResourceIdx = usize;

/// A managed identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Identity {
    /// A `Microsoft.ManagedIdentity/userAssignedIdentities` resource.
    UserAssigned(ResourceIdx),
    /// The system-assigned identity of a resource.
    System(ResourceIdx),
}

impl Identity {
    pub fn resource(self) -> ResourceIdx {
        match self {
            Identity::UserAssigned(r) | Identity::System(r) => r,
        }
    }
}

/// Who an assignment grants its role to.
#[derive(Clone, Debug, PartialEq)]
pub enum PrincipalRes {
    Identity(Identity),
    /// A client id where an object id belongs (the assignment targets the wrong id).
    ClientIdOf(Identity),
    /// A literal object id.
    Literal(String),
    /// Not knowable before deployment (a parameter, a variable, another tool's output).
    Unknown(String),
}

/// Which role an assignment grants.
#[derive(Clone, Debug)]
pub enum RoleRes {
    Builtin(&'static BuiltinRole),
    /// Index into `Model::role_definitions`.
    Custom(usize),
    /// A role id or name that is known but matches no built-in or declared role.
    Undeclared(String),
    Unknown(String),
}

/// Where an assignment applies.
#[derive(Clone, Debug)]
pub struct ScopeRes {
    pub level: Option<ScopeLevel>,
    /// The scope string as far as it is known.
    pub text: PStr,
    pub span: Span,
    /// The resource the scope names, when it is one the model declares.
    pub resource: Option<ResourceIdx>,
}

/// A role assignment with its references resolved.
#[derive(Clone, Debug)]
pub struct ResolvedAssignment {
    /// Index into `Model::role_assignments`.
    pub index: usize,
    pub principal: PrincipalRes,
    pub role: RoleRes,
    pub scope: ScopeRes,
}

/// How an identity is attached to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attachment {
    pub resource: ResourceIdx,
    pub identity: ResourceIdx,
    /// Where the reference is written.
    pub span: Span,
}

pub struct IdentityGraph<'m> {
    pub model: &'m Model,
    by_symbol: HashMap<(UnitKey, String), ResourceIdx>,
    by_kind: HashMap<String, Vec<ResourceIdx>>,
    /// Resources by kind and lowercase last name, for those whose last name is known.
    by_kind_name: HashMap<(String, String), Vec<ResourceIdx>>,
    /// Resources of a kind whose last name is not known (they may match any name).
    by_kind_open: HashMap<String, Vec<ResourceIdx>>,
    /// Each resource's provider part (type, names), computed once.
    provider_parts: Vec<Option<(String, Vec<PStr>)>>,
    /// Resources that use each user-assigned identity.
    pub attachments: Vec<Attachment>,
    /// User-assigned identities an unresolved reference might point at.
    pub maybe_attached: HashSet<ResourceIdx>,
    /// User-assigned identities trusted by a federated credential.
    pub federated: HashSet<ResourceIdx>,
    /// Units with identity references that cannot be read at all.
    pub units_with_unknown_refs: HashSet<UnitKey>,
    pub assignments: Vec<ResolvedAssignment>,
    /// Indices into `assignments` by identity principal, and into `attachments` by identity:
    /// rules ask for them once per resource.
    assignments_by_identity: HashMap<Identity, Vec<usize>>,
    attachments_by_identity: HashMap<ResourceIdx, Vec<usize>>,
}

impl<'m> IdentityGraph<'m> {
    pub fn build(model: &'m Model) -> Self {
        let mut by_symbol = HashMap::with_capacity(model.resources.len());
        let mut by_kind: HashMap<String, Vec<ResourceIdx>> = HashMap::new();
        for (i, r) in model.resources.iter().enumerate() {
            if let Some(sym) = &r.symbol {
                by_symbol
                    .entry((r.unit.clone(), sym.to_string()))
                    .or_insert(i);
            }
            by_kind.entry(r.kind.clone()).or_default().push(i);
        }
        let provider_parts: Vec<_> = model
            .resources
            .par_iter()
            .map(|r| provider_part(&r.id))
            .collect();
        let mut by_kind_name: HashMap<(String, String), Vec<ResourceIdx>> =
            HashMap::with_capacity(model.resources.len());
        let mut by_kind_open: HashMap<String, Vec<ResourceIdx>> = HashMap::new();
        for (i, part) in provider_parts.iter().enumerate() {
            let kind = &model.resources[i].kind;
            match part.as_ref().and_then(|(_, names)| names.last()?.known()) {
                Some(name) => by_kind_name
                    .entry((kind.clone(), name.to_ascii_lowercase()))
                    .or_default()
                    .push(i),
                None => by_kind_open.entry(kind.clone()).or_default().push(i),
            }
        }
        let mut graph = IdentityGraph {
            model,
            by_symbol,
            by_kind,
            by_kind_name,
            by_kind_open,
            provider_parts,
            attachments: Vec::new(),
            maybe_attached: HashSet::new(),
            federated: HashSet::new(),
            units_with_unknown_refs: model
                .units_with_unknown_identity_refs
                .iter()
                .cloned()
                .collect(),
            assignments: Vec::new(),
            assignments_by_identity: HashMap::new(),
            attachments_by_identity: HashMap::new(),
        };
        graph.resolve_attachments();
        graph.assignments = (0..model.role_assignments.len())
            .into_par_iter()
            .map(|i| graph.resolve_assignment(i))
            .collect();
        for (i, a) in graph.assignments.iter().enumerate() {
            if let PrincipalRes::Identity(identity) = a.principal {
                graph
                    .assignments_by_identity
                    .entry(identity)
                    .or_default()
                    .push(i);
            }
        }
        for (i, a) in graph.attachments.iter().enumerate() {
            graph
                .attachments_by_identity
                .entry(a.identity)
                .or_default()
                .push(i);
        }
        graph
    }

    pub fn resource(&self, idx: ResourceIdx) -> &'m Resource {
        &self.model.resources[idx]
    }

    /// Resources a link may denote: exact matches, and whether an unknown piece could make
    /// it match others.
    pub fn resolve_link(&self, link: &ResourceLink, unit: &UnitKey) -> (Vec<ResourceIdx>, bool) {
        match link {
            ResourceLink::Symbol { unit: u, name } => {
                if let Some(&i) = self.by_symbol.get(&(u.clone(), name.to_string())) {
                    return (vec![i], false);
                }
                // ARM `reference('name')`: a resource of the same unit with that name.
                let found: Vec<ResourceIdx> = self
                    .model
                    .resources
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        &r.unit == u && r.name.known().is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                    .map(|(i, _)| i)
                    .collect();
                let maybe = found.is_empty();
                let _ = unit;
                (found, maybe)
            }
            ResourceLink::Id(id) => self.resolve_id(id, unit),
        }
    }

    /// Resources whose id matches `id`; prefers the referring unit when several match.
    pub fn resolve_id(&self, id: &PStr, unit: &UnitKey) -> (Vec<ResourceIdx>, bool) {
        // The legacy form `<resource id>/providers/Microsoft.ManagedIdentity/Identities/default`
        // is the system identity of the resource before it.
        let id = strip_identity_default(id).unwrap_or_else(|| id.clone());
        let Some((kind, names)) = provider_part(&id) else {
            return (Vec::new(), true);
        };
        // Candidates: same kind, and same last name when it is known.
        let none = Vec::new();
        let candidates: Vec<ResourceIdx> = match names.last().and_then(|n| n.known()) {
            Some(name) => self
                .by_kind_name
                .get(&(kind.clone(), name.to_ascii_lowercase()))
                .unwrap_or(&none)
                .iter()
                .chain(self.by_kind_open.get(&kind).unwrap_or(&none))
                .copied()
                .collect(),
            None => self.by_kind.get(&kind).cloned().unwrap_or_default(),
        };
        let mut yes = Vec::new();
        let mut maybe = false;
        for i in candidates {
            let r = &self.model.resources[i];
            let Some((_, rnames)) = &self.provider_parts[i] else {
                // A resource without a known id can only match by name.
                maybe |= names
                    .last()
                    .is_some_and(|n| n.compare(&r.name) != Match::No);
                continue;
            };
            if rnames.len() != names.len() {
                continue;
            }
            let mut result = Match::Yes;
            for (a, b) in names.iter().zip(rnames) {
                match a.compare(b) {
                    Match::No => {
                        result = Match::No;
                        break;
                    }
                    Match::Maybe => result = Match::Maybe,
                    Match::Yes => {}
                }
            }
            // Different resource groups, both known, are different resources.
            if result != Match::No
                && rg_of(&id)
                    .zip(rg_of(&r.id))
                    .is_some_and(|(a, b)| a.compare(&b) == Match::No)
            {
                result = Match::No;
            }
            match result {
                Match::Yes => yes.push(i),
                Match::Maybe => maybe = true,
                Match::No => {}
            }
        }
        if yes.len() > 1 {
            let same_unit: Vec<ResourceIdx> = yes
                .iter()
                .copied()
                .filter(|&i| &self.model.resources[i].unit == unit)
                .collect();
            if !same_unit.is_empty() {
                yes = same_unit;
            }
        }
        (yes, maybe)
    }

    fn resolve_attachments(&mut self) {
        let model = self.model;
        for (ri, r) in model.resources.iter().enumerate() {
            let mut refs: Vec<&Node> = r.identity_references.iter().collect();
            if let Some(decl) = &r.identity {
                refs.extend(decl.user_assigned.iter());
            }
            for node in refs {
                self.attach(ri, &r.unit, node);
            }
        }
        for fc in &model.federated_credentials {
            let (found, maybe) = self.node_targets(&fc.identity, &fc.unit);
            self.federated.extend(found);
            if maybe {
                self.units_with_unknown_refs.insert(fc.unit.clone());
            }
        }
    }

    fn attach(&mut self, resource: ResourceIdx, unit: &UnitKey, node: &Node) {
        let (found, maybe) = self.node_targets(node, unit);
        let mut any = false;
        for id in found {
            if self.model.resources[id].is_user_assigned_identity() {
                any = true;
                self.attachments.push(Attachment {
                    resource,
                    identity: id,
                    span: node.span,
                });
            }
        }
        if !any && maybe {
            // Unknown pieces: every identity whose id could match is possibly used.
            match node.as_pstr().and_then(provider_part) {
                Some((kind, names)) => {
                    for &i in self.by_kind.get(&kind).into_iter().flatten() {
                        let r = &self.model.resources[i];
                        // An unresolved reference can only mean identities of related
                        // deployments (same folder, or one folder inside the other), not
                        // every identity in the analyzed tree.
                        if related_units(unit, &r.unit)
                            && names.last().is_none_or(|n| n.compare(&r.name) != Match::No)
                        {
                            self.maybe_attached.insert(i);
                        }
                    }
                }
                None => {
                    self.units_with_unknown_refs.insert(unit.clone());
                }
            }
        }
    }

    /// Resources a value points at (a link or an id string).
    pub(crate) fn node_targets(&self, node: &Node, unit: &UnitKey) -> (Vec<ResourceIdx>, bool) {
        match &node.val {
            Val::Attr { link, .. } | Val::Resource { link, .. } => self.resolve_link(link, unit),
            Val::Str(p) => self.resolve_id(p, unit),
            Val::OneOf(options) => {
                options
                    .iter()
                    .fold((Vec::new(), false), |(mut all, maybe), o| {
                        let (found, m) = self.node_targets(o, unit);
                        all.extend(found);
                        (all, maybe || m)
                    })
            }
            _ => (Vec::new(), true),
        }
    }

    fn identity_of(&self, idx: ResourceIdx, system: bool) -> Identity {
        if !system && self.model.resources[idx].is_user_assigned_identity() {
            Identity::UserAssigned(idx)
        } else {
            Identity::System(idx)
        }
    }

    fn resolve_principal(&self, node: &Node, unit: &UnitKey) -> PrincipalRes {
        match &node.val {
            Val::Attr { link, attr } => {
                let (found, _) = self.resolve_link(link, unit);
                let Some(&idx) = found.first() else {
                    return PrincipalRes::Unknown(format!(
                        "a reference to an undeclared resource ({})",
                        describe_link(link)
                    ));
                };
                let via_default =
                    matches!(link, ResourceLink::Id(id) if strip_identity_default(id).is_some());
                match attr {
                    Attr::PrincipalId => PrincipalRes::Identity(self.identity_of(idx, via_default)),
                    Attr::SystemPrincipalId => PrincipalRes::Identity(Identity::System(idx)),
                    Attr::ClientId => PrincipalRes::ClientIdOf(self.identity_of(idx, false)),
                    _ => PrincipalRes::Unknown("a run-time property".into()),
                }
            }
            Val::Str(p) => match p.known() {
                Some(text) => PrincipalRes::Literal(text.to_owned()),
                None => PrincipalRes::Unknown(p.unknown_reason().unwrap_or("unknown").to_owned()),
            },
            Val::Unknown(reason) => PrincipalRes::Unknown(reason.to_string()),
            _ => PrincipalRes::Unknown("not an object id".into()),
        }
    }

    fn resolve_role(&self, role: &RoleRef) -> RoleRes {
        let model = self.model;
        let node = role.node();
        let by_id = |text: &str| -> Option<RoleRes> {
            let guid =
                last_after(text, "/roleDefinitions/").unwrap_or_else(|| text.trim().to_owned());
            if let Some(b) = builtin_by_id(&guid) {
                return Some(RoleRes::Builtin(b));
            }
            model
                .role_definitions
                .iter()
                .position(|d| {
                    d.guid
                        .as_ref()
                        .and_then(|g| g.as_known_str())
                        .is_some_and(|g| g.eq_ignore_ascii_case(&guid))
                })
                .map(RoleRes::Custom)
        };
        let by_name = |text: &str| -> Option<RoleRes> {
            if let Some(b) = builtin_by_name_or_id(text) {
                return Some(RoleRes::Builtin(b));
            }
            model
                .role_definitions
                .iter()
                .position(|d| {
                    d.role_name
                        .as_ref()
                        .and_then(|n| n.as_known_str())
                        .is_some_and(|n| n.eq_ignore_ascii_case(text))
                })
                .map(RoleRes::Custom)
        };
        match &node.val {
            Val::Str(p) => match p.known() {
                Some(text) => {
                    let found = match role {
                        RoleRef::Id(_) => by_id(text),
                        RoleRef::Name(_) => by_name(text),
                        RoleRef::NameOrId(_) => by_name(text).or_else(|| by_id(text)),
                    };
                    found.unwrap_or_else(|| RoleRes::Undeclared(text.to_owned()))
                }
                None => {
                    let tail = last_segment(p);
                    // `/subscriptions/<unknown>/providers/…/roleDefinitions/<guid>`.
                    if let Some(found) = tail.known().and_then(by_id) {
                        return found;
                    }
                    // `guid(...)` names match a custom definition named by the same call.
                    model
                        .role_definitions
                        .iter()
                        .position(|d| {
                            d.guid
                                .as_ref()
                                .and_then(|g| g.as_pstr())
                                .is_some_and(|g| g.compare(&tail) == Match::Yes)
                        })
                        .map(RoleRes::Custom)
                        .unwrap_or_else(|| {
                            RoleRes::Unknown(p.unknown_reason().unwrap_or("unknown").to_owned())
                        })
                }
            },
            Val::Attr { link, .. } | Val::Resource { link, .. } => model
                .role_definitions
                .iter()
                .position(|d| d.link.as_ref() == Some(link))
                .map(RoleRes::Custom)
                .unwrap_or_else(|| {
                    RoleRes::Unknown(format!("a reference to {}", describe_link(link)))
                }),
            Val::Unknown(reason) => RoleRes::Unknown(reason.to_string()),
            _ => RoleRes::Unknown("not a role id".into()),
        }
    }

    fn resolve_scope(&self, node: &Node, span: Span, unit: &UnitKey) -> ScopeRes {
        match &node.val {
            Val::Str(p) => ScopeRes {
                level: level_of(p),
                text: p.clone(),
                span,
                resource: self.resolve_id(p, unit).0.first().copied(),
            },
            Val::Attr {
                link,
                attr: Attr::Id,
            }
            | Val::Resource {
                link,
                view: ResourceView::Symbol,
            } => {
                let (found, _) = self.resolve_link(link, unit);
                match found.first() {
                    Some(&idx) => {
                        let r = &self.model.resources[idx];
                        ScopeRes {
                            level: level_of(&r.id).or(Some(ScopeLevel::Resource)),
                            text: r.id.clone(),
                            span,
                            resource: Some(idx),
                        }
                    }
                    None => ScopeRes {
                        level: None,
                        text: PStr::hole("an undeclared resource", None),
                        span,
                        resource: None,
                    },
                }
            }
            Val::OneOf(options) => {
                // Either scope: its level is known when every option has the same one.
                let resolved: Vec<ScopeRes> = options
                    .iter()
                    .map(|o| self.resolve_scope(o, span, unit))
                    .collect();
                let level = resolved
                    .first()
                    .and_then(|r| r.level)
                    .filter(|l| resolved.iter().all(|r| r.level == Some(*l)));
                ScopeRes {
                    level,
                    text: PStr::hole("one of several scopes", None),
                    span,
                    resource: None,
                }
            }
            _ => ScopeRes {
                level: None,
                text: PStr::hole("a scope known only at deployment", None),
                span,
                resource: None,
            },
        }
    }

    fn resolve_assignment(&self, index: usize) -> ResolvedAssignment {
        let a = &self.model.role_assignments[index];
        ResolvedAssignment {
            index,
            principal: self.resolve_principal(&a.principal, &a.unit),
            role: self.resolve_role(&a.role),
            scope: self.resolve_scope(&a.scope, a.scope_span, &a.unit),
        }
    }

    /// Assignments whose principal is this identity.
    pub fn assignments_of(&self, identity: Identity) -> impl Iterator<Item = &ResolvedAssignment> {
        self.assignments_by_identity
            .get(&identity)
            .into_iter()
            .flatten()
            .map(|&i| &self.assignments[i])
    }

    /// Resources that use a user-assigned identity.
    pub fn consumers_of(&self, uami: ResourceIdx) -> impl Iterator<Item = &Attachment> {
        self.attachments_by_identity
            .get(&uami)
            .into_iter()
            .flatten()
            .map(|&i| &self.attachments[i])
    }

    /// Display name of a role.
    pub fn role_name(&self, role: &RoleRes) -> String {
        match role {
            RoleRes::Builtin(b) => b.name.to_owned(),
            RoleRes::Custom(i) => self.model.role_definitions[*i]
                .role_name
                .as_ref()
                .and_then(|n| n.as_pstr())
                .map(|p| p.display())
                .unwrap_or_else(|| "a custom role".into()),
            RoleRes::Undeclared(text) => text.clone(),
            RoleRes::Unknown(_) => "an unknown role".into(),
        }
    }
}

/// The folder a unit deploys from: `arm:infra/main.json` → `infra`, `tf:infra/net` →
/// `infra/net`, `bicep:infra/main.bicep#mod` → `infra`.
fn unit_dir(unit: &str) -> &str {
    let (kind, rest) = unit.split_once(':').unwrap_or(("", unit));
    let rest = rest.split('#').next().unwrap_or(rest);
    let rest = rest.split("/module.").next().unwrap_or(rest);
    match kind {
        "arm" | "bicep" => rest.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(""),
        _ => rest,
    }
}

/// Units that may refer to each other's resources by ids the code cannot read.
fn related_units(a: &str, b: &str) -> bool {
    let (x, y) = (unit_dir(a), unit_dir(b));
    let inside = |outer: &str, inner: &str| {
        outer.is_empty() || inner.starts_with(outer) && inner[outer.len()..].starts_with('/')
    };
    x == y || inside(x, y) || inside(y, x)
}

fn describe_link(link: &ResourceLink) -> String {
    match link {
        ResourceLink::Symbol { name, .. } => name.to_string(),
        ResourceLink::Id(id) => id.display(),
    }
}

fn last_segment(p: &PStr) -> PStr {
    let mut out = PStr::default();
    for seg in p.0.iter().rev() {
        match seg {
            Seg::Lit(s) => {
                if let Some(i) = s.rfind('/') {
                    let mut tail = PStr::lit(&s[i + 1..]);
                    tail.push(&out);
                    return tail;
                }
                let mut tail = PStr::lit(s.as_str());
                tail.push(&out);
                out = tail;
            }
            hole => {
                let mut tail = PStr(vec![hole.clone()]);
                tail.push(&out);
                out = tail;
            }
        }
    }
    out
}

/// `…/providers/Microsoft.ManagedIdentity/Identities/default` → the resource id before it.
fn strip_identity_default(id: &PStr) -> Option<PStr> {
    let Some(Seg::Lit(last)) = id.0.last() else {
        return None;
    };
    let lower = last.to_ascii_lowercase();
    let suffix = "/providers/microsoft.managedidentity/identities/default";
    if !lower.ends_with(suffix) {
        return None;
    }
    let mut out = id.clone();
    if let Some(Seg::Lit(l)) = out.0.last_mut() {
        l.truncate(l.len() - suffix.len());
        if l.is_empty() {
            out.0.pop();
        }
    }
    Some(out)
}

/// The resource group name of an id, when the id has one.
fn rg_of(id: &PStr) -> Option<PStr> {
    let text = id.display().to_ascii_lowercase();
    let at = text.find("/resourcegroups/")?;
    // Holes are displayed as `<symbol>`, so compare on the known parts only.
    let rest = &text[at + "/resourcegroups/".len()..];
    let name = rest.split('/').next()?;
    if name.contains('<') {
        return None;
    }
    Some(PStr::lit(name))
}

#[cfg(test)]
mod tests {
    use super::related_units;

    #[test]
    fn units_relate_by_folder() {
        assert!(related_units("arm:infra/main.json", "arm:infra/rbac.json"));
        assert!(related_units("bicep:infra/main.bicep#mod", "tf:infra/net"));
        assert!(related_units("script:infra", "arm:infra/modules/id.json"));
        assert!(!related_units(
            "arm:repo-a/main.json",
            "arm:repo-b/main.json"
        ));
        assert!(!related_units("tf:infra/net", "tf:infra/network"));
        assert!(related_units("arm:main.json", "arm:anything/else.json"));
    }
}
