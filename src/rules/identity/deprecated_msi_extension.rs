use crate::declare_rule;
use crate::model::Node;
use crate::rules::helpers::resource_subject;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags the deprecated managed identity VM extension, `ManagedIdentityExtensionForWindows`
    /// or `ManagedIdentityExtensionForLinux` (publisher `Microsoft.ManagedIdentity`), wherever
    /// a VM or scale set gets it: a `Microsoft.Compute/virtualMachines/extensions` or
    /// `virtualMachineScaleSets/extensions` resource, an entry of a scale set's
    /// `extensionProfile`, `azurerm_virtual_machine_extension`,
    /// `azurerm_virtual_machine_scale_set_extension` or an inline `extension` block. An
    /// extension whose type is known only at deployment is not judged.
    ///
    /// ## Why is this bad?
    /// The extension served tokens from `http://localhost:50342/oauth2/token` and kept the
    /// identity's credential on the VM itself, where anything running there could read it. It
    /// was deprecated in favour of the Instance Metadata Service endpoint (announced for
    /// January 2019), supports at most 32 user-assigned identities and a limited set of Linux
    /// distributions, and receives no fixes (reference §1.6).
    ///
    /// ## Example
    /// ```json
    /// { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/ManagedIdentityExtensionForWindows",
    ///   "properties": { "publisher": "Microsoft.ManagedIdentity",
    ///     "type": "ManagedIdentityExtensionForWindows", "typeHandlerVersion": "1.0",
    ///     "settings": { "port": 50342 } } }
    /// ```
    ///
    /// ## How to fix
    /// Remove the extension. Enable the identity on the VM (`identity` block) and have code
    /// request tokens from IMDS, `http://169.254.169.254/metadata/identity/oauth2/token` with
    /// the header `Metadata: true`, or use `ManagedIdentityCredential` from Azure.Identity.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/howto-migrate-vm-extension
    /// - https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
    pub struct DeprecatedMsiExtension {
        name: "deprecated-msi-extension",
        code: "IDL204",
        severity: Medium,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

const TYPES: &[&str] = &[
    "ManagedIdentityExtensionForWindows",
    "ManagedIdentityExtensionForLinux",
];

const KINDS: &[&str] = &[
    "microsoft.compute/virtualmachines",
    "microsoft.compute/virtualmachinescalesets",
    "microsoft.compute/virtualmachines/extensions",
    "microsoft.compute/virtualmachinescalesets/extensions",
];

/// An object naming the extension: its `type` is one of [`TYPES`] and its `publisher`, when
/// known, is `Microsoft.ManagedIdentity`.
fn extension_type(node: &Node) -> Option<&Node> {
    let ty = node.get("type")?;
    let text = ty.as_known_str()?;
    if !TYPES.iter().any(|t| t.eq_ignore_ascii_case(text.trim())) {
        return None;
    }
    match node.get("publisher").and_then(|p| p.as_known_str()) {
        Some(p) if !p.trim().eq_ignore_ascii_case("Microsoft.ManagedIdentity") => None,
        _ => Some(ty),
    }
}

impl Rule for DeprecatedMsiExtension {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        let graph = cx.graph;
        for r in &graph.model.resources {
            if r.existing || !KINDS.contains(&r.kind.as_str()) {
                continue;
            }
            let Some(props) = &r.properties else {
                continue;
            };
            let mut hits: Vec<&Node> = Vec::new();
            props.walk(|node, _| {
                if let Some(ty) = extension_type(node) {
                    hits.push(ty);
                }
            });
            for ty in hits {
                let which = ty.as_known_str().unwrap_or_default().trim();
                let d = cx.report(
                    ty.span,
                    format!(
                        "{} installs the deprecated managed identity extension {which}: it keeps the identity's credential on the machine; use the IMDS endpoint instead",
                        r.label()
                    ),
                );
                d.subject(format!("{}|{which}", resource_subject(r)))
                    .label(r.span, "declared here");
            }
        }
    }
}
