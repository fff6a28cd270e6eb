//! Where each name lives, as CPython's symbol table decides it: a
//! function's locals (and which of them inner functions close over), the
//! names it closes over from outside, and the module's globals. A class
//! body's names are its namespace's; comprehensions are scopes of their
//! own, as in CPython 3.11.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::*;
use super::syntax::{ErrorKind, SyntaxError};

/// What a scope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The module.
    Module,
    /// A class body.
    Class,
    /// A function, a lambda, or a comprehension.
    Function,
}

/// One scope's names, settled.
#[derive(Debug)]
pub struct Scope {
    /// What it is.
    pub kind: ScopeKind,
    /// Its locals, its parameters first.
    pub locals: Vec<Name>,
    /// Its locals that inner functions close over.
    pub cells: Vec<Name>,
    /// The names it closes over from enclosing functions.
    pub free: Vec<Name>,
    /// Names declared `global`.
    pub globals: Vec<Name>,
    /// Names bound in a class body (its namespace's).
    pub class_names: Vec<Name>,
    /// Whether a function in a class body calls `super`.
    pub uses_super: bool,
    parent: Option<usize>,
    used: Vec<Name>,
    nonlocals: Vec<(Name, Span)>,
}

/// Where a name is, for the compiler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A plain local, by index.
    Fast(u32),
    /// A cell, by index among the code's cells then its free ones.
    Deref(u32),
    /// A module-level name.
    Global,
    /// A name of a class body's namespace.
    ClassName,
}

/// Every scope of a program, found by the address of its tree node.
pub struct SymTable {
    /// The scopes, the module first.
    pub scopes: Vec<Scope>,
    by_node: HashMap<usize, usize>,
}

impl SymTable {
    /// The scope of a def, lambda, class or comprehension node.
    pub fn scope_of(&self, node: usize) -> usize {
        self.by_node[&node]
    }

    /// Where `name` is, used in scope `s`.
    pub fn place(&self, s: usize, name: &str) -> Place {
        let scope = &self.scopes[s];
        if scope.globals.iter().any(|g| &**g == name) {
            return Place::Global;
        }
        if let Some(i) = scope.cells.iter().position(|c| &**c == name) {
            return Place::Deref(i as u32);
        }
        if let Some(i) = scope.free.iter().position(|c| &**c == name) {
            return Place::Deref((scope.cells.len() + i) as u32);
        }
        match scope.kind {
            ScopeKind::Module => Place::Global,
            ScopeKind::Class => Place::ClassName,
            ScopeKind::Function => match scope.locals.iter().position(|l| &**l == name) {
                Some(i) => Place::Fast(i as u32),
                None => Place::Global,
            },
        }
    }
}

/// The address of a node, its key in the table.
pub fn key<T>(node: &T) -> usize {
    node as *const T as usize
}

/// Builds the table for a module.
pub fn build(module: &Module) -> Result<SymTable, SyntaxError> {
    let mut b = Builder {
        scopes: Vec::new(),
        by_node: HashMap::new(),
        current: 0,
    };
    b.push(ScopeKind::Module, 0, None);
    for st in &module.body {
        b.stmt(st);
    }
    b.resolve()?;
    Ok(SymTable {
        scopes: b.scopes,
        by_node: b.by_node,
    })
}

struct Builder {
    scopes: Vec<Scope>,
    by_node: HashMap<usize, usize>,
    current: usize,
}

fn add(names: &mut Vec<Name>, name: &Name) {
    if !names.contains(name) {
        names.push(name.clone());
    }
}

impl Builder {
    fn push(&mut self, kind: ScopeKind, node: usize, parent: Option<usize>) -> usize {
        self.scopes.push(Scope {
            kind,
            locals: Vec::new(),
            cells: Vec::new(),
            free: Vec::new(),
            globals: Vec::new(),
            class_names: Vec::new(),
            uses_super: false,
            parent,
            used: Vec::new(),
            nonlocals: Vec::new(),
        });
        let id = self.scopes.len() - 1;
        self.by_node.insert(node, id);
        id
    }

    fn within(&mut self, kind: ScopeKind, node: usize, f: impl FnOnce(&mut Self)) {
        let outer = self.current;
        self.current = self.push(kind, node, Some(outer));
        f(self);
        self.current = outer;
    }

    fn bind(&mut self, name: &Name) {
        let scope = &mut self.scopes[self.current];
        match scope.kind {
            ScopeKind::Class => add(&mut scope.class_names, name),
            _ => add(&mut scope.locals, name),
        }
    }

    fn use_name(&mut self, name: &Name) {
        add(&mut self.scopes[self.current].used, name);
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for st in body {
            self.stmt(st);
        }
    }

