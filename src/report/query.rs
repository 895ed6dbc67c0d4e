//! Answers to the reviewer queries, as text or JSON:
//! `idlint can <IDENTITY>` — what an identity or principal can do, where, through which
//! assignment; `idlint who-can <RESOURCE>` — every principal that can act on a resource and
//! the path to it.

use super::inventory::{Loc, loc, source_excerpt};
use crate::engine::Analysis;
use crate::graph::{Identity, IdentityGraph, PrincipalRes, ResolvedAssignment, ResourceIdx};
use crate::model::Match;
use serde::Serialize;
use std::io::{self, Write};

/// Output of the queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, Serialize)]
pub struct Entity {
    pub label: String,
    pub kind: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub loc: Option<Loc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Scope {
    pub level: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

/// One assignment as a reviewer reads it.
#[derive(Clone, Debug, Serialize)]
pub struct Grant {
    pub principal: Entity,
    pub role: String,
    pub scope: Scope,
    /// Where the role assignment is written.
    pub assignment: Loc,
    /// `certain`, or `possible` when an unknown piece of the scope might cover the target.
    pub reach: &'static str,
    /// Resources that act with this identity (they hold the grant too).
    pub used_by: Vec<Entity>,
    /// `can`: declared resources the scope covers (surely), and how many more it might.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// `can`: declared resources the scope may cover (their ids or the scope have unknown
    /// parts that could differ).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possibly_covers: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub subject: Entity,
    pub grants: Vec<Grant>,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    query: &'a str,
    name: &'a str,
    answers: &'a [Answer],
}

fn resource_name(graph: &IdentityGraph<'_>, r: ResourceIdx) -> String {
    let res = graph.resource(r);
    match (res.name.known(), &res.symbol) {
        (Some(n), _) if !n.is_empty() => n.to_owned(),
        (_, Some(s)) => s.to_string(),
        _ => res.name.display(),
    }
}

fn resource_entity(a: &Analysis, graph: &IdentityGraph<'_>, r: ResourceIdx) -> Entity {
    let res = graph.resource(r);
    Entity {
        label: resource_name(graph, r),
        kind: res.kind_display.clone(),
        loc: Some(loc(a, res.span)),
    }
}

fn identity_entity(a: &Analysis, graph: &IdentityGraph<'_>, id: Identity) -> Entity {
    let r = id.resource();
    let res = graph.resource(r);
    match id {
        Identity::UserAssigned(_) => Entity {
            label: resource_name(graph, r),
            kind: "user-assigned identity".into(),
            loc: Some(loc(a, res.span)),
        },
        Identity::System(_) => Entity {
            label: format!("{} (system)", resource_name(graph, r)),
            kind: "system-assigned identity".into(),
            loc: Some(loc(
                a,
                res.identity.as_ref().map(|d| d.span).unwrap_or(res.span),
            )),
        },
    }
}

fn principal_entity(a: &Analysis, graph: &IdentityGraph<'_>, ra: &ResolvedAssignment) -> Entity {
    let decl = &a.model.role_assignments[ra.index];
    match &ra.principal {
        PrincipalRes::Identity(id) => identity_entity(a, graph, *id),
        PrincipalRes::ClientIdOf(id) => Entity {
            label: format!("client id of {}", identity_entity(a, graph, *id).label),
            kind: "a client id, not an object id".into(),
            loc: Some(loc(a, decl.principal.span)),
        },
        PrincipalRes::Literal(text) => Entity {
            label: text.clone(),
            kind: "object id".into(),
            loc: Some(loc(a, decl.principal.span)),
        },
        PrincipalRes::Unknown(_) => Entity {
            label: source_excerpt(a, decl.principal.span, 80),
            kind: "principal known at deployment".into(),
            loc: Some(loc(a, decl.principal.span)),
        },
    }
}

fn scope_of(graph: &IdentityGraph<'_>, ra: &ResolvedAssignment) -> Scope {
    Scope {
        level: ra
            .scope
            .level
            .map(|l| l.describe())
            .unwrap_or("unknown")
            .to_owned(),
        text: ra.scope.text.display(),
        resource: ra.scope.resource.map(|r| resource_name(graph, r)),
    }
}

fn used_by(a: &Analysis, graph: &IdentityGraph<'_>, p: &PrincipalRes) -> Vec<Entity> {
    match p {
        PrincipalRes::Identity(Identity::UserAssigned(r)) => graph
            .consumers_of(*r)
            .map(|att| {
                let mut e = resource_entity(a, graph, att.resource);
                e.loc = Some(loc(a, att.span));
                e
            })
            .collect(),
        PrincipalRes::Identity(Identity::System(r)) => vec![resource_entity(a, graph, *r)],
        _ => Vec::new(),
    }
}

/// Role assignments and definitions are not what a grant is for.
fn authorization(graph: &IdentityGraph<'_>, r: ResourceIdx) -> bool {
    graph
        .resource(r)
        .kind
        .starts_with("microsoft.authorization/")
}

fn name_matches(name: &str, candidates: &[&str]) -> bool {
    candidates.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// Principals `name` denotes: a user-assigned identity (name or symbol), a resource (its
/// system identity and every identity it uses), a literal object id.
pub fn principals_named(a: &Analysis, graph: &IdentityGraph<'_>, name: &str) -> Vec<PrincipalRes> {
    let mut out: Vec<PrincipalRes> = Vec::new();
    for (r, res) in a.model.resources.iter().enumerate() {
        let names = [
            res.name.known().unwrap_or(""),
            res.symbol.as_deref().unwrap_or(""),
        ];
        let system_name = format!("{} (system)", resource_name(graph, r));
        if !name_matches(name, &names) && !name.eq_ignore_ascii_case(&system_name) {
            continue;
        }
        if res.is_user_assigned_identity() {
            out.push(PrincipalRes::Identity(Identity::UserAssigned(r)));
            continue;
        }
        let system = PrincipalRes::Identity(Identity::System(r));
        if res
            .identity
            .as_ref()
            .is_some_and(|d| d.system_assigned == Some(true))
            || graph.assignments.iter().any(|x| x.principal == system)
        {
            out.push(system);
        }
        if !name.eq_ignore_ascii_case(&system_name) {
            for att in graph.attachments.iter().filter(|att| att.resource == r) {
                out.push(PrincipalRes::Identity(Identity::UserAssigned(att.identity)));
            }
        }
    }
    for ra in &graph.assignments {
        if let PrincipalRes::Literal(text) = &ra.principal
            && text.eq_ignore_ascii_case(name)
        {
            out.push(ra.principal.clone());
        }
    }
    let mut dedup = Vec::new();
    for p in out {
        if !dedup.contains(&p) {
            dedup.push(p);
        }
    }
    dedup
}

/// `idlint can NAME`.
pub fn can(a: &Analysis, name: &str) -> Vec<Answer> {
    let graph = IdentityGraph::build(&a.model);
    principals_named(a, &graph, name)
        .into_iter()
        .map(|p| {
            let subject = match &p {
                PrincipalRes::Identity(id) => identity_entity(a, &graph, *id),
                PrincipalRes::Literal(t) => Entity {
                    label: t.clone(),
                    kind: "object id".into(),
                    loc: None,
                },
                _ => Entity {
                    label: name.to_owned(),
                    kind: "principal".into(),
                    loc: None,
                },
            };
            let users = used_by(a, &graph, &p);
            let grants = graph
                .effective_access(&p)
                .into_iter()
                .map(|g| {
                    let decl = &a.model.role_assignments[g.assignment.index];
                    Grant {
                        principal: subject.clone(),
                        role: graph.role_name(&g.assignment.role),
                        scope: scope_of(&graph, g.assignment),
                        assignment: loc(a, decl.span),
                        reach: "certain",
                        used_by: users.clone(),
                        covers: g
                            .covers
                            .iter()
                            .filter(|(r, m)| *m == Match::Yes && !authorization(&graph, *r))
                            .map(|(r, _)| resource_name(&graph, *r))
                            .collect(),
                        possibly_covers: g
                            .covers
                            .iter()
                            .filter(|(r, m)| *m == Match::Maybe && !authorization(&graph, *r))
                            .map(|(r, _)| resource_name(&graph, *r))
                            .collect(),
                    }
                })
                .collect();
            Answer { subject, grants }
        })
        .collect()
}

/// `idlint who-can RESOURCE`.
pub fn who_can(a: &Analysis, name: &str) -> Vec<Answer> {
    let graph = IdentityGraph::build(&a.model);
    a.model
        .resources
        .iter()
        .enumerate()
        .filter(|(_, res)| {
            name_matches(
                name,
                &[
                    res.name.known().unwrap_or(""),
                    res.symbol.as_deref().unwrap_or(""),
                ],
            )
        })
        .map(|(r, _)| {
            let grants = graph
                .who_can_reach(r)
                .into_iter()
                .map(|acc| {
                    let decl = &a.model.role_assignments[acc.assignment.index];
                    Grant {
                        principal: principal_entity(a, &graph, acc.assignment),
                        role: graph.role_name(&acc.assignment.role),
                        scope: scope_of(&graph, acc.assignment),
                        assignment: loc(a, decl.span),
                        reach: if acc.reach == Match::Yes {
                            "certain"
                        } else {
                            "possible"
                        },
                        used_by: used_by(a, &graph, &acc.assignment.principal),
                        covers: Vec::new(),
                        possibly_covers: Vec::new(),
                    }
                })
                .collect();
            Answer {
                subject: resource_entity(a, &graph, r),
                grants,
            }
        })
        .collect()
}

fn at(l: &Option<Loc>) -> String {
    l.as_ref().map(|l| format!(" ({l})")).unwrap_or_default()
}

fn scope_text(s: &Scope) -> String {
    match &s.resource {
        Some(r) => format!("{} '{r}'", s.level),
        None => format!("{} {}", s.level, s.text),
    }
}

pub fn write(
    query: &str,
    name: &str,
    answers: &[Answer],
    format: QueryFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    if format == QueryFormat::Json {
        serde_json::to_writer_pretty(
            &mut *out,
            &Doc {
                version: 1,
                query,
                name,
                answers,
            },
        )?;
        return writeln!(out);
    }
    for (k, ans) in answers.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        let s = &ans.subject;
        writeln!(out, "{} '{}'{}", s.kind, s.label, at(&s.loc))?;
        if query == "can" {
            let users = ans
                .grants
                .first()
                .map(|g| g.used_by.clone())
                .unwrap_or_default();
            for u in &users {
                writeln!(out, "  used by {} '{}'{}", u.kind, u.label, at(&u.loc))?;
            }
            if ans.grants.is_empty() {
                writeln!(out, "  holds no role assignment in the analyzed code")?;
            }
            for g in &ans.grants {
                writeln!(out, "  {} at {}", g.role, scope_text(&g.scope))?;
                writeln!(out, "      through the role assignment at {}", g.assignment)?;
                for (what, list) in [
                    ("covers", &g.covers),
                    ("possibly covers", &g.possibly_covers),
                ] {
                    if list.is_empty() {
                        continue;
                    }
                    let shown: Vec<&str> = list.iter().take(10).map(String::as_str).collect();
                    let more = if list.len() > shown.len() {
                        format!(", … {} more", list.len() - shown.len())
                    } else {
                        String::new()
                    };
                    writeln!(out, "      {what} {}{more}", shown.join(", "))?;
                }
            }
        } else {
            if ans.grants.is_empty() {
                writeln!(out, "  no role assignment in the analyzed code reaches it")?;
            }
            for g in &ans.grants {
                let p = &g.principal;
                writeln!(
                    out,
                    "  {} '{}'{}: {} at {}{}",
                    p.kind,
                    p.label,
                    at(&p.loc),
                    g.role,
                    scope_text(&g.scope),
                    if g.reach == "possible" {
                        " (possibly: the scope has unknown parts)"
                    } else {
                        ""
                    }
                )?;
                writeln!(out, "      through the role assignment at {}", g.assignment)?;
                let mut path = String::from("      path: ");
                if let Some(u) = g.used_by.first() {
                    path.push_str(&format!("{} —uses identity{}→ ", u.label, at(&u.loc)));
                }
                path.push_str(&format!(
                    "{} —{} ({})→ {}",
                    p.label,
                    g.role,
                    g.assignment,
                    scope_text(&g.scope)
                ));
                if g.scope.resource.as_deref() != Some(s.label.as_str()) {
                    path.push_str(&format!(" —contains→ {}", s.label));
                }
                writeln!(out, "{path}")?;
                for u in g.used_by.iter().skip(1) {
                    writeln!(
                        out,
                        "      also acting with it: {} '{}'{}",
                        u.kind,
                        u.label,
                        at(&u.loc)
                    )?;
                }
            }
        }
    }
    Ok(())
}
