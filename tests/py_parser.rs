//! The tour's Python parser, judged by CPython on the host: every lesson's
//! Python and every program of `tests/python/` must parse to the tree
//! CPython's `ast` builds (`tests/python/ast_shape.py` prints it), every
//! mistake of `syntax_errors.txt` must get CPython's message on CPython's
//! line, every program of `refused.txt` must be refused by name, and no
//! input at all may make the parser panic.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use async_tour::lessons;
use async_tour::py::ast::*;
use async_tour::py::syntax::{line_col, ErrorKind};
use async_tour::py::{parse, SyntaxError};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The programs CPython judges: each lesson's listing and the corpus.
fn programs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = lessons::ALL
        .iter()
        .map(|l| root().join(format!("src/lessons/text/{}.py", l.file())))
        .collect();
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(root().join("tests/python"))
        .expect("tests/python is readable")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py") && !p.ends_with("ast_shape.py"))
        .collect();
    corpus.sort();
    files.extend(corpus);
    files
}

fn python(args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write as _;
    let mut child = Command::new("python3")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (CPython judges the tour's Python)");
    let input = stdin.unwrap_or("").to_string();
    let mut pipe = child.stdin.take().expect("a stdin pipe");
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python3 finishes");
    writer
        .join()
        .expect("the writer thread ends")
        .expect("python3 reads its input");
    assert!(
        out.status.success(),
        "python3 {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("python3 prints UTF-8")
}

// --- The tour's tree, printed as ast_shape.py prints CPython's ----------

struct Shape<'a> {
    src: &'a str,
    out: String,
}

impl Shape<'_> {
    fn pos(&mut self, span: Span) {
        let at = |offset: u32| {
            let lc = line_col(self.src, offset);
            let line_start = self.src[..offset as usize].rfind('\n').map_or(0, |i| i + 1);
            (lc.line, offset as usize - line_start)
        };
        let (l1, c1) = at(span.start);
        let (l2, c2) = at(span.end);
        write!(self.out, " {l1}:{c1}-{l2}:{c2}").expect("a String takes writes");
    }

    fn open(&mut self, kind: &str, span: Option<Span>) {
        self.out.push('(');
        self.out.push_str(kind);
        if let Some(span) = span {
            self.pos(span);
        }
    }

    fn word(&mut self, w: &str) {
        self.out.push(' ');
        self.out.push_str(w);
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.out.push_str(" [");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            let before = self.out.len();
            each(self, item);
            // Each item wrote a leading space: drop it.
            if self.out[before..].starts_with(' ') {
                self.out.remove(before);
            }
        }
        self.out.push(']');
    }

    fn stmts(&mut self, body: &[Stmt]) {
        self.list(body, |s, st| s.stmt(st));
    }

    fn exprs(&mut self, items: &[Expr]) {
        self.list(items, |s, e| s.expr(e, false));
    }

    fn opt(&mut self, e: Option<&Expr>) {
        match e {
            Some(e) => self.expr(e, false),
            None => self.word("-"),
        }
    }

    fn names(&mut self, names: &[Name]) {
        self.list(names, |s, n| s.word(n));
    }

    fn params(&mut self, p: &Params) {
        self.out.push_str(" (params");
        let (only, rest) = p.positional.split_at(p.positional_only);
        let names = |ps: &[Param]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        self.names(&names(only));
        self.names(&names(rest));
        let defaults: Vec<&Expr> = p
            .positional
            .iter()
            .filter_map(|p| p.default.as_ref())
            .collect();
        self.list(&defaults, |s, e| s.expr(e, false));
        self.word(p.star.as_deref().unwrap_or("-"));
        self.names(&names(&p.keyword_only));
        let kw: Vec<Option<&Expr>> = p.keyword_only.iter().map(|p| p.default.as_ref()).collect();
        self.list(&kw, |s, e| s.opt(*e));
        self.word(p.double_star.as_deref().unwrap_or("-"));
        self.out.push(')');
    }

    fn stmt(&mut self, st: &Stmt) {
        let span = Some(st.span);
        self.out.push(' ');
        match &st.kind {
            StmtKind::Expr(e) => {
                self.open("Expr", span);
                self.expr(e, false);
            }
            StmtKind::Assign(targets, value) => {
                self.open("Assign", span);
                self.exprs(targets);
                self.expr(value, false);
            }
            StmtKind::AugAssign(t, op, v) => {
                self.open("AugAssign", span);
                self.expr(t, false);
                self.word(binop(*op));
                self.expr(v, false);
            }
            StmtKind::Def(f) => {
                self.open(
                    if f.is_async {
                        "AsyncFunctionDef"
                    } else {
                        "FunctionDef"
                    },
                    span,
                );
                self.word(&f.name);
                self.params(&f.params);
                self.stmts(&f.body);
                self.exprs(&f.decorators);
            }
            StmtKind::Class(c) => {
                self.open("ClassDef", span);
                self.word(&c.name);
                self.exprs(&c.bases);
                self.list(&c.keywords, |s, k| s.keyword(Some(&k.name), &k.value));
                self.stmts(&c.body);
                self.exprs(&c.decorators);
            }
            StmtKind::Return(v) => {
                self.open("Return", span);
                self.opt(v.as_ref());
            }
            StmtKind::Delete(ts) => {
                self.open("Delete", span);
                self.exprs(ts);
            }
            StmtKind::Pass => self.open("Pass", span),
            StmtKind::Break => self.open("Break", span),
            StmtKind::Continue => self.open("Continue", span),
            StmtKind::If(test, body, orelse) | StmtKind::While(test, body, orelse) => {
                let kind = if matches!(st.kind, StmtKind::If(..)) {
                    "If"
                } else {
                    "While"
                };
                self.open(kind, span);
                self.expr(test, false);
                self.stmts(body);
                self.stmts(orelse);
            }
            StmtKind::For(f) => {
                self.open(if f.is_async { "AsyncFor" } else { "For" }, span);
                self.expr(&f.target, false);
                self.expr(&f.iter, false);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            StmtKind::With(w) => {
                self.open(if w.is_async { "AsyncWith" } else { "With" }, span);
                self.list(&w.items, |s, (e, t)| {
                    s.out.push_str(" (");
                    let before = s.out.len();
                    s.expr(e, false);
                    s.out.remove(before);
                    s.opt(t.as_ref());
                    s.out.push(')');
                });
                self.stmts(&w.body);
            }
            StmtKind::Try(t) => {
                self.open("Try", span);
                self.stmts(&t.body);
                self.list(&t.handlers, |s, h| {
                    s.out.push(' ');
                    s.open("ExceptHandler", Some(h.span));
                    s.opt(h.kind.as_ref());
                    s.word(h.name.as_deref().unwrap_or("-"));
                    s.stmts(&h.body);
                    s.out.push(')');
                });
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            StmtKind::Raise(exc, cause) => {
                self.open("Raise", span);
                self.opt(exc.as_ref());
                self.opt(cause.as_ref());
            }
            StmtKind::Assert(test, msg) => {
                self.open("Assert", span);
                self.expr(test, false);
                self.opt(msg.as_ref());
            }
            StmtKind::Import(names) => {
                self.open("Import", span);
                self.aliases(names);
            }
            StmtKind::ImportFrom {
                module,
                names,
                level,
            } => {
                self.open("ImportFrom", span);
                self.word(module.as_deref().unwrap_or("-"));
                self.aliases(names);
                self.word(&level.to_string());
            }
            StmtKind::Global(names) => {
                self.open("Global", span);
                self.names(names);
            }
            StmtKind::Nonlocal(names) => {
                self.open("Nonlocal", span);
                self.names(names);
            }
        }
        self.out.push(')');
    }

    fn aliases(&mut self, names: &[Alias]) {
        self.list(names, |s, a| {
            write!(
                s.out,
                " (alias {} {})",
                a.name,
                a.asname.as_deref().unwrap_or("-")
            )
            .expect("a String takes writes");
        });
    }

    fn keyword(&mut self, name: Option<&str>, value: &Expr) {
        write!(self.out, " (keyword {}", name.unwrap_or("-")).expect("a String takes writes");
        self.expr(value, false);
        self.out.push(')');
    }

    fn comps(&mut self, gens: &[Comprehension]) {
        self.list(gens, |s, g| {
            s.out.push_str(" (for");
            s.expr(&g.target, false);
            s.expr(&g.iter, false);
            s.exprs(&g.ifs);
            s.word(if g.is_async { "1" } else { "0" });
            s.out.push(')');
        });
    }

    fn fparts(&mut self, parts: &[FPart]) {
        self.list(parts, |s, p| match p {
            FPart::Text(t) => {
                write!(s.out, " (Constant str {})", hex(t.as_bytes())).expect("writes");
            }
            FPart::Field {
                value,
                conversion,
                spec,
            } => {
                s.out.push_str(" (FormattedValue");
                s.expr(value, false);
                s.word(&conversion.map_or("-".to_string(), String::from));
                if spec.is_empty() {
                    s.word("-");
                } else {
                    s.out.push_str(" (JoinedStr");
                    s.fparts(spec);
                    s.out.push(')');
                }
                s.out.push(')');
            }
        });
    }

    fn expr(&mut self, e: &Expr, _in_fstring: bool) {
        let span = Some(e.span);
        self.out.push(' ');
        match &e.kind {
            ExprKind::Name(n) => {
                self.open("Name", span);
                self.word(n);
            }
            ExprKind::Const(c) => {
                self.open("Constant", span);
                let text = match c {
                    Const::None => "None".to_string(),
                    Const::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                    Const::Int(i) => format!("int {i}"),
                    Const::Float(x) => format!("float {}", x.to_bits()),
                    Const::Str(s) => format!("str {}", hex(s.as_bytes())),
                    Const::Bytes(b) => format!("bytes {}", hex(b)),
                    Const::Ellipsis => "Ellipsis".to_string(),
                };
                self.word(&text);
            }
            ExprKind::FString(parts) => {
                self.open("JoinedStr", span);
                self.fparts(parts);
            }
            ExprKind::Attribute(v, attr) => {
                self.open("Attribute", span);
                self.expr(v, false);
                self.word(attr);
            }
            ExprKind::Subscript(v, index) => {
                self.open("Subscript", span);
                self.expr(v, false);
                self.expr(index, false);
            }
            ExprKind::Slice(a, b, c) => {
                self.open("Slice", span);
                self.opt(a.as_deref());
                self.opt(b.as_deref());
                self.opt(c.as_deref());
            }
            ExprKind::Call(f, args) => {
                self.open("Call", span);
                self.expr(f, false);
                let positional: Vec<&Arg> = args
                    .iter()
                    .filter(|a| matches!(a, Arg::Positional(_) | Arg::Star(_)))
                    .collect();
                self.list(&positional, |s, a| match a {
                    Arg::Positional(e) => s.expr(e, false),
                    Arg::Star(e) => {
                        s.out.push(' ');
                        s.open("Starred", Some(star_span(s.src, e.span)));
                        s.expr(e, false);
                        s.out.push(')');
                    }
                    _ => unreachable!("filtered"),
                });
                let keywords: Vec<&Arg> = args
                    .iter()
                    .filter(|a| matches!(a, Arg::Keyword(_) | Arg::DoubleStar(_)))
                    .collect();
                self.list(&keywords, |s, a| match a {
                    Arg::Keyword(k) => s.keyword(Some(&k.name), &k.value),
                    Arg::DoubleStar(e) => s.keyword(None, e),
                    _ => unreachable!("filtered"),
                });
            }
            ExprKind::Binary(l, op, r) => {
                self.open("BinOp", span);
                self.expr(l, false);
                self.word(binop(*op));
                self.expr(r, false);
            }
            ExprKind::Unary(op, v) => {
                self.open("UnaryOp", span);
                self.word(match op {
                    UnaryOp::Not => "Not",
                    UnaryOp::Neg => "USub",
                    UnaryOp::Pos => "UAdd",
                    UnaryOp::Invert => "Invert",
                });
                self.expr(v, false);
            }
            ExprKind::Bool(op, values) => {
                self.open("BoolOp", span);
                self.word(if *op == BoolOp::And { "And" } else { "Or" });
                self.exprs(values);
            }
            ExprKind::Compare(first, rest) => {
                self.open("Compare", span);
                self.expr(first, false);
                let ops: Vec<&str> = rest.iter().map(|(op, _)| cmpop(*op)).collect();
                write!(self.out, " [{}]", ops.join(" ")).expect("writes");
                let values: Vec<&Expr> = rest.iter().map(|(_, e)| e).collect();
                self.list(&values, |s, e| s.expr(e, false));
            }
            ExprKind::IfExp(test, body, orelse) => {
                self.open("IfExp", span);
                self.expr(test, false);
                self.expr(body, false);
                self.expr(orelse, false);
            }
            ExprKind::Lambda(f) => {
                self.open("Lambda", span);
                self.params(&f.params);
                match &f.body[..] {
                    [Stmt {
                        kind: StmtKind::Return(Some(body)),
                        ..
                    }] => self.expr(body, false),
                    _ => panic!("a lambda's body is one return"),
                }
            }
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                let kind = match e.kind {
                    ExprKind::List(_) => "List",
                    ExprKind::Tuple(_) => "Tuple",
                    _ => "Set",
                };
                self.open(kind, span);
                self.exprs(items);
            }
            ExprKind::Dict(entries) => {
                self.open("Dict", span);
                self.list(entries, |s, (k, v)| {
                    s.out.push_str(" (");
                    let before = s.out.len();
                    s.opt(k.as_ref());
                    s.out.remove(before);
                    s.expr(v, false);
                    s.out.push(')');
                });
            }
            ExprKind::Starred(v) => {
                self.open("Starred", span);
                self.expr(v, false);
            }
            ExprKind::Comp(kind, elt, gens) => {
                self.open(
                    match kind {
                        CompKind::List => "ListComp",
                        CompKind::Set => "SetComp",
                        CompKind::Generator => "GeneratorExp",
                    },
                    span,
                );
                self.expr(elt, false);
                self.comps(gens);
            }
            ExprKind::DictComp(k, v, gens) => {
                self.open("DictComp", span);
                self.expr(k, false);
                self.expr(v, false);
                self.comps(gens);
            }
            ExprKind::Await(v) => {
                self.open("Await", span);
                self.expr(v, false);
            }
            ExprKind::Yield(v) => {
                self.open("Yield", span);
                self.opt(v.as_deref());
            }
            ExprKind::YieldFrom(v) => {
                self.open("YieldFrom", span);
                self.expr(v, false);
            }
            ExprKind::Walrus(name, v) => {
                self.open("NamedExpr", span);
                self.word(name);
                self.expr(v, false);
            }
        }
        self.out.push(')');
    }
}

