//! The tree to code: each function, class body, comprehension and the
//! module become a [`Code`] of stack-machine instructions, with the names
//! placed as [`symtable`](super::symtable) settled them.
//!
//! `finally` bodies are copied to each way out of their `try` (falling
//! through, `return`, `break`, `continue`), as CPython does, so the
//! interpreter's blocks only ever deal with exceptions.

use std::rc::Rc;

use super::ast::*;
use super::code::{Code, CodeKind, Const as K, Globals, Op, ParamSpec, Program, SourceFile};
use super::symtable::{self, key, Place, SymTable};
use super::syntax::{line_col, ErrorKind, SyntaxError};

type R<T> = Result<T, SyntaxError>;

/// Compiles a parsed module.
pub fn compile(module: &Module, file: Rc<SourceFile>) -> R<Program> {
    let table = symtable::build(module)?;
    let text = file.text.clone();
    let mut c = Compiler {
        src: &text,
        file: file.clone(),
        table,
        globals: Globals::default(),
        units: Vec::new(),
    };
    c.units
        .push(Unit::new("<module>".into(), 0, CodeKind::Module, 1));
    c.stmts(&module.body)?;
    c.emit_none_return();
    let unit = c.units.pop().expect("the module's unit");
    let code = c.finish(unit, ParamSpec::default(), 0, Vec::new());
    Ok(Program {
        code,
        globals: c.globals.names,
    })
}

impl Program {
    /// Parses and compiles `text`, named `name` in tracebacks.
    pub fn new(text: &str, name: &str) -> Result<Program, super::SyntaxError> {
        let module = super::parse(text)?;
        let file = Rc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        compile(&module, file)
    }
}

/// What the statements being compiled stand inside, for the ways out.
enum FBlock<'a> {
    /// A loop: where `continue` goes, where `break`s wait to be patched,
    /// and whether an iterator is on the stack.
    Loop {
        start: usize,
        breaks: Vec<usize>,
        has_iter: bool,
    },
    /// A `try` with handlers: its block is set.
    TryExcept,
    /// A `try` with `finally`: its block is set, and this is the body to
    /// copy on the way out.
    Finally(&'a [Stmt]),
    /// Inside a `finally` run for an exception: the exception is on the
    /// stack.
    FinallyHandler,
    /// Inside an `except` body.
    ExceptHandler,
    /// Inside a `with` body: its `__exit__` is on the stack.
    With { is_async: bool },
}

struct Unit<'a> {
    name: Name,
    scope: usize,
    kind: CodeKind,
    ops: Vec<Op>,
    spans: Vec<Span>,
    consts: Vec<K>,
    names: Vec<Name>,
    fblocks: Vec<FBlock<'a>>,
    span: Span,
    yields: bool,
    first_line: u32,
}

impl Unit<'_> {
    fn new(name: Name, scope: usize, kind: CodeKind, first_line: u32) -> Self {
        Unit {
            name,
            scope,
            kind,
            ops: Vec::new(),
            spans: Vec::new(),
            consts: Vec::new(),
            names: Vec::new(),
            fblocks: Vec::new(),
            span: Span::default(),
            yields: false,
            first_line,
        }
    }
}

struct Compiler<'a> {
    src: &'a str,
    file: Rc<SourceFile>,
    table: SymTable,
    globals: Globals,
    units: Vec<Unit<'a>>,
}

fn refuse(what: &str, span: Span) -> SyntaxError {
    SyntaxError::new(
        ErrorKind::Unsupported,
        format!("the tour's Python has no {what}"),
        span,
    )
}

