use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::graph::query::scope_contains;
use crate::graph::{Identity, IdentityGraph, PrincipalRes, ResolvedAssignment, RoleRes};
use crate::model::Match;
use crate::rules::helpers::{AUTHORIZATION_WRITES, identity_label};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a managed identity (system- or user-assigned) that can raise its own privileges:
    ///
    /// - it holds a role that can write role assignments or role definitions (Owner, User
    ///   Access Administrator, Role Based Access Control Administrator, a custom role with that
    ///   action). Built-in roles whose ABAC condition restricts which roles they may assign
    ///   (Key Vault Data Access Administrator, RBAC Administrator with a condition) are reported
    ///   at low severity;
    /// - or it can take over another user-assigned identity that has more rights than itself:
    ///   it holds Managed Identity Operator, Managed Identity Contributor, Contributor or Owner
    ///   over that identity (it can attach it to a resource it controls, or add a federated
    ///   credential to it), and the other identity holds a privileged role it does not.
    ///
    /// ## Why is this bad?
    /// Whoever controls the workload controls its identity: code running on a VM, a web app or
    /// a pipeline agent can take its tokens. An identity that can write role assignments can
    /// grant itself Owner anywhere in its scope; one that can assign a more privileged identity
    /// to a resource it controls becomes that identity (Microsoft's own best-practice guidance
    /// warns about exactly this).
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_role_assignment" "deployer" {
    ///   scope                = azurerm_resource_group.rg.id
    ///   role_definition_name = "User Access Administrator"
    ///   principal_id         = azurerm_user_assigned_identity.app.principal_id
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give workloads data-plane or resource roles, never access management. When a workload
    /// must assign roles, use Role Based Access Control Administrator with a condition listing
    /// the roles it may assign, at the narrowest scope. Give Managed Identity Operator only
    /// over the identities a principal is meant to assign.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations
    /// - https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-overview
    pub struct PrivilegeEscalation {
        name: "privilege-escalation",
        code: "IDL103",
        severity: High,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

/// Operations that let a principal act as a user-assigned identity.
const TAKEOVER: &[&str] = &[
    "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
];

fn is_privileged(graph: &IdentityGraph<'_>, role: &RoleRes) -> bool {
    match role {
        RoleRes::Builtin(b) => crate::rules::helpers::is_privileged_builtin(b.id),
        RoleRes::Custom(_) => {
            graph.role_grants(role, "Microsoft.Compute/virtualMachines/write") == Some(true)
                || AUTHORIZATION_WRITES
                    .iter()
                    .any(|op| graph.role_grants(role, op) == Some(true))
        }
        _ => false,
    }
}

fn scope_phrase(a: &ResolvedAssignment) -> String {
    match a.scope.level {
        Some(level) => format!("{} scope", level.describe()),
        None => "an unknown scope".into(),
    }
}

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        // Identities worth taking over: user-assigned ones holding a privileged role, with
        // those assignments (computed once, not per assignment that could reach them).
        let mut privileged_holdings: Vec<(usize, Vec<&ResolvedAssignment>)> = Vec::new();
        for a in &graph.assignments {
            if let PrincipalRes::Identity(Identity::UserAssigned(u)) = a.principal
                && is_privileged(graph, &a.role)
            {
                match privileged_holdings.iter_mut().find(|(v, _)| *v == u) {
                    Some((_, held)) => held.push(a),
                    None => privileged_holdings.push((u, vec![a])),
                }
            }
        }
        privileged_holdings.sort_by_key(|(u, _)| *u);
        for a in &graph.assignments {
            let PrincipalRes::Identity(identity) = &a.principal else {
                continue;
            };
            let assignment = &graph.model.role_assignments[a.index];
            let (who, who_span) = identity_label(graph, *identity);
            let role = graph.role_name(&a.role);
            // Direct: the role can write role assignments or definitions.
            let grants = AUTHORIZATION_WRITES
                .iter()
                .any(|op| graph.role_grants(&a.role, op) == Some(true));
            if grants {
                let conditional = match &a.role {
                    RoleRes::Builtin(b) => AUTHORIZATION_WRITES
                        .iter()
                        .any(|op| b.grant_is_conditional(op)),
                    _ => false,
                } || assignment
                    .condition
                    .as_ref()
                    .is_some_and(|c| c.as_known_str().is_some_and(|s| !s.trim().is_empty()));
                let severity = if conditional {
                    Severity::Low
                } else if a.scope.level.is_some_and(|l| l.is_broad()) {
                    Severity::Critical
                } else {
                    Severity::High
                };
                let restricted = if conditional {
                    " (restricted by a condition)"
                } else {
                    ""
                };
                let d = cx.report_with(
                    severity,
                    assignment.span,
                    format!("{who} holds {role} at {}{restricted}: it can grant itself or anyone any role there", scope_phrase(a)),
                );
                d.subject(format!(
                    "direct|{}|{role}|{}",
                    assignment.label,
                    a.scope.text.display()
                ))
                .label(who_span, format!("{who} declared here"));
                if a.scope.span != assignment.span {
                    d.label(a.scope.span, "scope");
                }
                continue;
            }
            // Two hops: can the identity act as a more privileged user-assigned identity?
            if !TAKEOVER
                .iter()
                .any(|op| graph.role_grants(&a.role, op) == Some(true))
            {
                continue;
            }
            for (u, held) in &privileged_holdings {
                let (u, r) = (*u, graph.resource(*u));
                if !r.is_user_assigned_identity() || Identity::UserAssigned(u) == *identity {
                    continue;
                }
                let covers = match a.scope.resource {
                    Some(target) if target == u => Match::Yes,
                    _ => scope_contains(&a.scope.text, &r.id),
                };
                if covers != Match::Yes {
                    continue;
                }
                let target = PrincipalRes::Identity(Identity::UserAssigned(u));
                let stronger = held
                    .iter()
                    .find(|b| !graph.holds_at_least(&a.principal, &b.role, &b.scope.text));
                let Some(b) = stronger else { continue };
                let (target_label, target_span) = identity_label(graph, Identity::UserAssigned(u));
                let target_role = graph.role_name(&b.role);
                let b_span = graph.model.role_assignments[b.index].span;
                let _ = target;
                let d = cx.report(
                    assignment.span,
                    format!(
                        "{who} holds {role} over {target_label}, which holds {target_role} at {}: it can attach or federate that identity and act with its rights",
                        scope_phrase(b)
                    ),
                );
                d.subject(format!(
                    "takeover|{}|{}",
                    assignment.label,
                    r.name.display()
                ))
                .label(who_span, format!("{who} declared here"))
                .label(target_span, format!("{target_label} declared here"))
                .label(b_span, format!("{target_role} granted here"));
            }
        }
    }
}
