//! The format-neutral model every front end lowers into.
//!
//! Nothing here knows a syntax. Cross references are links ([`ResourceLink`]) resolved by the
//! graph, never indices, so fragments from different files merge by concatenation.

#[allow(clippy::all)]
#[rustfmt::skip]
mod builtin_roles_data;
pub mod roles;
pub mod scope;
pub mod secrets;
pub mod value;

use crate::source::{FormatFamily, Span};
use std::sync::Arc;
pub use value::{Attr, Match, Node, PStr, Prop, Provenance, ResourceLink, ResourceView, Seg, Val};

/// A deployment unit: the files that deploy together and see each other's names (an ARM
/// template with its nested templates and parameter file, a Bicep file with its modules, a
/// Terraform module directory, a folder of scripts).
pub type UnitKey = Arc<str>;

/// A declared resource (including `existing` references to resources declared elsewhere).
#[derive(Clone, Debug)]
pub struct Resource {
    pub unit: UnitKey,
    /// Lowercase ARM type, e.g. `microsoft.compute/virtualmachines` (Terraform types map here).
    pub kind: String,
    /// The type as written, for messages.
    pub kind_display: String,
    /// The ARM API version (`2023-07-01`, `2025-05-31-preview`) when the source states one:
    /// ARM `apiVersion`, the `@version` of a Bicep or azapi type. `None` where a provider
    /// chooses it (Terraform azurerm) or it is computed.
    pub api_version: Option<String>,
    /// Full ARM name (`parent/child` for child resources).
    pub name: PStr,
    /// Symbolic name (Bicep symbol, Terraform address, ARM 2.0 key), for links and messages.
    pub symbol: Option<Arc<str>>,
    /// Resource id as far as it is known.
    pub id: PStr,
    pub span: Span,
    pub existing: bool,
    /// Declared in a loop (`copy`, `for`, `count`, `for_each`): possibly many instances.
    pub many: bool,
    pub identity: Option<IdentityDecl>,
    /// The evaluated `properties` (or the whole body for formats without that split).
    pub properties: Option<Node>,
    /// Other properties that reference a user-assigned identity by id (§1.2 of the reference).
    pub identity_references: Vec<Node>,
    pub family: FormatFamily,
}

impl Resource {
    pub fn is_user_assigned_identity(&self) -> bool {
        self.kind == "microsoft.managedidentity/userassignedidentities"
    }

    /// A short human label: `Microsoft.Compute/virtualMachines 'vm1'` or the symbol.
    pub fn label(&self) -> String {
        match (&self.symbol, self.name.known()) {
            (_, Some(name)) if !name.is_empty() => format!("{} '{}'", self.kind_display, name),
            (Some(sym), _) => format!("{} '{}'", self.kind_display, sym),
            _ => format!("{} '{}'", self.kind_display, self.name.display()),
        }
    }
}

/// The `identity` block of a resource.
#[derive(Clone, Debug)]
pub struct IdentityDecl {
    pub span: Span,
    /// Whether a system-assigned identity is enabled; `None` when unknown.
    pub system_assigned: Option<bool>,
    /// Whether user-assigned identities are enabled; `None` when unknown.
    pub user_assigned_enabled: Option<bool>,
    /// References to the attached user-assigned identities (ids or links).
    pub user_assigned: Vec<Node>,
    /// The set of attached identities cannot be read (e.g. a whole parameter object).
    pub user_assigned_unknown: bool,
}

/// How a role is named by an assignment.
#[derive(Clone, Debug)]
pub enum RoleRef {
    /// A role definition id or bare GUID.
    Id(Node),
    /// A display name (`Contributor`).
    Name(Node),
    /// Either (CLI `--role` accepts both).
    NameOrId(Node),
}

impl RoleRef {
    pub fn node(&self) -> &Node {
        match self {
            RoleRef::Id(n) | RoleRef::Name(n) | RoleRef::NameOrId(n) => n,
        }
    }
}

/// A role granted to a principal at a scope.
#[derive(Clone, Debug)]
pub struct RoleAssignment {
    pub unit: UnitKey,
    pub span: Span,
    pub role: RoleRef,
    /// The object id of the principal: a literal, a link to an identity, or unknown.
    pub principal: Node,
    pub principal_type: Option<Node>,
    /// The scope: a scope string, a link to a resource, or unknown.
    pub scope: Node,
    /// Where the scope is written (or the deployment scope that applies by default).
    pub scope_span: Span,
    pub condition: Option<Node>,
    pub many: bool,
    pub family: FormatFamily,
    /// A short description for messages (`role assignment 'x'`, `az role assignment create`).
    pub label: String,
}

/// One permissions block of a custom role.
#[derive(Clone, Debug, Default)]
pub struct PermissionBlock {
    pub span: Span,
    pub actions: Vec<Node>,
    pub not_actions: Vec<Node>,
    pub data_actions: Vec<Node>,
    pub not_data_actions: Vec<Node>,
}

/// A custom role definition.
#[derive(Clone, Debug)]
pub struct RoleDefinition {
    pub unit: UnitKey,
    pub span: Span,
    /// The definition's GUID (ARM `name`), when given.
    pub guid: Option<Node>,
    pub role_name: Option<Node>,
    /// A link to the declaring resource, for assignments that reference it symbolically.
    pub link: Option<ResourceLink>,
    pub permissions: Vec<PermissionBlock>,
    /// Unknown permission blocks (e.g. computed from a parameter).
    pub permissions_unknown: bool,
    pub assignable_scopes: Vec<Node>,
    pub family: FormatFamily,
}

