use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::model::{FederatedCredential, Node, PStr, Seg, Val};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a federated identity credential that trusts more than one workload: a subject
    /// with a wildcard or a claims-matching expression, a GitHub `pull_request` subject, a
    /// GitHub subject that names neither an environment nor a ref, an audience other than
    /// `api://AzureADTokenExchange`, or an issuer idlint does not recognise (reported at `low`:
    /// the subject cannot be checked). It reads user-assigned identity credentials
    /// (`Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials`,
    /// `azurerm_federated_identity_credential`, azapi).
    ///
    /// Issuers and subjects understood:
    /// - GitHub Actions, `https://token.actions.githubusercontent.com`: the strict form is
    ///   `repo:<org>/<repo>:environment:<env>` (protected environments); `…:ref:refs/heads/<b>`
    ///   and `…:ref:refs/tags/<t>` name one ref; `repo:<org>/<repo>:pull_request` matches every
    ///   workflow run triggered by a pull request (`high`).
    /// - Azure DevOps, `https://vstoken.dev.azure.com/<org-id>`: `sc://<org>/<project>/<connection>`.
    /// - AKS, `https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/`:
    ///   `system:serviceaccount:<namespace>:<name>`.
    /// - Also recognised, subject checked only for wildcards: Entra ID
    ///   (`https://login.microsoftonline.com/<tenant>/v2.0`, the newer Azure DevOps issuer),
    ///   GitLab, Terraform Cloud, Google.
    ///
    /// Values known only at deployment (a variable subject, an issuer read from
    /// `oidc_issuer_url`) are not judged.
    ///
    /// ## Why is this bad?
    /// A federated credential lets any token from the issuer whose subject matches act as the
    /// identity, with every role it holds. Classic credentials do not support wildcards, and a
    /// wrong subject is accepted silently; a `pull_request` subject hands the identity to code
    /// nobody has reviewed yet, outside environment protection rules, and a subject without
    /// environment or ref lets every branch and workflow in the repository use it. Another
    /// audience than the token-exchange one means tokens minted for something else are
    /// accepted (reference §1.3, §5 item 5).
    ///
    /// ## Example
    /// ```json
    /// { "type": "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    ///   "name": "deploy-id/github", "properties": {
    ///     "issuer": "https://token.actions.githubusercontent.com",
    ///     "subject": "repo:contoso/app:pull_request",
    ///     "audiences": [ "api://AzureADTokenExchange" ] } }
    /// ```
    ///
    /// ## How to fix
    /// Trust one workload: a GitHub environment with required reviewers
    /// (`repo:contoso/app:environment:production`), one protected branch, one service
    /// connection, one Kubernetes service account. Keep the audience
    /// `api://AzureADTokenExchange`. Give pull-request workflows a separate identity with read
    /// roles only.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
    /// - https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations
    /// - https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
    /// - https://learn.microsoft.com/azure/aks/workload-identity-overview
    pub struct FederatedCredentialBroadSubject {
        name: "federated-credential-broad-subject",
        code: "IDL203",
        severity: High,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

const GITHUB: &str = "https://token.actions.githubusercontent.com";
/// Audiences Entra ID accepts for token exchange (public cloud, US Government, China).
const AUDIENCES: &[&str] = &[
    "api://AzureADTokenExchange",
    "api://AzureADTokenExchangeUSGov",
    "api://AzureADTokenExchangeChina",
];

#[derive(Clone, Copy, PartialEq)]
enum Issuer {
    GitHub,
    AzureDevOps,
    Aks,
    /// Recognised, subject format not checked beyond wildcards.
    Other,
    Unrecognised,
}

fn issuer_of(text: &str) -> Issuer {
    let t = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let host = t
        .strip_prefix("https://")
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    if t == GITHUB || t.starts_with("https://token.actions.githubusercontent.com/") {
        Issuer::GitHub
    } else if host == "vstoken.dev.azure.com" {
        Issuer::AzureDevOps
    } else if host.ends_with(".oic.prod-aks.azure.com") {
        Issuer::Aks
    } else if [
        "login.microsoftonline.com",
        "sts.windows.net",
        "login.microsoftonline.us",
        "login.chinacloudapi.cn",
        "gitlab.com",
        "app.terraform.io",
        "accounts.google.com",
    ]
    .contains(&host)
    {
        Issuer::Other
    } else {
        Issuer::Unrecognised
    }
}

/// The literal pieces of a partly known string.
fn literal_text(p: &PStr) -> String {
    p.0.iter()
        .filter_map(|s| match s {
            Seg::Lit(l) => Some(l.as_str()),
            Seg::Hole { .. } => None,
        })
        .collect::<Vec<_>>()
        .join("")
}

/// What is too broad about a subject, with the severity; `None` when it names one workload
/// or cannot be judged.
fn subject_problem(issuer: Option<Issuer>, subject: &PStr) -> Option<(Severity, String)> {
    let lits = literal_text(subject);
    if lits.contains('*') {
        return Some((
            Severity::High,
            "a wildcard subject, which classic federated credentials do not support".into(),
        ));
    }
    let known = subject.known();
    // GitHub's subject grammar is its own: an issuer known only at deployment (GitHub
    // Enterprise slug chosen by a variable) with a `repo:` subject is still GitHub.
    let github_shaped = matches!(subject.0.first(), Some(Seg::Lit(l)) if l.starts_with("repo:"));
    let issuer = match issuer {
        None if github_shaped => Issuer::GitHub,
        other => other?,
    };
    match issuer {
        Issuer::GitHub => {
            let last = match subject.0.last() {
                Some(Seg::Lit(l)) => l.to_ascii_lowercase(),
                _ => String::new(),
            };
            if last.ends_with(":pull_request") || known == Some("pull_request") {
                return Some((
                    Severity::High,
                    "a GitHub pull_request subject: every workflow run triggered by a pull request, including unreviewed code, gets a token".into(),
                ));
            }
            let k = known?.to_ascii_lowercase();
            if !k.contains(":environment:") && !k.contains(":ref:") {
                return Some((
                    Severity::Medium,
                    "a GitHub subject that names neither an environment nor a ref".into(),
                ));
            }
            None
        }
        Issuer::AzureDevOps => {
            let k = known?;
            let parts: Vec<&str> = k.strip_prefix("sc://")?.split('/').collect();
            if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
                return Some((
                    Severity::Medium,
                    "an Azure DevOps subject that is not one service connection (sc://<org>/<project>/<connection>)".into(),
                ));
            }
            None
        }
        Issuer::Aks => {
            let k = known?;
            let parts: Vec<&str> = k.split(':').collect();
            let ok = parts.len() == 4
                && parts[0] == "system"
                && parts[1] == "serviceaccount"
                && !parts[2].is_empty()
                && !parts[3].is_empty();
            (!ok).then(|| {
                (
                    Severity::Medium,
                    "a Kubernetes subject that is not one service account (system:serviceaccount:<namespace>:<name>)".into(),
                )
            })
        }
        Issuer::Other | Issuer::Unrecognised => None,
    }
}

