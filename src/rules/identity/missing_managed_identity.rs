use crate::declare_rule;
use crate::model::secrets::{
    connection_string_secret, is_secret_property, looks_like_reference, normalize_name,
};
use crate::model::value::SecretOrigin;
use crate::model::{Node, Resource, Seg, Val};
use crate::rules::helpers::resource_subject;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a compute resource that has no managed identity and authenticates with a
    /// credential it holds instead: a connection string with a key or password
    /// (`AccountKey=`, `SharedAccessKey=`, `Password=`, `Pwd=`, `AppKey=`), a client secret,
    /// an account key or a password in an app setting or property, a storage access key
    /// (Functions), a `listKeys()` result or a secure parameter placed in its configuration,
    /// or an AKS `servicePrincipalProfile.secret`. Compute resources: virtual machines and
    /// scale sets, App Service and Functions (`Microsoft.Web/sites` and slots), Container Apps
    /// and jobs, AKS, Logic Apps, Data Factory.
    ///
    /// It fires only when a credential is really used: a resource without identity and
    /// without credentials, a Key Vault reference, the VM's own admin password or SSH key,
    /// arguments of VM extension scripts (often a file-share key, which no identity replaces)
    /// and values known only at deployment are not reported. A resource whose identity block
    /// cannot be read is not judged.
    ///
    /// ## Why is this bad?
    /// A key or secret in configuration is readable by everyone who can read the resource's
    /// settings or its deployment, never expires unless rotated by hand, and works from
    /// anywhere. A managed identity gives the same access without any secret to store, leak or
    /// rotate (reference §5 item 9, §4.3).
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_function_app" "fn" {
    ///   storage_account_name       = azurerm_storage_account.st.name
    ///   storage_account_access_key = azurerm_storage_account.st.primary_access_key
    ///   # no identity block
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Enable a system- or user-assigned identity on the resource, grant it a data-plane role
    /// on the target (Storage Blob Data Contributor, Azure Service Bus Data Sender, …), and use
    /// identity-based connections (`AzureWebJobsStorage__accountName`,
    /// `storage_uses_managed_identity = true`, AKS `identity { type = "SystemAssigned" }`).
    /// Then disable the keys on the target (`local-auth-enabled`).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview
    /// - https://learn.microsoft.com/azure/azure-functions/functions-identity-based-connections-tutorial
    /// - https://learn.microsoft.com/azure/aks/use-managed-identity
    pub struct MissingManagedIdentity {
        name: "missing-managed-identity",
        code: "IDL205",
        severity: Medium,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

const COMPUTE: &[&str] = &[
    "microsoft.compute/virtualmachines",
    "microsoft.compute/virtualmachinescalesets",
    "microsoft.web/sites",
    "microsoft.web/sites/slots",
    "microsoft.app/containerapps",
    "microsoft.app/jobs",
    "microsoft.containerservice/managedclusters",
    "microsoft.logic/workflows",
    "microsoft.datafactory/factories",
];

/// Credentials a machine uses to be logged into, not to log in elsewhere.
fn is_login_credential(key: &str) -> bool {
    let k = normalize_name(key);
    k.starts_with("admin")
        || k.starts_with("administrator")
        || k == "customdata"
        || k == "userdata"
        || k.contains("sshkey")
        || k == "publickeys"
        || k == "keydata"
}

fn is_extension_setting(key: &str) -> bool {
    let k = normalize_name(key);
    k == "extensionprofile" || k == "protectedsettings" || k == "commandtoexecute"
}

/// `None` unless the resource is known to have no managed identity.
fn has_no_identity(r: &Resource) -> bool {
    match &r.identity {
        None => true,
        Some(d) => {
            d.system_assigned == Some(false)
                && d.user_assigned_enabled == Some(false)
                && d.user_assigned.is_empty()
                && !d.user_assigned_unknown
        }
    }
}

/// Whether a value is a credential actually supplied (non-empty, not a reference).
fn holds_credential(node: &Node) -> bool {
    match &node.val {
        Val::Secret(_) => true,
        Val::Str(p) => p
            .known()
            .is_some_and(|t| !t.trim().is_empty() && !looks_like_reference(t)),
        _ => false,
    }
}

/// `list*()` functions that return keys, secrets or SAS tokens (not `listKeyValue`, which
/// reads a configuration value).
const CREDENTIAL_LISTS: &[&str] = &[
    "listkeys",
    "listsecrets",
    "listconnectionstrings",
    "listcredential",
    "listadminkeys",
    "listquerykeys",
    "listaccountsas",
    "listservicesas",
    "listauthkeys",
];

fn origin_phrase(node: &Node) -> Option<String> {
    match &node.val {
        Val::Secret(SecretOrigin::Attribute(a)) => Some(a.clone()),
        Val::Secret(SecretOrigin::ListCall(f))
            if CREDENTIAL_LISTS
                .iter()
                .any(|l| f.to_ascii_lowercase().starts_with(l)) =>
        {
            Some(format!("the result of {f}()"))
        }
        _ => None,
    }
}

/// The credentials in a resource's configuration: where, and what each is.
fn credentials(props: &Node) -> Vec<(&Node, String)> {
    let mut found: Vec<(&Node, String)> = Vec::new();
    props.walk_pruned(|node, path| {
        let key = path.last().copied().unwrap_or("");
        // Login credentials of the machine itself, and arguments handed to extension
        // scripts (mounting a file share with its key, where no identity would serve): not
        // looked into.
        if is_login_credential(key) || is_extension_setting(key) {
            return false;
        }
        // `{ "name": "DB_PASSWORD", "value": … }`: app settings, environment variables,
        // Container Apps secrets.
        if let Some(name) = node.get("name").and_then(|n| n.as_known_str()) {
            let in_secrets = path.iter().any(|k| k.eq_ignore_ascii_case("secrets"));
            for field in ["value", "secretValue", "connectionString"] {
                let Some(v) = node.get(field) else { continue };
                if let Some(origin) = origin_phrase(v) {
                    found.push((v, format!("{origin} in setting '{name}'")));
                } else if (is_secret_property(name) || in_secrets) && holds_credential(v) {
                    found.push((v, format!("setting '{name}'")));
                }
            }
        }
        // Connection strings with a key or password, literal or partly known.
        if let Val::Str(p) = &node.val {
            let has_equals =
                p.0.iter()
                    .any(|s| matches!(s, Seg::Lit(t) if t.contains('=')));
            if has_equals
                && let text = p.display()
                && connection_string_secret(&text).is_some()
                && !looks_like_reference(&text)
            {
                found.push((
                    node,
                    "a connection string with a key or password".to_owned(),
                ));
            }
            if !is_secret_property(key) {
                return true;
            }
        }
        if key.is_empty()
            || ["value", "secretValue", "connectionString"]
                .iter()
                .any(|f| key.eq_ignore_ascii_case(f))
        {
            return true;
        }
        if let Some(origin) = origin_phrase(node) {
            found.push((node, format!("{origin} in '{key}'")));
        } else if is_secret_property(key) && holds_credential(node) {
            found.push((node, format!("'{key}'")));
        }
        true
    });
    let mut seen = std::collections::HashSet::new();
    found.retain(|(n, _)| seen.insert((n.span.start, n.span.end)));
    found
}

impl Rule for MissingManagedIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for r in &cx.graph.model.resources {
            if r.existing || !COMPUTE.contains(&r.kind.as_str()) || !has_no_identity(r) {
                continue;
            }
            let Some(props) = &r.properties else {
                continue;
            };
            let found = credentials(props);
            let Some((first, what)) = found.first() else {
                continue;
            };
            let more = match found.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            let d = cx.report(
                first.span,
                format!(
                    "{} has no managed identity and authenticates with {what}{more}",
                    r.label()
                ),
            );
            d.subject(resource_subject(r))
                .label(r.span, "declared without an identity");
            for (node, what) in found.iter().skip(1) {
                d.label(node.span, format!("also {what}"));
            }
        }
    }
}
