//! The reviewer's view of an analysis: the identity graph as nodes and edges with stable ids
//! and source locations, the identity inventory, and findings grouped by identity. Shared by
//! `idlint graph` (DOT, Mermaid, JSON), the Markdown and HTML reports and the queries.

use crate::diagnostic::Diagnostic;
use crate::engine::Analysis;
use crate::graph::query::scope_contains;
use crate::graph::{Identity, IdentityGraph, PrincipalRes, ResourceIdx};
use crate::model::Match;
use crate::model::scope::ScopeLevel;
use crate::source::Span;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// A resource that uses an identity, or that a role is assigned on.
    Resource,
    /// A managed identity: user-assigned, or the system identity of a resource.
    Identity,
    /// Any other principal a role is granted to (a literal object id, a parameter…).
    Principal,
    /// A scope that is not a declared resource (subscription, resource group, …).
    Scope,
    /// An external issuer a federated credential trusts.
    Issuer,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Resource => "resource",
            NodeKind::Identity => "identity",
            NodeKind::Principal => "principal",
            NodeKind::Scope => "scope",
            NodeKind::Issuer => "issuer",
        }
    }
}

/// What an edge means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// resource → identity
    UsesIdentity,
    /// identity or principal → scope or resource, labelled with the role
    HasRoleAt,
    /// scope → scope or resource it surely contains (most specific container only)
    Contains,
    /// identity → issuer of a federated credential
    Trusts,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::UsesIdentity => "uses identity",
            EdgeKind::HasRoleAt => "has role at",
            EdgeKind::Contains => "contains",
            EdgeKind::Trusts => "trusts",
        }
    }
}

/// A source location, 1-based.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Loc {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

pub fn loc(a: &Analysis, span: Span) -> Loc {
    let file = a.db.get(span.file);
    let (line, column) = file.line_col(span.start as usize);
    Loc {
        path: file.display.clone(),
        line,
        column,
    }
}

#[derive(Clone, Debug)]
pub struct GNode {
    /// Stable id: built from kind, file and name, never from line numbers or order.
    pub id: String,
    pub kind: NodeKind,
    /// The name a reviewer knows it by.
    pub label: String,
    /// A second line: the resource type, the identity kind, the scope level.
    pub detail: String,
    pub loc: Option<Loc>,
    pub resource: Option<ResourceIdx>,
    pub identity: Option<Identity>,
    /// A user-assigned identity that nothing uses.
    pub unused: bool,
}

#[derive(Clone, Debug)]
pub struct GEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The role for `has role at`.
    pub role: Option<String>,
    pub loc: Option<Loc>,
}

/// One row of the identity inventory.
#[derive(Clone, Debug)]
pub struct InventoryRow {
    pub node: usize,
    pub kind: String,
    pub attached_to: Vec<(String, Loc)>,
    /// Role, scope description, where assigned.
    pub roles: Vec<(String, String, Loc)>,
    pub findings: usize,
}

pub struct ReviewView {
    pub nodes: Vec<GNode>,
    pub edges: Vec<GEdge>,
    pub inventory: Vec<InventoryRow>,
    /// Findings per inventory node (index into `nodes`), `None` for findings about no identity.
    pub findings_by_identity: Vec<(Option<usize>, Vec<usize>)>,
}

fn slug_name(a: &Analysis, graph: &IdentityGraph<'_>, r: ResourceIdx) -> String {
    let res = graph.resource(r);
    match (res.name.known(), &res.symbol) {
        (Some(n), _) if !n.is_empty() => n.to_owned(),
        (_, Some(sym)) => sym.to_string(),
        _ => {
            let _ = a;
            res.name.display()
        }
    }
}

/// The items of one table cell, one per line: `<br>` breaks lines in HTML and in the
/// markdown tables GitHub renders.
pub fn cell_lines<T>(items: &[T], item: impl Fn(&T) -> String) -> String {
    items.iter().map(item).collect::<Vec<_>>().join("<br>")
}

/// The first line of masked source text under a span, trimmed and shortened.
pub fn source_excerpt(a: &Analysis, span: Span, max: usize) -> String {
    let text = a.masked_text(span.file);
    let s = text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("")
        .trim();
    shorten(s, max)
}

pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn scope_label(level: Option<ScopeLevel>, text: &str) -> (String, String) {
    let detail = level.map(|l| l.describe()).unwrap_or("scope").to_owned();
    let label = match level {
        Some(ScopeLevel::Tenant) => "tenant root".to_owned(),
        _ if text.is_empty() => "unknown scope".to_owned(),
        _ => text.to_owned(),
    };
    (label, detail)
}

struct Builder<'a> {
    nodes: Vec<GNode>,
    by_id: HashMap<String, usize>,
    edges: Vec<GEdge>,
    edge_seen: HashSet<(usize, usize, EdgeKind, Option<String>)>,
    a: &'a Analysis,
}

impl Builder<'_> {
    fn node(&mut self, mut node: GNode) -> usize {
        // The same id for a different declaration (two resources of one type and name in a
        // file) gets a suffix; each suffixed id is checked too, so asking again for the second
        // declaration finds it rather than adding a third node.
        let base = node.id.clone();
        let mut n = 1;
        while let Some(&i) = self.by_id.get(&node.id) {
            if self.nodes[i].resource == node.resource && self.nodes[i].identity == node.identity {
                return i;
            }
            n += 1;
            node.id = format!("{base}~{n}");
        }
        let i = self.nodes.len();
        self.by_id.insert(node.id.clone(), i);
        self.nodes.push(node);
        i
    }

    fn edge(
        &mut self,
        from: usize,
        to: usize,
        kind: EdgeKind,
        role: Option<String>,
        span: Option<Span>,
    ) {
        if self.edge_seen.insert((from, to, kind, role.clone())) {
            let loc = span.map(|s| loc(self.a, s));
            self.edges.push(GEdge {
                from,
                to,
                kind,
                role,
                loc,
            });
        }
    }
}

impl ReviewView {
    pub fn build(a: &Analysis) -> ReviewView {
        let graph = IdentityGraph::build(&a.model);
        Self::build_with(a, &graph)
    }

