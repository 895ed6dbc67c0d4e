use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::graph::{PrincipalRes, RoleRes};
use crate::model::scope::ScopeLevel;
use crate::rules::helpers::{
    can_grant_access, effective, identity_label, is_privileged_builtin, principal_phrase,
};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags Owner, Contributor, User Access Administrator, Role Based Access Control
    /// Administrator, or a custom role with `*`-level actions, assigned at tenant root,
    /// management-group or subscription scope.
    ///
    /// ## Why is this bad?
    /// A role at subscription scope applies to every resource group and resource in it, present
    /// and future. A workload identity that holds Contributor there can read storage keys, run
    /// commands on every VM and attach other identities; Owner, User Access Administrator and
    /// RBAC Administrator can also grant themselves anything. One leaked token from that
    /// identity is a whole-subscription compromise. Reader at subscription scope is not
    /// reported.
    ///
    /// ## Example
    /// ```bicep
    /// targetScope = 'subscription'
    /// resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
    ///   name: guid(subscription().id, uami.id, 'contributor')
    ///   properties: {
    ///     roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
    ///     principalId: uami.properties.principalId
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Assign the narrowest built-in role that covers what the workload does (for example
    /// Storage Blob Data Contributor) at the narrowest scope: the resource, or its resource
    /// group. If administration is really needed, constrain RBAC Administrator with an ABAC
    /// condition listing the roles it may assign.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/role-based-access-control/best-practices
    /// - https://learn.microsoft.com/azure/role-based-access-control/scope-overview
    pub struct BroadRoleScope {
        name: "broad-role-scope",
        code: "IDL101",
        severity: High,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

impl Rule for BroadRoleScope {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for resolved in &graph.assignments {
            let Some(level) = resolved.scope.level.filter(|l| l.is_broad()) else {
                continue;
            };
            let assignment = &graph.model.role_assignments[resolved.index];
            let has_condition = assignment
                .condition
                .as_ref()
                .is_some_and(|c| c.as_known_str().is_some_and(|s| !s.trim().is_empty()));
            let privileged = match &resolved.role {
                RoleRes::Builtin(b) => {
                    is_privileged_builtin(b.id) || cx.options.is_extra_privileged(b.name, b.id)
                }
                RoleRes::Custom(i) => graph.model.role_definitions[*i]
                    .permissions
                    .iter()
                    .filter_map(|p| effective(&p.actions, &p.not_actions))
                    .any(|e| e.wildcard || e.authorization_write),
                _ => false,
            };
            let custom_named = match &resolved.role {
                RoleRes::Custom(i) => {
                    let d = &graph.model.role_definitions[*i];
                    let name = d.role_name.as_ref().and_then(|n| n.as_known_str());
                    let guid = d.guid.as_ref().and_then(|n| n.as_known_str());
                    name.into_iter()
                        .chain(guid)
                        .any(|n| cx.options.is_extra_privileged(n, n))
                }
                _ => false,
            };
            if !(privileged || custom_named) || allowed(cx, &resolved.principal) {
                continue;
            }
            let grants_access = can_grant_access(graph, &resolved.role);
            let mut severity = if grants_access {
                Severity::Critical
            } else {
                Severity::High
            };
            if level >= ScopeLevel::ManagementGroup {
                severity = Severity::Critical;
            }
            // A condition on an access-granting role limits what it can hand out.
            if grants_access && has_condition {
                severity = Severity::Medium;
            }
            let role = graph.role_name(&resolved.role);
            let who = principal_phrase(graph, &resolved.principal);
            let many = if assignment.many {
                " (in a loop: possibly several principals)"
            } else {
                ""
            };
            let message = format!(
                "{role} assigned at {} scope to {who}{many}: it applies to everything in that {}",
                level.describe(),
                level.describe()
            );
            let subject = format!(
                "{}|{role}|{}",
                assignment.label,
                resolved.scope.text.display()
            );
            let role_span = assignment.role.node().span;
            let scope_span = resolved.scope.span;
            let identity = match &resolved.principal {
                PrincipalRes::Identity(id) => Some(identity_label(graph, *id)),
                _ => None,
            };
            let custom_role_span = match &resolved.role {
                RoleRes::Custom(i) => Some(graph.model.role_definitions[*i].span),
                _ => None,
            };
            let d = cx.report_with(severity, assignment.span, message);
            d.subject(subject);
            if scope_span != assignment.span {
                d.label(scope_span, format!("{} scope", level.describe()));
            }
            if role_span != assignment.span {
                d.label(role_span, format!("role: {role}"));
            }
            if let Some(span) = custom_role_span {
                d.label(span, "custom role defined here");
            }
            if let Some((label, span)) = identity {
                d.label(span, format!("{label} declared here"));
            }
        }
    }
}

/// Whether the configuration allows this principal broad roles (`allowed-principals`).
fn allowed(cx: &RuleContext<'_, '_>, principal: &PrincipalRes) -> bool {
    let graph = cx.graph;
    let names: Vec<String> = match principal {
        PrincipalRes::Identity(id) | PrincipalRes::ClientIdOf(id) => {
            let r = graph.resource(id.resource());
            r.name
                .known()
                .map(str::to_owned)
                .into_iter()
                .chain(r.symbol.as_deref().map(str::to_owned))
                .collect()
        }
        PrincipalRes::Literal(id) => vec![id.clone()],
        PrincipalRes::Unknown(_) => Vec::new(),
    };
    cx.options
        .is_allowed_principal(names.iter().map(String::as_str))
}