impl<'a> Compiler<'a> {
    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a unit is being compiled")
    }

    fn emit(&mut self, op: Op) -> usize {
        let unit = self.unit();
        unit.ops.push(op);
        unit.spans.push(unit.span);
        unit.ops.len() - 1
    }

    fn here(&mut self) -> usize {
        self.unit().ops.len()
    }

    /// Points the jump at `at` to the next instruction.
    fn patch(&mut self, at: usize) {
        let to = self.here() as u32;
        let op = &mut self.unit().ops[at];
        *op = match *op {
            Op::Jump(_) => Op::Jump(to),
            Op::PopJumpIfFalse(_) => Op::PopJumpIfFalse(to),
            Op::PopJumpIfTrue(_) => Op::PopJumpIfTrue(to),
            Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(to),
            Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(to),
            Op::ForIter(_) => Op::ForIter(to),
            Op::SetupExcept(_) => Op::SetupExcept(to),
            Op::SetupFinally(_) => Op::SetupFinally(to),
            Op::SetupWith(_) => Op::SetupWith(to),
            Op::WithResolve(_) => Op::WithResolve(to),
            other => other,
        };
    }

    fn constant(&mut self, v: K) -> u32 {
        let unit = self.unit();
        let found = unit.consts.iter().position(|c| match (c, &v) {
            (K::None, K::None) => true,
            (K::Bool(a), K::Bool(b)) => a == b,
            (K::Int(a), K::Int(b)) => a == b,
            (K::Str(a), K::Str(b)) => a == b,
            _ => false,
        });
        match found {
            Some(i) => i as u32,
            None => {
                unit.consts.push(v);
                (unit.consts.len() - 1) as u32
            }
        }
    }

    fn load_const(&mut self, v: K) {
        let i = self.constant(v);
        self.emit(Op::Const(i));
    }

    fn name_index(&mut self, name: &Name) -> u32 {
        let unit = self.unit();
        match unit.names.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                unit.names.push(name.clone());
                (unit.names.len() - 1) as u32
            }
        }
    }

    fn emit_none_return(&mut self) {
        self.load_const(K::None);
        self.emit(Op::Return);
    }

    fn place(&mut self, name: &Name) -> Place {
        let scope = self.unit().scope;
        self.table.place(scope, name)
    }

    fn load(&mut self, name: &Name) {
        let op = match self.place(name) {
            Place::Fast(i) => Op::LoadFast(i),
            Place::Deref(i) => Op::LoadDeref(i),
            Place::Global => Op::LoadGlobal(self.globals.slot(name)),
            Place::ClassName => {
                self.globals.slot(name);
                Op::LoadName(self.name_index(name))
            }
        };
        self.emit(op);
    }

    fn store(&mut self, name: &Name) {
        let op = match self.place(name) {
            Place::Fast(i) => Op::StoreFast(i),
            Place::Deref(i) => Op::StoreDeref(i),
            Place::Global => Op::StoreGlobal(self.globals.slot(name)),
            Place::ClassName => Op::StoreName(self.name_index(name)),
        };
        self.emit(op);
    }

    fn delete(&mut self, name: &Name, span: Span) -> R<()> {
        let op = match self.place(name) {
            Place::Fast(i) => Op::DeleteFast(i),
            Place::Global => Op::DeleteGlobal(self.globals.slot(name)),
            _ => return Err(refuse("`del` of this name", span)),
        };
        self.emit(op);
        Ok(())
    }

    /// Makes a code object of a finished unit.
    fn finish(
        &mut self,
        unit: Unit<'a>,
        params: ParamSpec,
        defaults: u32,
        kw_defaults: Vec<bool>,
    ) -> Rc<Code> {
        let scope = &self.table.scopes[unit.scope];
        let kind = match unit.kind {
            CodeKind::Coroutine if unit.yields => CodeKind::AsyncGenerator,
            CodeKind::Function if unit.yields => CodeKind::Generator,
            k => k,
        };
        let cell_of = scope
            .cells
            .iter()
            .map(|c| scope.locals.iter().position(|l| l == c).map(|i| i as u32))
            .collect();
        let parent = self.units.last().map(|u| u.scope);
        let free = scope
            .free
            .iter()
            .map(|f| {
                let at = match parent.map(|p| self.table.place(p, f)) {
                    Some(Place::Deref(i)) => i,
                    _ => 0,
                };
                (f.clone(), at)
            })
            .collect();
        let mut ops = unit.ops;
        fuse_compare_jumps(&mut ops);
        Rc::new(Code {
            name: unit.name,
            kind,
            ops,
            spans: unit.spans,
            consts: unit.consts,
            names: unit.names,
            locals: scope.locals.clone(),
            cells: scope.cells.clone(),
            cell_of,
            free,
            params,
            defaults,
            kw_defaults,
            first_line: unit.first_line,
            file: self.file.clone(),
        })
    }

    // --- Statements -----------------------------------------------------

    fn stmts(&mut self, body: &'a [Stmt]) -> R<()> {
        for st in body {
            self.stmt(st)?;
        }
        Ok(())
    }

    fn stmt(&mut self, st: &'a Stmt) -> R<()> {
        self.unit().span = st.span;
        match &st.kind {
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Pop);
            }
            StmtKind::Assign(targets, value) => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::Dup);
                    }
                    self.assign(t)?;
                }
            }
            StmtKind::AugAssign(target, op, value) => self.aug_assign(target, *op, value)?,
            StmtKind::Def(f) => {
                self.function(f, st.span)?;
                self.store(&f.name);
            }
            StmtKind::Class(c) => self.class(c, st.span)?,
            StmtKind::Return(v) => {
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(K::None),
                }
                self.unwind(false, true)?;
                self.emit(Op::Return);
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.del(t)?;
                }
            }
            StmtKind::Pass => {}
            StmtKind::Break => {
                self.unwind(true, false)?;
                let at = self.emit(Op::Jump(0));
                let unit = self.unit();
                for fb in unit.fblocks.iter_mut().rev() {
                    if let FBlock::Loop {
                        breaks, has_iter, ..
                    } = fb
                    {
                        if *has_iter {
                            // The jump above becomes: pop the iterator, then jump.
                            unit.ops[at] = Op::Pop;
                            unit.ops.push(Op::Jump(0));
                            unit.spans.push(st.span);
                            breaks.push(at + 1);
                        } else {
                            breaks.push(at);
                        }
                        break;
                    }
                }
            }
            StmtKind::Continue => {
                self.unwind(true, false)?;
                let start = self.unit().fblocks.iter().rev().find_map(|fb| match fb {
                    FBlock::Loop { start, .. } => Some(*start),
                    _ => None,
                });
                self.emit(Op::Jump(start.unwrap_or(0) as u32));
            }
            StmtKind::If(test, body, orelse) => {
                self.expr(test)?;
                let to_else = self.emit(Op::PopJumpIfFalse(0));
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.patch(to_else);
                } else {
                    let to_end = self.emit(Op::Jump(0));
                    self.patch(to_else);
                    self.stmts(orelse)?;
                    self.patch(to_end);
                }
            }
            StmtKind::While(test, body, orelse) => {
                let start = self.here();
                self.expr(test)?;
                let to_exit = self.emit(Op::PopJumpIfFalse(0));
                self.unit().fblocks.push(FBlock::Loop {
                    start,
                    breaks: Vec::new(),
                    has_iter: false,
                });
                self.stmts(body)?;
                self.emit(Op::Jump(start as u32));
                let breaks = self.pop_loop();
                self.patch(to_exit);
                self.stmts(orelse)?;
                for b in breaks {
                    self.patch(b);
                }
            }
            StmtKind::For(f) => self.for_loop(f)?,
            StmtKind::With(w) => self.with(&w.items, &w.body, w.is_async)?,
            StmtKind::Try(t) => self.try_stmt(t)?,
            StmtKind::Raise(exc, cause) => {
                let mut n = 0;
                if let Some(e) = exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::Raise(n));
            }
            StmtKind::Assert(test, msg) => {
                self.expr(test)?;
                let ok = self.emit(Op::PopJumpIfTrue(0));
                if let Some(m) = msg {
                    self.expr(m)?;
                }
                self.emit(Op::AssertFail(msg.is_some()));
                self.patch(ok);
            }
            StmtKind::Import(names) => {
                for a in names {
                    let i = self.name_index(&a.name);
                    self.emit(Op::Import(i));
                    match &a.asname {
                        Some(asname) => {
                            // `import a.b as c` binds the submodule.
                            for part in a.name.split('.').skip(1) {
                                let i = self.name_index(&part.into());
                                self.emit(Op::LoadAttr(i));
                            }
                            self.store(asname);
                        }
                        None => {
                            let top: Name = a.name.split('.').next().unwrap_or("").into();
                            if *top != *a.name {
                                return Err(refuse("packages (`import a.b`)", a.span));
                            }
                            self.store(&top);
                        }
                    }
                }
            }
            StmtKind::ImportFrom {
                module,
                names,
                level,
            } => {
                if *level > 0 {
                    return Err(refuse("relative imports", st.span));
                }
                let module = module.clone().unwrap_or_else(|| "".into());
                let i = self.name_index(&module);
                self.emit(Op::Import(i));
                for a in names {
                    if &*a.name == "*" {
                        return Err(refuse("`import *`", a.span));
                    }
                    let i = self.name_index(&a.name);
                    self.emit(Op::ImportFrom(i));
                    self.store(a.asname.as_ref().unwrap_or(&a.name));
                }
                self.emit(Op::Pop);
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
        }
        Ok(())
    }

    fn pop_loop(&mut self) -> Vec<usize> {
        match self.unit().fblocks.pop() {
            Some(FBlock::Loop { breaks, .. }) => breaks,
            _ => Vec::new(),
        }
    }

    /// The code for leaving the blocks around a `return` (to the
    /// function's end), or a `break` or `continue` (to the loop). With
    /// `keep_top`, a return value stays on top of the stack throughout.
    fn unwind(&mut self, to_loop: bool, keep_top: bool) -> R<()> {
        let mut i = self.unit().fblocks.len();
        while i > 0 {
            i -= 1;
            match &self.unit().fblocks[i] {
                FBlock::Loop { .. } if to_loop => return Ok(()),
                FBlock::Loop { .. } => {}
                FBlock::TryExcept => {
                    self.emit(Op::PopBlock);
                }
                FBlock::ExceptHandler => {
                    self.emit(Op::PopExcept);
                }
                FBlock::FinallyHandler => {
                    self.emit(Op::PopExcept);
                    if keep_top {
                        self.emit(Op::Rot2);
                    }
                    self.emit(Op::Pop);
                }
                FBlock::With { is_async } => {
                    let is_async = *is_async;
                    self.emit(Op::PopBlock);
                    if keep_top {
                        self.emit(Op::Rot2);
                    }
                    self.with_exit_normal(is_async);
                }
                FBlock::Finally(body) => {
                    let body: &'a [Stmt] = body;
                    self.emit(Op::PopBlock);
                    // The finally body runs outside its own block.
                    let rest = self.unit().fblocks.split_off(i);
                    let result = self.stmts(body);
                    self.unit().fblocks.extend(rest);
                    result?;
                }
            }
        }
        Ok(())
    }

    fn with_exit_normal(&mut self, is_async: bool) {
        self.emit(Op::WithExitNormal);
        if is_async {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        self.emit(Op::Pop);
    }

    fn for_loop(&mut self, f: &'a For) -> R<()> {
        self.expr(&f.iter)?;
        if f.is_async {
            self.emit(Op::GetAIter);
            let start = self.here();
            let setup = self.emit(Op::SetupExcept(0));
            self.emit(Op::GetANext);
            self.emit(Op::Await);
            self.emit(Op::PopBlock);
            self.assign(&f.target)?;
            self.unit().fblocks.push(FBlock::Loop {
                start,
                breaks: Vec::new(),
                has_iter: true,
            });
            self.stmts(&f.body)?;
            self.emit(Op::Jump(start as u32));
            let breaks = self.pop_loop();
            self.patch(setup);
            self.emit(Op::EndAsyncFor);
            self.stmts(&f.orelse)?;
            for b in breaks {
                self.patch(b);
            }
            return Ok(());
        }
        self.emit(Op::GetIter);
        let start = self.here();
        let next = self.emit(Op::ForIter(0));
        self.assign(&f.target)?;
        self.unit().fblocks.push(FBlock::Loop {
            start,
            breaks: Vec::new(),
            has_iter: true,
        });
        self.stmts(&f.body)?;
        self.emit(Op::Jump(start as u32));
        let breaks = self.pop_loop();
        self.patch(next);
        self.stmts(&f.orelse)?;
        for b in breaks {
            self.patch(b);
        }
        Ok(())
    }

    fn with(
        &mut self,
        items: &'a [(Expr, Option<Expr>)],
        body: &'a [Stmt],
        is_async: bool,
    ) -> R<()> {
        let Some(((ctx, target), rest)) = items.split_first() else {
            return self.stmts(body);
        };
        self.expr(ctx)?;
        let setup = if is_async {
            self.emit(Op::BeforeAsyncWith);
            self.emit(Op::Await);
            match target {
                Some(t) => self.assign(t)?,
                None => {
                    self.emit(Op::Pop);
                }
            }
            self.emit(Op::SetupFinally(0))
        } else {
            let setup = self.emit(Op::SetupWith(0));
            match target {
                Some(t) => self.assign(t)?,
                None => {
                    self.emit(Op::Pop);
                }
            }
            setup
        };
        self.unit().fblocks.push(FBlock::With { is_async });
        if rest.is_empty() {
            self.stmts(body)?;
        } else {
            self.with(rest, body, is_async)?;
        }
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.with_exit_normal(is_async);
        let to_end = self.emit(Op::Jump(0));
        self.patch(setup);
        self.emit(Op::WithExitExc);
        if is_async {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        let resolve = self.emit(Op::WithResolve(0));
        self.patch(resolve);
        self.patch(to_end);
        Ok(())
    }

    fn try_stmt(&mut self, t: &'a Try) -> R<()> {
        if t.finalbody.is_empty() {
            return self.try_except(t);
        }
        let setup = self.emit(Op::SetupFinally(0));
        self.unit().fblocks.push(FBlock::Finally(&t.finalbody));
        if t.handlers.is_empty() {
            self.stmts(&t.body)?;
        } else {
            self.try_except(t)?;
        }
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(&t.finalbody)?;
        let to_end = self.emit(Op::Jump(0));
        self.patch(setup);
        self.unit().fblocks.push(FBlock::FinallyHandler);
        self.stmts(&t.finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Op::Reraise);
        self.patch(to_end);
        Ok(())
    }

    fn try_except(&mut self, t: &'a Try) -> R<()> {
        let setup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::TryExcept);
        self.stmts(&t.body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(&t.orelse)?;
        let mut to_end = vec![self.emit(Op::Jump(0))];
        self.patch(setup);
        for (i, h) in t.handlers.iter().enumerate() {
            self.unit().span = h.span;
            let mut next = None;
            match &h.kind {
                Some(kind) => {
                    self.emit(Op::Dup);
                    self.expr(kind)?;
                    self.emit(Op::MatchExc);
                    next = Some(self.emit(Op::PopJumpIfFalse(0)));
                }
                None if i + 1 < t.handlers.len() => {
                    return Err(SyntaxError::new(
                        ErrorKind::Syntax,
                        "default 'except:' must be last",
                        h.span,
                    ))
                }
                None => {}
            }
            match &h.name {
                Some(n) => self.store(n),
                None => {
                    self.emit(Op::Pop);
                }
            }
            self.unit().fblocks.push(FBlock::ExceptHandler);
            self.stmts(&h.body)?;
            self.unit().fblocks.pop();
            self.emit(Op::PopExcept);
            if let Some(n) = &h.name {
                self.load_const(K::None);
                self.store(n);
            }
            to_end.push(self.emit(Op::Jump(0)));
            if let Some(next) = next {
                self.patch(next);
            }
        }
        self.emit(Op::Reraise);
        for j in to_end {
            self.patch(j);
        }
        Ok(())
    }

    fn assign(&mut self, target: &'a Expr) -> R<()> {
        let saved = self.unit().span;
        self.unit().span = target.span;
        match &target.kind {
            ExprKind::Name(n) => self.store(n),
            ExprKind::Attribute(obj, attr) => {
                self.expr(obj)?;
                let i = self.name_index(attr);
                self.emit(Op::StoreAttr(i));
            }
            ExprKind::Subscript(obj, index) => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::StoreSubscr);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                match items
                    .iter()
                    .position(|i| matches!(i.kind, ExprKind::Starred(_)))
                {
                    Some(star) => {
                        let after = items.len() - star - 1;
                        self.emit(Op::UnpackEx(star as u16, after as u16));
                    }
                    None => {
                        self.emit(Op::Unpack(items.len() as u32));
                    }
                }
                for item in items {
                    match &item.kind {
                        ExprKind::Starred(inner) => self.assign(inner)?,
                        _ => self.assign(item)?,
                    }
                }
            }
            _ => return Err(refuse("assignment to this target", target.span)),
        }
        self.unit().span = saved;
        Ok(())
    }

    fn del(&mut self, target: &'a Expr) -> R<()> {
        match &target.kind {
            ExprKind::Name(n) => self.delete(n, target.span)?,
            ExprKind::Attribute(obj, attr) => {
                self.expr(obj)?;
                let i = self.name_index(attr);
                self.emit(Op::DeleteAttr(i));
            }
            ExprKind::Subscript(obj, index) => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::DeleteSubscr);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.del(i)?;
                }
            }
            _ => return Err(refuse("`del` of this", target.span)),
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &'a Expr, op: BinOp, value: &'a Expr) -> R<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                self.load(n);
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.store(n);
            }
            ExprKind::Attribute(obj, attr) => {
                self.expr(obj)?;
                self.emit(Op::Dup);
                let i = self.name_index(attr);
                self.emit(Op::LoadAttr(i));
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot2);
                self.emit(Op::StoreAttr(i));
            }
            ExprKind::Subscript(obj, index) => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::DupTwo);
                self.emit(Op::Subscr);
                self.expr(value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot3);
                self.emit(Op::StoreSubscr);
            }
            _ => return Err(refuse("augmented assignment to this target", target.span)),
        }
        Ok(())
    }

    /// Pushes a new function made from `f` (defaults evaluated here).
    fn function(&mut self, f: &'a Function, span: Span) -> R<()> {
        for d in &f.decorators {
            self.expr(d)?;
        }
        let p = &f.params;
        let mut defaults = 0;
        for param in &p.positional {
            if let Some(d) = &param.default {
                self.expr(d)?;
                defaults += 1;
            }
        }
        let mut kw_defaults = Vec::new();
        for param in &p.keyword_only {
            kw_defaults.push(param.default.is_some());
            if let Some(d) = &param.default {
                self.expr(d)?;
            }
        }
        let scope = self.table.scope_of(key(f));
        let kind = if f.is_async {
            CodeKind::Coroutine
        } else {
            CodeKind::Function
        };
        let line = line_col(self.src, span.start).line;
        self.units
            .push(Unit::new(f.name.clone(), scope, kind, line));
        self.unit().span = span;
        self.stmts(&f.body)?;
        if !matches!(self.unit().ops.last(), Some(Op::Return)) {
            self.emit_none_return();
        }
        let unit = self.units.pop().expect("the function's unit");
        let params = ParamSpec {
            positional: p.positional.len() as u32,
            positional_only: p.positional_only as u32,
            keyword_only: p.keyword_only.len() as u32,
            star: p.star.is_some(),
            double_star: p.double_star.is_some(),
        };
        let code = self.finish(unit, params, defaults, kw_defaults);
        let i = self.constant(K::Code(code));
        self.unit().span = span;
        self.emit(Op::MakeFunction(i));
        for _ in &f.decorators {
            self.emit(Op::Call(1));
        }
        Ok(())
    }

    fn class(&mut self, c: &'a Class, span: Span) -> R<()> {
        if let Some(k) = c.keywords.first() {
            return Err(refuse("class keywords (`metaclass=`)", k.value.span));
        }
        for d in &c.decorators {
            self.expr(d)?;
        }
        for b in &c.bases {
            self.expr(b)?;
        }
        let scope = self.table.scope_of(key(c));
        let line = line_col(self.src, span.start).line;
        self.units
            .push(Unit::new(c.name.clone(), scope, CodeKind::Class, line));
        self.unit().span = span;
        self.stmts(&c.body)?;
        self.emit_none_return();
        let unit = self.units.pop().expect("the class's unit");
        let code = self.finish(unit, ParamSpec::default(), 0, Vec::new());
        let i = self.constant(K::Code(code));
        self.unit().span = span;
        self.emit(Op::BuildClass(i, c.bases.len() as u32));
        for _ in &c.decorators {
            self.emit(Op::Call(1));
        }
        self.store(&c.name);
        Ok(())
    }

    // --- Expressions ----------------------------------------------------

    fn expr(&mut self, e: &'a Expr) -> R<()> {
        let saved = self.unit().span;
        self.unit().span = e.span;
        self.expr_inner(e)?;
        self.unit().span = saved;
        Ok(())
    }

    fn expr_inner(&mut self, e: &'a Expr) -> R<()> {
        match &e.kind {
            ExprKind::Name(n) => self.load(n),
            ExprKind::Const(c) => {
                let v = match c {
                    Const::None => K::None,
                    Const::Bool(b) => K::Bool(*b),
                    Const::Int(i) => K::Int(*i),
                    Const::Float(x) => K::Float(*x),
                    Const::Str(s) => K::Str(Rc::new(s.to_string())),
                    Const::Bytes(b) => K::Bytes(Rc::new(b.to_vec())),
                    Const::Ellipsis => return Err(refuse("`...` as a value", e.span)),
                };
                self.load_const(v);
            }
            ExprKind::FString(parts) => {
                let n = self.fparts(parts)?;
                if n != 1 {
                    self.emit(Op::BuildString(n));
                }
            }
            ExprKind::Attribute(v, attr) => {
                self.expr(v)?;
                let i = self.name_index(attr);
                self.emit(Op::LoadAttr(i));
            }
            ExprKind::Subscript(v, index) => {
                self.expr(v)?;
                self.expr(index)?;
                self.emit(Op::Subscr);
            }
            ExprKind::Slice(a, b, c) => {
                for part in [a, b] {
                    match part {
                        Some(x) => self.expr(x)?,
                        None => self.load_const(K::None),
                    }
                }
                match c {
                    Some(x) => {
                        self.expr(x)?;
                        self.emit(Op::BuildSlice(3));
                    }
                    None => {
                        self.emit(Op::BuildSlice(2));
                    }
                }
            }
            ExprKind::Call(f, args) => self.call(f, args)?,
            ExprKind::Binary(a, op, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.emit(Op::Binary(*op));
            }
            ExprKind::Unary(op, v) => {
                self.expr(v)?;
                self.emit(Op::Unary(*op));
            }
            ExprKind::Bool(op, values) => {
                let mut ends = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        ends.push(self.emit(match op {
                            BoolOp::And => Op::JumpIfFalseOrPop(0),
                            BoolOp::Or => Op::JumpIfTrueOrPop(0),
                        }));
                    }
                }
                for end in ends {
                    self.patch(end);
                }
            }
            ExprKind::Compare(first, rest) => {
                self.expr(first)?;
                let mut cleanups = Vec::new();
                for (i, (op, v)) in rest.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < rest.len() {
                        self.emit(Op::Dup);
                        self.emit(Op::Rot3);
                        self.emit(Op::Compare(*op));
                        cleanups.push(self.emit(Op::JumpIfFalseOrPop(0)));
                    } else {
                        self.emit(Op::Compare(*op));
                    }
                }
                if !cleanups.is_empty() {
                    let end = self.emit(Op::Jump(0));
                    for c in cleanups {
                        self.patch(c);
                    }
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    self.patch(end);
                }
            }
            ExprKind::IfExp(test, body, orelse) => {
                self.expr(test)?;
                let to_else = self.emit(Op::PopJumpIfFalse(0));
                self.expr(body)?;
                let to_end = self.emit(Op::Jump(0));
                self.patch(to_else);
                self.expr(orelse)?;
                self.patch(to_end);
            }
            ExprKind::Lambda(f) => self.function(f, e.span)?,
            ExprKind::List(items) => {
                self.display(items, Op::BuildList(items.len() as u32), false)?
            }
            ExprKind::Tuple(items) => {
                self.display(items, Op::BuildTuple(items.len() as u32), true)?
            }
            ExprKind::Set(items) => self.display(items, Op::BuildSet(items.len() as u32), false)?,
            ExprKind::Dict(entries) => {
                if entries.iter().all(|(k, _)| k.is_some()) {
                    for (k, v) in entries {
                        if let Some(k) = k {
                            self.expr(k)?;
                        }
                        self.expr(v)?;
                    }
                    self.emit(Op::BuildDict(entries.len() as u32));
                } else {
                    self.emit(Op::BuildDict(0));
                    for (k, v) in entries {
                        match k {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::DictSet(1));
                            }
                            None => {
                                self.expr(v)?;
                                self.emit(Op::DictUpdate);
                            }
                        }
                    }
                }
            }
            ExprKind::Starred(_) => return Err(refuse("a starred expression here", e.span)),
            ExprKind::Comp(kind, elt, gens) => {
                self.comprehension(e, *kind, Some(elt), None, gens)?
            }
            ExprKind::DictComp(k, v, gens) => {
                self.comprehension(e, CompKind::List, Some(k), Some(v), gens)?
            }
            ExprKind::Await(v) => {
                self.expr(v)?;
                self.emit(Op::GetAwaitable);
                self.emit(Op::Await);
            }
            ExprKind::Yield(v) => {
                self.unit().yields = true;
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(K::None),
                }
                self.emit(Op::Yield);
            }
            ExprKind::YieldFrom(v) => {
                self.unit().yields = true;
                self.expr(v)?;
                self.emit(Op::GetYieldFromIter);
                self.emit(Op::Await);
            }
            ExprKind::Walrus(name, v) => {
                self.expr(v)?;
                self.emit(Op::Dup);
                self.store(name);
            }
        }
        Ok(())
    }

    /// The parts of an f-string, each pushed as a string; how many.
    fn fparts(&mut self, parts: &'a [FPart]) -> R<u32> {
        for part in parts {
            match part {
                FPart::Text(t) => self.load_const(K::Str(Rc::new(t.to_string()))),
                FPart::Field {
                    value,
                    conversion,
                    spec,
                } => {
                    self.expr(value)?;
                    if !spec.is_empty() {
                        let n = self.fparts(spec)?;
                        if n != 1 {
                            self.emit(Op::BuildString(n));
                        }
                    }
                    let conv = conversion.map_or(0, |c| c as u8);
                    self.emit(Op::Format(conv, !spec.is_empty()));
                }
            }
        }
        Ok(parts.len() as u32)
    }

    /// A list, tuple or set display; with `*items`, built a piece at a time.
    fn display(&mut self, items: &'a [Expr], build: Op, tuple: bool) -> R<()> {
        let set = matches!(build, Op::BuildSet(_));
        if !items.iter().any(|i| matches!(i.kind, ExprKind::Starred(_))) {
            for i in items {
                self.expr(i)?;
            }
            self.emit(build);
            return Ok(());
        }
        self.emit(if set {
            Op::BuildSet(0)
        } else {
            Op::BuildList(0)
        });
        for i in items {
            match &i.kind {
                ExprKind::Starred(inner) => {
                    self.expr(inner)?;
                    self.emit(if set { Op::SetUpdate } else { Op::ListExtend });
                }
                _ => {
                    self.expr(i)?;
                    self.emit(if set {
                        Op::SetAdd(1)
                    } else {
                        Op::ListAppend(1)
                    });
                }
            }
        }
        if tuple {
            self.emit(Op::ListToTuple);
        }
        Ok(())
    }

    fn call(&mut self, f: &'a Expr, args: &'a [Arg]) -> R<()> {
        // `super()` in a method: its class and its first argument.
        if let (ExprKind::Name(n), true) = (&f.kind, args.is_empty()) {
            if &**n == "super" {
                if let Place::Deref(class_cell) = self.place(&"__class__".into()) {
                    self.emit(Op::LoadDeref(class_cell));
                    let scope = self.unit().scope;
                    let first = self.table.scopes[scope].locals.first().cloned();
                    match first {
                        Some(first) => self.load(&first),
                        None => self.load_const(K::None),
                    }
                    self.emit(Op::Super);
                    return Ok(());
                }
            }
        }
        self.expr(f)?;
        let simple = args
            .iter()
            .all(|a| matches!(a, Arg::Positional(_) | Arg::Keyword(_)));
        if simple {
            let mut names = Vec::new();
            for a in args {
                match a {
                    Arg::Positional(e) => self.expr(e)?,
                    Arg::Keyword(k) => {
                        self.expr(&k.value)?;
                        names.push(k.name.clone());
                    }
                    _ => unreachable!("only plain arguments here"),
                }
            }
            if names.is_empty() {
                self.emit(Op::Call(args.len() as u32));
            } else {
                let names = self.constant(K::Names(Rc::new(names)));
                self.emit(Op::CallKw(args.len() as u16, names as u16));
            }
            return Ok(());
        }
        self.emit(Op::BuildList(0));
        for a in args {
            match a {
                Arg::Positional(e) => {
                    self.expr(e)?;
                    self.emit(Op::ListAppend(1));
                }
                Arg::Star(e) => {
                    self.expr(e)?;
                    self.emit(Op::ListExtend);
                }
                _ => {}
            }
        }
        self.emit(Op::ListToTuple);
        let has_kw = args
            .iter()
            .any(|a| matches!(a, Arg::Keyword(_) | Arg::DoubleStar(_)));
        if has_kw {
            self.emit(Op::BuildDict(0));
            for a in args {
                match a {
                    Arg::Keyword(k) => {
                        self.load_const(K::Str(Rc::new(k.name.to_string())));
                        self.expr(&k.value)?;
                        self.emit(Op::DictSet(1));
                    }
                    Arg::DoubleStar(e) => {
                        self.expr(e)?;
                        self.emit(Op::DictUpdate);
                    }
                    _ => {}
                }
            }
        }
        self.emit(Op::CallEx(has_kw));
        Ok(())
    }

    /// A comprehension: a function of its own, called at once with the
    /// first iterable's iterator (a generator expression is that
    /// function's generator).
    fn comprehension(
        &mut self,
        e: &'a Expr,
        kind: CompKind,
        elt: Option<&'a Expr>,
        value: Option<&'a Expr>,
        gens: &'a [Comprehension],
    ) -> R<()> {
        let Some(first) = gens.first() else {
            return Err(refuse("an empty comprehension", e.span));
        };
        self.expr(&first.iter)?;
        self.emit(if first.is_async {
            Op::GetAIter
        } else {
            Op::GetIter
        });
        let scope = self.table.scope_of(key(e));
        let is_async = gens.iter().any(|g| g.is_async) || contains_await(e);
        let (name, code_kind) = match (kind, value.is_some()) {
            (_, true) => ("<dictcomp>", CodeKind::Function),
            (CompKind::List, _) => ("<listcomp>", CodeKind::Function),
            (CompKind::Set, _) => ("<setcomp>", CodeKind::Function),
            (CompKind::Generator, _) => ("<genexpr>", CodeKind::Function),
        };
        let code_kind = if is_async {
            CodeKind::Coroutine
        } else {
            code_kind
        };
        let line = line_col(self.src, e.span.start).line;
        self.units
            .push(Unit::new(name.into(), scope, code_kind, line));
        self.unit().span = e.span;
        let generator = kind == CompKind::Generator && value.is_none();
        if generator {
            self.unit().yields = true;
        } else if value.is_some() {
            self.emit(Op::BuildDict(0));
        } else if kind == CompKind::Set {
            self.emit(Op::BuildSet(0));
        } else {
            self.emit(Op::BuildList(0));
        }
        self.emit(Op::LoadFast(0));
        let mut loops = Vec::new();
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter)?;
                self.emit(if g.is_async {
                    Op::GetAIter
                } else {
                    Op::GetIter
                });
            }
            let start = self.here();
            let exit = if g.is_async {
                let setup = self.emit(Op::SetupExcept(0));
                self.emit(Op::GetANext);
                self.emit(Op::Await);
                self.emit(Op::PopBlock);
                setup
            } else {
                self.emit(Op::ForIter(0))
            };
            self.assign(&g.target)?;
            for cond in &g.ifs {
                self.expr(cond)?;
                self.emit(Op::PopJumpIfFalse(start as u32));
            }
            loops.push((start, exit, g.is_async));
        }
        let depth = gens.len() as u32 + 1;
        match (elt, value) {
            (Some(k), Some(v)) => {
                self.expr(k)?;
                self.expr(v)?;
                self.emit(Op::DictSet(depth));
            }
            (Some(x), None) => {
                self.expr(x)?;
                if generator {
                    self.emit(Op::Yield);
                    self.emit(Op::Pop);
                } else if kind == CompKind::Set {
                    self.emit(Op::SetAdd(depth));
                } else {
                    self.emit(Op::ListAppend(depth));
                }
            }
            _ => {}
        }
        for (start, exit, is_async) in loops.into_iter().rev() {
            self.emit(Op::Jump(start as u32));
            self.patch(exit);
            if is_async {
                self.emit(Op::EndAsyncFor);
            }
        }
        if generator {
            self.emit_none_return();
        } else {
            self.emit(Op::Return);
        }
        let unit = self.units.pop().expect("the comprehension's unit");
        let params = ParamSpec {
            positional: 1,
            ..ParamSpec::default()
        };
        let code = self.finish(unit, params, 0, Vec::new());
        let i = self.constant(K::Code(code));
        self.unit().span = e.span;
        self.emit(Op::MakeFunction(i));
        self.emit(Op::Rot2);
        self.emit(Op::Call(1));
        if is_async && !generator {
            self.emit(Op::GetAwaitable);
            self.emit(Op::Await);
        }
        Ok(())
    }
}