    pub fn build_with(a: &Analysis, graph: &IdentityGraph<'_>) -> ReviewView {
        let model = &a.model;
        let mut b = Builder {
            nodes: Vec::new(),
            by_id: HashMap::new(),
            edges: Vec::new(),
            edge_seen: HashSet::new(),
            a,
        };
        let path_of = |span: Span| a.db.get(span.file).display.clone();

        let resource_node = |b: &mut Builder<'_>, r: ResourceIdx| -> usize {
            let res = graph.resource(r);
            b.node(GNode {
                id: format!("resource:{}#{}", path_of(res.span), slug_name(a, graph, r)),
                kind: NodeKind::Resource,
                label: slug_name(a, graph, r),
                detail: res.kind_display.clone(),
                loc: Some(loc(a, res.span)),
                resource: Some(r),
                identity: None,
                unused: false,
            })
        };
        let identity_node = |b: &mut Builder<'_>, id: Identity| -> usize {
            let r = id.resource();
            let res = graph.resource(r);
            let name = slug_name(a, graph, r);
            match id {
                Identity::UserAssigned(_) => {
                    let unused = graph.consumers_of(r).next().is_none()
                        && !graph.maybe_attached.contains(&r)
                        && !graph.federated.contains(&r)
                        && !graph.units_with_unknown_refs.contains(&res.unit)
                        && !res.existing;
                    b.node(GNode {
                        id: format!("identity:{}#{}", path_of(res.span), name),
                        kind: NodeKind::Identity,
                        label: name,
                        detail: "user-assigned identity".into(),
                        loc: Some(loc(a, res.span)),
                        resource: Some(r),
                        identity: Some(id),
                        unused,
                    })
                }
                Identity::System(_) => {
                    let span = res.identity.as_ref().map(|d| d.span).unwrap_or(res.span);
                    b.node(GNode {
                        id: format!("system-identity:{}#{}", path_of(res.span), name),
                        kind: NodeKind::Identity,
                        label: format!("{name} (system)"),
                        detail: "system-assigned identity".into(),
                        loc: Some(loc(a, span)),
                        resource: Some(r),
                        identity: Some(id),
                        unused: false,
                    })
                }
            }
        };

        // Identities, in model order.
        for (r, res) in model.resources.iter().enumerate() {
            if res.is_user_assigned_identity() {
                identity_node(&mut b, Identity::UserAssigned(r));
            }
        }
        for (r, res) in model.resources.iter().enumerate() {
            if let Some(decl) = &res.identity
                && decl.system_assigned == Some(true)
                && !res.is_user_assigned_identity()
            {
                let user = resource_node(&mut b, r);
                let id = identity_node(&mut b, Identity::System(r));
                b.edge(user, id, EdgeKind::UsesIdentity, None, Some(decl.span));
            }
        }
        for att in &graph.attachments {
            let user = resource_node(&mut b, att.resource);
            let id = identity_node(&mut b, Identity::UserAssigned(att.identity));
            b.edge(user, id, EdgeKind::UsesIdentity, None, Some(att.span));
        }
        // Role assignments.
        let mut scope_nodes: Vec<(usize, crate::model::PStr)> = Vec::new();
        for ra in &graph.assignments {
            let decl = &model.role_assignments[ra.index];
            let from = match &ra.principal {
                PrincipalRes::Identity(id) => identity_node(&mut b, *id),
                PrincipalRes::ClientIdOf(id) => {
                    let target = identity_node(&mut b, *id);
                    let label = format!("client id of {}", b.nodes[target].label);
                    b.node(GNode {
                        id: format!("principal:client-id#{}", b.nodes[target].id),
                        kind: NodeKind::Principal,
                        label,
                        detail: "a client id, not an object id".into(),
                        loc: Some(loc(a, decl.principal.span)),
                        resource: None,
                        identity: None,
                        unused: false,
                    })
                }
                PrincipalRes::Literal(text) => b.node(GNode {
                    id: format!("principal:{}", text.to_ascii_lowercase()),
                    kind: NodeKind::Principal,
                    label: text.clone(),
                    detail: "object id".into(),
                    loc: Some(loc(a, decl.principal.span)),
                    resource: None,
                    identity: None,
                    unused: false,
                }),
                PrincipalRes::Unknown(_) => {
                    let text = source_excerpt(a, decl.principal.span, 60);
                    b.node(GNode {
                        id: format!("principal:{}#{}", path_of(decl.span), text),
                        kind: NodeKind::Principal,
                        label: text,
                        detail: "principal known at deployment".into(),
                        loc: Some(loc(a, decl.principal.span)),
                        resource: None,
                        identity: None,
                        unused: false,
                    })
                }
            };
            let to = match ra.scope.resource {
                Some(r) => resource_node(&mut b, r),
                None => {
                    let text = ra.scope.text.display();
                    let (label, detail) = scope_label(ra.scope.level, &ra.scope.text.display());
                    let i = b.node(GNode {
                        id: format!("scope:{}", text.to_ascii_lowercase()),
                        kind: NodeKind::Scope,
                        label,
                        detail,
                        loc: None,
                        resource: None,
                        identity: None,
                        unused: false,
                    });
                    if !scope_nodes.iter().any(|(n, _)| *n == i) {
                        scope_nodes.push((i, ra.scope.text.clone()));
                    }
                    i
                }
            };
            b.edge(
                from,
                to,
                EdgeKind::HasRoleAt,
                Some(graph.role_name(&ra.role)),
                Some(decl.span),
            );
        }
        // Federated credentials: the identity trusts an external issuer.
        for fc in &model.federated_credentials {
            let (targets, _) = graph.node_targets(&fc.identity, &fc.unit);
            let issuer = fc
                .issuer
                .as_ref()
                .and_then(|n| n.as_pstr())
                .map(crate::model::PStr::display)
                .unwrap_or_else(|| "unknown issuer".into());
            let subject = fc
                .subject
                .as_ref()
                .and_then(|n| n.as_pstr())
                .map(crate::model::PStr::display)
                .unwrap_or_default();
            for t in targets {
                if !graph.resource(t).is_user_assigned_identity() {
                    continue;
                }
                let id = identity_node(&mut b, Identity::UserAssigned(t));
                let iss = b.node(GNode {
                    id: format!("issuer:{issuer}|{subject}"),
                    kind: NodeKind::Issuer,
                    label: shorten(&issuer, 60),
                    detail: shorten(&subject, 60),
                    loc: Some(loc(a, fc.span)),
                    resource: None,
                    identity: None,
                    unused: false,
                });
                b.edge(id, iss, EdgeKind::Trusts, None, Some(fc.span));
            }
        }
        // Containment: each scope or resource node gets an edge from the most specific
        // scope node that surely contains it.
        let ids_of: Vec<(usize, crate::model::PStr)> = b
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match (n.kind, n.resource) {
                (NodeKind::Resource, Some(r)) => Some((i, graph.resource(r).id.clone())),
                _ => None,
            })
            .chain(scope_nodes.iter().cloned())
            .collect();
        let mut contains = Vec::new();
        for (target, tid) in &ids_of {
            if tid.0.is_empty() {
                continue;
            }
            let holders: Vec<&(usize, crate::model::PStr)> = scope_nodes
                .iter()
                .filter(|(s, text)| s != target && scope_contains(text, tid) == Match::Yes)
                .collect();
            let most_specific = holders.iter().filter(|(s, text)| {
                !holders.iter().any(|(o, otext)| {
                    o != s
                        && scope_contains(text, otext) == Match::Yes
                        && scope_contains(otext, text) != Match::Yes
                })
            });
            for (s, _) in most_specific {
                contains.push((*s, *target));
            }
        }
        for (s, t) in contains {
            b.edge(s, t, EdgeKind::Contains, None, None);
        }

        let Builder {
            mut nodes,
            mut edges,
            ..
        } = b;
        // A stable order: by kind, then id.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&x, &y| (nodes[x].kind, &nodes[x].id).cmp(&(nodes[y].kind, &nodes[y].id)));
        let mut new_index = vec![0; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut sorted: Vec<Option<GNode>> = nodes.drain(..).map(Some).collect();
        let nodes: Vec<GNode> = order.iter().map(|&o| sorted[o].take().unwrap()).collect();
        for e in &mut edges {
            e.from = new_index[e.from];
            e.to = new_index[e.to];
        }
        edges.sort_by(|x, y| {
            (x.from, x.to, x.kind, &x.role, &x.loc).cmp(&(y.from, y.to, y.kind, &y.role, &y.loc))
        });

        // Findings by identity.
        let groups = group_findings(a, graph, &nodes);
        let mut per_node: BTreeMap<usize, usize> = BTreeMap::new();
        for (node, list) in &groups {
            if let Some(n) = node {
                *per_node.entry(*n).or_default() += list.len();
            }
        }

        let inventory = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Identity | NodeKind::Principal))
            .map(|(i, n)| InventoryRow {
                node: i,
                kind: n.detail.clone(),
                attached_to: edges
                    .iter()
                    .filter(|e| e.to == i && e.kind == EdgeKind::UsesIdentity)
                    .map(|e| {
                        (
                            nodes[e.from].label.clone(),
                            e.loc.clone().or_else(|| nodes[e.from].loc.clone()).unwrap(),
                        )
                    })
                    .collect(),
                roles: edges
                    .iter()
                    .filter(|e| e.from == i && e.kind == EdgeKind::HasRoleAt)
                    .map(|e| {
                        let t = &nodes[e.to];
                        let scope = match t.kind {
                            NodeKind::Scope => format!("{} {}", t.detail, t.label),
                            _ => format!("{} '{}'", t.detail, t.label),
                        };
                        (
                            e.role.clone().unwrap_or_default(),
                            scope,
                            e.loc.clone().unwrap(),
                        )
                    })
                    .collect(),
                findings: per_node.get(&i).copied().unwrap_or(0),
            })
            .collect();
        ReviewView {
            nodes,
            edges,
            inventory,
            findings_by_identity: groups,
        }
    }

    /// Nodes of a kind.
    pub fn count(&self, kind: NodeKind) -> usize {
        self.nodes.iter().filter(|n| n.kind == kind).count()
    }
}

