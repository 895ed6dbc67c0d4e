use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::model::scope::{ScopeLevel, level_of};
use crate::rules::helpers::{AUTHORIZATION_WRITES, effective};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a custom role definition whose effective actions (actions minus notActions, over
    /// every permissions block, wildcard-aware and case-insensitive) include `*` or a write to
    /// `Microsoft.Authorization` role assignments or role definitions.
    ///
    /// ## Why is this bad?
    /// `*` is Contributor or Owner under another name, and a role that can write role
    /// assignments or definitions lets whoever holds it grant itself anything (checkov
    /// CKV_AZURE_39, Trivy AZU-0030 and AZU-0052). Custom roles are reviewed less than the
    /// built-in ones, so such a role hides privilege.
    ///
    /// ## Example
    /// ```json
    /// { "type": "Microsoft.Authorization/roleDefinitions", "properties": {
    ///     "roleName": "app-operator",
    ///     "permissions": [ { "actions": [ "*" ], "notActions": [] } ],
    ///     "assignableScopes": [ "[subscription().id]" ] } }
    /// ```
    ///
    /// ## How to fix
    /// List the operations the role needs (`Microsoft.Web/sites/restart/action`, …). Remove
    /// `Microsoft.Authorization/*` and `*/write` patterns that reach role assignments; if
    /// access management is the purpose, use RBAC Administrator with a condition instead.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/role-based-access-control/custom-roles
    /// - https://learn.microsoft.com/azure/role-based-access-control/role-definitions
    pub struct CustomRoleWildcard {
        name: "custom-role-wildcard",
        code: "IDL102",
        severity: High,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

impl Rule for CustomRoleWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for def in &graph.model.role_definitions {
            let name = def
                .role_name
                .as_ref()
                .and_then(|n| n.as_pstr())
                .map(|p| p.display())
                .unwrap_or_else(|| "custom role".into());
            let broad_scopes = def
                .assignable_scopes
                .iter()
                .filter_map(|s| s.as_pstr().and_then(level_of))
                .filter(|l| *l >= ScopeLevel::Subscription)
                .max();
            for block in &def.permissions {
                let Some(eff) = effective(&block.actions, &block.not_actions) else {
                    continue;
                };
                if !eff.wildcard && !eff.authorization_write {
                    continue;
                }
                // Point at the action that grants it.
                let culprit = block
                    .actions
                    .iter()
                    .find(|a| {
                        a.as_known_str().is_some_and(|t| {
                            t.trim() == "*"
                                || AUTHORIZATION_WRITES
                                    .iter()
                                    .any(|op| crate::model::roles::action_matches(t, op))
                        })
                    })
                    .map(|a| a.span)
                    .unwrap_or(block.span);
                let what = match (eff.wildcard, eff.authorization_write) {
                    (true, true) => "every action, including writing role assignments",
                    (true, false) => "every action except those its notActions remove",
                    _ => "writing role assignments or role definitions",
                };
                let severity = if eff.authorization_write {
                    Severity::Critical
                } else {
                    Severity::High
                };
                let scope_note = broad_scopes
                    .map(|l| format!("; assignable at {} scope", l.describe()))
                    .unwrap_or_default();
                let d = cx.report_with(
                    severity,
                    culprit,
                    format!("custom role '{name}' grants {what}{scope_note}"),
                );
                d.subject(format!(
                    "{name}|{}",
                    def.guid
                        .as_ref()
                        .and_then(|g| g.as_pstr())
                        .map(|p| p.display())
                        .unwrap_or_default()
                ))
                .label(def.span, "role defined here");
            }
        }
    }
}
