use crate::declare_rule;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a service principal or application registration created with a password (client
    /// secret): Terraform `azuread_application_password`, `azuread_service_principal_password`,
    /// an `azuread_application` with an inline `password` block, and service principals or
    /// applications whose `passwordCredentials` are set (how scripts record
    /// `az ad sp create-for-rbac` and `New-AzADServicePrincipal`, which print a new secret).
    ///
    /// ## Why is this bad?
    /// A client secret is a long-lived password for a non-human identity: it ends up in state
    /// files, pipeline variables and terminals, works from anywhere until it expires, and
    /// nobody notices when it leaks. Workloads running in Azure can use a managed identity,
    /// and GitHub Actions, Azure DevOps, Kubernetes and other OIDC issuers can use workload
    /// identity federation — neither has a secret to steal (reference §2.6, §5 item 9).
    ///
    /// ## Example
    /// ```hcl
    /// resource "azuread_application_password" "ci" {
    ///   application_id = azuread_application.ci.id
    /// }
    /// ```
    ///
    /// ## How to fix
    /// For a workload in Azure, use a managed identity. For CI/CD or an external workload,
    /// add a federated identity credential (`azuread_application_federated_identity_credential`,
    /// `azurerm_federated_identity_credential`, `az ad app federated-credential create`) and
    /// log in with OIDC (`use_oidc = true`, `azure/login` with `client-id` only). If a
    /// credential is unavoidable, use a certificate kept in Key Vault.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/workload-id/workload-identity-federation
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview
    /// - https://learn.microsoft.com/entra/architecture/service-accounts-principal
    pub struct ServicePrincipalSecret {
        name: "service-principal-secret",
        code: "IDL307",
        severity: Medium,
        formats: [Script, Terraform],
        default_enabled: true,
    }
}

impl Rule for ServicePrincipalSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for r in &cx.graph.model.resources {
            if r.existing {
                continue;
            }
            let (span, what) = match r.kind.as_str() {
                "azuread:application_password" => (r.span, "creates an application client secret"),
                "azuread:service_principal_password" => {
                    (r.span, "creates a service principal client secret")
                }
                "azuread:application"
                | "microsoft.graph/serviceprincipals"
                | "microsoft.graph/applications" => {
                    let props = r.properties.as_ref();
                    // Scripts record `create-for-rbac` / `New-AzADServicePrincipal` this way:
                    // the command generates a secret and prints it.
                    if props
                        .and_then(|p| p.get("generatedPassword"))
                        .and_then(|g| g.as_bool())
                        == Some(true)
                    {
                        let d = cx.report(
                            r.span,
                            format!("{} is created with a generated client secret, printed by the command: use a managed identity or workload identity federation instead", r.label()),
                        );
                        d.subject(format!("{}|{}", r.kind, r.label()));
                        continue;
                    }
                    let creds = props
                        .and_then(|p| p.get("passwordCredentials").or_else(|| p.get("password")));
                    match creds {
                        Some(c) if !matches!(c.val, crate::model::Val::Null) && !c.is_unknown() => {
                            if c.items().is_empty() && matches!(c.val, crate::model::Val::Array(_))
                            {
                                continue;
                            }
                            (c.span, "is created with a password credential")
                        }
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let label = match &r.symbol {
                Some(sym) if r.family == crate::source::FormatFamily::Terraform => sym.to_string(),
                _ => r.label(),
            };
            let d = cx.report(
                span,
                format!(
                    "{label} {what}: use a managed identity or workload identity federation instead"
                ),
            );
            d.subject(format!("{}|{label}", r.kind));
            if span != r.span {
                d.label(r.span, "declared here");
            }
        }
    }
}