fn inside(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Which identity node a finding is about: the identity declared where it points, the
/// principal of the role assignment it points into, or the identity of the resource it
/// points into. Groups are in inventory order, with findings about no identity last.
fn group_findings(
    a: &Analysis,
    graph: &IdentityGraph<'_>,
    nodes: &[GNode],
) -> Vec<(Option<usize>, Vec<usize>)> {
    let identity_node: HashMap<Identity, usize> = nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.identity.map(|id| (id, i)))
        .collect();
    let principal_node = |p: &PrincipalRes, span: Span| -> Option<usize> {
        match p {
            PrincipalRes::Identity(id) => identity_node.get(id).copied(),
            _ => {
                let l = loc(a, span);
                nodes
                    .iter()
                    .position(|n| n.kind == NodeKind::Principal && n.loc.as_ref() == Some(&l))
            }
        }
    };
    let about = |span: Span| -> Option<usize> {
        for ra in &graph.assignments {
            let decl = &a.model.role_assignments[ra.index];
            if inside(decl.span, span) {
                return principal_node(&ra.principal, decl.principal.span);
            }
        }
        // The innermost resource containing the span.
        let r = a
            .model
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| inside(r.span, span))
            .min_by_key(|(_, r)| r.span.end - r.span.start)?
            .0;
        if let Some(&n) = identity_node.get(&Identity::UserAssigned(r)) {
            return Some(n);
        }
        if let Some(&n) = identity_node.get(&Identity::System(r)) {
            return Some(n);
        }
        graph
            .attachments
            .iter()
            .find(|att| att.resource == r)
            .and_then(|att| {
                identity_node
                    .get(&Identity::UserAssigned(att.identity))
                    .copied()
            })
    };
    let mut groups: BTreeMap<(bool, usize), Vec<usize>> = BTreeMap::new();
    for (i, d) in a.diagnostics.iter().enumerate() {
        let node = about(d.span).or_else(|| d.labels.iter().find_map(|l| about(l.span)));
        let key = match node {
            Some(n) => (false, n),
            None => (true, 0),
        };
        groups.entry(key).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|((none, n), list)| (if none { None } else { Some(n) }, list))
        .collect()
}