/// How a parameter or variable protects its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// ARM parameter or Bicep `param`.
    Template,
    /// Terraform `variable`.
    Variable,
}

/// An input parameter / variable declaration.
#[derive(Clone, Debug)]
pub struct Parameter {
    pub unit: UnitKey,
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    pub kind: ParamKind,
    /// Lowercase declared type (`string`, `securestring`, `bool`…), when declared.
    pub ty: Option<String>,
    /// `securestring`/`secureObject`, `@secure()`, or Terraform `sensitive = true`.
    pub secure: bool,
    /// Terraform `ephemeral = true`: never stored.
    pub ephemeral: bool,
    pub default: Option<Node>,
    pub family: FormatFamily,
}

/// A template output.
#[derive(Clone, Debug)]
pub struct Output {
    pub unit: UnitKey,
    pub name: String,
    pub span: Span,
    pub value: Node,
    /// `@secure()` output (Bicep) or `sensitive = true` (Terraform).
    pub protected: bool,
    pub family: FormatFamily,
}

/// Why a literal counts as a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretKind {
    /// Placed in a property or attribute that takes a credential (`adminPassword`).
    Property,
    /// A value for a secret-named or secure parameter in a parameter file / tfvars.
    ParameterValue,
    /// Passed to a command-line flag that takes a secret.
    Argument,
    /// A connection string carrying a key or password.
    ConnectionString,
    /// Matches a well-known credential format (the format's name).
    Pattern(&'static str),
}

/// A literal that is, or is placed where, a credential belongs.
#[derive(Clone, Debug)]
pub struct SecretSite {
    pub unit: UnitKey,
    /// Where the literal is written.
    pub span: Span,
    /// The literal (kept only to decide and to mask, never printed).
    pub value: String,
    pub kind: SecretKind,
    /// The property path, parameter or flag that receives it.
    pub context: String,
    /// Where the secret is used, when that is somewhere else than where it is written.
    pub used_at: Option<Span>,
    pub family: FormatFamily,
}

/// A federated identity credential trusting an external workload.
#[derive(Clone, Debug)]
pub struct FederatedCredential {
    pub unit: UnitKey,
    pub span: Span,
    /// The user-assigned identity (or app) that trusts the issuer.
    pub identity: Node,
    pub issuer: Option<Node>,
    pub subject: Option<Node>,
    pub audiences: Vec<Node>,
    pub family: FormatFamily,
}

/// Key Vault access: the permission model and access policies.
#[derive(Clone, Debug)]
pub struct KeyVaultPolicy {
    pub unit: UnitKey,
    pub span: Span,
    pub vault: Option<ResourceLink>,
    pub principal: Node,
    /// Permissions per kind (`secrets`, `keys`, `certificates`, `storage`).
    pub permissions: Vec<(String, Vec<Node>)>,
    pub family: FormatFamily,
}

/// An access token written where logs or artifacts keep it (a script printing it or writing
/// it to a file).
#[derive(Clone, Debug)]
pub struct TokenLeak {
    pub unit: UnitKey,
    /// Where the token is written out.
    pub span: Span,
    /// Where the token is obtained.
    pub source_span: Span,
    /// What produced the token (`az account get-access-token`, the IMDS endpoint…).
    pub source: String,
    /// Where it goes (`echo (job log)`, `file 'token.txt'`…).
    pub sink: String,
    pub family: FormatFamily,
}

/// Everything lowered from one or more files. Fragments merge by concatenation.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub resources: Vec<Resource>,
    pub role_assignments: Vec<RoleAssignment>,
    pub role_definitions: Vec<RoleDefinition>,
    pub parameters: Vec<Parameter>,
    pub outputs: Vec<Output>,
    pub secrets: Vec<SecretSite>,
    pub federated_credentials: Vec<FederatedCredential>,
    pub keyvault_policies: Vec<KeyVaultPolicy>,
    pub token_leaks: Vec<TokenLeak>,
    /// Units whose identity references could not all be read: an unknown reference in one
    /// of them might point at any identity, so orphan checks stay silent for them.
    pub units_with_unknown_identity_refs: Vec<UnitKey>,
}

/// Applies `$m!(field)` to every list of the model.
macro_rules! each_list {
    ($m:ident) => {
        $m!(resources);
        $m!(role_assignments);
        $m!(role_definitions);
        $m!(parameters);
        $m!(outputs);
        $m!(secrets);
        $m!(federated_credentials);
        $m!(keyvault_policies);
        $m!(token_leaks);
        $m!(units_with_unknown_identity_refs);
    };
}

impl Model {
    /// The parts one after the other, each list allocated once at its final size (merging
    /// thousands of units one by one left up to half of every list's capacity unused).
    pub fn concat(parts: Vec<Model>) -> Model {
        let mut out = Model::default();
        macro_rules! reserve {
            ($f:ident) => {
                out.$f.reserve_exact(parts.iter().map(|p| p.$f.len()).sum())
            };
        }
        each_list!(reserve);
        for part in parts {
            out.merge(part);
        }
        out
    }

    pub fn merge(&mut self, other: Model) {
        self.resources.extend(other.resources);
        self.role_assignments.extend(other.role_assignments);
        self.role_definitions.extend(other.role_definitions);
        self.parameters.extend(other.parameters);
        self.outputs.extend(other.outputs);
        self.secrets.extend(other.secrets);
        self.federated_credentials
            .extend(other.federated_credentials);
        self.keyvault_policies.extend(other.keyvault_policies);
        self.token_leaks.extend(other.token_leaks);
        self.units_with_unknown_identity_refs
            .extend(other.units_with_unknown_identity_refs);
    }
}