/// A call's `*value`: its span starts at the star before the value.
fn star_span(src: &str, value: Span) -> Span {
    let before = src[..value.start as usize].trim_end();
    Span {
        start: before.len() as u32 - 1,
        end: value.end,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "Add",
        BinOp::Sub => "Sub",
        BinOp::Mul => "Mult",
        BinOp::MatMul => "MatMult",
        BinOp::Div => "Div",
        BinOp::FloorDiv => "FloorDiv",
        BinOp::Mod => "Mod",
        BinOp::Pow => "Pow",
        BinOp::LShift => "LShift",
        BinOp::RShift => "RShift",
        BinOp::BitOr => "BitOr",
        BinOp::BitXor => "BitXor",
        BinOp::BitAnd => "BitAnd",
    }
}

fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "Eq",
        CmpOp::NotEq => "NotEq",
        CmpOp::Lt => "Lt",
        CmpOp::LtE => "LtE",
        CmpOp::Gt => "Gt",
        CmpOp::GtE => "GtE",
        CmpOp::Is => "Is",
        CmpOp::IsNot => "IsNot",
        CmpOp::In => "In",
        CmpOp::NotIn => "NotIn",
    }
}

fn shape(src: &str, module: &Module) -> String {
    let mut lines = String::new();
    for st in &module.body {
        let mut s = Shape {
            src,
            out: String::new(),
        };
        s.stmt(st);
        lines.push_str(s.out.trim_start());
        lines.push('\n');
    }
    lines
}