    fn function(&mut self, f: &Rc<Function>) {
        for d in &f.decorators {
            self.expr(d);
        }
        let p = &f.params;
        for param in p.positional.iter().chain(&p.keyword_only) {
            if let Some(d) = &param.default {
                self.expr(d);
            }
        }
        self.within(ScopeKind::Function, key(&**f), |b| {
            for param in p.positional.iter().chain(&p.keyword_only) {
                b.bind(&param.name);
            }
            if let Some(star) = &p.star {
                b.bind(star);
            }
            if let Some(star) = &p.double_star {
                b.bind(star);
            }
            b.stmts(&f.body);
        });
    }

    fn stmt(&mut self, st: &Stmt) {
        match &st.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign(targets, value) => {
                self.expr(value);
                for t in targets {
                    self.target(t);
                }
            }
            StmtKind::AugAssign(t, _, v) => {
                self.expr(v);
                if let ExprKind::Name(n) = &t.kind {
                    self.use_name(n);
                }
                self.target(t);
            }
            StmtKind::Def(f) => {
                self.function(f);
                self.bind(&f.name);
            }
            StmtKind::Class(c) => {
                for d in c.decorators.iter().chain(&c.bases) {
                    self.expr(d);
                }
                for k in &c.keywords {
                    self.expr(&k.value);
                }
                self.within(ScopeKind::Class, key(&**c), |b| b.stmts(&c.body));
                self.bind(&c.name);
            }
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            StmtKind::Delete(ts) => {
                for t in ts {
                    self.target(t);
                }
            }
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            StmtKind::If(test, body, orelse) | StmtKind::While(test, body, orelse) => {
                self.expr(test);
                self.stmts(body);
                self.stmts(orelse);
            }
            StmtKind::For(f) => {
                self.expr(&f.iter);
                self.target(&f.target);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            StmtKind::With(w) => {
                for (e, t) in &w.items {
                    self.expr(e);
                    if let Some(t) = t {
                        self.target(t);
                    }
                }
                self.stmts(&w.body);
            }
            StmtKind::Try(t) => {
                self.stmts(&t.body);
                for h in &t.handlers {
                    if let Some(k) = &h.kind {
                        self.expr(k);
                    }
                    if let Some(n) = &h.name {
                        self.bind(n);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            StmtKind::Raise(e, c) => {
                for e in e.iter().chain(c) {
                    self.expr(e);
                }
            }
            StmtKind::Assert(t, m) => {
                self.expr(t);
                if let Some(m) = m {
                    self.expr(m);
                }
            }
            StmtKind::Import(names) => {
                for a in names {
                    let bound = a
                        .asname
                        .clone()
                        .unwrap_or_else(|| a.name.split('.').next().unwrap_or("").into());
                    self.bind(&bound);
                }
            }
            StmtKind::ImportFrom { names, .. } => {
                for a in names {
                    self.bind(a.asname.as_ref().unwrap_or(&a.name));
                }
            }
            StmtKind::Global(names) => {
                for n in names {
                    add(&mut self.scopes[self.current].globals, n);
                }
            }
            StmtKind::Nonlocal(names) => {
                for n in names {
                    self.scopes[self.current]
                        .nonlocals
                        .push((n.clone(), st.span));
                }
            }
        }
    }

    fn target(&mut self, t: &Expr) {
        match &t.kind {
            ExprKind::Name(n) => self.bind(n),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.target(i);
                }
            }
            ExprKind::Starred(inner) => self.target(inner),
            _ => self.expr(t),
        }
    }

    fn comprehension(&mut self, node: usize, gens: &[Comprehension], parts: &[&Expr]) {
        // The first iterable is evaluated outside.
        if let Some(first) = gens.first() {
            self.expr(&first.iter);
        }
        self.within(ScopeKind::Function, node, |b| {
            b.bind(&".0".into());
            for (i, g) in gens.iter().enumerate() {
                if i > 0 {
                    b.expr(&g.iter);
                }
                b.target(&g.target);
                for cond in &g.ifs {
                    b.expr(cond);
                }
            }
            for p in parts {
                b.expr(p);
            }
        });
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(n) => {
                self.use_name(n);
                if &**n == "super" {
                    self.scopes[self.current].uses_super = true;
                }
            }
            ExprKind::Const(_) => {}
            ExprKind::FString(parts) => self.fparts(parts),
            ExprKind::Attribute(v, _)
            | ExprKind::Starred(v)
            | ExprKind::Await(v)
            | ExprKind::YieldFrom(v) => self.expr(v),
            ExprKind::Yield(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            ExprKind::Subscript(a, b) | ExprKind::Binary(a, _, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x);
                }
            }
            ExprKind::Call(f, args) => {
                self.expr(f);
                for a in args {
                    match a {
                        Arg::Positional(e) | Arg::Star(e) | Arg::DoubleStar(e) => self.expr(e),
                        Arg::Keyword(k) => self.expr(&k.value),
                    }
                }
            }
            ExprKind::Unary(_, v) => self.expr(v),
            ExprKind::Bool(_, vs)
            | ExprKind::List(vs)
            | ExprKind::Tuple(vs)
            | ExprKind::Set(vs) => {
                for v in vs {
                    self.expr(v);
                }
            }
            ExprKind::Compare(first, rest) => {
                self.expr(first);
                for (_, v) in rest {
                    self.expr(v);
                }
            }
            ExprKind::IfExp(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            ExprKind::Lambda(f) => self.function(f),
            ExprKind::Dict(entries) => {
                for (k, v) in entries {
                    if let Some(k) = k {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            ExprKind::Comp(_, elt, gens) => self.comprehension(key(e), gens, &[elt]),
            ExprKind::DictComp(k, v, gens) => self.comprehension(key(e), gens, &[k, v]),
            ExprKind::Walrus(name, v) => {
                self.expr(v);
                // Binds in the nearest scope that is not a comprehension:
                // here, a comprehension is any function scope named `.0`.
                let mut s = self.current;
                while self.scopes[s].locals.first().is_some_and(|l| &**l == ".0") {
                    let Some(p) = self.scopes[s].parent else {
                        break;
                    };
                    add(&mut self.scopes[s].used, name);
                    s = p;
                }
                let outer = self.current;
                self.current = s;
                self.bind(name);
                self.current = outer;
            }
        }
    }

    fn fparts(&mut self, parts: &[FPart]) {
        for p in parts {
            if let FPart::Field { value, spec, .. } = p {
                self.expr(value);
                self.fparts(spec);
            }
        }
    }

    /// Settles free names: a name used in a function but bound in an
    /// enclosing function is a cell there and free in each scope between.
    fn resolve(&mut self) -> Result<(), SyntaxError> {
        for s in 0..self.scopes.len() {
            if self.scopes[s].kind == ScopeKind::Module {
                if let Some((_, span)) = self.scopes[s].nonlocals.first() {
                    return Err(SyntaxError::new(
                        ErrorKind::Syntax,
                        "nonlocal declaration not allowed at module level",
                        *span,
                    ));
                }
                continue;
            }
            let mut wanted: Vec<(Name, Option<Span>)> = Vec::new();
            let scope = &self.scopes[s];
            for (n, span) in &scope.nonlocals {
                wanted.push((n.clone(), Some(*span)));
            }
            for n in &scope.used {
                let bound_here = match scope.kind {
                    ScopeKind::Function => scope.locals.contains(n),
                    _ => scope.class_names.contains(n),
                };
                let nonlocal = scope.nonlocals.iter().any(|(m, _)| m == n);
                if !bound_here && !nonlocal && !scope.globals.contains(n) {
                    wanted.push((n.clone(), None));
                }
            }
            if scope.kind == ScopeKind::Function && scope.uses_super {
                wanted.push(("__class__".into(), None));
            }
            for (name, nonlocal) in wanted {
                // Find the enclosing function that binds it.
                let mut path = vec![s];
                let mut binder = None;
                let mut p = self.scopes[s].parent;
                while let Some(ps) = p {
                    let scope = &self.scopes[ps];
                    let binds = match scope.kind {
                        ScopeKind::Function => scope.locals.contains(&name),
                        // `super()`'s class: a cell of the class body.
                        ScopeKind::Class => &*name == "__class__",
                        ScopeKind::Module => false,
                    };
                    if binds {
                        binder = Some(ps);
                        break;
                    }
                    if scope.kind == ScopeKind::Module || scope.globals.contains(&name) {
                        break;
                    }
                    path.push(ps);
                    p = scope.parent;
                }
                match binder {
                    Some(b) => {
                        add(&mut self.scopes[b].cells, &name);
                        for &between in &path {
                            add(&mut self.scopes[between].free, &name);
                        }
                    }
                    None => {
                        if let Some(span) = nonlocal {
                            return Err(SyntaxError::new(
                                ErrorKind::Syntax,
                                format!("no binding for nonlocal '{name}' found"),
                                span,
                            ));
                        }
                    }
                }
                if nonlocal.is_some() {
                    self.scopes[s].locals.retain(|l| *l != name);
                }
            }
        }
        Ok(())
    }
}
