use crate::declare_rule;
use crate::model::secrets::{looks_like_reference, mask};
use crate::model::{Node, Val};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a secure parameter (`securestring`/`secureObject`, `@secure()`, a Terraform
    /// variable with `sensitive = true`) that has a literal default value.
    ///
    /// ## Why is this bad?
    /// Marking a parameter secure keeps its value out of logs and deployment history, but a
    /// default is written in the template: the secret is committed with the code and used by
    /// every deployment that does not override it (arm-ttk
    /// `Secure-String-Parameters-Cannot-Have-Default`, Bicep `secure-parameter-default`).
    ///
    /// ## Example
    /// ```bicep
    /// @secure()
    /// param adminPassword string = 'P@ssw0rd1234!'
    /// ```
    ///
    /// ## How to fix
    /// Remove the default and supply the value at deployment from Key Vault. An empty default
    /// or an expression such as `newGuid()` is not reported.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-secure-parameter-default
    pub struct SecureParameterDefault {
        name: "secure-parameter-default",
        code: "IDL302",
        severity: High,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

/// The first non-empty literal string inside a default.
fn literal_text(node: &Node) -> Option<String> {
    let mut found = None;
    node.walk(|n, _| {
        if found.is_some() || !n.prov.is_committed_text() {
            return;
        }
        if let Some(t) = n.as_known_str()
            && !t.trim().is_empty()
            && !looks_like_reference(t)
        {
            found = Some(t.to_owned());
        }
    });
    found
}

impl Rule for SecureParameterDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for p in &cx.graph.model.parameters {
            if !p.secure || p.ephemeral {
                continue;
            }
            let Some(default) = &p.default else { continue };
            if matches!(default.val, Val::Unknown(_) | Val::Secret(_)) {
                continue;
            }
            let Some(text) = literal_text(default) else {
                continue;
            };
            let d = cx.report(
                default.span,
                format!(
                    "secure parameter '{}' has a literal default: {}",
                    p.name,
                    mask(&text)
                ),
            );
            d.subject(format!("param|{}", p.name))
                .label(p.name_span, "declared secure here");
        }
    }
}
