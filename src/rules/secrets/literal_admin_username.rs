use crate::declare_rule;
use crate::model::Provenance;
use crate::rules::helpers::resource_subject;
use crate::rules::{Rule, RuleContext, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags a guessable administrator name written in the code: `admin`, `administrator`,
    /// `root`, `azureuser`, `user`, `test`, `sa`, `guest` and similar well-known defaults
    /// (case-insensitive) in `adminUsername` or `administratorLogin` (azurerm
    /// `admin_username`, `administrator_login`) — VMs and scale sets, AKS Linux and Windows
    /// profiles, SQL, PostgreSQL and MySQL servers. The value may be written in place, be the
    /// default of a parameter or variable, or come from a parameter file or tfvars; a value
    /// supplied only at deployment is not judged. Bicep's linter and arm-ttk flag every
    /// literal admin name (`adminusername-should-not-be-literal`,
    /// `adminUsername-Should-Not-Be-A-Literal`); this rule keeps to the guessable ones.
    ///
    /// ## Why is this bad?
    /// Password spraying and brute force try these names first: with the name known, only the
    /// password stands between an attacker and an administrator login on an exposed SSH, RDP
    /// or database endpoint. A name committed to a public template is known to everyone who
    /// deploys it.
    ///
    /// ## Example
    /// ```json
    /// "osProfile": { "computerName": "vm1", "adminUsername": "azureuser",
    ///                "adminPassword": "[parameters('adminPassword')]" }
    /// ```
    ///
    /// ## How to fix
    /// Take the name from a parameter without a default (or from Key Vault), choose one that
    /// is not a dictionary word, and prefer Entra ID login (AAD login VM extension,
    /// `azureADOnlyAuthentication`) so no local administrator is needed at all.
    ///
    /// ## References
    /// - https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-admin-username-should-not-be-literal
    /// - https://learn.microsoft.com/azure/azure-resource-manager/templates/template-test-cases#admin-user-names-cant-be-literal-value
    /// - https://learn.microsoft.com/azure/virtual-machines/windows/faq#what-are-the-username-requirements-when-creating-a-vm-
    pub struct LiteralAdminUsername {
        name: "literal-admin-username",
        code: "IDL306",
        severity: Low,
        formats: [Arm, Bicep, Terraform],
        default_enabled: true,
    }
}

/// Names attackers try first (Azure's own reserved-name lists plus common template defaults).
const GUESSABLE: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "azureuser",
    "azureadmin",
    "adminuser",
    "user",
    "test",
    "sa",
    "guest",
    "admin1",
    "user1",
    "test1",
    "sysadmin",
    "sqladmin",
    "localadmin",
    "vmadmin",
    "superuser",
    "operator",
    "ubuntu",
    "demo",
    "adm",
    "owner",
    "support",
    "sql",
    "dbadmin",
    "pgadmin",
    "postgres",
    "mysql",
];

impl Rule for LiteralAdminUsername {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &mut RuleContext<'_, '_>) {
        for r in &cx.graph.model.resources {
            // A deployment's parameters reach the template it deploys, where the resource
            // that uses them is reported.
            if r.existing || r.kind == "microsoft.resources/deployments" {
                continue;
            }
            let Some(props) = &r.properties else {
                continue;
            };
            let mut hits = Vec::new();
            props.walk(|node, path| {
                let Some(key) = path.last() else {
                    return;
                };
                if !key.eq_ignore_ascii_case("adminUsername")
                    && !key.eq_ignore_ascii_case("administratorLogin")
                {
                    return;
                }
                if !node.prov.is_committed_text() {
                    return;
                }
                if let Some(text) = node.as_known_str()
                    && GUESSABLE
                        .iter()
                        .any(|g| g.eq_ignore_ascii_case(text.trim()))
                {
                    hits.push((node, (*key).to_owned(), text.trim().to_owned()));
                }
            });
            for (node, key, text) in hits {
                let origin = match node.prov {
                    Provenance::Default => " (a default value)",
                    Provenance::ParameterFile => " (from a parameter file)",
                    _ => "",
                };
                let d = cx.report(
                    node.span,
                    format!(
                        "{} uses the guessable administrator name '{text}'{origin} for {key}",
                        r.label()
                    ),
                );
                d.subject(format!("{}|{key}", resource_subject(r)))
                    .label(r.span, "resource");
            }
        }
    }
}
