use crate::declare_rule;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports an `idlint-ignore` directive (or an ARM `metadata.idlint.ignore` entry) that
    /// suppressed nothing: the rule it names ran and reported no finding in the construct the
    /// directive targets. Bicep's `#disable-next-line` is honoured but never reported as
    /// unused: Bicep's own linter has rules with the same names.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the problem it excused. Left in place it hides the next real
    /// finding of that rule in the same resource, and nobody reviews it again. Only rules
    /// that ran are checked: a directive for a rule turned off by the configuration or by
    /// `--select`/`--ignore` is not reported.
    ///
    /// ## Example
    /// ```hcl
    /// # idlint-ignore broad-role-scope: break-glass account
    /// resource "azurerm_role_assignment" "reader" {
    ///   scope                = data.azurerm_subscription.current.id
    ///   role_definition_name = "Reader"
    ///   principal_id         = azurerm_user_assigned_identity.app.principal_id
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Delete the directive. If the finding moved to another construct, move the directive
    /// with it; if the rule should not run on this path at all, use an `overrides` entry in
    /// `.idlint.yaml` instead.
    ///
    /// ## References
    /// - https://docs.astral.sh/ruff/rules/unused-noqa/
    pub struct UnusedSuppression {
        name: "unused-suppression",
        code: "IDL902",
        severity: Low,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by `crate::suppress` after every other rule ran; this rule only documents it.
    fn check(&self, _cx: &mut RuleContext<'_, '_>) {}
}
