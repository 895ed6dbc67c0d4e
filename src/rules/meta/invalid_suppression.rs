use crate::declare_rule;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `idlint-ignore` directive that cannot be honoured: it gives no reason, names
    /// a rule idlint does not have (or one of the suppression rules themselves), has an
    /// `until=` that is not a `YYYY-MM-DD` date, or has expired. Such a directive suppresses
    /// nothing, so the finding it meant to hide is reported as well.
    ///
    /// ## Why is this bad?
    /// A suppression without a reason cannot be reviewed, one with a misspelt rule name
    /// silently does nothing, and an expired one was meant to be revisited by now: the
    /// exception it granted has run out.
    ///
    /// ## Example
    /// ```hcl
    /// # idlint-ignore broad-role-scope
    /// resource "azurerm_role_assignment" "deployer" { ... }
    /// ```
    ///
    /// ## How to fix
    /// Give the reason after a colon (`# idlint-ignore broad-role-scope: break-glass account,
    /// reviewed 2026-03`), correct the rule name (`idlint rules` lists them), or renew or
    /// remove an expired `until=` after looking at the finding again.
    ///
    /// ## References
    /// - https://docs.astral.sh/ruff/rules/invalid-rule-code/
    /// - https://aquasecurity.github.io/tfsec/latest/guides/configuration/ignores/
    pub struct InvalidSuppression {
        name: "invalid-suppression",
        code: "IDL903",
        severity: Medium,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by `crate::suppress` after every other rule ran; this rule only documents it.
    fn check(&self, _cx: &mut RuleContext<'_, '_>) {}
}
