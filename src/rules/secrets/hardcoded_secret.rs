use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::model::SecretKind;
use crate::model::secrets::{is_placeholder, mask};
use crate::rules::{Rule, RuleContext, RuleMeta};
use crate::source::Span;
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Flags a literal credential: a value written in the file where a secret belongs
    /// (`adminPassword`, `administratorLoginPassword`, `clientSecret`, keys, SAS tokens,
    /// connection strings with `AccountKey=`, `Password=` or `SharedAccessKey=`, credentials in
    /// an extension's public `settings.commandToExecute`, secret-taking CLI flags), a literal
    /// value for a secret parameter in a parameter file, tfvars or bicepparam, and any string
    /// matching a well-known credential format (Entra client secrets, storage and Cosmos DB
    /// keys, SAS signatures, JWTs, GitHub and Azure DevOps tokens, private keys, URLs with a
    /// password). References are not literals: Key Vault references, `getSecret()`, secure
    /// parameters, variables, pipeline secrets, empty strings and placeholders are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// A secret in a repository is readable by everyone with read access, stays in the history
    /// after it is removed, and is copied into every fork, CI log and deployment history. It is
    /// also a credential that managed identities exist to make unnecessary.
    ///
    /// ## Example
    /// ```json
    /// "osProfile": { "adminUsername": "azureuser", "adminPassword": "P@ssw0rd1234!" }
    /// ```
    ///
    /// ## How to fix
    /// Prefer no secret at all: a managed identity with a role on the target resource, SSH
    /// keys, or Entra-only authentication. Where a secret is unavoidable, pass it as a secure
    /// parameter filled from Key Vault (a parameter-file Key Vault reference, `getSecret()`,
    /// `data.azurerm_key_vault_secret`), and rotate the one that was committed.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/azure-resource-manager/templates/key-vault-parameter
    /// - https://learn.microsoft.com/azure/azure-resource-manager/bicep/scenarios-secrets
    pub struct HardcodedSecret {
        name: "hardcoded-secret",
        code: "IDL301",
        severity: High,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let model = cx.graph.model;
        // Secure parameter defaults are `secure-parameter-default`'s to report.
        let secure_defaults: HashSet<_> = model
            .parameters
            .iter()
            .filter(|p| p.secure)
            .filter_map(|p| p.default.as_ref().map(|d| d.span))
            .collect();
        let mut seen = HashSet::new();
        let mut ordinal: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
        let mut sites: Vec<_> = model.secrets.iter().collect();
        // One finding per written literal: property and pattern sites of the same text merge.
        sites.sort_by_key(|s| (s.span, matches!(s.kind, SecretKind::Pattern(_))));
        let contains = |outer: Span, inner: Span| {
            outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
        };
        for site in &sites {
            let covered = secure_defaults.iter().any(|d| contains(*d, site.span));
            // A site around a more precise one (a whole expression around the key in it)
            // defers to it.
            let wider = sites
                .iter()
                .any(|o| o.span != site.span && contains(site.span, o.span));
            if covered
                || wider
                || is_placeholder(&site.value)
                || cx.options.is_allowed_secret(&site.value)
                || !seen.insert(site.span)
            {
                continue;
            }
            let (severity, what) = match &site.kind {
                SecretKind::Pattern(name) => {
                    (Severity::Critical, format!("{name} in {}", site.context))
                }
                SecretKind::ConnectionString => (
                    Severity::High,
                    format!("connection string with a credential in {}", site.context),
                ),
                SecretKind::ParameterValue => (
                    Severity::High,
                    format!("literal value for {}", site.context),
                ),
                SecretKind::Argument => (
                    Severity::High,
                    format!("literal secret passed to {}", site.context),
                ),
                SecretKind::Property => (
                    Severity::High,
                    format!("literal credential in {}", site.context),
                ),
            };
            let d = cx.report_with(
                severity,
                site.span,
                format!("{what}: {}", mask(&site.value)),
            );
            // Not a hash of the value: subjects are written to committed baselines, and a
            // short password can be found again from its unsalted hash. The n-th secret of a
            // context in its file stays the n-th when lines move.
            let nth = ordinal
                .entry((site.span.file, site.context.as_str()))
                .or_insert(0);
            *nth += 1;
            d.subject(format!("{}|{}", site.context, nth));
            if let Some(used) = site.used_at {
                d.label(used, "used here");
            }
        }
    }
}