fn check_one(cx: &mut RuleContext<'_, '_>, fc: &FederatedCredential) {
    let name = cx
        .graph
        .model
        .resources
        .iter()
        .find(|r| r.span == fc.span)
        .map(|r| r.label())
        .unwrap_or_else(|| {
            // Scripts declare no resource for the credential: name the identity.
            let identity = match &fc.identity.val {
                Val::Str(p) => p.display().rsplit('/').next().map(str::to_owned),
                Val::Attr { link, .. } | Val::Resource { link, .. } => cx
                    .graph
                    .resolve_link(link, &fc.unit)
                    .0
                    .first()
                    .map(|&i| cx.graph.resource(i).label()),
                _ => None,
            };
            match identity {
                Some(id) if !id.is_empty() => format!("federated credential of identity '{id}'"),
                _ => "federated identity credential".into(),
            }
        });
    let issuer = fc
        .issuer
        .as_ref()
        .and_then(|i| i.as_known_str())
        .map(issuer_of);
    let mut findings: Vec<(Severity, &Node, String)> = Vec::new();

    // A claims-matching expression (flexible credential) instead of a subject.
    let claims = cx
        .graph
        .model
        .resources
        .iter()
        .find(|r| r.span == fc.span)
        .and_then(|r| r.properties.as_ref())
        .and_then(|p| p.path(&["claimsMatchingExpression", "value"]));
    if let Some(expr) = claims
        && let Some(p) = expr.as_pstr()
    {
        let text = literal_text(p);
        if text.contains('*') || text.to_ascii_lowercase().contains(" matches ") {
            findings.push((
                Severity::High,
                expr,
                format!(
                    "trusts more than one workload: a claims-matching expression `{}`",
                    p.display()
                ),
            ));
        }
    }
    if let Some(subject) = &fc.subject
        && let Some(p) = subject.as_pstr()
        && let Some((sev, what)) = subject_problem(issuer, p)
    {
        findings.push((
            sev,
            subject,
            format!("trusts more than one workload: {what} (`{}`)", p.display()),
        ));
    }
    if issuer == Some(Issuer::Unrecognised)
        && let Some(node) = &fc.issuer
    {
        findings.push((
            Severity::Low,
            node,
            format!(
                "trusts an issuer idlint does not recognise (`{}`), so its subject cannot be checked",
                node.as_known_str().unwrap_or_default()
            ),
        ));
    }
    for aud in &fc.audiences {
        if let Val::Str(p) = &aud.val
            && let Some(a) = p.known()
            && !AUDIENCES.iter().any(|x| x.eq_ignore_ascii_case(a.trim()))
        {
            findings.push((
                Severity::Medium,
                aud,
                format!("accepts audience `{a}` instead of api://AzureADTokenExchange"),
            ));
        }
    }
    for (severity, node, what) in findings {
        let d = cx.report_with(severity, node.span, format!("{name} {what}"));
        d.subject(format!("{name}|{what}"))
            .label(fc.span, "federated credential declared here");
    }
}

impl Rule for FederatedCredentialBroadSubject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for fc in &cx.graph.model.federated_credentials {
            check_one(cx, fc);
        }
    }
}
