//! Values as far as they can be known before deployment.
//!
//! Every value a lowering produces is a [`Node`]: a [`Val`] with the span where it is written
//! and where it came from. What cannot be known is `Unknown(reason)`, never a guess; what is
//! partly known stays partly known: a [`PStr`] keeps the known pieces of a string around its
//! holes, so `/subscriptions/<unknown id>` is still recognisably a subscription scope.

use crate::source::Span;
use std::fmt;
use std::sync::Arc;

/// A piece of a partially known string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Lit(String),
    /// A run of unknown text. Two holes with the same `symbol` stand for the same text
    /// (e.g. the same parameter without a value), which lets names match without being known.
    Hole {
        reason: Arc<str>,
        symbol: Option<Arc<str>>,
    },
}

/// A string whose pieces may be unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PStr(pub Vec<Seg>);

impl PStr {
    pub fn lit(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            PStr::default()
        } else {
            PStr(vec![Seg::Lit(s)])
        }
    }

    pub fn hole(reason: impl Into<Arc<str>>, symbol: Option<Arc<str>>) -> Self {
        PStr(vec![Seg::Hole {
            reason: reason.into(),
            symbol,
        }])
    }

    /// The whole text when no piece is unknown.
    pub fn known(&self) -> Option<&str> {
        match self.0.as_slice() {
            [] => Some(""),
            [Seg::Lit(s)] => Some(s),
            _ => None,
        }
    }

    pub fn is_known(&self) -> bool {
        self.known().is_some()
    }

    /// The first unknown piece's reason.
    pub fn unknown_reason(&self) -> Option<&str> {
        self.0.iter().find_map(|s| match s {
            Seg::Hole { reason, .. } => Some(&**reason),
            Seg::Lit(_) => None,
        })
    }

    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Seg::Lit(last)) = self.0.last_mut() {
            last.push_str(s);
        } else {
            self.0.push(Seg::Lit(s.to_owned()));
        }
    }

    pub fn push(&mut self, other: &PStr) {
        for seg in &other.0 {
            match seg {
                Seg::Lit(s) => self.push_str(s),
                hole => self.0.push(hole.clone()),
            }
        }
    }

    pub fn concat(parts: impl IntoIterator<Item = PStr>) -> PStr {
        let mut out = PStr::default();
        for p in parts {
            out.push(&p);
        }
        out
    }

    /// Split on `/` (child resource names are `parent/child`); a hole stays inside its piece.
    pub fn split_path(&self) -> Vec<PStr> {
        let mut parts = vec![PStr::default()];
        for seg in &self.0 {
            match seg {
                Seg::Lit(text) => {
                    let mut pieces = text.split('/');
                    if let Some(first) = pieces.next() {
                        parts.last_mut().expect("never empty").push_str(first);
                    }
                    parts.extend(pieces.map(PStr::lit));
                }
                hole => parts.last_mut().expect("never empty").0.push(hole.clone()),
            }
        }
        parts
    }

    /// Lowercase the known pieces (ARM ids and names compare case-insensitively).
    pub fn to_lowercase(&self) -> PStr {
        PStr(
            self.0
                .iter()
                .map(|s| match s {
                    Seg::Lit(l) => Seg::Lit(l.to_lowercase()),
                    h => h.clone(),
                })
                .collect(),
        )
    }

    /// Text for messages: holes shown as `<…>`.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Lit(s) => out.push_str(s),
                Seg::Hole { symbol, .. } => {
                    // Symbols are qualified by their unit; messages need only the last part.
                    let short = symbol
                        .as_deref()
                        .and_then(|s| s.rsplit(['#', ':']).next())
                        .filter(|s| !s.is_empty())
                        .unwrap_or("unknown");
                    out.push('<');
                    out.push_str(short);
                    out.push('>');
                }
            }
        }
        out
    }

    /// Case-insensitive comparison that knows when it cannot tell.
    pub fn compare(&self, other: &PStr) -> Match {
        if let (Some(a), Some(b)) = (self.known(), other.known()) {
            return if a.eq_ignore_ascii_case(b) {
                Match::Yes
            } else {
                Match::No
            };
        }
        if self.0.len() == other.0.len() {
            let mut all_equal = true;
            for (a, b) in self.0.iter().zip(&other.0) {
                match (a, b) {
                    (Seg::Lit(x), Seg::Lit(y)) if x.eq_ignore_ascii_case(y) => {}
                    (
                        Seg::Hole {
                            symbol: Some(x), ..
                        },
                        Seg::Hole {
                            symbol: Some(y), ..
                        },
                    ) if x == y => {}
                    _ => all_equal = false,
                }
            }
            if all_equal {
                return Match::Yes;
            }
        }
        // Known prefixes that differ prove inequality even with holes later on.
        if let (Some(Seg::Lit(a)), Some(Seg::Lit(b))) = (self.0.first(), other.0.first()) {
            let n = a.len().min(b.len());
            if !a.as_bytes()[..n].eq_ignore_ascii_case(&b.as_bytes()[..n]) {
                return Match::No;
            }
        }
        Match::Maybe
    }
}

impl fmt::Display for PStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// The answer of a comparison between partially known values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    Yes,
    No,
    Maybe,
}

/// How a resource is pointed at from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ResourceLink {
    /// A symbolic name inside one deployment unit (Bicep symbol, Terraform address).
    Symbol { unit: Arc<str>, name: Arc<str> },
    /// A resource id, possibly with unknown pieces.
    Id(PStr),
}

