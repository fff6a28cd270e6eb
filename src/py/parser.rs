//! Tokens to the tree: a hand-written recursive descent over Python's
//! grammar, with CPython's messages for the mistakes learners make
//! (`expected ':'`, `'await' outside async function`, `positional
//! argument follows keyword argument`), and the tour's plain refusal of
//! what its Python leaves out.
//!
//! The checks CPython makes after parsing (where `return`, `await`,
//! `yield` and `break` may stand) are made here too, so a program is
//! refused before any of it runs, as CPython refuses it.

use std::rc::Rc;

use super::ast::*;
use super::lexer::{tokenize_field, tokenize_until_error, unescape, Kw, Op, Tok, Token};
use super::syntax::{line_col, ErrorKind, SyntaxError};

/// Parses a whole file.
pub fn parse(source: &str) -> Result<Module, SyntaxError> {
    let (toks, lexed) = tokenize_until_error(source);
    let mut parser = Parser {
        src: source,
        toks,
        at: 0,
        depth: 0,
        scopes: vec![Scope::new(ScopeKind::Module)],
        later: [None, None],
        furthest: std::cell::Cell::new(0),
    };
    let mut body = Vec::new();
    let parsed = loop {
        if parser.peek() == &Tok::End {
            break Ok(());
        }
        if let Err(e) = parser.statement(&mut body) {
            break Err(e);
        }
    };
    match (parsed, lexed) {
        (Ok(()), Ok(())) => match parser.later {
            [Some(e), _] | [None, Some(e)] => Err(e),
            [None, None] => Ok(Module { body }),
        },
        (Err(e), Ok(())) => Err(e),
        (Ok(()), Err((lexer, _))) => Err(lexer),
        (Err(e), Err((lexer, found))) => {
            let furthest = parser.toks[parser.furthest.get()].span.start;
            Err(first_reported(source, e, lexer, found, furthest))
        }
    }
}

/// Which of a parse error and a tokenizer error CPython reports. Its
/// tokenizer runs a token ahead of its parser, so a parse error before
/// the tokenizer's comes first. But then CPython tokenizes the rest, and
/// an error its tokenizer raises there (an unterminated string, an
/// unmatched `)`) wins; so does a bracket never closed, if it opened on a
/// line before the furthest token the parser read. What its parser makes
/// of the tokenizer's state (broken indentation, a stray `\`) does not,
/// and nothing replaces "unexpected indent".
fn first_reported(
    source: &str,
    parse: SyntaxError,
    lexer: SyntaxError,
    found: u32,
    furthest: u32,
) -> SyntaxError {
    let line = |offset: u32| line_col(source, offset).line;
    let tokenizer_raised = lexer.kind == ErrorKind::Syntax
        && !matches!(
            lexer.msg.as_str(),
            "unexpected character after line continuation character"
                | "unexpected EOF while parsing"
        );
    if parse.span.start >= found {
        lexer
    } else if parse.msg == "unexpected indent" || !tokenizer_raised {
        parse
    } else if lexer.msg.ends_with("was never closed") {
        if line(lexer.span.start) < line(furthest) {
            lexer
        } else {
            parse
        }
    } else {
        lexer
    }
}

type R<T> = Result<T, SyntaxError>;

/// How deep expressions may nest before the tour refuses them; the
/// parser's recursion must fit the browser's stack.
const MAX_DEPTH: u32 = 100;

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Lambda,
}

/// What the statements being parsed stand in: where `return`, `await`
/// and `yield` may be, and how many loops are open.
struct Scope {
    kind: ScopeKind,
    loops: u32,
    yields: bool,
    returns_value: Option<Span>,
}

impl Scope {
    fn new(kind: ScopeKind) -> Self {
        Scope {
            kind,
            loops: 0,
            yields: false,
            returns_value: None,
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    at: usize,
    depth: u32,
    scopes: Vec<Scope>,
    /// The first mistake CPython finds only after parsing (`'return'
    /// outside function`): reported if the parse itself succeeds, as
    /// CPython's compiler reports it after its parser. Those of its
    /// symbol table (`duplicate argument`) come before its compiler's.
    later: [Option<SyntaxError>; 2],
    /// The furthest token looked at: as far as CPython's tokenizer got.
    furthest: std::cell::Cell<usize>,
}

/// The binary operators by precedence, loosest first.
fn binary_op(tok: &Tok) -> Option<(BinOp, u8)> {
    let Tok::Op(op) = tok else { return None };
    Some(match op {
        Op::BitOr => (BinOp::BitOr, 1),
        Op::BitXor => (BinOp::BitXor, 2),
        Op::BitAnd => (BinOp::BitAnd, 3),
        Op::Shl => (BinOp::LShift, 4),
        Op::Shr => (BinOp::RShift, 4),
        Op::Add => (BinOp::Add, 5),
        Op::Sub => (BinOp::Sub, 5),
        Op::Mul => (BinOp::Mul, 6),
        Op::Div => (BinOp::Div, 6),
        Op::FloorDiv => (BinOp::FloorDiv, 6),
        Op::Mod => (BinOp::Mod, 6),
        Op::At => (BinOp::MatMul, 6),
        _ => return None,
    })
}

fn augmented_op(tok: &Tok) -> Option<BinOp> {
    let Tok::Op(op) = tok else { return None };
    Some(match op {
        Op::AddEq => BinOp::Add,
        Op::SubEq => BinOp::Sub,
        Op::MulEq => BinOp::Mul,
        Op::MatMulEq => BinOp::MatMul,
        Op::DivEq => BinOp::Div,
        Op::FloorDivEq => BinOp::FloorDiv,
        Op::ModEq => BinOp::Mod,
        Op::PowEq => BinOp::Pow,
        Op::ShlEq => BinOp::LShift,
        Op::ShrEq => BinOp::RShift,
        Op::OrEq => BinOp::BitOr,
        Op::XorEq => BinOp::BitXor,
        Op::AndEq => BinOp::BitAnd,
        _ => return None,
    })
}

/// Whether a token can begin an expression (for "Perhaps you forgot a
/// comma?").
fn starts_expression(tok: &Tok) -> bool {
    matches!(
        tok,
        Tok::Name(_)
            | Tok::Int(_)
            | Tok::Refused(_)
            | Tok::Float(_)
            | Tok::Str(_)
            | Tok::Bytes(_)
            | Tok::FStr { .. }
            | Tok::Kw(Kw::True | Kw::False | Kw::None | Kw::Lambda | Kw::Await)
            | Tok::Op(
                Op::LPar | Op::LSqb | Op::LBrace | Op::Sub | Op::Add | Op::Tilde | Op::Ellipsis
            )
    )
}

/// What CPython calls an expression that cannot be assigned to.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Call(..) => "function call",
        ExprKind::Const(Const::None) => "None",
        ExprKind::Const(Const::Bool(true)) => "True",
        ExprKind::Const(Const::Bool(false)) => "False",
        ExprKind::Const(Const::Ellipsis) => "ellipsis",
        ExprKind::Const(_) => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Compare(..) => "comparison",
        ExprKind::IfExp(..) => "conditional expression",
        ExprKind::Lambda(_) => "lambda",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::Comp(CompKind::List, ..) => "list comprehension",
        ExprKind::Comp(CompKind::Set, ..) => "set comprehension",
        ExprKind::Comp(CompKind::Generator, ..) => "generator expression",
        ExprKind::DictComp(..) => "dict comprehension",
        ExprKind::Await(_) => "await expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Walrus(..) => "named expression",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Starred(_) => "starred",
        ExprKind::Attribute(..) => "attribute",
        ExprKind::Subscript(..) => "subscript",
        ExprKind::Name(_) => "name",
        _ => "expression",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `a = ...`, the whole left side or inside a tuple.
    Assign,
    /// An element of a list display on the left of `=`.
    AssignInList,
    /// `for a in`, `with ... as a`, a comprehension's `for`.
    Bind,
    /// `del a`.
    Delete,
}

impl<'a> Parser<'a> {
    // --- Tokens ---------------------------------------------------------

    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        let at = (self.at + ahead).min(self.toks.len() - 1);
        self.furthest.set(self.furthest.get().max(at));
        &self.toks[at].tok
    }

    /// The current token's span; at the end of the source, where the last
    /// token ended (CPython's line for a block that never came).
    fn here_or_last(&self) -> Span {
        match self.peek() {
            Tok::End => Span {
                start: self.prev_end(),
                end: self.prev_end(),
            },
            _ => self.span(),
        }
    }

