use crate::declare_rule;
use crate::graph::{Identity, RoleRes};
use crate::rules::helpers::{AUTHORIZATION_WRITES, is_privileged_builtin};
use crate::rules::{Rule, RuleContext, RuleMeta};
use std::collections::BTreeSet;

declare_rule! {
    /// ## What it does
    /// Reports (for information) a user-assigned identity attached to several resources while
    /// it holds a privileged role (Owner, Contributor, User Access Administrator, RBAC
    /// Administrator, or a custom role that can write role assignments). The message lists the
    /// resources that share it.
    ///
    /// ## Why is this bad?
    /// Every resource an identity is attached to can obtain its tokens: a compromise of any one
    /// of them is a compromise of the identity's privileged role. Sharing one identity across
    /// workloads also makes least privilege impossible: the identity needs the union of what
    /// every workload does.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_web_app" "api"    { identity { type = "UserAssigned"  identity_ids = [azurerm_user_assigned_identity.shared.id] } }
    /// resource "azurerm_linux_web_app" "worker" { identity { type = "UserAssigned"  identity_ids = [azurerm_user_assigned_identity.shared.id] } }
    /// resource "azurerm_role_assignment" "shared" { role_definition_name = "Contributor" … }
    /// ```
    ///
    /// ## How to fix
    /// Give each workload its own identity with only the roles it needs, or move the privileged
    /// role to a separate identity used only by the component that needs it.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations
    pub struct SharedIdentityBlastRadius {
        name: "shared-identity-blast-radius",
        code: "IDL206",
        severity: Info,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

impl Rule for SharedIdentityBlastRadius {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for (idx, r) in graph.model.resources.iter().enumerate() {
            if !r.is_user_assigned_identity() {
                continue;
            }
            let consumers: BTreeSet<usize> = graph.consumers_of(idx).map(|a| a.resource).collect();
            if consumers.len() < 2 {
                continue;
            }
            let privileged: Vec<_> = graph
                .assignments_of(Identity::UserAssigned(idx))
                .filter(|a| match &a.role {
                    RoleRes::Builtin(b) => is_privileged_builtin(b.id),
                    role => AUTHORIZATION_WRITES
                        .iter()
                        .any(|op| graph.role_grants(role, op) == Some(true)),
                })
                .collect();
            let Some(first) = privileged.first() else {
                continue;
            };
            let names: Vec<String> = consumers
                .iter()
                .map(|&c| graph.resource(c).label())
                .collect();
            let role = graph.role_name(&first.role);
            let level = first
                .scope
                .level
                .map(|l| l.describe())
                .unwrap_or("an unknown");
            let name = r.name.display();
            let spans: Vec<_> = graph.consumers_of(idx).map(|a| a.span).collect();
            let assignment_span = graph.model.role_assignments[first.index].span;
            let d = cx.report(
                r.span,
                format!(
                    "user-assigned identity '{name}' holds {role} at {level} scope and is shared by {} resources: {}",
                    consumers.len(),
                    names.join(", ")
                ),
            );
            d.subject(format!("{}|{name}", r.kind))
                .label(assignment_span, format!("{role} granted here"));
            for span in spans {
                d.label(span, "attached here");
            }
        }
    }
}
