use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::helpers::resource_subject;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a Key Vault still on the access-policy permission model:
    /// `enableRbacAuthorization` set to `false` (`rbac_authorization_enabled` /
    /// `enable_rbac_authorization` in azurerm), or left out where the default is access
    /// policies. Left out, the default depends on the API version: access policies before
    /// `2026-02-01`, Azure RBAC on create from `2026-02-01` on (reference §4.4). ARM states the
    /// version in `apiVersion`, azapi after the `@` of its type; azurerm before 5.0 defaults to
    /// access policies (5.0 makes the argument required). An explicit `false` is reported at
    /// `medium`, the default at `low`; a value known only at deployment is not judged, nor is
    /// a vault declared `existing`.
    ///
    /// ## Why is this bad?
    /// Access policies grant permissions on every secret, key or certificate of the vault at
    /// once, cannot be scoped to one item, are invisible to Azure RBAC reviews, Privileged
    /// Identity Management and deny assignments, and anyone with Key Vault Contributor (a
    /// control-plane role) can rewrite them to give themselves data access. Microsoft
    /// recommends the RBAC model and made it the default in API version 2026-02-01.
    ///
    /// ## Example
    /// ```json
    /// { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv",
    ///   "properties": { "tenantId": "[subscription().tenantId]", "sku": { "family": "A", "name": "standard" },
    ///     "accessPolicies": [] } }
    /// ```
    ///
    /// ## How to fix
    /// Set `enableRbacAuthorization: true` (azurerm `rbac_authorization_enabled = true`) and
    /// replace each access policy by a role assignment (Key Vault Secrets User, Key Vault
    /// Crypto User, …) on the vault or on single items.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/key-vault/general/rbac-migration
    /// - https://learn.microsoft.com/azure/key-vault/general/access-control-default
    /// - https://learn.microsoft.com/azure/key-vault/general/rbac-access-policy
    pub struct KeyVaultAccessPolicyMode {
        name: "keyvault-access-policy-mode",
        code: "IDL402",
        severity: Medium,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

/// The first API version whose default is Azure RBAC.
const RBAC_DEFAULT_FROM: &str = "2026-02-01";

impl Rule for KeyVaultAccessPolicyMode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for r in &cx.graph.model.resources {
            if r.kind != "microsoft.keyvault/vaults" || r.existing {
                continue;
            }
            let subject = resource_subject(r);
            let setting = r
                .properties
                .as_ref()
                .and_then(|p| p.get("enableRbacAuthorization"));
            match setting {
                Some(node) => {
                    if node.as_bool() == Some(false) {
                        cx.report(
                            node.span,
                            format!(
                                "{} uses access policies (enableRbacAuthorization is false) instead of Azure RBAC",
                                r.label()
                            ),
                        )
                        .subject(subject);
                    }
                }
                None => {
                    if r.properties.as_ref().is_some_and(|p| {
                        p.has_unknown_keys() || !matches!(p.val, crate::model::Val::Object(_))
                    }) {
                        continue;
                    }
                    // ISO dates compare as text; a preview suffix sorts after its date.
                    let old_default = match &r.api_version {
                        Some(v) => v.as_str() < RBAC_DEFAULT_FROM,
                        None => true,
                    };
                    if !old_default {
                        continue;
                    }
                    let why = match &r.api_version {
                        Some(v) => format!("API version {v} defaults to access policies"),
                        None => "the provider defaults to access policies".to_owned(),
                    };
                    cx.report_with(
                        Severity::Low,
                        r.span,
                        format!(
                            "{} does not set enableRbacAuthorization and {why}",
                            r.label()
                        ),
                    )
                    .subject(subject);
                }
            }
        }
    }
}