/// Which attribute of a linked resource a value stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attr {
    /// The resource id.
    Id,
    /// The resource name.
    Name,
    /// The object id of the principal behind the resource: a user-assigned identity's own
    /// principal, or (for other resources) read from the resource's properties.
    PrincipalId,
    /// The object id of the resource's system-assigned identity (`identity.principalId`).
    SystemPrincipalId,
    /// A client (application) id: not an object id.
    ClientId,
    /// Any other run-time property.
    Other,
}

/// What a reference to a resource looks like before a member is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceView {
    /// A symbolic reference (`uami`, `azurerm_x.y`): members are id, name, properties…
    Symbol,
    /// `reference(id)` / `uami.properties`: the properties object.
    Properties,
    /// `reference(id, api, 'Full')`: the whole resource.
    Full,
    /// `x.identity`: the identity object of the resource.
    Identity,
}

/// Why a value holds a secret without being a literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SecretOrigin {
    /// `listKeys()`, `listSecrets()`… (the function name).
    ListCall(String),
    /// An attribute of a resource that holds a credential, read by reference
    /// (`azurerm_storage_account.sa.primary_access_key`).
    Attribute(String),
    /// A secure parameter or sensitive variable (its name).
    SecureParameter(String),
    /// A Key Vault reference or `getSecret()`.
    KeyVault,
}

/// An evaluated value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Str(PStr),
    Array(Vec<Node>),
    Object(Vec<Prop>),
    /// A linked resource, before a member is taken.
    Resource {
        link: ResourceLink,
        view: ResourceView,
    },
    /// An attribute of a linked resource, known only at deployment.
    Attr {
        link: ResourceLink,
        attr: Attr,
    },
    /// A secret that is not a literal (list*(), secure parameter, Key Vault).
    Secret(SecretOrigin),
    /// One of these values, chosen at deployment (a condition that cannot be evaluated).
    OneOf(Vec<Node>),
    Unknown(Arc<str>),
}

/// One object property; keys are values too because templates compute them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Prop {
    pub key: Node,
    pub value: Node,
}

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// Written literally in the source.
    Literal,
    /// A parameter's or variable's default value.
    Default,
    /// A value supplied by a parameter file, tfvars or bicepparam.
    ParameterFile,
    /// Computed by an expression.
    Computed,
}

impl Provenance {
    /// Literals, defaults and parameter-file values are all text committed to the repository.
    pub fn is_committed_text(self) -> bool {
        !matches!(self, Provenance::Computed)
    }
}

/// A value with its location and provenance.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub val: Val,
    pub span: Span,
    pub prov: Provenance,
}

impl Node {
    pub fn new(val: Val, span: Span, prov: Provenance) -> Self {
        Node { val, span, prov }
    }

    pub fn lit_str(s: impl Into<String>, span: Span) -> Self {
        Node::new(Val::Str(PStr::lit(s)), span, Provenance::Literal)
    }

    pub fn unknown(reason: impl Into<Arc<str>>, span: Span) -> Self {
        Node::new(Val::Unknown(reason.into()), span, Provenance::Computed)
    }

    /// The string, when the whole of it is known.
    pub fn as_known_str(&self) -> Option<&str> {
        match &self.val {
            Val::Str(p) => p.known(),
            _ => None,
        }
    }

    pub fn as_pstr(&self) -> Option<&PStr> {
        match &self.val {
            Val::Str(p) => Some(p),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.val {
            Val::Bool(b) => Some(*b),
            Val::Str(p) => match p.known()?.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.val, Val::Unknown(_))
    }

    /// Property lookup by name, case-insensitive; `None` when absent or unknowable.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.val {
            Val::Object(props) => props
                .iter()
                .find(|p| {
                    p.key
                        .as_known_str()
                        .is_some_and(|k| k.eq_ignore_ascii_case(key))
                })
                .map(|p| &p.value),
            _ => None,
        }
    }

    /// Follow a dotted path of property names.
    pub fn path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn props(&self) -> &[Prop] {
        match &self.val {
            Val::Object(props) => props,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.val {
            Val::Array(items) => items,
            _ => &[],
        }
    }

    /// True when the object has keys that cannot be read, so an absent key may be present.
    pub fn has_unknown_keys(&self) -> bool {
        self.props().iter().any(|p| p.key.as_known_str().is_none())
    }

    /// Visit this node and every node below it (iteratively: inputs may nest deeply).
    pub fn walk<'a>(&'a self, mut visit: impl FnMut(&'a Node, &[&'a str])) {
        self.walk_pruned(|node, path| {
            visit(node, path);
            true
        });
    }

    /// [`Node::walk`], skipping what is below a node for which `visit` returns false.
    pub fn walk_pruned<'a>(&'a self, mut visit: impl FnMut(&'a Node, &[&'a str]) -> bool) {
        // One path shared by the whole walk: each pending node records the path length of
        // its parent and its own key, so nothing is cloned per node.
        let mut path: Vec<&'a str> = Vec::new();
        let mut stack: Vec<(&'a Node, usize, Option<&'a str>)> = vec![(self, 0, None)];
        while let Some((node, depth, key)) = stack.pop() {
            path.truncate(depth);
            path.extend(key);
            if !visit(node, &path) {
                continue;
            }
            let depth = path.len();
            match &node.val {
                Val::Object(props) => {
                    for p in props.iter().rev() {
                        let key = p.key.as_known_str().unwrap_or("*");
                        stack.push((&p.value, depth, Some(key)));
                    }
                }
                Val::Array(items) | Val::OneOf(items) => {
                    for item in items.iter().rev() {
                        stack.push((item, depth, None));
                    }
                }
                _ => {}
            }
        }
    }
}
