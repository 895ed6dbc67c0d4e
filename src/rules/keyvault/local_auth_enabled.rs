use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::model::{Node, Resource, Val};
use crate::rules::helpers::resource_subject;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a resource that supports Microsoft Entra ID authentication but keeps keys or
    /// local accounts on (reference §4.4):
    ///
    /// | resource | setting | insecure when | absent means |
    /// |---|---|---|---|
    /// | Storage account | `allowSharedKeyAccess` (`shared_access_key_enabled`) | `true` | `true` |
    /// | Cosmos DB, Service Bus, Event Hubs, App Configuration, Cognitive Services | `disableLocalAuth` (azurerm `local_auth_enabled` / `local_authentication_enabled`, inverted) | `false` | `false` |
    /// | Container Registry | `adminUserEnabled` (`admin_enabled`) | `true` | `false` |
    /// | SQL server, SQL managed instance | `administrators.azureADOnlyAuthentication` (`azuread_administrator.azuread_authentication_only`), or a `azureADOnlyAuthentications` child | not `true` | `false` |
    /// | AKS | `disableLocalAccounts` (`local_account_disabled`) | not `true` | `false` |
    ///
    /// An explicit insecure setting is reported at `medium`; an insecure default (the setting
    /// left out) at `low`. Values known only at deployment, and resources declared `existing`,
    /// are not judged.
    ///
    /// Off by default: the defaults alone make it fire on nearly every storage account, Cosmos
    /// DB account and SQL server, Microsoft's own quickstarts included (681 findings on the
    /// test corpus, 670 of them defaults). Turn it on to enforce identity-only access.
    ///
    /// ## Why is this bad?
    /// While keys, SAS tokens, the registry admin user, SQL logins or the AKS local admin
    /// account work, every copy of them is a credential that bypasses Entra ID: no
    /// Conditional Access, no per-identity audit trail, no expiry, and a leaked key grants
    /// full data access from anywhere until someone rotates it. Turning local auth off is what
    /// makes moving to managed identities a security gain (reference §5 item 9).
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_servicebus_namespace" "bus" {
    ///   name               = "orders"
    ///   sku                = "Standard"
    ///   local_auth_enabled = true
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give consumers a managed identity and a data-plane role, then turn local auth off:
    /// `allowSharedKeyAccess: false`, `disableLocalAuth: true`, `adminUserEnabled: false`,
    /// `administrators.azureADOnlyAuthentication: true`, `disableLocalAccounts: true`
    /// (azurerm: `shared_access_key_enabled = false`, `local_auth_enabled = false`,
    /// `admin_enabled = false`, `azuread_authentication_only = true`,
    /// `local_account_disabled = true`).
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent
    /// - https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac#disable-local-auth
    /// - https://learn.microsoft.com/azure/service-bus-messaging/disable-local-authentication
    /// - https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account
    /// - https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-only-authentication
    /// - https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad
    pub struct LocalAuthEnabled {
        name: "local-auth-enabled",
        code: "IDL403",
        severity: Medium,
        formats: [Arm, Bicep, Terraform],
        default_enabled: false,
    }
}

/// `(kinds, property path, secure value, the default when absent, what it enables)`.
type Switch = (
    &'static [&'static str],
    &'static [&'static str],
    bool,
    bool,
    &'static str,
);

#[rustfmt::skip]
const SWITCHES: &[Switch] = &[
    (&["microsoft.storage/storageaccounts"], &["allowSharedKeyAccess"], false, true, "shared key and SAS access"),
    (
        &[
            "microsoft.documentdb/databaseaccounts",
            "microsoft.servicebus/namespaces",
            "microsoft.eventhub/namespaces",
            "microsoft.appconfiguration/configurationstores",
            "microsoft.cognitiveservices/accounts",
        ],
        &["disableLocalAuth"], true, false, "key-based (local) authentication",
    ),
    (&["microsoft.containerregistry/registries"], &["adminUserEnabled"], false, false, "the admin user and its passwords"),
    (
        &["microsoft.sql/servers", "microsoft.sql/managedinstances"],
        &["administrators", "azureADOnlyAuthentication"], true, false, "SQL authentication",
    ),
    (&["microsoft.containerservice/managedclusters"], &["disableLocalAccounts"], true, false, "local Kubernetes accounts"),
];

/// Whether a `servers/azureADOnlyAuthentications` child of this SQL server turns AAD-only on
/// (or might: an unknown value counts as might).
fn aad_only_child(all: &[Resource], server: &Resource) -> bool {
    let Some(server_name) = server.name.known() else {
        return true;
    };
    all.iter().any(|r| {
        r.unit == server.unit
            && r.kind.ends_with("/azureadonlyauthentications")
            && r.kind.starts_with(&server.kind)
            && r.name
                .display()
                .split('/')
                .next()
                .is_none_or(|p| p.eq_ignore_ascii_case(server_name) || p.starts_with('<'))
            && r.properties
                .as_ref()
                .and_then(|p| p.get("azureADOnlyAuthentication"))
                .is_none_or(|v| v.as_bool() != Some(false))
    })
}

/// The value at `path`: `Ok(None)` when absent, `Err(())` when it cannot be known.
fn lookup<'a>(props: Option<&'a Node>, path: &[&str]) -> Result<Option<&'a Node>, ()> {
    let Some(mut node) = props else {
        return Ok(None);
    };
    for key in path {
        match &node.val {
            Val::Object(_) => match node.get(key) {
                Some(n) => node = n,
                None if node.has_unknown_keys() => return Err(()),
                None => return Ok(None),
            },
            Val::Null => return Ok(None),
            _ => return Err(()),
        }
    }
    Ok(Some(node))
}

impl Rule for LocalAuthEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let all = &cx.graph.model.resources;
        for r in all {
            if r.existing {
                continue;
            }
            let Some((_, path, secure, default, what)) =
                SWITCHES.iter().find(|s| s.0.contains(&r.kind.as_str()))
            else {
                continue;
            };
            let setting = path.join(".");
            let subject = resource_subject(r);
            match lookup(r.properties.as_ref(), path) {
                Err(()) => {}
                Ok(Some(node)) => {
                    let Some(value) = node.as_bool() else {
                        continue;
                    };
                    if value == *secure
                        || (r.kind.starts_with("microsoft.sql/") && aad_only_child(all, r))
                    {
                        continue;
                    }
                    cx.report(
                        node.span,
                        format!("{} keeps {what} enabled ({setting} is {value})", r.label()),
                    )
                    .subject(subject);
                }
                Ok(None) => {
                    if *default == *secure
                        || (r.kind.starts_with("microsoft.sql/") && aad_only_child(all, r))
                    {
                        continue;
                    }
                    cx.report_with(
                        Severity::Low,
                        r.span,
                        format!(
                            "{} keeps {what} enabled: {setting} is not set and defaults to {default}",
                            r.label()
                        ),
                    )
                    .subject(subject);
                }
            }
        }
    }
}
