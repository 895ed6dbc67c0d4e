use crate::declare_rule;
use crate::model::ParamKind;
use crate::model::secrets::is_secret_parameter_name;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a parameter or variable whose name says it holds a secret (`password`, `pwd`,
    /// `secret`, `accountKey`, `connectionString`, `privateKey`, …) but whose type is not
    /// secure: not `securestring`/`secureObject`, not `@secure()`, not `sensitive = true`.
    /// Names about a secret rather than holding one (`passwordLength`, `keyVaultName`,
    /// `secretName`, `secretUri`, `secretPermissions`) and `bool`/`int` parameters are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Non-secure parameter values are written to deployment history, CLI output and
    /// Terraform plan output, where anyone with read access to the subscription or the CI logs
    /// can read them.
    ///
    /// ## Example
    /// ```json
    /// "parameters": { "adminPassword": { "type": "string" } }
    /// ```
    ///
    /// ## How to fix
    /// Declare it `securestring` (ARM), `@secure()` (Bicep) or `sensitive = true` (Terraform;
    /// `ephemeral = true` keeps it out of state as well).
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-secure-secrets-in-parameters
    /// - https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output
    pub struct InsecureSecretParameter {
        name: "insecure-secret-parameter",
        code: "IDL303",
        severity: Medium,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

impl Rule for InsecureSecretParameter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for p in &cx.graph.model.parameters {
            if p.secure || p.ephemeral || !is_secret_parameter_name(&p.name) {
                continue;
            }
            let ty = p.ty.as_deref().unwrap_or("string");
            let stringish = ["string", "object", "any"]
                .iter()
                .any(|t| ty.eq_ignore_ascii_case(t))
                || ty.starts_with("string")
                || ty.starts_with("map(string")
                || ty.starts_with("object(");
            if !stringish {
                continue;
            }
            let fix = match p.kind {
                ParamKind::Template => "declare it secure",
                ParamKind::Variable => "set sensitive = true",
            };
            let d = cx.report(
                p.name_span,
                format!(
                    "'{}' looks like a secret but is not protected: {fix}",
                    p.name
                ),
            );
            d.subject(format!("param|{}", p.name));
        }
    }
}