    fn span(&self) -> Span {
        self.toks[self.at.min(self.toks.len() - 1)].span
    }

    /// Where the previous token ended: an expression's end.
    fn prev_end(&self) -> u32 {
        self.toks[..self.at.min(self.toks.len())]
            .iter()
            .rev()
            .find(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent | Tok::End))
            .map_or(0, |t| t.span.end)
    }

    fn since(&self, start: Span) -> Span {
        Span {
            start: start.start,
            end: self.prev_end().max(start.start),
        }
    }

    fn bump(&mut self) -> Token {
        let token = self.toks[self.at.min(self.toks.len() - 1)].clone();
        if self.at < self.toks.len() - 1 {
            self.at += 1;
        }
        token
    }

    fn is_op(&self, op: Op) -> bool {
        self.peek() == &Tok::Op(op)
    }

    fn is_kw(&self, kw: Kw) -> bool {
        self.peek() == &Tok::Kw(kw)
    }

    fn eat_op(&mut self, op: Op) -> bool {
        let here = self.is_op(op);
        if here {
            self.bump();
        }
        here
    }

    fn eat_kw(&mut self, kw: Kw) -> bool {
        let here = self.is_kw(kw);
        if here {
            self.bump();
        }
        here
    }

    fn error_at(&self, msg: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError::new(ErrorKind::Syntax, msg, span)
    }

    /// "invalid syntax" at the current token.
    fn invalid(&self) -> SyntaxError {
        self.error_at("invalid syntax", self.span())
    }

    fn expect_op(&mut self, op: Op) -> R<Span> {
        if self.is_op(op) {
            Ok(self.bump().span)
        } else {
            Err(self.invalid())
        }
    }

    fn expect_kw(&mut self, kw: Kw) -> R<Span> {
        if self.is_kw(kw) {
            Ok(self.bump().span)
        } else {
            Err(self.invalid())
        }
    }

    fn name(&mut self) -> R<(Name, Span)> {
        match self.peek().clone() {
            Tok::Name(name) => Ok((name, self.bump().span)),
            _ => Err(self.invalid()),
        }
    }

    fn line_of(&self, span: Span) -> u32 {
        line_col(self.src, span.start).line
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes
            .last_mut()
            .expect("the module's scope stays open")
    }

    /// Keeps a mistake CPython's compiler finds (`symbols`: its symbol
    /// table) for after the parse.
    fn later(&mut self, symbols: bool, msg: impl Into<String>, span: Span) {
        let slot = &mut self.later[usize::from(!symbols)];
        if slot.is_none() {
            *slot = Some(SyntaxError::new(ErrorKind::Syntax, msg, span));
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new(
                ErrorKind::Unsupported,
                "the tour's Python cannot nest expressions this deeply",
                self.span(),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // --- Statements -----------------------------------------------------

    fn statement(&mut self, out: &mut Vec<Stmt>) -> R<()> {
        match self.peek() {
            Tok::Indent => Err(SyntaxError::new(
                ErrorKind::Indentation,
                "unexpected indent",
                self.span(),
            )),
            Tok::Kw(
                Kw::If | Kw::While | Kw::For | Kw::Try | Kw::With | Kw::Def | Kw::Class | Kw::Async,
            )
            | Tok::Op(Op::At) => {
                let stmt = self.compound()?;
                out.push(stmt);
                Ok(())
            }
            _ => {
                let first = self.at;
                self.simple_statements(out)
                    .map_err(|e| self.explain(first, e))
            }
        }
    }

    /// A better message for a simple statement that failed: `print x`
    /// and a `match` statement.
    fn explain(&self, first: usize, e: SyntaxError) -> SyntaxError {
        let start = self.toks[first].span;
        match (
            &self.toks[first].tok,
            &self.toks.get(first + 1).map(|t| &t.tok),
        ) {
            (Tok::Name(n), Some(next))
                if &**n == "print" && starts_expression(next) && !matches!(next, Tok::Op(_)) =>
            {
                let mut end = first;
                while !matches!(self.toks[end + 1].tok, Tok::Newline | Tok::End) {
                    end += 1;
                }
                self.error_at(
                    "Missing parentheses in call to 'print'. Did you mean print(...)?",
                    start.to(self.toks[end].span),
                )
            }
            (Tok::Name(n), Some(next))
                if &**n == "match" && e.kind == ErrorKind::Syntax && starts_expression(next) =>
            {
                SyntaxError::new(
                    ErrorKind::Unsupported,
                    "the tour's Python has no `match` statement",
                    start,
                )
            }
            _ => e,
        }
    }

    fn simple_statements(&mut self, out: &mut Vec<Stmt>) -> R<()> {
        loop {
            let stmt = self.simple()?;
            out.push(stmt);
            if !self.eat_op(Op::Semi) || matches!(self.peek(), Tok::Newline) {
                break;
            }
        }
        match self.peek() {
            Tok::Newline => {
                self.bump();
                Ok(())
            }
            Tok::End => Ok(()),
            _ => Err(self.invalid()),
        }
    }

    fn simple(&mut self) -> R<Stmt> {
        let start = self.span();
        let kind = match self.peek() {
            Tok::Kw(Kw::Pass) => {
                self.bump();
                StmtKind::Pass
            }
            Tok::Kw(Kw::Break) => {
                self.bump();
                if self.scope().loops == 0 {
                    self.later(false, "'break' outside loop", start);
                }
                StmtKind::Break
            }
            Tok::Kw(Kw::Continue) => {
                self.bump();
                if self.scope().loops == 0 {
                    self.later(false, "'continue' not properly in loop", start);
                }
                StmtKind::Continue
            }
            Tok::Kw(Kw::Return) => {
                self.bump();
                let value = if matches!(self.peek(), Tok::Newline | Tok::End | Tok::Op(Op::Semi)) {
                    None
                } else {
                    Some(self.star_expressions()?)
                };
                if let Some(Expr {
                    kind: ExprKind::Starred(_),
                    span,
                }) = value
                {
                    return Err(self.error_at("can't use starred expression here", span));
                }
                let span = self.since(start);
                let scope = self.scope();
                if !matches!(scope.kind, ScopeKind::Function { .. }) {
                    self.later(false, "'return' outside function", span);
                } else if value.is_some() && scope.returns_value.is_none() {
                    scope.returns_value = Some(span);
                }
                StmtKind::Return(value)
            }
            Tok::Kw(Kw::Raise) => {
                self.bump();
                let mut exc = None;
                let mut cause = None;
                if !matches!(self.peek(), Tok::Newline | Tok::End | Tok::Op(Op::Semi)) {
                    exc = Some(self.expression()?);
                    if self.eat_kw(Kw::From) {
                        cause = Some(self.expression()?);
                    }
                }
                StmtKind::Raise(exc, cause)
            }
            Tok::Kw(Kw::Global | Kw::Nonlocal) => {
                let global = self.bump().tok == Tok::Kw(Kw::Global);
                let mut names = vec![self.name()?.0];
                while self.eat_op(Op::Comma) {
                    names.push(self.name()?.0);
                }
                if global {
                    StmtKind::Global(names)
                } else {
                    if self.scope().kind == ScopeKind::Module {
                        let span = self.since(start);
                        self.later(
                            true,
                            "nonlocal declaration not allowed at module level",
                            span,
                        );
                    }
                    StmtKind::Nonlocal(names)
                }
            }
            Tok::Kw(Kw::Del) => {
                self.bump();
                let targets = self.target_list()?;
                let targets = match targets.kind {
                    ExprKind::Tuple(items)
                        if !self.src[targets.span.start as usize..].starts_with('(') =>
                    {
                        items
                    }
                    _ => vec![targets],
                };
                for t in &targets {
                    self.check_target(t, Target::Delete)?;
                }
                StmtKind::Delete(targets)
            }
            Tok::Kw(Kw::Assert) => {
                self.bump();
                let test = self.expression()?;
                let msg = if self.eat_op(Op::Comma) {
                    Some(self.expression()?)
                } else {
                    None
                };
                StmtKind::Assert(test, msg)
            }
            Tok::Kw(Kw::Import) => {
                self.bump();
                let mut names = vec![self.alias(true)?];
                while self.eat_op(Op::Comma) {
                    names.push(self.alias(true)?);
                }
                StmtKind::Import(names)
            }
            Tok::Kw(Kw::From) => self.import_from(start)?,
            _ => return self.assignment(start),
        };
        Ok(Stmt {
            span: self.since(start),
            kind,
        })
    }

    /// `a.b.c as d` (dotted) in `import`, or `c as d` in `from ... import`.
    fn alias(&mut self, dotted: bool) -> R<Alias> {
        let (mut name, span) = self.name()?;
        if dotted {
            let mut full = name.to_string();
            while self.eat_op(Op::Dot) {
                full.push('.');
                full.push_str(&self.name()?.0);
            }
            name = full.into();
        }
        let asname = if self.eat_kw(Kw::As) {
            Some(self.name()?.0)
        } else {
            None
        };
        Ok(Alias {
            name,
            asname,
            span: self.since(span),
        })
    }

    fn import_from(&mut self, start: Span) -> R<StmtKind> {
        self.bump();
        let mut level = 0;
        loop {
            if self.eat_op(Op::Dot) {
                level += 1;
            } else if self.eat_op(Op::Ellipsis) {
                level += 3;
            } else {
                break;
            }
        }
        let module = if level == 0 || !self.is_kw(Kw::Import) {
            Some(self.alias(true)?.name)
        } else {
            None
        };
        self.expect_kw(Kw::Import)?;
        let star = self.span();
        let names = if self.eat_op(Op::Mul) {
            if self.scope().kind != ScopeKind::Module {
                self.later(true, "import * only allowed at module level", star);
            }
            vec![Alias {
                name: "*".into(),
                asname: None,
                span: star,
            }]
        } else {
            let parens = self.eat_op(Op::LPar);
            let mut names = vec![self.alias(false)?];
            while self.eat_op(Op::Comma) {
                if parens && self.is_op(Op::RPar) {
                    break;
                }
                names.push(self.alias(false)?);
            }
            if parens {
                self.expect_op(Op::RPar)?;
            }
            names
        };
        let _ = start;
        Ok(StmtKind::ImportFrom {
            module,
            names,
            level,
        })
    }

    /// An expression statement, an assignment (`a = b = c`, `a += 1`,
    /// `a: int = 1`).
    fn assignment(&mut self, start: Span) -> R<Stmt> {
        let first = self.star_expressions_or_yield()?;
        let kind = if self.is_op(Op::Assign) {
            let mut exprs = vec![first];
            while self.eat_op(Op::Assign) {
                exprs.push(self.star_expressions_or_yield()?);
            }
            let value = exprs.pop().expect("an assignment has a value");
            if let ExprKind::Starred(_) = value.kind {
                return Err(self.error_at("can't use starred expression here", value.span));
            }
            for target in &exprs {
                if matches!(target.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) {
                    return Err(
                        self.error_at("assignment to yield expression not possible", target.span)
                    );
                }
                if let ExprKind::Starred(_) = target.kind {
                    return Err(self.error_at(
                        "starred assignment target must be in a list or tuple",
                        target.span,
                    ));
                }
                self.check_target(target, Target::Assign)?;
            }
            StmtKind::Assign(exprs, value)
        } else if let Some(op) = augmented_op(self.peek()) {
            if !matches!(
                first.kind,
                ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..)
            ) {
                return Err(self.error_at(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        describe(&first)
                    ),
                    first.span,
                ));
            }
            self.bump();
            let value = self.star_expressions_or_yield()?;
            StmtKind::AugAssign(first, op, value)
        } else if self.is_op(Op::Colon) {
            // An annotation: read and dropped.
            self.bump();
            self.expression()?;
            match first.kind {
                ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => {}
                ExprKind::Tuple(_) | ExprKind::List(_) => {
                    let msg = format!(
                        "only single target (not {}) can be annotated",
                        describe(&first)
                    );
                    return Err(self.error_at(msg, first.span));
                }
                _ => return Err(self.error_at("illegal target for annotation", first.span)),
            }
            if self.eat_op(Op::Assign) {
                let value = self.star_expressions_or_yield()?;
                StmtKind::Assign(vec![first], value)
            } else {
                StmtKind::Pass
            }
        } else if let ExprKind::Starred(_) = first.kind {
            return Err(self.error_at("can't use starred expression here", first.span));
        } else {
            StmtKind::Expr(first)
        };
        Ok(Stmt {
            span: self.since(start),
            kind,
        })
    }

    /// Checks that `e` can be assigned to (or deleted).
    fn check_target(&self, e: &Expr, how: Target) -> R<()> {
        let verb = if how == Target::Delete {
            "delete"
        } else {
            "assign to"
        };
        match &e.kind {
            ExprKind::Name(name) if &**name == "__debug__" => {
                Err(self.error_at(format!("cannot {verb} __debug__"), e.span))
            }
            ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => Ok(()),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                // CPython's "Maybe you meant '=='" is only for targets
                // outside brackets.
                let inner = match (&e.kind, how) {
                    (ExprKind::List(_), Target::Assign) => Target::AssignInList,
                    (_, Target::Assign) if self.in_brackets(e) => Target::AssignInList,
                    _ => how,
                };
                let stars = items
                    .iter()
                    .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                    .count();
                if stars > 1 && how != Target::Delete {
                    return Err(self.error_at("multiple starred expressions in assignment", e.span));
                }
                items.iter().try_for_each(|i| self.check_target(i, inner))
            }
            ExprKind::Starred(inner) if how != Target::Delete => self.check_target(inner, how),
            ExprKind::Const(Const::None | Const::Bool(_)) => {
                Err(self.error_at(format!("cannot {verb} {}", describe(e)), e.span))
            }
            _ => {
                let here = if how == Target::Assign && !self.in_brackets(e) {
                    " here. Maybe you meant '==' instead of '='?"
                } else {
                    ""
                };
                Err(self.error_at(format!("cannot {verb} {}{here}", describe(e)), e.span))
            }
        }
    }

    /// Whether the source of `e` starts with a bracket: `(a, b)`.
    fn in_brackets(&self, e: &Expr) -> bool {
        self.src.as_bytes().get(e.span.start as usize) == Some(&b'(')
    }

    fn compound(&mut self) -> R<Stmt> {
        let start = self.span();
        let kind = match self.peek() {
            Tok::Kw(Kw::If) => {
                self.bump();
                self.if_rest(start)?
            }
            Tok::Kw(Kw::While) => {
                self.bump();
                let test = self.named_expression()?;
                self.scope().loops += 1;
                let body = self.block("'while' statement", start);
                self.scope().loops -= 1;
                let body = body?;
                let orelse = self.else_block()?;
                StmtKind::While(test, body, orelse)
            }
            Tok::Kw(Kw::For) => self.for_rest(start, false)?,
            Tok::Kw(Kw::Try) => self.try_rest(start)?,
            Tok::Kw(Kw::With) => self.with_rest(start, false)?,
            Tok::Kw(Kw::Def) => StmtKind::Def(self.def_rest(start, false, Vec::new())?),
            Tok::Kw(Kw::Class) => StmtKind::Class(self.class_rest(start, Vec::new())?),
            Tok::Kw(Kw::Async) => {
                self.bump();
                match self.peek() {
                    Tok::Kw(Kw::Def) => StmtKind::Def(self.def_rest(start, true, Vec::new())?),
                    Tok::Kw(Kw::For) => self.for_rest(start, true)?,
                    Tok::Kw(Kw::With) => self.with_rest(start, true)?,
                    _ => return Err(self.invalid()),
                }
            }
            _ => {
                // Decorators, then a def or a class.
                let mut decorators = Vec::new();
                while self.eat_op(Op::At) {
                    decorators.push(self.named_expression()?);
                    if !matches!(self.bump().tok, Tok::Newline) {
                        return Err(self.error_at("invalid syntax", self.toks[self.at - 1].span));
                    }
                }
                // CPython's position for a decorated def is its `def` line.
                let start = self.span();
                let kind = match self.peek() {
                    Tok::Kw(Kw::Def) => StmtKind::Def(self.def_rest(start, false, decorators)?),
                    Tok::Kw(Kw::Class) => StmtKind::Class(self.class_rest(start, decorators)?),
                    Tok::Kw(Kw::Async) if self.peek_at(1) == &Tok::Kw(Kw::Def) => {
                        self.bump();
                        StmtKind::Def(self.def_rest(start, true, decorators)?)
                    }
                    _ => return Err(self.invalid()),
                };
                return Ok(Stmt {
                    span: self.since(start),
                    kind,
                });
            }
        };
        Ok(Stmt {
            span: self.since(start),
            kind,
        })
    }

    /// The `:` that opens a block, then the block: an indented suite, or
    /// simple statements on the same line. `what` names the statement for
    /// CPython's "expected an indented block after ...".
    fn block(&mut self, what: &str, start: Span) -> R<Vec<Stmt>> {
        if !self.is_op(Op::Colon) {
            let at = self.span();
            // CPython insists on the colon after a def's `)`, `try`, `else`
            // and `finally`; elsewhere only before the line's end.
            let forced = [
                "function definition",
                "'try' statement",
                "'else' statement",
                "'finally' statement",
            ]
            .contains(&what);
            return Err(match self.peek() {
                _ if forced => self.error_at("expected ':'", at),
                Tok::Newline => self.error_at("expected ':'", at),
                Tok::Op(Op::Assign)
                    if what.contains("'if'")
                        || what.contains("'elif'")
                        || what.contains("'while'") =>
                {
                    self.error_at(
                        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                        at,
                    )
                }
                _ => self.invalid(),
            });
        }
        self.bump();
        let mut body = Vec::new();
        if matches!(self.peek(), Tok::Newline) {
            self.bump();
            if !matches!(self.peek(), Tok::Indent) {
                let line = self.line_of(start);
                return Err(SyntaxError::new(
                    ErrorKind::Indentation,
                    format!("expected an indented block after {what} on line {line}"),
                    self.here_or_last(),
                ));
            }
            self.bump();
            while !matches!(self.peek(), Tok::Dedent | Tok::End) {
                self.statement(&mut body)?;
            }
            self.bump();
        } else {
            self.simple_statements(&mut body)?;
        }
        Ok(body)
    }

    fn else_block(&mut self) -> R<Vec<Stmt>> {
        let at = self.span();
        if self.eat_kw(Kw::Else) {
            self.block("'else' statement", at)
        } else {
            Ok(Vec::new())
        }
    }

    fn if_rest(&mut self, start: Span) -> R<StmtKind> {
        let what = if self.toks[self.at - 1].tok == Tok::Kw(Kw::If) {
            "'if' statement"
        } else {
            "'elif' statement"
        };
        let test = self.named_expression()?;
        let body = self.block(what, start)?;
        let at = self.span();
        let orelse = if self.eat_kw(Kw::Elif) {
            let kind = self.if_rest(at)?;
            vec![Stmt {
                span: self.since(at),
                kind,
            }]
        } else {
            self.else_block()?
        };
        Ok(StmtKind::If(test, body, orelse))
    }

    fn for_rest(&mut self, start: Span, is_async: bool) -> R<StmtKind> {
        self.expect_kw(Kw::For)?;
        if is_async {
            self.check_async("'async for' outside async function", start);
        }
        let target = self.target_list()?;
        self.check_target(&target, Target::Bind)?;
        self.expect_kw(Kw::In)?;
        let iter = self.star_expressions()?;
        self.scope().loops += 1;
        let body = self.block("'for' statement", start);
        self.scope().loops -= 1;
        let body = body?;
        let orelse = self.else_block()?;
        Ok(StmtKind::For(Box::new(For {
            target,
            iter,
            body,
            orelse,
            is_async,
        })))
    }

    /// `async for`, `async with` and async comprehensions need an async
    /// function around them.
    fn check_async(&mut self, msg: &str, start: Span) {
        if !matches!(self.scope().kind, ScopeKind::Function { is_async: true }) {
            let span = start.to(self.span());
            self.later(false, msg, span);
        }
    }

    fn try_rest(&mut self, start: Span) -> R<StmtKind> {
        self.bump();
        let body = self.block("'try' statement", start)?;
        let mut handlers = Vec::new();
        while self.is_kw(Kw::Except) {
            let at = self.bump().span;
            if self.is_op(Op::Mul) {
                return Err(SyntaxError::new(
                    ErrorKind::Unsupported,
                    "the tour's Python has no `except*`",
                    at.to(self.span()),
                ));
            }
            let mut kind = None;
            let mut name = None;
            if !self.is_op(Op::Colon) {
                let first = self.expression()?;
                kind = Some(if self.is_op(Op::Comma) {
                    return Err(
                        self.error_at("multiple exception types must be parenthesized", first.span)
                    );
                } else {
                    first
                });
                if self.eat_kw(Kw::As) {
                    name = Some(self.name()?.0);
                }
            }
            let body = self.block("'except' statement", at)?;
            handlers.push(Handler {
                kind,
                name,
                body,
                span: self.since(at),
            });
        }
        let orelse = if handlers.is_empty() {
            Vec::new()
        } else {
            self.else_block()?
        };
        let at = self.span();
        let finalbody = if self.eat_kw(Kw::Finally) {
            self.block("'finally' statement", at)?
        } else {
            Vec::new()
        };
        if handlers.is_empty()
            && finalbody.is_empty()
            && !self.toks[self.at - 1].tok.eq(&Tok::Kw(Kw::Finally))
        {
            let at = self.here_or_last();
            return Err(self.error_at("expected 'except' or 'finally' block", at));
        }
        Ok(StmtKind::Try(Box::new(Try {
            body,
            handlers,
            orelse,
            finalbody,
        })))
    }

    fn with_rest(&mut self, start: Span, is_async: bool) -> R<StmtKind> {
        self.expect_kw(Kw::With)?;
        if is_async {
            self.check_async("'async with' outside async function", start);
        }
        // `with (a as b, c):` first; if that is not it, `with (a).b as c:`.
        let save = self.at;
        let items = match self.parenthesized_with_items() {
            Ok(items) => items,
            Err(_) => {
                self.at = save;
                self.with_items()?
            }
        };
        let body = self.block("'with' statement", start)?;
        Ok(StmtKind::With(Box::new(With {
            items,
            body,
            is_async,
        })))
    }

    fn parenthesized_with_items(&mut self) -> R<Vec<(Expr, Option<Expr>)>> {
        self.expect_op(Op::LPar)?;
        let mut items = Vec::new();
        while !self.is_op(Op::RPar) {
            items.push(self.with_item()?);
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        self.expect_op(Op::RPar)?;
        if items.is_empty() || !self.is_op(Op::Colon) {
            return Err(self.invalid());
        }
        Ok(items)
    }

    fn with_items(&mut self) -> R<Vec<(Expr, Option<Expr>)>> {
        let mut items = vec![self.with_item()?];
        while self.eat_op(Op::Comma) {
            items.push(self.with_item()?);
        }
        Ok(items)
    }

    fn with_item(&mut self) -> R<(Expr, Option<Expr>)> {
        let value = self.expression()?;
        let target = if self.eat_kw(Kw::As) {
            let target = self.target()?;
            self.check_target(&target, Target::Bind)?;
            Some(target)
        } else {
            None
        };
        Ok((value, target))
    }

    fn def_rest(&mut self, start: Span, is_async: bool, decorators: Vec<Expr>) -> R<Rc<Function>> {
        self.expect_kw(Kw::Def)?;
        let (name, _) = self.name()?;
        if !self.eat_op(Op::LPar) {
            return Err(self.error_at("expected '('", self.span()));
        }
        let params = self.params(Op::RPar, true)?;
        self.expect_op(Op::RPar)?;
        if self.eat_op(Op::Arrow) {
            self.expression()?;
        }
        let header = self.since(start);
        self.scopes
            .push(Scope::new(ScopeKind::Function { is_async }));
        let depth = self.depth;
        self.depth = 0;
        let body = self.block("function definition", start);
        self.depth = depth;
        let scope = self.scopes.pop().expect("the function's scope was pushed");
        let body = body?;
        if is_async && scope.yields {
            if let Some(span) = scope.returns_value {
                self.later(false, "'return' with value in async generator", span);
            }
        }
        Ok(Rc::new(Function {
            name,
            params,
            body,
            is_async,
            decorators,
            span: header,
        }))
    }

    fn class_rest(&mut self, start: Span, decorators: Vec<Expr>) -> R<Rc<Class>> {
        self.expect_kw(Kw::Class)?;
        let (name, _) = self.name()?;
        let mut bases = Vec::new();
        let mut keywords = Vec::new();
        if self.is_op(Op::LPar) {
            self.bump();
            for arg in self.call_args()? {
                match arg {
                    Arg::Positional(e) => bases.push(e),
                    Arg::Keyword(k) => keywords.push(k),
                    Arg::Star(e) | Arg::DoubleStar(e) => {
                        return Err(SyntaxError::new(
                            ErrorKind::Unsupported,
                            "the tour's Python has no unpacking in a class's bases",
                            e.span,
                        ))
                    }
                }
            }
        }
        self.scopes.push(Scope::new(ScopeKind::Class));
        let body = self.block("class definition", start);
        self.scopes.pop();
        Ok(Rc::new(Class {
            name,
            bases,
            keywords,
            body: body?,
            decorators,
        }))
    }

    /// Parameters up to `close` (`)` for a def, `:` for a lambda).
    fn params(&mut self, close: Op, annotated: bool) -> R<Params> {
        let mut params = Params::default();
        let mut seen: Vec<Name> = Vec::new();
        let mut star = false;
        let mut bare_star = None;
        let mut default_seen = false;
        while !self.is_op(close) {
            let at = self.span();
            if self.eat_op(Op::Div) {
                if params.positional_only > 0 {
                    return Err(self.error_at("/ may appear only once", at));
                }
                if star || params.positional.is_empty() {
                    return Err(self.error_at("invalid syntax", at));
                }
                params.positional_only = params.positional.len();
            } else if self.eat_op(Op::Pow) {
                let (name, span) = self.name()?;
                self.annotation(annotated)?;
                self.unique(&mut seen, &name, span);
                params.double_star = Some(name);
                self.eat_op(Op::Comma);
                if matches!(
                    self.peek(),
                    Tok::Name(_) | Tok::Op(Op::Mul | Op::Pow | Op::Div)
                ) {
                    let at = self.span();
                    return Err(self.error_at("arguments cannot follow var-keyword argument", at));
                }
                if !self.is_op(close) {
                    return Err(self.invalid());
                }
                break;
            } else if self.eat_op(Op::Mul) {
                if star {
                    return Err(self.error_at("* argument may appear only once", at));
                }
                star = true;
                if let Tok::Name(_) = self.peek() {
                    let (name, span) = self.name()?;
                    self.annotation(annotated)?;
                    self.unique(&mut seen, &name, span);
                    params.star = Some(name);
                } else {
                    bare_star = Some(at);
                }
            } else {
                let (name, span) = self.name()?;
                self.annotation(annotated)?;
                self.unique(&mut seen, &name, span);
                let default = if self.eat_op(Op::Assign) {
                    Some(self.expression()?)
                } else {
                    None
                };
                let span = self.since(span);
                if star {
                    params.keyword_only.push(Param {
                        name,
                        default,
                        span,
                    });
                } else {
                    if default.is_some() {
                        default_seen = true;
                    } else if default_seen {
                        return Err(
                            self.error_at("non-default argument follows default argument", span)
                        );
                    }
                    params.positional.push(Param {
                        name,
                        default,
                        span,
                    });
                }
            }
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        if let Some(at) = bare_star {
            if params.keyword_only.is_empty() {
                return Err(self.error_at("named arguments must follow bare *", at.to(self.span())));
            }
        }
        if !self.is_op(close) {
            return Err(self.invalid());
        }
        Ok(params)
    }

    fn annotation(&mut self, annotated: bool) -> R<()> {
        if annotated && self.eat_op(Op::Colon) {
            self.expression()?;
        }
        Ok(())
    }

    fn unique(&mut self, seen: &mut Vec<Name>, name: &Name, span: Span) {
        if seen.contains(name) {
            let msg = format!("duplicate argument '{name}' in function definition");
            self.later(true, msg, span);
        }
        seen.push(name.clone());
    }

    // --- Expressions ----------------------------------------------------

    /// `a, *b, c` with no brackets: a tuple if there is a comma.
    fn star_expressions(&mut self) -> R<Expr> {
        self.tuple_of(Self::star_expression, |p| {
            starts_expression(p.peek()) || p.is_op(Op::Mul) || p.is_kw(Kw::Not)
        })
    }

    /// One `item`, or a tuple of them if a comma follows: after each comma
    /// another comes while `more` says so (a trailing comma is allowed).
    fn tuple_of(&mut self, item: fn(&mut Self) -> R<Expr>, more: fn(&Self) -> bool) -> R<Expr> {
        let start = self.span();
        let first = item(self)?;
        if !self.is_op(Op::Comma) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(Op::Comma) && more(self) {
            items.push(item(self)?);
        }
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Tuple(items),
        })
    }

    fn star_expressions_or_yield(&mut self) -> R<Expr> {
        if self.is_kw(Kw::Yield) {
            self.yield_expression()
        } else {
            self.star_expressions()
        }
    }

    fn star_expression(&mut self) -> R<Expr> {
        if self.is_op(Op::Mul) {
            let start = self.bump().span;
            let value = self.binary(1)?;
            Ok(Expr {
                span: self.since(start),
                kind: ExprKind::Starred(Box::new(value)),
            })
        } else {
            self.expression()
        }
    }

    /// A star or a named expression: an item of a display.
    fn star_named_expression(&mut self) -> R<Expr> {
        if self.is_op(Op::Mul) {
            self.star_expression()
        } else {
            self.named_expression()
        }
    }

    fn named_expression(&mut self) -> R<Expr> {
        let start = self.span();
        if let (Tok::Name(name), Tok::Op(Op::Walrus)) = (self.peek().clone(), self.peek_at(1)) {
            self.bump();
            self.bump();
            let value = self.expression()?;
            return Ok(Expr {
                span: self.since(start),
                kind: ExprKind::Walrus(name, Box::new(value)),
            });
        }
        let e = self.expression()?;
        if self.is_op(Op::Walrus) {
            return Err(self.error_at(
                format!("cannot use assignment expressions with {}", describe(&e)),
                e.span,
            ));
        }
        Ok(e)
    }

    fn expression(&mut self) -> R<Expr> {
        self.enter()?;
        let e = self.expression_inner();
        self.leave();
        e
    }

    fn expression_inner(&mut self) -> R<Expr> {
        let start = self.span();
        if self.is_kw(Kw::Lambda) {
            return self.lambda();
        }
        let body = self.disjunction()?;
        if !self.is_kw(Kw::If) {
            return Ok(body);
        }
        self.bump();
        let test = self.disjunction()?;
        if !self.eat_kw(Kw::Else) {
            let span = self.since(start);
            return Err(self.error_at("expected 'else' after 'if' expression", span));
        }
        let orelse = self.expression()?;
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::IfExp(Box::new(test), Box::new(body), Box::new(orelse)),
        })
    }

    fn lambda(&mut self) -> R<Expr> {
        let start = self.bump().span;
        let params = self.params(Op::Colon, false)?;
        self.expect_op(Op::Colon)?;
        self.scopes.push(Scope::new(ScopeKind::Lambda));
        let body = self.expression();
        self.scopes.pop();
        let body = body?;
        let span = self.since(start);
        Ok(Expr {
            span,
            kind: ExprKind::Lambda(Rc::new(Function {
                name: "<lambda>".into(),
                params,
                body: vec![Stmt {
                    span: body.span,
                    kind: StmtKind::Return(Some(body)),
                }],
                is_async: false,
                decorators: Vec::new(),
                span,
            })),
        })
    }

    fn disjunction(&mut self) -> R<Expr> {
        self.bool_op(Kw::Or)
    }

    /// `a or b or c` (`kw` is `or`), each operand `a and b` (`kw` is `and`).
    fn bool_op(&mut self, kw: Kw) -> R<Expr> {
        let start = self.span();
        let operand = |p: &mut Self| {
            if kw == Kw::Or {
                p.bool_op(Kw::And)
            } else {
                p.inversion()
            }
        };
        let first = operand(self)?;
        if !self.is_kw(kw) {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw(kw) {
            values.push(operand(self)?);
        }
        let op = if kw == Kw::Or {
            BoolOp::Or
        } else {
            BoolOp::And
        };
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Bool(op, values),
        })
    }

    fn inversion(&mut self) -> R<Expr> {
        if !self.is_kw(Kw::Not) {
            return self.comparison();
        }
        let start = self.bump().span;
        self.enter()?;
        let operand = self.inversion();
        self.leave();
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Unary(UnaryOp::Not, Box::new(operand?)),
        })
    }

    fn comparison(&mut self) -> R<Expr> {
        let start = self.span();
        let first = self.binary(1)?;
        let mut ops = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::Op(Op::EqEq) => CmpOp::Eq,
                Tok::Op(Op::Ne) => CmpOp::NotEq,
                Tok::Op(Op::Lt) => CmpOp::Lt,
                Tok::Op(Op::Le) => CmpOp::LtE,
                Tok::Op(Op::Gt) => CmpOp::Gt,
                Tok::Op(Op::Ge) => CmpOp::GtE,
                Tok::Kw(Kw::In) => CmpOp::In,
                Tok::Kw(Kw::Is) if self.peek_at(1) == &Tok::Kw(Kw::Not) => {
                    self.bump();
                    CmpOp::IsNot
                }
                Tok::Kw(Kw::Is) => CmpOp::Is,
                Tok::Kw(Kw::Not) if self.peek_at(1) == &Tok::Kw(Kw::In) => {
                    self.bump();
                    CmpOp::NotIn
                }
                _ => break,
            };
            self.bump();
            ops.push((op, self.binary(1)?));
        }
        if ops.is_empty() {
            return Ok(first);
        }
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Compare(Box::new(first), ops),
        })
    }

    /// Binary operators from precedence `min` up (`|` is 1, `*` is 6).
    fn binary(&mut self, min: u8) -> R<Expr> {
        let start = self.span();
        let mut left = self.factor()?;
        while let Some((op, prec)) = binary_op(self.peek()) {
            if prec < min {
                break;
            }
            self.bump();
            let right = self.binary(prec + 1)?;
            left = Expr {
                span: self.since(start),
                kind: ExprKind::Binary(Box::new(left), op, Box::new(right)),
            };
        }
        Ok(left)
    }

    fn factor(&mut self) -> R<Expr> {
        let op = match self.peek() {
            Tok::Op(Op::Sub) => UnaryOp::Neg,
            Tok::Op(Op::Add) => UnaryOp::Pos,
            Tok::Op(Op::Tilde) => UnaryOp::Invert,
            _ => return self.power(),
        };
        let start = self.bump().span;
        self.enter()?;
        let operand = self.factor();
        self.leave();
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Unary(op, Box::new(operand?)),
        })
    }

    fn power(&mut self) -> R<Expr> {
        let start = self.span();
        let base = self.await_primary()?;
        if !self.eat_op(Op::Pow) {
            return Ok(base);
        }
        self.enter()?;
        let exponent = self.factor();
        self.leave();
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Binary(Box::new(base), BinOp::Pow, Box::new(exponent?)),
        })
    }

    fn await_primary(&mut self) -> R<Expr> {
        if !self.is_kw(Kw::Await) {
            return self.primary();
        }
        let start = self.bump().span;
        let value = self.primary()?;
        let span = self.since(start);
        match self.scope().kind {
            ScopeKind::Function { is_async: true } => {}
            ScopeKind::Module | ScopeKind::Class => {
                self.later(false, "'await' outside function", span)
            }
            _ => self.later(false, "'await' outside async function", span),
        }
        Ok(Expr {
            span,
            kind: ExprKind::Await(Box::new(value)),
        })
    }

    fn yield_expression(&mut self) -> R<Expr> {
        let start = self.bump().span;
        let kind = if self.eat_kw(Kw::From) {
            let value = self.expression()?;
            if matches!(self.scope().kind, ScopeKind::Function { is_async: true }) {
                let span = self.since(start);
                self.later(false, "'yield from' inside async function", span);
            }
            ExprKind::YieldFrom(Box::new(value))
        } else if matches!(
            self.peek(),
            Tok::Newline | Tok::End | Tok::Op(Op::RPar | Op::Assign | Op::Semi)
        ) {
            ExprKind::Yield(None)
        } else {
            ExprKind::Yield(Some(Box::new(self.star_expressions()?)))
        };
        let span = self.since(start);
        let scope = self.scope();
        if matches!(scope.kind, ScopeKind::Module | ScopeKind::Class) {
            self.later(false, "'yield' outside function", span);
        } else {
            scope.yields = true;
        }
        Ok(Expr { span, kind })
    }

    fn primary(&mut self) -> R<Expr> {
        let start = self.span();
        let mut e = self.atom()?;
        loop {
            let kind = match self.peek() {
                Tok::Op(Op::Dot) => {
                    self.bump();
                    let (name, _) = self.name()?;
                    ExprKind::Attribute(Box::new(e), name)
                }
                Tok::Op(Op::LPar) => {
                    self.bump();
                    let args = self.call_args()?;
                    ExprKind::Call(Box::new(e), args)
                }
                Tok::Op(Op::LSqb) => {
                    self.bump();
                    let index = self.slices()?;
                    self.close(Op::RSqb, &index)?;
                    ExprKind::Subscript(Box::new(e), Box::new(index))
                }
                _ => return Ok(e),
            };
            e = Expr {
                span: self.since(start),
                kind,
            };
        }
    }

    /// The closing bracket after an item; CPython's "Perhaps you forgot a
    /// comma?" when another expression stands there instead.
    fn close(&mut self, op: Op, last: &Expr) -> R<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.not_closed(last))
        }
    }

    fn not_closed(&mut self, last: &Expr) -> SyntaxError {
        if !starts_expression(self.peek()) {
            return self.invalid();
        }
        let span = last.span.to(self.span());
        // CPython reads the expression that should have had a comma
        // before it, and looks at the token after: so far its tokenizer
        // got (which decides whether an open bracket is reported).
        let at = self.at;
        if self.expression().is_ok() {
            self.peek();
        }
        self.at = at;
        self.error_at("invalid syntax. Perhaps you forgot a comma?", span)
    }

    /// A call's arguments, after its `(` and up to its `)`, checked in
    /// CPython's order.
    fn call_args(&mut self) -> R<Vec<Arg>> {
        let open = self.toks[self.at - 1].span;
        let mut args: Vec<Arg> = Vec::new();
        let (mut keyword, mut double_star) = (false, false);
        while !self.is_op(Op::RPar) {
            let start = self.span();
            let arg = if self.eat_op(Op::Mul) {
                if double_star {
                    return Err(self.error_at(
                        "iterable argument unpacking follows keyword argument unpacking",
                        start,
                    ));
                }
                Arg::Star(self.expression()?)
            } else if self.eat_op(Op::Pow) {
                double_star = true;
                Arg::DoubleStar(self.expression()?)
            } else if self.peek_at(1) == &Tok::Op(Op::Assign)
                && matches!(
                    self.peek(),
                    Tok::Name(_) | Tok::Kw(Kw::True | Kw::False | Kw::None)
                )
            {
                let name = match self.bump().tok {
                    Tok::Name(name) => name,
                    Tok::Kw(kw) => {
                        return Err(self.error_at(
                            format!("cannot assign to {}", kw.text()),
                            start.to(self.span()),
                        ))
                    }
                    _ => unreachable!("matched a name or a keyword"),
                };
                self.bump();
                keyword = true;
                Arg::Keyword(Keyword {
                    name,
                    value: self.expression()?,
                })
            } else {
                let value = self.named_expression()?;
                if self.is_kw(Kw::For) || self.is_kw(Kw::Async) {
                    let mut generator = self.comprehension(CompKind::Generator, value, start)?;
                    if !args.is_empty() || !self.is_op(Op::RPar) {
                        let span = generator.span;
                        return Err(
                            self.error_at("Generator expression must be parenthesized", span)
                        );
                    }
                    // The call's brackets are the generator's (CPython's span).
                    generator.span = open.to(self.span());
                    Arg::Positional(generator)
                } else {
                    if double_star {
                        return Err(self.error_at(
                            "positional argument follows keyword argument unpacking",
                            value.span,
                        ));
                    }
                    if keyword {
                        return Err(self
                            .error_at("positional argument follows keyword argument", value.span));
                    }
                    Arg::Positional(value)
                }
            };
            args.push(arg);
            if !self.eat_op(Op::Comma) {
                if !self.is_op(Op::RPar) {
                    let last = match args.last() {
                        Some(Arg::Positional(e) | Arg::Star(e) | Arg::DoubleStar(e)) => e,
                        Some(Arg::Keyword(k)) => &k.value,
                        None => unreachable!("an argument was just pushed"),
                    };
                    return Err(self.not_closed(last));
                }
                break;
            }
        }
        self.expect_op(Op::RPar)?;
        Ok(args)
    }

    /// What is inside `[...]` after a value: an index, a slice, or a tuple
    /// of them.
    fn slices(&mut self) -> R<Expr> {
        self.tuple_of(Self::slice, |p| !p.is_op(Op::RSqb))
    }

    fn slice(&mut self) -> R<Expr> {
        let start = self.span();
        let lower = if self.is_op(Op::Colon) {
            None
        } else {
            let e = self.named_expression()?;
            if !self.is_op(Op::Colon) {
                return Ok(e);
            }
            Some(Box::new(e))
        };
        self.expect_op(Op::Colon)?;
        let part = |p: &mut Self| -> R<Option<Box<Expr>>> {
            if matches!(p.peek(), Tok::Op(Op::Colon | Op::RSqb | Op::Comma)) {
                Ok(None)
            } else {
                Ok(Some(Box::new(p.expression()?)))
            }
        };
        let upper = part(self)?;
        let step = if self.eat_op(Op::Colon) {
            part(self)?
        } else {
            None
        };
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Slice(lower, upper, step),
        })
    }

    fn atom(&mut self) -> R<Expr> {
        let start = self.span();
        let kind = match self.peek().clone() {
            Tok::Name(name) => {
                self.bump();
                ExprKind::Name(name)
            }
            Tok::Int(i) => {
                self.bump();
                ExprKind::Const(Const::Int(i))
            }
            Tok::Float(x) => {
                self.bump();
                ExprKind::Const(Const::Float(x))
            }
            Tok::Kw(Kw::True) | Tok::Kw(Kw::False) => {
                let value = self.bump().tok == Tok::Kw(Kw::True);
                ExprKind::Const(Const::Bool(value))
            }
            Tok::Kw(Kw::None) => {
                self.bump();
                ExprKind::Const(Const::None)
            }
            Tok::Op(Op::Ellipsis) => {
                self.bump();
                ExprKind::Const(Const::Ellipsis)
            }
            Tok::Str(_) | Tok::Bytes(_) | Tok::FStr { .. } => return self.strings(),
            Tok::Refused(why) => {
                return Err(SyntaxError::new(ErrorKind::Unsupported, why, start));
            }
            Tok::Op(Op::LPar) => return self.parenthesized(),
            Tok::Op(Op::LSqb) => {
                self.bump();
                if self.eat_op(Op::RSqb) {
                    ExprKind::List(Vec::new())
                } else {
                    let first = self.star_named_expression()?;
                    if self.is_kw(Kw::For) || self.is_kw(Kw::Async) {
                        let comp = self.comprehension(CompKind::List, first, start)?;
                        self.close(Op::RSqb, &comp)?;
                        return Ok(Expr {
                            span: self.since(start),
                            kind: comp.kind,
                        });
                    }
                    ExprKind::List(self.items(first, Op::RSqb)?)
                }
            }
            Tok::Op(Op::LBrace) => return self.braces(),
            Tok::Kw(Kw::Yield) => return Err(self.invalid()),
            _ => return Err(self.invalid()),
        };
        Ok(Expr {
            span: self.since(start),
            kind,
        })
    }

    /// The rest of a display after its first item, up to and with `close`.
    fn items(&mut self, first: Expr, close: Op) -> R<Vec<Expr>> {
        let mut items = vec![first];
        loop {
            if self.eat_op(Op::Comma) {
                if self.is_op(close) {
                    self.bump();
                    break;
                }
                items.push(self.star_named_expression()?);
            } else {
                let last = items.last().expect("a display has its first item");
                self.close(close, last)?;
                break;
            }
        }
        Ok(items)
    }

    fn parenthesized(&mut self) -> R<Expr> {
        let start = self.bump().span;
        if self.eat_op(Op::RPar) {
            return Ok(Expr {
                span: self.since(start),
                kind: ExprKind::Tuple(Vec::new()),
            });
        }
        if self.is_kw(Kw::Yield) {
            let e = self.yield_expression()?;
            self.expect_op(Op::RPar)?;
            return Ok(e);
        }
        let first = self.star_named_expression()?;
        if self.is_kw(Kw::For) || self.is_kw(Kw::Async) {
            let comp = self.comprehension(CompKind::Generator, first, start)?;
            self.close(Op::RPar, &comp)?;
            return Ok(Expr {
                span: self.since(start),
                kind: comp.kind,
            });
        }
        if self.is_op(Op::Comma) {
            let items = self.items(first, Op::RPar)?;
            return Ok(Expr {
                span: self.since(start),
                kind: ExprKind::Tuple(items),
            });
        }
        self.close(Op::RPar, &first)?;
        if let ExprKind::Starred(_) = first.kind {
            return Err(self.error_at("can't use starred expression here", first.span));
        }
        Ok(first)
    }

    fn braces(&mut self) -> R<Expr> {
        let start = self.bump().span;
        if self.eat_op(Op::RBrace) {
            return Ok(Expr {
                span: self.since(start),
                kind: ExprKind::Dict(Vec::new()),
            });
        }
        let first_key = if self.eat_op(Op::Pow) {
            None
        } else {
            Some(self.star_named_expression()?)
        };
        let Some(first) = first_key else {
            return self.dict_rest(start, None);
        };
        if self.eat_op(Op::Colon) {
            let value = self.expression()?;
            if self.is_kw(Kw::For) || self.is_kw(Kw::Async) {
                let generators = self.comp_clauses()?;
                self.close(Op::RBrace, &value)?;
                return Ok(Expr {
                    span: self.since(start),
                    kind: ExprKind::DictComp(Box::new(first), Box::new(value), generators),
                });
            }
            return self.dict_rest(start, Some((first, value)));
        }
        if self.is_kw(Kw::For) || self.is_kw(Kw::Async) {
            let comp = self.comprehension(CompKind::Set, first, start)?;
            self.close(Op::RBrace, &comp)?;
            return Ok(Expr {
                span: self.since(start),
                kind: comp.kind,
            });
        }
        let items = self.items(first, Op::RBrace)?;
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Set(items),
        })
    }

    /// A dict display after its `{`: `first` is its first entry, read
    /// already, or `None` when it opens with `**`.
    fn dict_rest(&mut self, start: Span, first: Option<(Expr, Expr)>) -> R<Expr> {
        let mut entries = Vec::new();
        match first {
            Some((k, v)) => entries.push((Some(k), v)),
            None => entries.push((None, self.binary(1)?)),
        }
        loop {
            if !self.eat_op(Op::Comma) {
                let last = &entries.last().expect("a dict has its first entry").1;
                self.close(Op::RBrace, last)?;
                break;
            }
            if self.eat_op(Op::RBrace) {
                break;
            }
            if self.eat_op(Op::Pow) {
                entries.push((None, self.binary(1)?));
                continue;
            }
            let key = self.expression()?;
            if !self.eat_op(Op::Colon) {
                return Err(self.error_at("':' expected after dictionary key", key.span));
            }
            entries.push((Some(key), self.expression()?));
        }
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Dict(entries),
        })
    }

    fn comprehension(&mut self, kind: CompKind, elt: Expr, start: Span) -> R<Expr> {
        if let ExprKind::Starred(_) = elt.kind {
            let what = match kind {
                CompKind::Generator => "generator expression",
                _ => "comprehension",
            };
            return Err(self.error_at(
                format!("iterable unpacking cannot be used in {what}"),
                elt.span,
            ));
        }
        let generators = self.comp_clauses()?;
        if kind != CompKind::Generator && generators.iter().any(|g| g.is_async) {
            self.check_async(
                "asynchronous comprehension outside of an asynchronous function",
                start,
            );
        }
        Ok(Expr {
            span: self.since(start),
            kind: ExprKind::Comp(kind, Box::new(elt), generators),
        })
    }

    fn comp_clauses(&mut self) -> R<Vec<Comprehension>> {
        let mut generators = Vec::new();
        while self.is_kw(Kw::For) || (self.is_kw(Kw::Async) && self.peek_at(1) == &Tok::Kw(Kw::For))
        {
            let is_async = self.eat_kw(Kw::Async);
            self.bump();
            let target = self.target_list()?;
            self.check_target(&target, Target::Bind)?;
            self.expect_kw(Kw::In)?;
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_kw(Kw::If) {
                ifs.push(self.disjunction()?);
            }
            generators.push(Comprehension {
                target,
                iter,
                ifs,
                is_async,
            });
        }
        if generators.is_empty() {
            return Err(self.invalid());
        }
        Ok(generators)
    }

    /// One target: `a`, `a.b`, `a[0]`, `*a`, `(a, b)`.
    fn target(&mut self) -> R<Expr> {
        if self.is_op(Op::Mul) {
            self.star_expression()
        } else {
            self.binary(1)
        }
    }

    /// Targets separated by commas (`for a, b in`): a tuple if more than one.
    fn target_list(&mut self) -> R<Expr> {
        self.tuple_of(Self::target, |p| {
            !(p.is_kw(Kw::In) || p.is_op(Op::Assign) || matches!(p.peek(), Tok::Newline | Tok::End))
        })
    }

    // --- Strings ------------------------------------------------------------

    /// Adjacent literals, joined: `"a" "b"` is `"ab"`; with an f-string
    /// among them, the whole is an f-string.
    fn strings(&mut self) -> R<Expr> {
        let start = self.span();
        let mut parts: Vec<FPart> = Vec::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut text = String::new();
        let mut fstring = false;
        let mut first = true;
        loop {
            let token = self.peek().clone();
            let is_bytes = matches!(token, Tok::Bytes(_));
            match token {
                Tok::Str(_) | Tok::Bytes(_) | Tok::FStr { .. } => {}
                _ => break,
            }
            if !first && is_bytes != bytes.is_some() {
                return Err(self.error_at("cannot mix bytes and nonbytes literals", self.span()));
            }
            first = false;
            let span = self.bump().span;
            match token {
                Tok::Str(s) => text.push_str(&s),
                Tok::Bytes(b) => bytes.get_or_insert_with(Vec::new).extend_from_slice(&b),
                Tok::FStr { raw, inner } => {
                    fstring = true;
                    flush(&mut text, &mut parts);
                    let mut at = inner.start as usize;
                    self.fstring_parts(raw, &mut at, inner.end as usize, false, &mut parts)
                        .map_err(|mut e| {
                            if e.span == Span::default() {
                                e.span = span;
                            }
                            e
                        })?;
                }
                _ => unreachable!("only literals get here"),
            }
        }
        let kind = if let Some(b) = bytes {
            ExprKind::Const(Const::Bytes(b.into()))
        } else if fstring {
            flush(&mut text, &mut parts);
            ExprKind::FString(merge_texts(parts))
        } else {
            ExprKind::Const(Const::Str(text.into()))
        };
        Ok(Expr {
            span: self.since(start),
            kind,
        })
    }

    /// An f-string's text and fields from `*at` to `end`; inside a format
    /// spec (`in_spec`), up to its closing `}`, which is left unread.
    fn fstring_parts(
        &mut self,
        raw: bool,
        at: &mut usize,
        end: usize,
        in_spec: bool,
        parts: &mut Vec<FPart>,
    ) -> R<()> {
        self.enter()?;
        let result = self.fstring_parts_inner(raw, at, end, in_spec, parts);
        self.leave();
        result
    }

    fn fstring_parts_inner(
        &mut self,
        raw: bool,
        at: &mut usize,
        end: usize,
        in_spec: bool,
        parts: &mut Vec<FPart>,
    ) -> R<()> {
        let src = self.src;
        let mut literal_start = *at;
        let mut text = String::new();
        let decode = |piece: &str, text: &mut String| -> R<()> {
            if raw {
                text.push_str(piece);
            } else {
                text.push_str(&unescape(piece, false)?);
            }
            Ok(())
        };
        while *at < end {
            let rest = &src[*at..end];
            if rest.starts_with("{{") || rest.starts_with("}}") {
                decode(&src[literal_start..*at], &mut text)?;
                text.push(rest.as_bytes()[0] as char);
                *at += 2;
                literal_start = *at;
            } else if rest.starts_with('{') {
                decode(&src[literal_start..*at], &mut text)?;
                *at += 1;
                self.fstring_field(raw, at, end, &mut text, parts)?;
                literal_start = *at;
            } else if rest.starts_with('}') {
                if in_spec {
                    break;
                }
                return Err(fstring_error("single '}' is not allowed", *at));
            } else {
                *at += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
        if in_spec && *at >= end {
            return Err(fstring_error("expecting '}'", end));
        }
        decode(&src[literal_start..*at], &mut text)?;
        flush(&mut text, parts);
        Ok(())
    }

    /// One `{value!r:spec}` field, from just after its `{` to just after
    /// its `}`. `text` is the literal before it, for `{x=}`'s text.
    fn fstring_field(
        &mut self,
        raw: bool,
        at: &mut usize,
        end: usize,
        text: &mut String,
        parts: &mut Vec<FPart>,
    ) -> R<()> {
        let src = self.src;
        // Find where the expression ends: at `}`, `!`, `:` or `=` outside
        // brackets and quotes.
        let start = *at;
        let bytes = src.as_bytes();
        let mut depth = 0u32;
        let mut quote: Option<u8> = None;
        let mut debug = false;
        while *at < end {
            let b = bytes[*at];
            let next = bytes.get(*at + 1).copied().filter(|_| *at + 1 < end);
            if let Some(q) = quote {
                if b == q {
                    quote = None;
                }
            } else {
                match b {
                    b'\'' | b'"' => quote = Some(b),
                    b'\\' => {
                        return Err(SyntaxError::new(
                            ErrorKind::Syntax,
                            "f-string expression part cannot include a backslash",
                            Span {
                                start: *at as u32,
                                end: *at as u32 + 1,
                            },
                        ))
                    }
                    b'#' => return Err(fstring_error("expression part cannot include '#'", *at)),
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' if depth > 0 => depth -= 1,
                    b'}' => break,
                    b'!' if depth == 0 && next != Some(b'=') => break,
                    b':' if depth == 0 => break,
                    b'=' if depth == 0
                        && next != Some(b'=')
                        && !matches!(bytes[*at - 1], b'=' | b'!' | b'<' | b'>') =>
                    {
                        debug = true;
                        break;
                    }
                    _ => {}
                }
            }
            *at += 1;
        }
        if *at >= end {
            return Err(fstring_error("expecting '}'", end));
        }
        let expr_text = &src[start..*at];
        if expr_text.trim().is_empty() {
            return Err(fstring_error("empty expression not allowed", *at));
        }
        let value = self.field_expression(Span {
            start: start as u32,
            end: *at as u32,
        })?;
        let mut conversion = None;
        if debug {
            *at += 1;
            text.push_str(expr_text);
            text.push('=');
            // Whitespace after the `=` is kept too.
            let after = src[*at..end].len() - src[*at..end].trim_start().len();
            text.push_str(&src[*at..*at + after]);
            *at += after;
        }
        flush(text, parts);
        if src[*at..end].starts_with('!') {
            *at += 1;
            match src[*at..end].chars().next() {
                Some(c @ ('r' | 's' | 'a')) => {
                    conversion = Some(c);
                    *at += 1;
                }
                None => return Err(fstring_error("expecting '}'", *at)),
                Some(_) => {
                    return Err(fstring_error(
                        "invalid conversion character: expected 's', 'r', or 'a'",
                        *at + 1,
                    ))
                }
            }
        }
        let mut spec = Vec::new();
        if src[*at..end].starts_with(':') {
            *at += 1;
            self.fstring_parts(raw, at, end, true, &mut spec)?;
        }
        if !src[*at..end].starts_with('}') {
            return Err(fstring_error("expecting '}'", *at));
        }
        *at += 1;
        if debug && conversion.is_none() && spec.is_empty() {
            conversion = Some('r');
        }
        parts.push(FPart::Field {
            value,
            conversion,
            spec,
        });
        Ok(())
    }

    /// Parses an f-string field's expression, in the scope around it.
    fn field_expression(&mut self, span: Span) -> R<Expr> {
        let toks = tokenize_field(self.src, span)?;
        let saved = std::mem::replace(&mut self.toks, toks);
        let saved_at = std::mem::replace(&mut self.at, 0);
        let saved_furthest = self.furthest.replace(0);
        let result = self.star_expressions_or_yield().and_then(|e| {
            if !matches!(self.peek(), Tok::End) {
                Err(self.not_closed(&e))
            } else if let ExprKind::Starred(_) = e.kind {
                // `{*a}` alone (a tuple, `{*a,}`, is fine).
                Err(fstring_error(
                    "cannot use starred expression here",
                    e.span.start as usize,
                ))
            } else {
                Ok(e)
            }
        });
        // CPython says where the mistake is: in an f-string.
        let result = result.map_err(|mut e| {
            if e.kind == ErrorKind::Syntax && !e.msg.starts_with("f-string") {
                e.msg = format!("f-string: {}", e.msg);
            }
            e
        });
        self.toks = saved;
        self.at = saved_at;
        self.furthest.set(saved_furthest);
        result
    }
}

/// CPython's words for a mistake in an f-string, at byte `at`.
fn fstring_error(msg: &str, at: usize) -> SyntaxError {
    SyntaxError::new(
        ErrorKind::Syntax,
        format!("f-string: {msg}"),
        Span {
            start: at as u32,
            end: at as u32 + 1,
        },
    )
}

/// Moves text gathered so far into `parts`, unless there is none.
fn flush(text: &mut String, parts: &mut Vec<FPart>) {
    if !text.is_empty() {
        parts.push(FPart::Text(std::mem::take(text).into()));
    }
}

/// Joins neighbouring texts (`f"a" "b"`).
fn merge_texts(parts: Vec<FPart>) -> Vec<FPart> {
    let mut out: Vec<FPart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (out.last_mut(), part) {
            (Some(FPart::Text(a)), FPart::Text(b)) => *a = format!("{a}{b}").into(),
            (_, part) => out.push(part),
        }
    }
    out
}
