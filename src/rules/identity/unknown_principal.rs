use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::graph::PrincipalRes;
use crate::model::Provenance;
use crate::model::secrets::is_placeholder;
use crate::rules::helpers::identity_label;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a role assignment whose principal is a literal object id written in the template
    /// (or as a parameter default) and declared nowhere in the analyzed files — values a
    /// parameter file supplies are the deployer's input and are not reported — and one whose principal is an identity's client (application) id where
    /// its object (principal) id belongs.
    ///
    /// ## Why is this bad?
    /// A hard-coded object id is invisible to review: nobody can tell from the code who gets
    /// the role, it breaks when the template is deployed to another tenant, and it keeps
    /// granting access after that principal is deleted and its id reused by nothing (the
    /// assignment then shows as "Identity not found"). A client id in `principalId` is a bug:
    /// role assignments take object ids, so the deployment fails or targets another object.
    ///
    /// ## Example
    /// ```json
    /// "properties": { "roleDefinitionId": "[variables('reader')]",
    ///                 "principalId": "4f1c3a52-0c1e-4a8b-9f3e-2d6b7c8a9e10" }
    /// ```
    ///
    /// ## How to fix
    /// Reference the identity the assignment is for (`uami.properties.principalId`,
    /// `azurerm_user_assigned_identity.x.principal_id`), or take the object id as a parameter
    /// documented for the deployer. Use `principalId`, not `clientId`.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template
    pub struct UnknownPrincipal {
        name: "unknown-principal",
        code: "IDL207",
        severity: Low,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

/// Object ids are GUIDs; the all-zero GUID is a placeholder in samples, and anything else
/// (a pipeline token such as `#_namePrefix_#`) is not an object id at all.
fn is_object_id(text: &str) -> bool {
    let t = text.trim();
    let groups: Vec<&str> = t.split('-').collect();
    let shape = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups
            .iter()
            .zip(shape)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
        && t.chars().any(|c| c != '0' && c != '-')
}

impl Rule for UnknownPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for a in &graph.assignments {
            let assignment = &graph.model.role_assignments[a.index];
            let role = graph.role_name(&a.role);
            match &a.principal {
                // A value from a parameter file is the deployer's input, not a hard-coded id.
                PrincipalRes::Literal(id)
                    if assignment.principal.prov != Provenance::ParameterFile
                        && !is_placeholder(id)
                        && is_object_id(id) =>
                {
                    let d = cx.report(
                        assignment.principal.span,
                        format!(
                            "{role} is granted to principal {id}, a literal object id declared nowhere here: expected a reference to an identity or a documented parameter"
                        ),
                    );
                    d.subject(format!("literal|{}|{id}", assignment.label));
                }
                PrincipalRes::ClientIdOf(identity) => {
                    let (label, span) = identity_label(graph, *identity);
                    let d = cx.report_with(
                        Severity::Medium,
                        assignment.principal.span,
                        format!("{role} is granted to the client id of {label}: role assignments take the object (principal) id"),
                    );
                    d.subject(format!("client-id|{}", assignment.label))
                        .label(span, format!("{label} declared here"));
                }
                _ => {}
            }
        }
    }
}