#[test]
fn every_program_parses_to_the_tree_cpython_builds() {
    let programs = programs();
    assert!(
        programs.len() >= 40,
        "the corpus has at least 40 programs: {}",
        programs.len()
    );
    let mut failures = Vec::new();
    for file in &programs {
        let src = std::fs::read_to_string(file).expect("a readable program");
        let expected = python(
            &[
                root()
                    .join("tests/python/ast_shape.py")
                    .to_str()
                    .expect("a UTF-8 path"),
                file.to_str().expect("a UTF-8 path"),
            ],
            None,
        );
        match parse(&src) {
            Err(e) => failures.push(format!(
                "{}: {e} at {:?}",
                file.display(),
                line_col(&src, e.span.start)
            )),
            Ok(module) => {
                let ours = shape(&src, &module);
                for (a, b) in ours.lines().zip(expected.lines()) {
                    if a != b {
                        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                        let from = at.saturating_sub(80);
                        failures.push(format!(
                            "{} differs from CPython's tree:\n  ours:    ...{}\n  CPython: ...{}",
                            file.display(),
                            &a[from..(at + 80).min(a.len())],
                            &b[from..(at + 80).min(b.len())]
                        ));
                        break;
                    }
                }
                if ours.lines().count() != expected.lines().count() {
                    failures.push(format!(
                        "{}: a different number of statements",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The snippets of a case file: separated by lines of `---`, `\t` written
/// as a tab.
fn cases(name: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(root().join("tests/python").join(name)).expect("a case file");
    text.split("\n---\n")
        .map(|c| c.trim_start_matches('\n').replace("\\t", "\t"))
        .filter(|c| !c.trim().is_empty() && !c.starts_with("# "))
        .collect()
}

#[test]
fn mistakes_get_cpythons_message_on_cpythons_line() {
    let snippets = cases("syntax_errors.txt");
    assert!(snippets.len() >= 60, "{} mistakes", snippets.len());
    // One CPython for all: it compiles each snippet and prints
    // "Name: message<TAB>line" for each.
    let script = r#"
import sys
for src in sys.stdin.read().split("\0"):
    try:
        compile(src, "t.py", "exec")
        print("compiles")
    except SyntaxError as e:
        print(f"{type(e).__name__}: {e.msg}\t{e.lineno}")
"#;
    let verdicts = python(&["-c", script], Some(&snippets.join("\0")));
    let mut failures = Vec::new();
    for (src, verdict) in snippets.iter().zip(verdicts.lines()) {
        let ours = match parse(src) {
            Ok(_) => "compiles".to_string(),
            Err(e) => format!("{e}\t{}", line_col(src, e.span.start).line),
        };
        if ours != verdict {
            failures.push(format!("{src:?}\n  ours:    {ours}\n  CPython: {verdict}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn what_the_tour_leaves_out_is_refused_by_name() {
    for src in cases("refused.txt") {
        let (first, rest) = src.split_once('\n').unwrap_or((&src, ""));
        let named = first
            .strip_prefix("#= ")
            .expect("a refusal says what it names");
        match parse(rest) {
            Err(SyntaxError {
                kind: ErrorKind::Unsupported,
                msg,
                ..
            }) => assert!(msg.contains(named), "{rest:?}: {msg}"),
            other => panic!("{rest:?} is not refused: {other:?}"),
        }
        // CPython accepts every one of them: they are Python, not the tour's.
        python(
            &[
                "-c",
                "import sys; compile(sys.stdin.read(), 't.py', 'exec')",
            ],
            Some(rest),
        );
    }
}

#[test]
fn errors_point_into_the_source() {
    for src in cases("syntax_errors.txt")
        .iter()
        .chain(&cases("refused.txt"))
    {
        if let Err(e) = parse(src) {
            assert!(e.span.start <= e.span.end.max(e.span.start), "{src:?}");
            assert!(e.span.start as usize <= src.len(), "{src:?}: {e:?}");
        }
    }
}

/// A small seeded generator (xorshift), so a failing case can be found
/// again from its number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces the mutations insert: Python's own tokens and a few that break
/// things.
const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ".",
    "=",
    "==",
    "*",
    "**",
    "\n",
    "\n    ",
    "    ",
    "\t",
    "'",
    "\"",
    "'''",
    "f\"{",
    "}",
    "{x!r:>{w}}",
    "\\",
    "#",
    "async ",
    "await ",
    "yield ",
    "lambda ",
    "if ",
    "else ",
    "for ",
    "in ",
    "not ",
    "def f(",
    "class C:",
    "return ",
    "0x",
    "1e",
    "1_",
    "..",
    "é",
    "…",
    "\r",
    "\u{0}",
    "x := ",
    "from . import ",
    "@d\n",
    "try:\n",
    "except* E:",
    "b'",
    "rb'\\",
    "9999999999999999999999",
    "0.5j",
];

fn mutate(rng: &mut Rng, base: &str) -> String {
    let mut s: Vec<char> = base.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(s.len() + 1);
        match rng.below(5) {
            0 if !s.is_empty() => {
                let len = 1 + rng.below(8);
                let end = (at + len).min(s.len());
                s.drain(at.min(end)..end);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                s.splice(at..at, piece.chars());
            }
            2 if !s.is_empty() => {
                let from = rng.below(s.len());
                let len = 1 + rng.below(40);
                let copy: Vec<char> = s[from..(from + len).min(s.len())].to_vec();
                s.splice(at..at, copy);
            }
            3 if at < s.len() => {
                s[at] = PIECES[rng.below(PIECES.len())]
                    .chars()
                    .next()
                    .unwrap_or(' ');
            }
            _ => {
                let end = rng.below(s.len() + 1);
                s.truncate(end.max(at));
            }
        }
    }
    s.into_iter().collect()
}

#[test]
fn no_input_makes_the_parser_panic() {
    let corpus: Vec<String> = programs()
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a readable program"))
        .chain(cases("syntax_errors.txt"))
        .collect();
    let cases: u64 = std::env::var("TOUR_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x5eed_a5e1_7041_u64);
    let (mut parsed, mut refused) = (0, 0);
    for case in 0..cases {
        let base = &corpus[rng.below(corpus.len())];
        let src = mutate(&mut rng, base);
        match std::panic::catch_unwind(|| parse(&src).map(|_| ())) {
            Ok(Ok(())) => parsed += 1,
            Ok(Err(e)) => {
                refused += 1;
                assert!(e.span.start as usize <= src.len(), "case {case}: {e:?}");
            }
            Err(_) => panic!("case {case} panicked the parser: {src:?}"),
        }
    }
    println!("{cases} mutated programs: {parsed} parsed, {refused} refused, none panicked");
    assert_eq!(parsed + refused, cases);
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    for src in [
        format!("x = {}1{}", "(".repeat(150), ")".repeat(150)),
        format!("x = {}1", "-".repeat(100_000)),
        format!("x = {}x", "not ".repeat(100_000)),
        format!("x = {}1", "lambda: ".repeat(10_000)),
        format!("x = 1{}", " if 1 else 1".repeat(10_000)),
        format!("x = {}", "[".repeat(250)),
        format!("x = f'{}'", "{x:{".repeat(1000)),
        format!("x = {}1", "await ".repeat(10_000)),
        format!("x = 2{}", "**2".repeat(10_000)),
        (0..120)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect(),
    ] {
        // The parser stops at a depth that fits a browser's stack in a
        // release build (1 MiB, of which 100 nested brackets take about a
        // third); a debug build's frames are five times larger.
        let src2 = src.clone();
        let result = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || parse(&src2).map(|_| ()))
            .expect("a thread")
            .join()
            .expect("the parser did not overflow its stack");
        if let Err(e) = result {
            assert!(e.span.start as usize <= src.len());
        }
    }
}

/// Mutations of the corpus, compiled by CPython and parsed by the tour:
/// both must accept or refuse each one, and say the same thing of nearly
/// all (the exceptions are CPython's choices among several mistakes in one
/// broken file, and the symbol table's checks, which are the compiler's).
#[test]
fn mutated_programs_get_cpythons_verdict() {
    let corpus: Vec<String> = programs()
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a readable program"))
        .collect();
    let mut rng = Rng(0xc0ffee);
    let sources: Vec<String> = (0..3000)
        .map(|_| {
            let base = &corpus[rng.below(corpus.len())];
            mutate(&mut rng, base)
        })
        .filter(|s| !s.contains('\0'))
        .collect();
    let script = r#"
import sys, warnings
warnings.simplefilter("ignore")
for src in sys.stdin.read().split("\0"):
    try:
        compile(src, "t.py", "exec")
        print("compiles")
    except SyntaxError as e:
        print(f"{type(e).__name__}: {e.msg}\t{e.lineno}")
"#;
    let verdicts = python(&["-c", script], Some(&sources.join("\0")));
    let symbol_table = ["no binding for nonlocal", "before global declaration"];
    let mut same = 0;
    let mut differ = Vec::new();
    for (src, verdict) in sources.iter().zip(verdicts.lines()) {
        let (ours, refused) = match parse(src) {
            Ok(_) => ("compiles".to_string(), false),
            Err(e) => (
                format!("{e}\t{}", line_col(src, e.span.start).line),
                e.kind == ErrorKind::Unsupported,
            ),
        };
        if ours == verdict {
            same += 1;
        } else if (ours == "compiles") != (verdict == "compiles")
            && !refused
            && !symbol_table.iter().any(|m| verdict.contains(m))
        {
            panic!("CPython and the tour disagree on whether this compiles:\n{src}\n  ours:    {ours}\n  CPython: {verdict}");
        } else {
            differ.push(format!("  ours: {ours}\n  CPython: {verdict}"));
        }
    }
    let agree = same as f64 / sources.len() as f64;
    println!(
        "{} mutated programs: {same} get CPython's exact verdict ({:.1}%)",
        sources.len(),
        agree * 100.0
    );
    assert!(
        agree >= 0.93,
        "only {:.1}% agree; some that differ:\n{}",
        agree * 100.0,
        differ[..differ.len().min(20)].join("\n")
    );
}