/// Findings per severity (most severe first) and per rule.
pub type Counts = (
    Vec<(crate::diagnostic::Severity, usize)>,
    Vec<(&'static str, usize)>,
);

/// Counts by severity (most severe first) and by rule.
pub fn summary(diags: &[Diagnostic]) -> Counts {
    let mut by_sev: BTreeMap<crate::diagnostic::Severity, usize> = BTreeMap::new();
    let mut by_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diags {
        *by_sev.entry(d.severity).or_default() += 1;
        *by_rule.entry(d.rule).or_default() += 1;
    }
    (
        by_sev.into_iter().rev().collect(),
        by_rule.into_iter().collect(),
    )
}

/// A few lines of masked source around a span: (first line number, lines).
pub fn snippet(a: &Analysis, span: Span, max_lines: usize) -> (usize, Vec<String>) {
    let text = a.masked_text(span.file);
    let file = a.db.get(span.file);
    let (first, _) = file.line_col(span.start as usize);
    let (last, _) = file.line_col((span.end as usize).max(span.start as usize));
    let count = (last + 1 - first).clamp(1, max_lines);
    let lines = text
        .lines()
        .skip(first - 1)
        .take(count)
        .map(|l| shorten(l.trim_end(), 160))
        .collect();
    (first, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_declarations_with_one_id_are_two_nodes_however_often_they_are_reached() {
        let dir = std::env::temp_dir().join(format!("idlint-inventory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Two identities of the same type and name in one file (distinct declarations), each
        // attached to two machines: every attachment asks for its identity's node again.
        let vm = |n: u32, id: &str| {
            format!(
                r#"{{"type":"Microsoft.Compute/virtualMachines","apiVersion":"2023-03-01","name":"vm{n}","location":"x","identity":{{"type":"UserAssigned","userAssignedIdentities":{{"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities','{id}')]":{{}}}}}}}}"#
            )
        };
        let uami = r#"{"type":"Microsoft.ManagedIdentity/userAssignedIdentities","apiVersion":"2023-01-31","name":"[parameters('n')]","location":"x"}"#;
        let template = format!(
            r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","parameters":{{"n":{{"type":"string","defaultValue":"shared"}}}},"resources":[{uami},{uami},{},{},{}]}}"#,
            vm(1, "shared"),
            vm(2, "shared"),
            vm(3, "shared"),
        );
        std::fs::write(dir.join("t.json"), template).unwrap();
        let analysis = crate::engine::analyze(std::slice::from_ref(&dir), &Default::default());
        let view = ReviewView::build(&analysis);
        let _ = std::fs::remove_dir_all(&dir);
        let identity_nodes = view
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Identity)
            .count();
        assert_eq!(identity_nodes, 2, "{:#?}", view.nodes);
    }
}
