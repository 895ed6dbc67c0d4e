use crate::declare_rule;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a file that could not be read or parsed: invalid JSON, Bicep or HCL syntax, an
    /// invalid template expression, a file that is not UTF-8 text, or one too large to analyze.
    ///
    /// ## Why is this bad?
    /// A file idlint cannot read is a file it cannot check: a credential or a subscription-wide
    /// role in it would go unnoticed. Deployment tools reject most of these files too.
    ///
    /// ## Example
    /// ```json
    /// { "resources": [ { "type": } ] }
    /// ```
    ///
    /// ## How to fix
    /// Fix the syntax at the reported position. A file that is not a template (a JSON file
    /// that only looks like one) can be excluded from the analyzed paths.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
    pub struct ParseError {
        name: "parse-error",
        code: "IDL901",
        severity: High,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Parse errors are produced by the front ends; this rule only documents them.
    fn check(&self, _cx: &mut RuleContext<'_, '_>) {}
}
