use crate::declare_rule;
use crate::model::value::SecretOrigin;
use crate::rules::helpers::contains_secret;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags an output whose value is derived from a secret: a `list*()` call (`listKeys`,
    /// `listSecrets`, `listConnectionStrings`, …), `getSecret()`, a secure parameter or
    /// sensitive variable, or a secret attribute such as a storage account's access key, unless
    /// the output itself is protected (`@secure()` output, `sensitive = true`).
    ///
    /// ## Why is this bad?
    /// Outputs are stored in plain text in the deployment history (ARM, Bicep) or printed and
    /// stored in state (Terraform). Anyone who can read deployments can read the secret, long
    /// after it was rotated elsewhere.
    ///
    /// ## Example
    /// ```bicep
    /// output storageKey string = stg.listKeys().keys[0].value
    /// ```
    ///
    /// ## How to fix
    /// Do not pass secrets through outputs: give the consumer a managed identity and a role on
    /// the resource, or write the secret to Key Vault inside the deployment and output its
    /// name.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-outputs-should-not-contain-secrets
    pub struct SecretInOutput {
        name: "secret-in-output",
        code: "IDL304",
        severity: High,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

impl Rule for SecretInOutput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for output in &cx.graph.model.outputs {
            if output.protected {
                continue;
            }
            let Some(origin) = contains_secret(&output.value) else {
                continue;
            };
            let source = match origin {
                SecretOrigin::ListCall(f) => format!("the result of {f}()"),
                SecretOrigin::Attribute(a) => format!("the credential attribute {a}"),
                SecretOrigin::SecureParameter(p) => format!("secure input '{p}'"),
                SecretOrigin::KeyVault => "a Key Vault secret".to_owned(),
            };
            let d = cx.report(
                output.span,
                format!("output '{}' exposes {source} in plain text", output.name),
            );
            d.subject(format!("output|{}", output.name))
                .label(output.value.span, "value");
        }
    }
}