/// Whether a comprehension awaits (which makes it asynchronous).
fn contains_await(e: &Expr) -> bool {
    let in_comp = |gens: &[Comprehension], parts: &[&Expr]| {
        gens.iter()
            .enumerate()
            .any(|(i, g)| (i > 0 && expr_awaits(&g.iter)) || g.ifs.iter().any(expr_awaits))
            || parts.iter().any(|p| expr_awaits(p))
    };
    match &e.kind {
        ExprKind::Comp(_, elt, gens) => in_comp(gens, &[elt]),
        ExprKind::DictComp(k, v, gens) => in_comp(gens, &[k, v]),
        _ => false,
    }
}

fn expr_awaits(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Await(_) => true,
        ExprKind::Lambda(_) | ExprKind::Comp(..) | ExprKind::DictComp(..) => false,
        ExprKind::Name(_) | ExprKind::Const(_) => false,
        ExprKind::Attribute(v, _)
        | ExprKind::Starred(v)
        | ExprKind::Unary(_, v)
        | ExprKind::YieldFrom(v) => expr_awaits(v),
        ExprKind::Walrus(_, v) => expr_awaits(v),
        ExprKind::Yield(v) => v.as_deref().is_some_and(expr_awaits),
        ExprKind::Subscript(a, b) | ExprKind::Binary(a, _, b) => expr_awaits(a) || expr_awaits(b),
        ExprKind::Slice(a, b, c) => [a, b, c].into_iter().flatten().any(|x| expr_awaits(x)),
        ExprKind::Call(f, args) => {
            expr_awaits(f)
                || args.iter().any(|a| match a {
                    Arg::Positional(e) | Arg::Star(e) | Arg::DoubleStar(e) => expr_awaits(e),
                    Arg::Keyword(k) => expr_awaits(&k.value),
                })
        }
        ExprKind::Bool(_, vs) | ExprKind::List(vs) | ExprKind::Tuple(vs) | ExprKind::Set(vs) => {
            vs.iter().any(expr_awaits)
        }
        ExprKind::Compare(a, rest) => expr_awaits(a) || rest.iter().any(|(_, v)| expr_awaits(v)),
        ExprKind::IfExp(a, b, c) => expr_awaits(a) || expr_awaits(b) || expr_awaits(c),
        ExprKind::Dict(entries) => entries
            .iter()
            .any(|(k, v)| k.as_ref().is_some_and(expr_awaits) || expr_awaits(v)),
        ExprKind::FString(parts) => parts.iter().any(|p| match p {
            FPart::Field { value, .. } => expr_awaits(value),
            FPart::Text(_) => false,
        }),
    }
}

/// Marks each `Compare` that a `PopJumpIfFalse` follows as a
/// [`Op::CompareJump`]. The jump stays where it is: whatever else jumps to
/// it still finds it, and no target moves.
fn fuse_compare_jumps(ops: &mut [Op]) {
    for i in 1..ops.len() {
        if let (Op::Compare(op), Op::PopJumpIfFalse(to)) = (ops[i - 1], ops[i]) {
            ops[i - 1] = Op::CompareJump(op, to);
        }
    }
}
