use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::graph::IdentityGraph;
use crate::model::{KeyVaultPolicy, Node, ResourceLink, Val};
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a Key Vault access policy that grants a principal `all` permissions, `purge`, or
    /// both writing and deleting (secrets `set` and `delete`; keys or certificates `create`,
    /// `import` or `update` and `delete`) on secrets, keys or certificates. Permission names
    /// compare case-insensitively (azurerm spells them `Get`, `Set`, `Purge`). It reads
    /// `accessPolicies` of `Microsoft.KeyVault/vaults` and `vaults/accessPolicies`,
    /// `azurerm_key_vault` `access_policy` blocks and `azurerm_key_vault_access_policy`.
    /// Permissions known only at deployment are not judged.
    ///
    /// ## Why is this bad?
    /// An access policy applies to the whole vault: `all` on secrets reads, replaces and
    /// deletes every secret in it. `purge` destroys soft-deleted items for good, and write
    /// plus delete lets the principal replace a secret other workloads trust or make it
    /// disappear. Access policies cannot be scoped to one secret and are not visible in
    /// Azure RBAC reviews (reference §5 item 8).
    ///
    /// `all` and `purge` are reported `high`, write plus delete `medium`.
    ///
    /// ## Example
    /// ```hcl
    /// access_policy {
    ///   tenant_id          = data.azurerm_client_config.current.tenant_id
    ///   object_id          = azurerm_user_assigned_identity.app.principal_id
    ///   secret_permissions = ["Get", "List", "Set", "Delete", "Purge"]
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Grant what the workload does: `Get` (and `List` when it enumerates) for a reader.
    /// Better, switch the vault to Azure RBAC (`enableRbacAuthorization: true`) and assign
    /// Key Vault Secrets User on the vault or on a single secret.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/key-vault/general/assign-access-policy
    /// - https://learn.microsoft.com/azure/key-vault/general/rbac-guide
    /// - https://learn.microsoft.com/azure/key-vault/general/security-features
    pub struct KeyVaultBroadAccessPolicy {
        name: "keyvault-broad-access-policy",
        code: "IDL401",
        severity: High,
        formats: [Arm, Bicep, Terraform, Script],
        default_enabled: true,
    }
}

/// Operations that write items of each kind.
fn writes(kind: &str) -> &'static [&'static str] {
    match kind {
        "secrets" => &["set"],
        "keys" | "certificates" => &["create", "import", "update"],
        _ => &[],
    }
}

/// What is too broad in one kind's permissions, and how severe.
fn problem(kind: &str, perms: &[Node]) -> Option<(Severity, &'static str)> {
    let names: Vec<String> = perms
        .iter()
        .filter_map(|p| p.as_known_str())
        .map(|p| p.trim().to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("all") {
        return Some((Severity::High, "all"));
    }
    if has("purge") {
        return Some((Severity::High, "purge"));
    }
    if has("delete") && writes(kind).iter().any(|w| has(w)) {
        return Some((Severity::Medium, "write and delete"));
    }
    None
}

fn principal_phrase(graph: &IdentityGraph<'_>, policy: &KeyVaultPolicy) -> String {
    match &policy.principal.val {
        Val::Str(p) if p.is_known() => format!("principal {}", p.display()),
        Val::Attr { link, .. } | Val::Resource { link, .. } => {
            match graph.resolve_link(link, &policy.unit).0.first() {
                Some(&i) => graph.resource(i).label(),
                None => "a principal known only at deployment".into(),
            }
        }
        _ => "a principal known only at deployment".into(),
    }
}

impl Rule for KeyVaultBroadAccessPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for policy in &graph.model.keyvault_policies {
            let mut parts = Vec::new();
            let mut severity = Severity::Medium;
            for (kind, perms) in &policy.permissions {
                let kind = kind.to_ascii_lowercase();
                if !["secrets", "keys", "certificates"].contains(&kind.as_str()) {
                    continue;
                }
                if let Some((sev, what)) = problem(&kind, perms) {
                    severity = severity.max(sev);
                    parts.push(format!("{what} on {kind}"));
                }
            }
            if parts.is_empty() {
                continue;
            }
            let vault = policy
                .vault
                .as_ref()
                .and_then(|l| graph.resolve_link(l, &policy.unit).0.first().copied())
                .map(|i| graph.resource(i).label())
                .or_else(|| match policy.vault.as_ref()? {
                    ResourceLink::Id(id) => {
                        let name = id.display();
                        let last = name.rsplit('/').next()?.to_owned();
                        (!last.is_empty()).then(|| format!("Key Vault '{last}'"))
                    }
                    ResourceLink::Symbol { name, .. } => Some(format!("Key Vault '{name}'")),
                })
                .unwrap_or_else(|| "a Key Vault".into());
            let who = principal_phrase(graph, policy);
            let d = cx.report_with(
                severity,
                policy.span,
                format!("access policy on {vault} grants {who} {}", parts.join(", ")),
            );
            d.subject(format!("{vault}|{who}|{}", parts.join(",")))
                .label(policy.principal.span, "principal");
        }
    }
}
