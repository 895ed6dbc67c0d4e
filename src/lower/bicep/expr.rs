//! Bicep syntax → the shared evaluator's [`Expr`].
//!
//! The translation is syntactic except for one question only the symbol table answers:
//! whether `x.f()` calls a function in namespace `x` (`az.resourceGroup()`) or a method on
//! the symbol `x` (`kv.getSecret('s')`, `stg.listKeys()`).

use crate::lower::eval::{BinOp, Expr};
use crate::parse::bicep::{self as ast, ArrayItem, ExprKind, ObjectItem, PropertyKey, StringExpr};
use crate::source::{FileId, Span};

/// What the translation needs to know about names.
pub trait Symbols {
    /// A declared symbol (parameter, variable, resource, module, loop variable).
    fn is_symbol(&self, name: &str) -> bool;
    /// A user-defined or imported function (its calls are not evaluated).
    fn is_function(&self, name: &str) -> bool;
}

pub fn span(file: FileId, s: ast::Span) -> Span {
    Span::new(file, s.start as usize, s.end as usize)
}

pub fn translate(e: &ast::Expr, file: FileId, syms: &dyn Symbols) -> Expr {
    let sp = span(file, e.span);
    let tr = |x: &ast::Expr| translate(x, file, syms);
    match &e.kind {
        ExprKind::String(s) => string(s, sp, file, syms),
        ExprKind::Int(i) => Expr::Int(i64::try_from(*i).unwrap_or(i64::MAX), sp),
        ExprKind::Bool(b) => Expr::Bool(*b, sp),
        ExprKind::Null => Expr::Null(sp),
        ExprKind::Ident(id) => Expr::Symbol(id.name.to_string(), sp),
        ExprKind::Object(items) => Expr::Object(object_items(items, file, syms), sp),
        ExprKind::Array(items) => Expr::Array(
            items
                .iter()
                .map(|i| match i {
                    ArrayItem::Expr(x) => tr(x),
                    ArrayItem::Spread { span: s, .. } => {
                        Expr::Opaque("a spread element", span(file, *s))
                    }
                })
                .collect(),
            sp,
        ),
        ExprKind::Call { base, name, args } => {
            let args: Vec<Expr> = args.iter().map(tr).collect();
            let lname = name.name.to_ascii_lowercase();
            match base.as_deref() {
                None if syms.is_function(&name.name) => Expr::Opaque("a user-defined function", sp),
                None => Expr::Call {
                    name: lname,
                    args,
                    span: sp,
                },
                Some(b) => match &b.kind {
                    ExprKind::Ident(ns) if !syms.is_symbol(&ns.name) => {
                        if ns.name.eq_ignore_ascii_case("az") || ns.name.eq_ignore_ascii_case("sys")
                        {
                            Expr::Call {
                                name: lname,
                                args,
                                span: sp,
                            }
                        } else {
                            Expr::Opaque("a function of an imported namespace", sp)
                        }
                    }
                    _ => Expr::MethodCall {
                        base: Box::new(tr(b)),
                        name: name.name.to_string(),
                        args,
                        span: sp,
                    },
                },
            }
        }
        ExprKind::Member { base, name, .. } => Expr::Member {
            base: Box::new(tr(base)),
            name: name.name.to_string(),
            span: sp,
        },
        ExprKind::ResourceAccess { .. } => match resource_path(e) {
            Some(path) => Expr::Symbol(path, sp),
            None => Expr::Opaque("a nested resource access", sp),
        },
        ExprKind::Index { base, index, .. } => Expr::Index {
            base: Box::new(tr(base)),
            index: Box::new(tr(index)),
            span: sp,
        },
        ExprKind::NonNull(inner) | ExprKind::Paren(inner) => tr(inner),
        ExprKind::Unary { op, operand } => match (op, &operand.kind) {
            (ast::UnaryOp::Not, _) => Expr::Not(Box::new(tr(operand)), sp),
            (ast::UnaryOp::Minus, ExprKind::Int(i)) => {
                Expr::Int(-i64::try_from(*i).unwrap_or(i64::MAX), sp)
            }
            (ast::UnaryOp::Plus, _) => tr(operand),
            _ => Expr::Opaque("arithmetic", sp),
        },
        ExprKind::Binary { op, lhs, rhs } => {
            let op = match op {
                ast::BinaryOp::Coalesce => BinOp::Coalesce,
                ast::BinaryOp::Or => BinOp::Or,
                ast::BinaryOp::And => BinOp::And,
                ast::BinaryOp::Eq | ast::BinaryOp::EqI => BinOp::Eq,
                ast::BinaryOp::NotEq | ast::BinaryOp::NotEqI => BinOp::Ne,
                _ => BinOp::Other,
            };
            Expr::Binary {
                op,
                left: Box::new(tr(lhs)),
                right: Box::new(tr(rhs)),
                span: sp,
            }
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => Expr::Ternary {
            cond: Box::new(tr(cond)),
            then: Box::new(tr(then)),
            otherwise: Box::new(tr(otherwise)),
            span: sp,
        },
        ExprKind::For(_) => Expr::Opaque("a for expression", sp),
        ExprKind::If { .. } => Expr::Opaque("a condition", sp),
        ExprKind::Lambda { .. } => Expr::Opaque("a lambda", sp),
        ExprKind::Error => Expr::Opaque("a syntax error", sp),
    }
}

/// `a::b::c` as the symbol path `a::b::c`.
pub fn resource_path(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Ident(id) => Some(id.name.to_string()),
        ExprKind::ResourceAccess { base, name } => {
            Some(format!("{}::{}", resource_path(base)?, name.name))
        }
        _ => None,
    }
}

fn string(s: &StringExpr, sp: Span, file: FileId, syms: &dyn Symbols) -> Expr {
    if let Some(lit) = s.as_literal() {
        return Expr::Str(lit.to_owned(), sp);
    }
    if s.exprs.is_empty() {
        return Expr::Str(String::new(), sp);
    }
    let mut parts = Vec::new();
    for (i, seg) in s.segments.iter().enumerate() {
        if !seg.is_empty() {
            parts.push(Expr::Str(seg.to_string(), sp));
        }
        if let Some(x) = s.exprs.get(i) {
            parts.push(translate(x, file, syms));
        }
    }
    Expr::Interp(parts, sp)
}

fn object_items(items: &[ObjectItem], file: FileId, syms: &dyn Symbols) -> Vec<(Expr, Expr)> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            ObjectItem::Property(p) => {
                let key = match &p.key {
                    PropertyKey::Ident(id) => Expr::Str(id.name.to_string(), span(file, id.span)),
                    PropertyKey::String { value, span: s } => {
                        string(value, span(file, *s), file, syms)
                    }
                };
                out.push((key, translate(&p.value, file, syms)));
            }
            ObjectItem::Spread { span: s, .. } => {
                let sp = span(file, *s);
                out.push((
                    Expr::Opaque("a spread property", sp),
                    Expr::Opaque("a spread property", sp),
                ));
            }
            // Child resources are lowered as resources of their own.
            ObjectItem::Resource(_) => {}
        }
    }
    out
}
