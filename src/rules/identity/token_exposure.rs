use crate::declare_rule;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a script that writes an access token to its output or to a file: a token from
    /// the managed identity endpoint (`169.254.169.254/metadata/identity/oauth2/token`,
    /// `$IDENTITY_ENDPOINT`, `$MSI_ENDPOINT`), `Get-AzAccessToken` or
    /// `az account get-access-token`, passed to `echo`, `printf`, `Write-Host`,
    /// `Write-Output`, `Out-File`, `Set-Content`, `tee` or a `>`/`>>` redirect, directly or
    /// through variables. Using the token in an `Authorization` header is not reported, nor is
    /// a value masked first with `::add-mask::` or set with `issecret=true`.
    ///
    /// ## Why is this bad?
    /// CI systems keep job logs and artifacts for weeks and show them to everyone who can read
    /// the pipeline. A bearer token printed there works for anyone who copies it until it
    /// expires (60–90 minutes for managed identity tokens), with every permission of the
    /// identity behind it: no password, no MFA, no federated-credential check. The step
    /// outputs (`$GITHUB_OUTPUT`) and environment files (`$GITHUB_ENV`) are not masked either.
    ///
    /// ## Example
    /// ```powershell
    /// $response = Invoke-RestMethod -Headers @{Metadata="true"} `
    ///   -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'
    /// Write-Host "token: $($response.access_token)"
    /// ```
    ///
    /// ## How to fix
    /// Keep the token in a variable and pass it only where it is used (an `Authorization`
    /// header, `--password-stdin`). Better, let the tool get its own token (`az login
    /// --identity`, `Connect-AzAccount -Identity`, `DefaultAzureCredential`). If a later step
    /// really needs it, mask it first (`echo "::add-mask::$TOKEN"`, Azure Pipelines
    /// `##vso[task.setvariable variable=t;issecret=true]`).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
    /// - https://docs.github.com/actions/reference/workflow-commands-for-github-actions#masking-a-value-in-a-log
    pub struct TokenExposure {
        name: "token-exposure",
        code: "IDL305",
        severity: High,
        formats: [Script],
        default_enabled: true,
    }
}

impl Rule for TokenExposure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for leak in &cx.graph.model.token_leaks {
            let d = cx.report(
                leak.span,
                format!("access token from {} written to {}", leak.source, leak.sink),
            );
            d.subject(format!("token|{}|{}", leak.source, leak.sink));
            if leak.source_span != leak.span {
                d.label(leak.source_span, "token obtained here");
            }
        }
    }
}
