use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::graph::{Identity, IdentityGraph, ResourceIdx};
use crate::model::Val;
use crate::rules::helpers::resource_subject;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a user-assigned managed identity that no resource in the analyzed files uses: no
    /// `identity` block, `identity_ids`, `--identities` or identity-reference property names it,
    /// no federated credential trusts it, and no output hands it to a caller. Severity is higher
    /// when the identity still holds role assignments.
    ///
    /// ## Why is this bad?
    /// A user-assigned identity lives on until someone deletes it, and so do its role
    /// assignments: standing access that no workload needs, which anyone able to assign the
    /// identity (Managed Identity Operator, Contributor) can pick up. Unused identities are also
    /// what is left behind when a workload moves to another identity and the old grants stay.
    ///
    /// The rule stays silent when a reference it cannot resolve (a parameter, a computed id)
    /// could point at the identity.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_user_assigned_identity" "old" { name = "old-app" … }
    /// resource "azurerm_role_assignment" "old" {
    ///   principal_id = azurerm_user_assigned_identity.old.principal_id
    ///   role_definition_name = "Reader"
    ///   scope = azurerm_resource_group.rg.id
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Delete the identity and its role assignments, or attach it to the resource that is meant
    /// to use it.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations
    pub struct OrphanedIdentity {
        name: "orphaned-identity",
        code: "IDL201",
        severity: Medium,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

/// Whether an output of the identity's unit hands the identity to a caller.
fn exported(graph: &IdentityGraph<'_>, idx: ResourceIdx) -> bool {
    let r = graph.resource(idx);
    graph
        .model
        .outputs
        .iter()
        .filter(|o| o.unit == r.unit)
        .any(|o| {
            let mut found = false;
            o.value.walk(|n, _| {
                if found {
                    return;
                }
                let targets = match &n.val {
                    Val::Attr { link, .. } | Val::Resource { link, .. } => {
                        graph.resolve_link(link, &o.unit).0
                    }
                    Val::Str(p) if !p.is_known() || p.known().is_some_and(|k| k.contains('/')) => {
                        graph.resolve_id(p, &o.unit).0
                    }
                    _ => Vec::new(),
                };
                found = targets.contains(&idx);
            });
            found
        })
}

impl Rule for OrphanedIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for (idx, r) in graph.model.resources.iter().enumerate() {
            if !r.is_user_assigned_identity() || r.existing {
                continue;
            }
            if graph.consumers_of(idx).next().is_some()
                || graph.maybe_attached.contains(&idx)
                || graph.federated.contains(&idx)
                || graph.units_with_unknown_refs.contains(&r.unit)
                || exported(graph, idx)
            {
                continue;
            }
            let assignments: Vec<_> = graph.assignments_of(Identity::UserAssigned(idx)).collect();
            let name = r
                .name
                .known()
                .map(str::to_owned)
                .or(r.symbol.as_deref().map(str::to_owned))
                .unwrap_or_else(|| r.name.display());
            if cx.options.is_orphan_exempt(&name) {
                continue;
            }
            let (severity, message) = if assignments.is_empty() {
                (
                    Severity::Medium,
                    format!("user-assigned identity '{name}' is attached to no resource"),
                )
            } else {
                let mut roles: Vec<String> = assignments
                    .iter()
                    .map(|a| {
                        let level = a.scope.level.map(|l| l.describe()).unwrap_or("unknown");
                        format!("{} at {level} scope", graph.role_name(&a.role))
                    })
                    .collect();
                roles.sort();
                roles.dedup();
                (
                    Severity::High,
                    format!(
                        "user-assigned identity '{name}' is attached to no resource but holds {}: standing access nobody uses",
                        roles.join(", ")
                    ),
                )
            };
            let spans: Vec<_> = assignments
                .iter()
                .map(|a| graph.model.role_assignments[a.index].span)
                .collect();
            let d = cx.report_with(severity, r.span, message);
            d.subject(resource_subject(r));
            for span in spans {
                d.label(span, "role assignment to this identity");
            }
        }
    }
}
