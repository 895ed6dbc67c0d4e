use crate::declare_rule;
use crate::graph::{Identity, PrincipalRes};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a role assignment to the system-assigned identity of a resource whose
    /// system-assigned identity is not enabled: the resource has no `identity` block, its type
    /// is `None`, or it has only user-assigned identities.
    ///
    /// ## Why is this bad?
    /// The assignment cannot work: there is no principal to assign to, so the deployment fails
    /// or, where the principal id is computed another way, the role lands on the wrong
    /// principal. It usually means the identity the code meant to use is a different one — the
    /// workload then runs without the access the author intended, or a stale assignment keeps
    /// access that nobody can see.
    ///
    /// ## Example
    /// ```bicep
    /// resource app 'Microsoft.Web/sites@2022-09-01' = { name: 'app', location: location }
    /// resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
    ///   name: guid(app.id, 'reader')
    ///   properties: { principalId: app.identity.principalId, roleDefinitionId: readerId }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Enable the system-assigned identity on the resource (`identity: { type: 'SystemAssigned' }`),
    /// or assign the role to the user-assigned identity the resource actually uses.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview
    pub struct DisabledIdentityAssignment {
        name: "disabled-identity-assignment",
        code: "IDL202",
        severity: Medium,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

impl Rule for DisabledIdentityAssignment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for a in &graph.assignments {
            let PrincipalRes::Identity(Identity::System(idx)) = a.principal else {
                continue;
            };
            let r = graph.resource(idx);
            if r.existing || r.is_user_assigned_identity() {
                continue;
            }
            let why = match &r.identity {
                None => "has no identity block",
                Some(decl) => match decl.system_assigned {
                    Some(false) if decl.user_assigned_enabled == Some(true) => {
                        "has only user-assigned identities"
                    }
                    Some(false) => "has its identity turned off",
                    _ => continue,
                },
            };
            let assignment = &graph.model.role_assignments[a.index];
            let role = graph.role_name(&a.role);
            let d = cx.report(
                assignment.span,
                format!(
                    "{role} is assigned to the system-assigned identity of {}, which {why}",
                    r.label()
                ),
            );
            d.subject(format!("{}|{}", assignment.label, r.label()))
                .label(
                    r.identity.as_ref().map(|i| i.span).unwrap_or(r.span),
                    "resource declared here",
                );
        }
    }
}
