//! Syntax tree for Bicep and Bicep parameter files.
//!
//! Every node carries a [`Span`] of byte offsets into the parsed source, so later stages can
//! report diagnostics at exact locations without re-scanning the text.

/// Half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// The source text covered by this span; empty if the span does not fit `source`.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }

    pub fn to(self, other: Span) -> Span {
        Span::new(self.start, other.end.max(self.start))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BicepFile {
    pub statements: Vec<Statement>,
    pub comments: Vec<Comment>,
    /// Sorted by position; at most one error per offending token.
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ...` (span excludes the line break).
    Line,
    /// `/* ... */`
    Block,
    /// A `#disable-next-line ...` / `#disable-diagnostics ...` style pragma line.
    Directive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: Box<str>,
    pub span: Span,
}

/// A string literal without interpolation (resource types, module paths, import sources).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringLit {
    /// Unescaped value, without quotes.
    pub value: Box<str>,
    /// Includes the quotes.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Decorator {
    /// Usually a call such as `description('x')` or `sys.description('x')`.
    pub expr: Expr,
    /// Includes the `@`.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub decorators: Vec<Decorator>,
    pub kind: StatementKind,
    /// From the first decorator (or keyword) to the end of the statement.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    TargetScope {
        value: Expr,
    },
    /// In `.bicepparam` files `ty` is `None` (`param x = 1`).
    Param {
        name: Ident,
        ty: Option<TypeExpr>,
        default: Option<Expr>,
    },
    Var {
        name: Ident,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    Output {
        name: Ident,
        ty: TypeExpr,
        value: Expr,
    },
    Resource {
        name: Ident,
        type_string: StringLit,
        existing: bool,
        /// An object, an [`ExprKind::If`] or an [`ExprKind::For`].
        body: Expr,
    },
    Module {
        name: Ident,
        path: StringLit,
        body: Expr,
    },
    Type {
        name: Ident,
        value: TypeExpr,
    },
    Func {
        name: Ident,
        params: Vec<FuncParam>,
        return_type: TypeExpr,
        body: Expr,
    },
    Import(Import),
    /// `using 'x.bicep'`; `path` is `None` for `using none`.
    Using {
        path: Option<StringLit>,
        config: Option<Expr>,
    },
    /// `extends 'base.bicepparam'`
    Extends {
        path: StringLit,
    },
    /// `extension name`, `extension 'br:...' with {...} as alias` (also legacy `provider`).
    Extension {
        spec: ExtensionSpec,
        config: Option<Expr>,
        alias: Option<Ident>,
    },
    Metadata {
        name: Ident,
        value: Expr,
    },
    Assert {
        name: Ident,
        value: Expr,
    },
    /// A line that could not be parsed as any statement (see [`BicepFile::errors`]).
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FuncParam {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExtensionSpec {
    Name(Ident),
    Path(StringLit),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Import {
    /// `import {a, b as c} from 'x.bicep'`
    Named {
        items: Vec<ImportItem>,
        from: StringLit,
    },
    /// `import * as ns from 'x.bicep'`
    Wildcard { alias: Ident, from: StringLit },
    /// Legacy extension import: `import 'kubernetes@1.0.0' with {...} as k8s`
    Extension {
        spec: StringLit,
        config: Option<Expr>,
        alias: Option<Ident>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportItem {
    pub name: Ident,
    pub alias: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Minus,
    Plus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Coalesce,
    Or,
    And,
    Eq,
    NotEq,
    /// `=~` (case-insensitive equality)
    EqI,
    /// `!~`
    NotEqI,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    String(StringExpr),
    Int(u64),
    Bool(bool),
    Null,
    Ident(Ident),
    Object(Vec<ObjectItem>),
    Array(Vec<ArrayItem>),
    /// `f(x)`, `az.resourceGroup()`, `kv.getSecret('x')`, `stg.listKeys()`.
    ///
    /// Syntax cannot tell a namespace (`az`, `sys`) from a resource symbol (`kv`), so both
    /// come out as a call with a `base`; [`ExprKind::call_namespace`] gives the bare
    /// identifier form for the lowering to resolve.
    Call {
        base: Option<Box<Expr>>,
        name: Ident,
        args: Vec<Expr>,
    },
    /// `a.b`, or `a.?b` when `safe`.
    Member {
        base: Box<Expr>,
        name: Ident,
        safe: bool,
    },
    /// `parent::child` nested-resource access.
    ResourceAccess {
        base: Box<Expr>,
        name: Ident,
    },
    /// `a[i]`, or `a[?i]` when `safe`.
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    /// Postfix `a!`.
    NonNull(Box<Expr>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `[for x in xs: body]` / `[for (x, i) in xs: body]`; the span covers the brackets.
    For(Box<ForExpr>),
    /// `if (cond) body` — only valid as a resource/module body or a `for` body.
    If {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    Lambda {
        params: Vec<Ident>,
        body: Box<Expr>,
    },
    Paren(Box<Expr>),
    /// Placeholder where an expression was expected but could not be parsed.
    Error,
}

impl ExprKind {
    /// For a call whose base is a bare identifier (`az.resourceGroup()`, `kv.getSecret()`),
    /// that identifier.
    pub fn call_namespace(&self) -> Option<&Ident> {
        match self {
            ExprKind::Call { base: Some(b), .. } => match &b.kind {
                ExprKind::Ident(id) => Some(id),
                _ => None,
            },
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    pub item: Ident,
    pub index: Option<Ident>,
    pub iterable: Expr,
    pub body: Expr,
}

/// A string with `exprs.len() + 1 == segments.len()` literal segments around its
/// interpolations: `'a${b}c'` has segments `["a", "c"]` and exprs `[b]`.
#[derive(Clone, Debug, PartialEq)]
pub struct StringExpr {
    /// Unescaped literal text.
    pub segments: Vec<Box<str>>,
    pub exprs: Vec<Expr>,
    /// `'''...'''` string (never interpolated).
    pub multiline: bool,
}

impl StringExpr {
    /// The value of a string without interpolation.
    pub fn as_literal(&self) -> Option<&str> {
        match (self.exprs.is_empty(), self.segments.first()) {
            (true, Some(s)) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectItem {
    Property(ObjectProperty),
    /// `...expr`; the span includes the `...`.
    Spread {
        expr: Expr,
        span: Span,
    },
    /// A child resource declared inside a resource body.
    Resource(Box<Statement>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectProperty {
    pub key: PropertyKey,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PropertyKey {
    Ident(Ident),
    String { value: StringExpr, span: Span },
}

impl PropertyKey {
    /// The key text, unless it is an interpolated string.
    pub fn name(&self) -> Option<&str> {
        match self {
            PropertyKey::Ident(id) => Some(&id.name),
            PropertyKey::String { value, .. } => value.as_literal(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            PropertyKey::Ident(id) => id.span,
            PropertyKey::String { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem {
    Expr(Expr),
    Spread { expr: Expr, span: Span },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// `string`, `myType`, `true`, `null` ...
    Name(Ident),
    /// `resourceInput<'Microsoft.X/y@2024-01-01'>`
    Generic {
        name: Ident,
        args: Vec<TypeExpr>,
    },
    /// Legacy `resource 'Microsoft.X/y@...'` parameter/output type.
    Resource(StringLit),
    String(StringLit),
    /// Negative literals such as `-1` carry `negative`.
    Int {
        value: u64,
        negative: bool,
    },
    Object(Vec<TypeProperty>),
    Tuple(Vec<TupleItem>),
    /// `T[]`
    Array(Box<TypeExpr>),
    /// `T?`
    Nullable(Box<TypeExpr>),
    Union(Vec<TypeExpr>),
    /// `T.prop`, or `T.*` (additional-properties type) when `name` is `None`.
    Member {
        base: Box<TypeExpr>,
        name: Option<Ident>,
    },
    /// `T[0]`, or `T[*]` (element type) when `index` is `None`.
    Index {
        base: Box<TypeExpr>,
        index: Option<u64>,
    },
    Paren(Box<TypeExpr>),
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeProperty {
    pub decorators: Vec<Decorator>,
    /// `None` for the `*: T` additional-properties entry.
    pub key: Option<PropertyKey>,
    pub optional: bool,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TupleItem {
    pub decorators: Vec<Decorator>,
    pub ty: TypeExpr,
}
