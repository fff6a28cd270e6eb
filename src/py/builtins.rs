//! Python's builtins: the classes (`int`, `list`, the exceptions), the
//! functions (`print`, `len`, `sorted`...), and the methods of the builtin
//! types (`str.split`, `list.append`, `dict.items`...).

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::Name;
use super::decimal;
use super::ops::range_len;
use super::unicode::{self, CharClass};
use super::value::*;
use super::vm::{new_exception, Vm};

type R<T> = Result<T, Value>;
type Args = Vec<Value>;
type Kwargs = Vec<(Name, Value)>;

/// The builtin classes.
pub struct Types {
    #[allow(missing_docs)]
    pub object: Rc<Class>,
    #[allow(missing_docs)]
    pub type_: Rc<Class>,
    #[allow(missing_docs)]
    pub none: Rc<Class>,
    #[allow(missing_docs)]
    pub bool: Rc<Class>,
    #[allow(missing_docs)]
    pub int: Rc<Class>,
    #[allow(missing_docs)]
    pub float: Rc<Class>,
    #[allow(missing_docs)]
    pub str: Rc<Class>,
    #[allow(missing_docs)]
    pub bytes: Rc<Class>,
    #[allow(missing_docs)]
    pub tuple: Rc<Class>,
    #[allow(missing_docs)]
    pub list: Rc<Class>,
    #[allow(missing_docs)]
    pub dict: Rc<Class>,
    #[allow(missing_docs)]
    pub set: Rc<Class>,
    #[allow(missing_docs)]
    pub range: Rc<Class>,
    #[allow(missing_docs)]
    pub slice: Rc<Class>,
    #[allow(missing_docs)]
    pub function: Rc<Class>,
    #[allow(missing_docs)]
    pub builtin_function: Rc<Class>,
    #[allow(missing_docs)]
    pub method: Rc<Class>,
    #[allow(missing_docs)]
    pub iterator: Rc<Class>,
    #[allow(missing_docs)]
    pub generator: Rc<Class>,
    #[allow(missing_docs)]
    pub coroutine: Rc<Class>,
    #[allow(missing_docs)]
    pub async_generator: Rc<Class>,
    #[allow(missing_docs)]
    pub module: Rc<Class>,
    #[allow(missing_docs)]
    pub code: Rc<Class>,
    /// `super()`'s objects.
    pub super_: Rc<Class>,
    /// `asyncio.Future`.
    pub future: Rc<Class>,
    /// `asyncio.Task`, a Future.
    pub task: Rc<Class>,
    /// The exception classes, by name.
    pub exceptions: Vec<Rc<Class>>,
}

/// The exception classes and their bases, bases first.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("CancelledError", "BaseException"),
    ("InvalidStateError", "Exception"),
    ("Exception", "BaseException"),
    ("BaseExceptionGroup", "BaseException"),
    ("ExceptionGroup", "BaseExceptionGroup"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("OSError", "Exception"),
    ("TimeoutError", "OSError"),
    ("ConnectionError", "OSError"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("StopIteration", "Exception"),
    ("StopAsyncIteration", "Exception"),
    ("SyntaxError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("Warning", "Exception"),
    ("RuntimeWarning", "Warning"),
    ("DeprecationWarning", "Warning"),
    ("UserWarning", "Warning"),
];

fn class(name: &str, kind: ClassKind, bases: Vec<Rc<Class>>) -> Rc<Class> {
    let mut mro = Vec::new();
    for b in &bases {
        mro.push(b.clone());
        mro.extend(b.mro.iter().cloned());
    }
    Rc::new(Class {
        name: name.into(),
        bases,
        mro,
        dict: Attrs::default(),
        kind,
    })
}

impl Types {
    /// Makes the builtin classes.
    pub fn new() -> Types {
        let object = class("object", ClassKind::Plain, Vec::new());
        object
            .dict
            .set("__init__".into(), Value::Builtin(&OBJECT_INIT));
        let o = || vec![object.clone()];
        let int = class("int", ClassKind::Int, o());
        let mut exceptions: Vec<Rc<Class>> = Vec::new();
        for (name, base) in EXCEPTIONS {
            let bases = match exceptions.iter().find(|c| &*c.name == *base) {
                Some(b) => vec![b.clone()],
                None => o(),
            };
            let c = class(name, ClassKind::Exception, bases);
            if *name == "BaseException" {
                c.dict
                    .set("__init__".into(), Value::Builtin(&EXCEPTION_INIT));
            }
            exceptions.push(c);
        }
        let future = class("Future", ClassKind::Future, o());
        Types {
            task: class("Task", ClassKind::Future, vec![future.clone()]),
            future,
            type_: class("type", ClassKind::Type, o()),
            none: class("NoneType", ClassKind::NoneType, o()),
            bool: class("bool", ClassKind::Bool, vec![int.clone()]),
            float: class("float", ClassKind::Float, o()),
            str: class("str", ClassKind::Str, o()),
            bytes: class("bytes", ClassKind::Bytes, o()),
            tuple: class("tuple", ClassKind::Tuple, o()),
            list: class("list", ClassKind::List, o()),
            dict: class("dict", ClassKind::Dict, o()),
            set: class("set", ClassKind::Set, o()),
            range: class("range", ClassKind::Range, o()),
            slice: class("slice", ClassKind::Slice, o()),
            function: class("function", ClassKind::Function, o()),
            builtin_function: class(
                "builtin_function_or_method",
                ClassKind::BuiltinFunction,
                o(),
            ),
            method: class("method", ClassKind::Method, o()),
            iterator: class("iterator", ClassKind::Iterator, o()),
            generator: class("generator", ClassKind::Generator, o()),
            coroutine: class("coroutine", ClassKind::Coroutine, o()),
            async_generator: class("async_generator", ClassKind::AsyncGenerator, o()),
            module: class("module", ClassKind::Module, o()),
            code: class("code", ClassKind::Code, o()),
            super_: class("super", ClassKind::Plain, o()),
            int,
            exceptions,
            object,
        }
    }

    /// The builtin exception class `name`.
    pub fn exception(&self, name: &str) -> Rc<Class> {
        self.exceptions
            .iter()
            .find(|c| &*c.name == name)
            .cloned()
            .unwrap_or_else(|| self.exceptions[0].clone())
    }

    /// Whether `c` is one of the builtin classes.
    pub fn is_builtin(&self, c: &Rc<Class>) -> bool {
        Rc::ptr_eq(c, &self.object) || c.kind != ClassKind::Plain
    }

    fn by_name(&self, name: &str) -> Option<Rc<Class>> {
        Some(
            match name {
                "object" => &self.object,
                "type" => &self.type_,
                "bool" => &self.bool,
                "int" => &self.int,
                "float" => &self.float,
                "str" => &self.str,
                "bytes" => &self.bytes,
                "tuple" => &self.tuple,
                "list" => &self.list,
                "dict" => &self.dict,
                "set" => &self.set,
                "range" => &self.range,
                "slice" => &self.slice,
                _ => return self.exceptions.iter().find(|c| &*c.name == name).cloned(),
            }
            .clone(),
        )
    }
}

impl Default for Types {
    fn default() -> Self {
        Types::new()
    }
}

/// The builtin `name`, if there is one.
pub fn builtin(vm: &Vm, name: &str) -> Option<Value> {
    if name == "CancelledError" {
        return None;
    }
    if let Some(c) = vm.types.by_name(name) {
        return Some(Value::Class(c));
    }
    if name == "NotImplemented" {
        return Some(Value::str("\u{0}NotImplemented"));
    }
    FUNCTIONS
        .iter()
        .find(|b| b.name == name)
        .map(Value::Builtin)
}

macro_rules! builtins {
    ($table:ident: $($name:literal => $f:path,)*) => {
        static $table: &[Builtin] = &[$(Builtin { name: $name, call: $f },)*];
    };
}

static OBJECT_INIT: Builtin = Builtin {
    name: "object.__init__",
    call: object_init,
};
static EXCEPTION_INIT: Builtin = Builtin {
    name: "BaseException.__init__",
    call: exception_init,
};

fn object_init(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    if args.len() > 1 || !kwargs.is_empty() {
        let name = args.first().map(|a| vm.type_name(a)).unwrap_or_default();
        return Err(vm.type_error(format!("{name}() takes no arguments")));
    }
    Ok(Value::None)
}

fn exception_init(_: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    if let Some(Value::Instance(i)) = args.first() {
        if let Some(state) = &i.exc {
            state.borrow_mut().args = args[1..].to_vec();
        }
    }
    Ok(Value::None)
}

builtins! { FUNCTIONS:
    "print" => print,
    "len" => len,
    "repr" => repr,
    "isinstance" => isinstance,
    "issubclass" => issubclass,
    "abs" => abs,
    "round" => round,
    "min" => min,
    "max" => max,
    "sum" => sum,
    "sorted" => sorted,
    "reversed" => reversed,
    "enumerate" => enumerate,
    "zip" => zip,
    "map" => map,
    "filter" => filter,
    "any" => any,
    "all" => all,
    "iter" => iter,
    "next" => next,
    "divmod" => divmod,
    "hex" => hex,
    "oct" => oct,
    "bin" => bin,
    "ord" => ord,
    "chr" => chr,
    "hash" => hash_of,
    "id" => id,
    "getattr" => getattr,
    "setattr" => setattr,
    "hasattr" => hasattr,
    "callable" => callable,
    "format" => format,
    "pow" => pow,
    "super" => super_explicit,
    "anext" => super::asyncio::anext,
}

fn arg(vm: &Vm, args: &[Value], i: usize, f: &str) -> R<Value> {
    args.get(i)
        .cloned()
        .ok_or_else(|| vm.type_error(format!("{f}() takes more arguments than that")))
}

fn kwarg(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| &**k == name)
        .map(|(_, v)| v.clone())
}

fn print(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let sep = match kwarg(&kwargs, "sep") {
        Some(Value::Str(s)) => s.to_string(),
        _ => " ".into(),
    };
    let end = match kwarg(&kwargs, "end") {
        Some(Value::Str(s)) => s.to_string(),
        _ => "\n".into(),
    };
    let mut line = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            line.push_str(&sep);
        }
        line.push_str(&vm.str(a)?);
    }
    line.push_str(&end);
    (vm.out)(&line);
    Ok(Value::None)
}

fn len(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "len")?;
    Ok(Value::Int(vm.len(&v)? as i64))
}

fn repr(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "repr")?;
    Ok(Value::str(vm.repr(&v)?))
}

fn classes_of(vm: &Vm, v: &Value) -> R<Vec<Rc<Class>>> {
    match v {
        Value::Class(c) => Ok(vec![c.clone()]),
        Value::Tuple(t) => {
            let mut out = Vec::new();
            for item in t.iter() {
                out.extend(classes_of(vm, item)?);
            }
            Ok(out)
        }
        _ => Err(vm.type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")),
    }
}

fn isinstance(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "isinstance")?;
    let classes = classes_of(vm, &arg(vm, &args, 1, "isinstance")?)?;
    let c = vm.class_of(&v);
    Ok(Value::Bool(classes.iter().any(|k| c.is_subclass(k))))
}

fn issubclass(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let Value::Class(c) = arg(vm, &args, 0, "issubclass")? else {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    };
    let classes = classes_of(vm, &arg(vm, &args, 1, "issubclass")?)?;
    Ok(Value::Bool(classes.iter().any(|k| c.is_subclass(k))))
}

fn abs(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    match arg(vm, &args, 0, "abs")? {
        Value::Int(i) => i
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(|| vm.error("OverflowError", "int too large")),
        Value::Bool(b) => Ok(Value::Int(b as i64)),
        Value::Float(x) => Ok(Value::Float(x.abs())),
        other => {
            let t = vm.type_name(&other);
            Err(vm.type_error(format!("bad operand type for abs(): '{t}'")))
        }
    }
}

fn round(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let x = arg(vm, &args, 0, "round")?;
    let digits = args.get(1).cloned().or_else(|| kwarg(&kwargs, "ndigits"));
    match (x, digits) {
        (Value::Int(i), None | Some(Value::None)) => Ok(Value::Int(i)),
        (Value::Int(i), Some(_)) => Ok(Value::Int(i)),
        (Value::Bool(b), _) => Ok(Value::Int(b as i64)),
        (Value::Float(x), None | Some(Value::None)) => {
            if !x.is_finite() {
                return Err(vm.error("OverflowError", "cannot convert float infinity to integer"));
            }
            Ok(Value::Int(x.round_ties_even() as i64))
        }
        (Value::Float(x), Some(n)) => {
            let n = as_int(&n).unwrap_or(0);
            if !x.is_finite() {
                return Ok(Value::Float(x));
            }
            if n >= 0 {
                // Correctly rounded, as CPython's round: through the
                // shortest exact decimal text.
                let s = decimal::fixed(x, n.min(330) as usize);
                Ok(Value::Float(decimal::parse(&s).unwrap_or(x)))
            } else {
                let p = 10f64.powi((-n) as i32);
                Ok(Value::Float((x / p).round_ties_even() * p))
            }
        }
        (other, _) => {
            let t = vm.type_name(&other);
            Err(vm.type_error(format!("type {t} doesn't define __round__ method")))
        }
    }
}

/// `min` and `max`: over one iterable or several arguments, with `key`
/// and `default`.
fn extreme(vm: &mut Vm, args: Args, kwargs: Kwargs, want_max: bool) -> R<Value> {
    let name = if want_max { "max" } else { "min" };
    let items = if args.len() == 1 {
        vm.collect(&args[0])?
    } else {
        args
    };
    let key = kwarg(&kwargs, "key").filter(|k| !matches!(k, Value::None));
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => vm.call(f.clone(), vec![item.clone()], Vec::new())?,
            None => item.clone(),
        };
        let better = match &best {
            None => true,
            Some((_, bk)) => {
                let op = if want_max {
                    super::ast::CmpOp::Gt
                } else {
                    super::ast::CmpOp::Lt
                };
                let r = vm.compare(op, &k, bk)?;
                vm.truthy(&r)?
            }
        };
        if better {
            best = Some((item, k));
        }
    }
    match best {
        Some((v, _)) => Ok(v),
        None => kwarg(&kwargs, "default")
            .ok_or_else(|| vm.error("ValueError", format!("{name}() arg is an empty sequence"))),
    }
}

fn min(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    extreme(vm, args, kwargs, false)
}

fn max(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    extreme(vm, args, kwargs, true)
}

fn sum(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let items = vm.collect(&arg(vm, &args, 0, "sum")?)?;
    let mut total = args
        .get(1)
        .cloned()
        .or_else(|| kwarg(&kwargs, "start"))
        .unwrap_or(Value::Int(0));
    for item in items {
        total = vm.binary(super::ast::BinOp::Add, &total, &item, false)?;
    }
    Ok(total)
}

/// Sorts in place, stably, with Python's comparisons (and `key`).
pub fn sort(vm: &mut Vm, items: &mut Vec<Value>, key: Option<Value>, reverse: bool) -> R<()> {
    let keys = match &key {
        Some(f) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items.iter() {
                keys.push(vm.call(f.clone(), vec![item.clone()], Vec::new())?);
            }
            keys
        }
        None => items.clone(),
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    let mut failed = None;
    // Insertion by binary search keeps it stable and needs only `<`.
    let mut sorted: Vec<usize> = Vec::with_capacity(order.len());
    for i in order.drain(..) {
        let (mut lo, mut hi) = (0, sorted.len());
        while lo < hi && failed.is_none() {
            let mid = (lo + hi) / 2;
            let (a, b) = if reverse {
                (&keys[sorted[mid]], &keys[i])
            } else {
                (&keys[i], &keys[sorted[mid]])
            };
            match vm
                .compare(super::ast::CmpOp::Lt, a, b)
                .and_then(|r| vm.truthy(&r))
            {
                Ok(true) => hi = mid,
                Ok(false) => lo = mid + 1,
                Err(e) => failed = Some(e),
            }
        }
        sorted.insert(lo, i);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let old = std::mem::take(items);
    let mut old: Vec<Option<Value>> = old.into_iter().map(Some).collect();
    *items = sorted.into_iter().filter_map(|i| old[i].take()).collect();
    Ok(())
}

fn sorted(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let mut items = vm.collect(&arg(vm, &args, 0, "sorted")?)?;
    let key = kwarg(&kwargs, "key").filter(|k| !matches!(k, Value::None));
    let reverse = match kwarg(&kwargs, "reverse") {
        Some(r) => vm.truthy(&r)?,
        None => false,
    };
    sort(vm, &mut items, key, reverse)?;
    Ok(Value::list(items))
}

fn values_iter(items: Vec<Value>) -> Value {
    Value::Iter(Rc::new(RefCell::new(Iter::Values(items.into_iter()))))
}

fn reversed(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "reversed")?;
    if let Value::Instance(_) = &v {
        if let Some(Value::Instance(i)) = Some(&v) {
            if let Some(f) = i.class.lookup("__reversed__") {
                return vm.call(f, vec![v.clone()], Vec::new());
            }
        }
    }
    let mut items = match &v {
        Value::Dict(_)
        | Value::List(_)
        | Value::Tuple(_)
        | Value::Str(_)
        | Value::Range(_)
        | Value::Instance(_) => vm.collect(&v)?,
        other => {
            let t = vm.type_name(other);
            return Err(vm.type_error(format!("'{t}' object is not reversible")));
        }
    };
    items.reverse();
    Ok(values_iter(items))
}

fn enumerate(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let it = vm.iter(&arg(vm, &args, 0, "enumerate")?)?;
    let start = args
        .get(1)
        .cloned()
        .or_else(|| kwarg(&kwargs, "start"))
        .and_then(|s| as_int(&s))
        .unwrap_or(0);
    Ok(Value::Iter(Rc::new(RefCell::new(Iter::Enumerate(
        it, start,
    )))))
}

fn zip(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let mut inners = Vec::new();
    for a in &args {
        inners.push(vm.iter(a)?);
    }
    Ok(Value::Iter(Rc::new(RefCell::new(Iter::Zip(inners)))))
}

fn map(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = arg(vm, &args, 0, "map")?;
    let mut inners = Vec::new();
    for a in &args[1..] {
        inners.push(vm.iter(a)?);
    }
    if inners.is_empty() {
        return Err(vm.type_error("map() must have at least two arguments."));
    }
    Ok(Value::Iter(Rc::new(RefCell::new(Iter::Map(f, inners)))))
}

fn filter(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = arg(vm, &args, 0, "filter")?;
    let it = vm.iter(&arg(vm, &args, 1, "filter")?)?;
    Ok(Value::Iter(Rc::new(RefCell::new(Iter::Filter(f, it)))))
}

fn any(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let it = vm.iter(&arg(vm, &args, 0, "any")?)?;
    while let Some(v) = vm.next(&it)? {
        if vm.truthy(&v)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn all(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let it = vm.iter(&arg(vm, &args, 0, "all")?)?;
    while let Some(v) = vm.next(&it)? {
        if !vm.truthy(&v)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn iter(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "iter")?;
    vm.iter(&v)
}

fn next(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let it = arg(vm, &args, 0, "next")?;
    if let Value::Gen(g) = &it {
        return match vm.resume(g, Value::None)? {
            Ok(v) => Ok(v),
            Err(ret) => match args.get(1) {
                Some(d) => Ok(d.clone()),
                None => {
                    let args = if matches!(ret, Value::None) {
                        Vec::new()
                    } else {
                        vec![ret]
                    };
                    Err(new_exception(vm.types.exception("StopIteration"), args))
                }
            },
        };
    }
    match vm.next(&it)? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(new_exception(
                vm.types.exception("StopIteration"),
                Vec::new(),
            )),
        },
    }
}

fn divmod(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let (a, b) = (arg(vm, &args, 0, "divmod")?, arg(vm, &args, 1, "divmod")?);
    let q = vm.binary(super::ast::BinOp::FloorDiv, &a, &b, false)?;
    let r = vm.binary(super::ast::BinOp::Mod, &a, &b, false)?;
    Ok(Value::tuple(vec![q, r]))
}

fn int_arg(vm: &Vm, args: &[Value], f: &str) -> R<i64> {
    args.first().and_then(as_int).ok_or_else(|| {
        let t = args.first().map(|a| vm.type_name(a)).unwrap_or_default();
        vm.type_error(format!(
            "'{t}' object cannot be interpreted as an integer (in {f}())"
        ))
    })
}

fn radix(vm: &mut Vm, args: &[Value], prefix: &str, f: &str) -> R<Value> {
    let i = int_arg(vm, args, f)?;
    let a = i.unsigned_abs();
    let digits = match prefix {
        "0x" => format!("{a:x}"),
        "0o" => format!("{a:o}"),
        _ => format!("{a:b}"),
    };
    Ok(Value::str(format!(
        "{}{prefix}{digits}",
        if i < 0 { "-" } else { "" }
    )))
}

fn hex(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    radix(vm, &args, "0x", "hex")
}

fn oct(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    radix(vm, &args, "0o", "oct")
}

fn bin(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    radix(vm, &args, "0b", "bin")
}

fn ord(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    match arg(vm, &args, 0, "ord")? {
        Value::Str(s) if s.chars().count() == 1 => {
            Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64)))
        }
        Value::Str(s) => Err(vm.type_error(format!(
            "ord() expected a character, but string of length {} found",
            s.chars().count()
        ))),
        other => {
            let t = vm.type_name(&other);
            Err(vm.type_error(format!("ord() expected string of length 1, but {t} found")))
        }
    }
}

fn chr(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let i = int_arg(vm, &args, "chr")?;
    u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .map(|c| Value::str(c.to_string()))
        .ok_or_else(|| vm.error("ValueError", "chr() arg not in range(0x110000)"))
}

fn hash_of(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "hash")?;
    hash(&v)
        .map(|h| Value::Int(h as i64))
        .map_err(|t| vm.unhashable(t))
}

fn id(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "id")?;
    Ok(Value::Int(v.address().unwrap_or(0) as i64))
}

fn attr_name(vm: &Vm, args: &[Value], f: &str) -> R<String> {
    match args.get(1) {
        Some(Value::Str(s)) => Ok(s.to_string()),
        _ => Err(vm.type_error(format!("{f}(): attribute name must be string"))),
    }
}

fn getattr(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let obj = arg(vm, &args, 0, "getattr")?;
    let name = attr_name(vm, &args, "getattr")?;
    match (vm.getattr(&obj, &name), args.get(2)) {
        (Ok(v), _) => Ok(v),
        (Err(_), Some(d)) => Ok(d.clone()),
        (Err(e), None) => Err(e),
    }
}

fn setattr(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let obj = arg(vm, &args, 0, "setattr")?;
    let name = attr_name(vm, &args, "setattr")?;
    let v = arg(vm, &args, 2, "setattr")?;
    vm.setattr(&obj, name.into(), v)?;
    Ok(Value::None)
}

fn hasattr(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let obj = arg(vm, &args, 0, "hasattr")?;
    let name = attr_name(vm, &args, "hasattr")?;
    Ok(Value::Bool(vm.getattr(&obj, &name).is_ok()))
}

fn callable(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "callable")?;
    Ok(Value::Bool(match &v {
        Value::Function(_) | Value::Builtin(_) | Value::Method(_) | Value::Class(_) => true,
        Value::Instance(i) => i.class.lookup("__call__").is_some(),
        _ => false,
    }))
}

fn format(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let v = arg(vm, &args, 0, "format")?;
    let spec = match args.get(1) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    Ok(Value::str(vm.format(&v, &spec)?))
}

fn pow(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let (a, b) = (arg(vm, &args, 0, "pow")?, arg(vm, &args, 1, "pow")?);
    match args.get(2).and_then(as_int) {
        Some(m) => {
            let (Some(mut base), Some(mut e)) = (as_int(&a), as_int(&b)) else {
                return Err(vm.type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ));
            };
            if m == 0 {
                return Err(vm.error("ValueError", "pow() 3rd argument cannot be 0"));
            }
            let mut result: i128 = 1;
            base = base.rem_euclid(m);
            while e > 0 {
                if e & 1 == 1 {
                    result = result * base as i128 % m as i128;
                }
                base = (base as i128 * base as i128 % m as i128) as i64;
                e >>= 1;
            }
            Ok(Value::Int(result as i64))
        }
        None => vm.binary(super::ast::BinOp::Pow, &a, &b, false),
    }
}

fn super_explicit(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    match (args.first(), args.get(1)) {
        (Some(Value::Class(c)), Some(obj)) => {
            let obj_class = vm.class_of(obj);
            let chain: Vec<Rc<Class>> = std::iter::once(obj_class.clone())
                .chain(obj_class.mro.iter().cloned())
                .skip_while(|k| !Rc::ptr_eq(k, c))
                .skip(1)
                .collect();
            Ok(super_object(vm, obj.clone(), chain))
        }
        _ => Err(vm.error("RuntimeError", "super(): no arguments")),
    }
}

/// A `super()` object: attribute lookups start after the class, in the
/// MRO of `obj`, and bind to `obj`.
pub fn super_object(vm: &Vm, obj: Value, after: Vec<Rc<Class>>) -> Value {
    let inst = Instance {
        class: vm.types.super_.clone(),
        dict: Attrs::new(vec![
            ("__self__".into(), obj),
            (
                "__after__".into(),
                Value::tuple(after.into_iter().map(Value::Class).collect()),
            ),
        ]),
        exc: None,
    };
    Value::Instance(Rc::new(inst))
}

/// An attribute looked up through a `super()` object.
pub fn super_getattr(vm: &mut Vm, sup: &Instance, name: &str) -> R<Value> {
    let obj = sup.dict.get("__self__").unwrap_or(Value::None);
    if let Some(Value::Tuple(after)) = sup.dict.get("__after__") {
        for c in after.iter() {
            if let Value::Class(c) = c {
                if let Some(v) = c.dict.get(name) {
                    return Ok(match v {
                        Value::Function(_) | Value::Builtin(_) => Value::Method(Rc::new((obj, v))),
                        other => other,
                    });
                }
            }
        }
    }
    Err(vm.error(
        "AttributeError",
        format!("'super' object has no attribute '{name}'"),
    ))
}

/// Calls a builtin class: `int("42")`, `str(10)`, `list(range(3))`.
pub fn convert(vm: &mut Vm, class: &Rc<Class>, args: Args, kwargs: Kwargs) -> R<Value> {
    let first = args.first().cloned();
    Ok(match class.kind {
        ClassKind::Type => match (args.len(), first) {
            (1, Some(v)) => Value::Class(vm.class_of(&v)),
            _ => {
                return Err(vm.error(
                    "NotImplementedError",
                    "the tour's Python has no type(name, bases, dict)",
                ))
            }
        },
        ClassKind::Bool => Value::Bool(match first {
            Some(v) => vm.truthy(&v)?,
            None => false,
        }),
        ClassKind::Int => match first {
            None => Value::Int(0),
            Some(Value::Int(i)) => Value::Int(i),
            Some(Value::Bool(b)) => Value::Int(b as i64),
            Some(Value::Float(x)) => {
                if !x.is_finite() {
                    return Err(
                        vm.error("OverflowError", "cannot convert float infinity to integer")
                    );
                }
                if x.abs() >= 9.2e18 {
                    return Err(vm.error("OverflowError", "the tour's Python has 64-bit ints"));
                }
                Value::Int(x.trunc() as i64)
            }
            Some(Value::Str(s)) => {
                let base = args
                    .get(1)
                    .and_then(as_int)
                    .or_else(|| kwarg(&kwargs, "base").and_then(|b| as_int(&b)))
                    .unwrap_or(10);
                let t: String = s.trim().chars().filter(|c| *c != '_').collect();
                let (neg, digits) = match t.strip_prefix('-') {
                    Some(d) => (true, d.to_string()),
                    None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
                };
                match i64::from_str_radix(&digits, base as u32) {
                    Ok(i) if !digits.is_empty() => Value::Int(if neg { -i } else { i }),
                    _ => {
                        let r = vm.repr(&Value::Str(s.clone()))?;
                        return Err(vm.error(
                            "ValueError",
                            format!("invalid literal for int() with base {base}: {r}"),
                        ));
                    }
                }
            }
            Some(v @ Value::Instance(_)) => match vm.getattr(&v, "__int__") {
                Ok(f) => vm.call(f, Vec::new(), Vec::new())?,
                Err(_) => {
                    let t = vm.type_name(&v);
                    return Err(vm.type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{t}'")));
                }
            },
            Some(v) => {
                let t = vm.type_name(&v);
                return Err(vm.type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{t}'")));
            }
        },
        ClassKind::Float => match first {
            None => Value::Float(0.0),
            Some(Value::Float(x)) => Value::Float(x),
            Some(v) if as_int(&v).is_some() => Value::Float(as_int(&v).unwrap_or(0) as f64),
            Some(Value::Str(s)) => {
                let t = s.trim().to_ascii_lowercase();
                let parsed = match t.as_str() {
                    "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
                    "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                    "nan" | "+nan" | "-nan" => Some(f64::NAN),
                    _ => underscores_between_digits(&t).and_then(|t| decimal::parse(&t)),
                };
                match parsed {
                    Some(x) => Value::Float(x),
                    None => {
                        let r = vm.repr(&Value::Str(s.clone()))?;
                        return Err(vm.error(
                            "ValueError",
                            format!("could not convert string to float: {r}"),
                        ));
                    }
                }
            }
            Some(v) => {
                let t = vm.type_name(&v);
                return Err(vm.type_error(format!(
                    "float() argument must be a string or a real number, not '{t}'"
                )));
            }
        },
        ClassKind::Str => match first {
            None => Value::str(""),
            Some(Value::Bytes(b)) if args.len() > 1 || !kwargs.is_empty() => {
                Value::str(String::from_utf8_lossy(&b).to_string())
            }
            Some(v) => Value::str(vm.str(&v)?),
        },
        ClassKind::Bytes => match first {
            None => Value::Bytes(Rc::new(Vec::new())),
            Some(Value::Str(s)) => Value::Bytes(Rc::new(s.as_bytes().to_vec())),
            Some(Value::Int(n)) => Value::Bytes(Rc::new(vec![0; n.max(0) as usize])),
            Some(v) => {
                let items = vm.collect(&v)?;
                Value::Bytes(Rc::new(
                    items.iter().filter_map(as_int).map(|i| i as u8).collect(),
                ))
            }
        },
        ClassKind::Tuple => match first {
            None => Value::tuple(Vec::new()),
            Some(v) => Value::tuple(vm.collect(&v)?),
        },
        ClassKind::List => match first {
            None => Value::list(Vec::new()),
            Some(v) => Value::list(vm.collect(&v)?),
        },
        ClassKind::Set => {
            let mut set = Dict::new();
            if let Some(v) = first {
                for item in vm.collect(&v)? {
                    set.insert(item, Value::None)
                        .map_err(|t| vm.unhashable(t))?;
                }
            }
            Value::Set(Rc::new(RefCell::new(set)))
        }
        ClassKind::Dict => {
            let mut d = Dict::new();
            if let Some(v) = first {
                dict_update(vm, &mut d, &v)?;
            }
            for (k, v) in kwargs {
                let _ = d.insert(Value::str(&*k), v);
            }
            Value::Dict(Rc::new(RefCell::new(d)))
        }
        ClassKind::Range => {
            let ints: Vec<i64> = args
                .iter()
                .map(|a| {
                    as_int(a).ok_or_else(|| {
                        let t = vm.type_name(a);
                        vm.type_error(format!("'{t}' object cannot be interpreted as an integer"))
                    })
                })
                .collect::<R<_>>()?;
            let r = match ints[..] {
                [stop] => [0, stop, 1],
                [start, stop] => [start, stop, 1],
                [start, stop, step] => {
                    if step == 0 {
                        return Err(vm.error("ValueError", "range() arg 3 must not be zero"));
                    }
                    [start, stop, step]
                }
                _ => {
                    return Err(vm.type_error(format!(
                        "range expected at most 3 arguments, got {}",
                        ints.len()
                    )))
                }
            };
            Value::Range(Rc::new(r))
        }
        ClassKind::Slice => {
            let mut parts = args.clone();
            if parts.len() == 1 {
                parts.insert(0, Value::None);
            }
            parts.resize(3, Value::None);
            Value::Slice(Rc::new([
                parts[0].clone(),
                parts[1].clone(),
                parts[2].clone(),
            ]))
        }
        _ => {
            return Err(vm.type_error(format!("cannot create '{}' instances", class.name)));
        }
    })
}

fn dict_update(vm: &mut Vm, d: &mut Dict, v: &Value) -> R<()> {
    match v {
        Value::Dict(src) => {
            let entries: Vec<(Value, Value)> = src
                .borrow()
                .items()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (k, v) in entries {
                let _ = d.insert(k, v);
            }
        }
        other => {
            for pair in vm.collect(other)? {
                let kv = vm.collect(&pair)?;
                if kv.len() != 2 {
                    return Err(vm.error(
                        "ValueError",
                        format!(
                            "dictionary update sequence element has length {}; 2 is required",
                            kv.len()
                        ),
                    ));
                }
                d.insert(kv[0].clone(), kv[1].clone())
                    .map_err(|t| vm.unhashable(t))?;
            }
        }
    }
    Ok(())
}

/// A method of a builtin type, by name.
pub fn method(class: &Rc<Class>, name: &str) -> Option<&'static Builtin> {
    let table: &[Builtin] = match class.kind {
        ClassKind::Str => STR_METHODS,
        ClassKind::List => LIST_METHODS,
        ClassKind::Dict => DICT_METHODS,
        ClassKind::Set => SET_METHODS,
        ClassKind::Tuple => TUPLE_METHODS,
        ClassKind::Bytes => BYTES_METHODS,
        ClassKind::Float => FLOAT_METHODS,
        ClassKind::Int | ClassKind::Bool => INT_METHODS,
        ClassKind::Generator => GEN_METHODS,
        ClassKind::AsyncGenerator => AGEN_METHODS,
        ClassKind::Future => super::asyncio::FUTURE_METHODS,
        _ => return None,
    };
    table
        .iter()
        .find(|b| b.name.split('.').nth(1) == Some(name))
}

fn this_str(vm: &Vm, args: &[Value]) -> R<Rc<String>> {
    match args.first() {
        Some(Value::Str(s)) => Ok(s.clone()),
        _ => Err(vm.type_error("a str method needs a str")),
    }
}

fn str_arg(vm: &Vm, args: &[Value], i: usize) -> R<Option<String>> {
    match args.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.to_string())),
        Some(other) => {
            let t = vm.type_name(other);
            Err(vm.type_error(format!("must be str or None, not {t}")))
        }
    }
}

builtins! { STR_METHODS:
    "str.upper" => str_upper,
    "str.lower" => str_lower,
    "str.title" => str_title,
    "str.capitalize" => str_capitalize,
    "str.swapcase" => str_swapcase,
    "str.strip" => str_strip,
    "str.lstrip" => str_lstrip,
    "str.rstrip" => str_rstrip,
    "str.split" => str_split,
    "str.rsplit" => str_rsplit,
    "str.splitlines" => str_splitlines,
    "str.join" => str_join,
    "str.replace" => str_replace,
    "str.find" => str_find,
    "str.rfind" => str_rfind,
    "str.index" => str_index,
    "str.count" => str_count,
    "str.startswith" => str_startswith,
    "str.endswith" => str_endswith,
    "str.isdigit" => str_isdigit,
    "str.isnumeric" => str_isdigit,
    "str.isalpha" => str_isalpha,
    "str.isalnum" => str_isalnum,
    "str.isspace" => str_isspace,
    "str.isupper" => str_isupper,
    "str.islower" => str_islower,
    "str.format" => str_format,
    "str.partition" => str_partition,
    "str.rpartition" => str_rpartition,
    "str.ljust" => str_ljust,
    "str.rjust" => str_rjust,
    "str.center" => str_center,
    "str.zfill" => str_zfill,
    "str.encode" => str_encode,
    "str.removeprefix" => str_removeprefix,
    "str.removesuffix" => str_removesuffix,
}

/// `text` without its underscores, if each one stands between two digits
/// (`1_000.5`), as `float()` allows them.
fn underscores_between_digits(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digit = |i: Option<usize>| i.and_then(|i| b.get(i)).is_some_and(u8::is_ascii_digit);
    b.iter()
        .enumerate()
        .all(|(i, &c)| c != b'_' || (digit(i.checked_sub(1)) && digit(Some(i + 1))))
        .then(|| text.replace('_', ""))
}

fn str_map(vm: &mut Vm, args: &[Value], f: impl Fn(&str) -> String) -> R<Value> {
    let s = this_str(vm, args)?;
    Ok(Value::str(f(&s)))
}

fn str_upper(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_map(vm, &args, unicode::upper)
}

fn str_lower(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_map(vm, &args, unicode::lower)
}

/// `s` with each character upper-cased where `upper` says so, else
/// lower-cased: the shared loop of `title`, `capitalize` and `swapcase`.
fn recased(s: &str, mut upper: impl FnMut(char) -> bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if upper(c) {
            unicode::push_upper(&mut out, c);
        } else {
            unicode::push_lower(&mut out, c);
        }
    }
    out
}

fn str_title(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_map(vm, &args, |s| {
        let mut prev_cased = false;
        recased(s, |c| {
            let upper = !prev_cased;
            prev_cased = unicode::is(CharClass::Alphabetic, c);
            upper
        })
    })
}

fn str_capitalize(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_map(vm, &args, |s| {
        let mut first = true;
        recased(s, |_| std::mem::take(&mut first))
    })
}

fn str_swapcase(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_map(vm, &args, |s| {
        recased(s, |c| !unicode::is(CharClass::Uppercase, c))
    })
}

fn strip_with(vm: &mut Vm, args: &[Value], left: bool, right: bool) -> R<Value> {
    let s = this_str(vm, args)?;
    let chars = str_arg(vm, args, 1)?;
    let keep = |c: char| match &chars {
        Some(set) => !set.contains(c),
        None => !c.is_whitespace(),
    };
    let mut t: &str = &s;
    if left {
        t = t.trim_start_matches(|c| !keep(c));
    }
    if right {
        t = t.trim_end_matches(|c| !keep(c));
    }
    Ok(Value::str(t))
}

fn str_strip(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    strip_with(vm, &args, true, true)
}

fn str_lstrip(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    strip_with(vm, &args, true, false)
}

fn str_rstrip(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    strip_with(vm, &args, false, true)
}

fn split_args(vm: &Vm, args: &[Value], kwargs: &Kwargs) -> R<(Option<String>, i64)> {
    let sep = match args.get(1).cloned().or_else(|| kwarg(kwargs, "sep")) {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) if s.is_empty() => {
            return Err(vm.error("ValueError", "empty separator"))
        }
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(other) => {
            let t = vm.type_name(&other);
            return Err(vm.type_error(format!("must be str or None, not {t}")));
        }
    };
    let max = args
        .get(2)
        .cloned()
        .or_else(|| kwarg(kwargs, "maxsplit"))
        .and_then(|m| as_int(&m))
        .unwrap_or(-1);
    Ok((sep, max))
}

fn str_split(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let (sep, max) = split_args(vm, &args, &kwargs)?;
    let parts: Vec<Value> = match sep {
        Some(sep) => {
            let mut out: Vec<&str> = Vec::new();
            let mut rest: &str = &s;
            while max < 0 || (out.len() as i64) < max {
                match rest.find(&sep) {
                    Some(i) => {
                        out.push(&rest[..i]);
                        rest = &rest[i + sep.len()..];
                    }
                    None => break,
                }
            }
            out.push(rest);
            out.into_iter().map(Value::str).collect()
        }
        None => {
            let mut out = Vec::new();
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if max >= 0 && out.len() as i64 == max {
                    out.push(Value::str(rest.trim_end()));
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(Value::str(&rest[..end]));
                rest = rest[end..].trim_start();
            }
            out
        }
    };
    Ok(Value::list(parts))
}

fn str_rsplit(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let (sep, max) = split_args(vm, &args, &kwargs)?;
    let Some(sep) = sep else {
        return str_split(vm, args, kwargs);
    };
    let mut out: Vec<Value> = Vec::new();
    let mut rest: &str = &s;
    while max < 0 || (out.len() as i64) < max {
        match rest.rfind(&sep) {
            Some(i) => {
                out.push(Value::str(&rest[i + sep.len()..]));
                rest = &rest[..i];
            }
            None => break,
        }
    }
    out.push(Value::str(rest));
    out.reverse();
    Ok(Value::list(out))
}

fn str_splitlines(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    Ok(Value::list(s.lines().map(Value::str).collect()))
}

fn str_join(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let sep = this_str(vm, &args)?;
    let items = vm.collect(&arg(vm, &args, 1, "join")?)?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match item {
            Value::Str(s) => out.push_str(s),
            other => {
                let t = vm.type_name(other);
                return Err(vm.type_error(format!(
                    "sequence item {i}: expected str instance, {t} found"
                )));
            }
        }
    }
    Ok(Value::str(out))
}

fn str_replace(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let (Some(old), Some(new)) = (str_arg(vm, &args, 1)?, str_arg(vm, &args, 2)?) else {
        return Err(vm.type_error("replace expected at least 2 arguments"));
    };
    let count = args.get(3).and_then(as_int).unwrap_or(-1);
    let out = if count < 0 {
        s.replace(&old, &new)
    } else {
        s.replacen(&old, &new, count as usize)
    };
    vm.hold(0)?;
    Ok(Value::str(out))
}

fn char_index(s: &str, byte: usize) -> i64 {
    s[..byte].chars().count() as i64
}

fn str_find(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let sub = str_arg(vm, &args, 1)?.unwrap_or_default();
    Ok(Value::Int(s.find(&sub).map_or(-1, |i| char_index(&s, i))))
}

fn str_rfind(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let sub = str_arg(vm, &args, 1)?.unwrap_or_default();
    Ok(Value::Int(s.rfind(&sub).map_or(-1, |i| char_index(&s, i))))
}

fn str_index(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let sub = str_arg(vm, &args, 1)?.unwrap_or_default();
    match s.find(&sub) {
        Some(i) => Ok(Value::Int(char_index(&s, i))),
        None => Err(vm.error("ValueError", "substring not found")),
    }
}

fn str_count(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let sub = str_arg(vm, &args, 1)?.unwrap_or_default();
    let n = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(&sub).count()
    };
    Ok(Value::Int(n as i64))
}

fn affix(vm: &mut Vm, args: &[Value], start: bool) -> R<Value> {
    let s = this_str(vm, args)?;
    let candidates = match args.get(1) {
        Some(Value::Tuple(t)) => t.to_vec(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    };
    for c in candidates {
        let Value::Str(c) = c else {
            return Err(vm.type_error("startswith first arg must be str or a tuple of str"));
        };
        if (start && s.starts_with(c.as_str())) || (!start && s.ends_with(c.as_str())) {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn str_startswith(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    affix(vm, &args, true)
}

fn str_endswith(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    affix(vm, &args, false)
}

fn str_test(vm: &mut Vm, args: &[Value], f: impl Fn(&str) -> bool) -> R<Value> {
    let s = this_str(vm, args)?;
    Ok(Value::Bool(!s.is_empty() && f(&s)))
}

fn str_isdigit(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_test(vm, &args, |s| {
        s.chars().all(|c| unicode::is(CharClass::Numeric, c))
    })
}

fn str_isalpha(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_test(vm, &args, |s| {
        s.chars().all(|c| unicode::is(CharClass::Alphabetic, c))
    })
}

fn str_isalnum(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_test(vm, &args, |s| {
        s.chars().all(|c| unicode::is(CharClass::Alphanumeric, c))
    })
}

fn str_isspace(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_test(vm, &args, |s| s.chars().all(char::is_whitespace))
}

fn str_isupper(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_test(vm, &args, |s| {
        let has = |class| s.chars().any(|c| unicode::is(class, c));
        has(CharClass::Uppercase) && !has(CharClass::Lowercase)
    })
}

fn str_islower(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    str_test(vm, &args, |s| {
        let has = |class| s.chars().any(|c| unicode::is(class, c));
        has(CharClass::Lowercase) && !has(CharClass::Uppercase)
    })
}

fn str_format(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    Ok(Value::str(vm.str_format(&s, &args[1..], &kwargs)?))
}

fn str_partition(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let sep = str_arg(vm, &args, 1)?.unwrap_or_default();
    Ok(Value::tuple(match s.find(&sep) {
        Some(i) => vec![
            Value::str(&s[..i]),
            Value::str(&*sep),
            Value::str(&s[i + sep.len()..]),
        ],
        None => vec![Value::str(&**s), Value::str(""), Value::str("")],
    }))
}

fn str_rpartition(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let sep = str_arg(vm, &args, 1)?.unwrap_or_default();
    Ok(Value::tuple(match s.rfind(&sep) {
        Some(i) => vec![
            Value::str(&s[..i]),
            Value::str(&*sep),
            Value::str(&s[i + sep.len()..]),
        ],
        None => vec![Value::str(""), Value::str(""), Value::str(&**s)],
    }))
}

/// The width `ljust`, `center`, `zfill` and the like pad to; a
/// MemoryError if the padded string would pass the tour's memory cap.
fn width_arg(vm: &Vm, args: &[Value]) -> R<usize> {
    let width = args.get(1).and_then(as_int).unwrap_or(0).max(0);
    let width = usize::try_from(width).map_err(|_| vm.memory_error())?;
    vm.hold(width)?;
    Ok(width)
}

fn justify(vm: &mut Vm, args: &[Value], how: char) -> R<Value> {
    let s = this_str(vm, args)?;
    let width = width_arg(vm, args)?;
    let fill = str_arg(vm, args, 2)?
        .and_then(|f| f.chars().next())
        .unwrap_or(' ');
    let len = s.chars().count();
    if len >= width {
        return Ok(Value::str(&**s));
    }
    let n = width - len;
    let f = |k: usize| fill.to_string().repeat(k);
    Ok(Value::str(match how {
        '<' => format!("{s}{}", f(n)),
        '>' => format!("{}{s}", f(n)),
        _ => {
            let left = n / 2 + (n & width & 1);
            format!("{}{s}{}", f(left), f(n - left))
        }
    }))
}

fn str_ljust(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    justify(vm, &args, '<')
}

fn str_rjust(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    justify(vm, &args, '>')
}

fn str_center(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    justify(vm, &args, '^')
}

fn str_zfill(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let width = width_arg(vm, &args)?;
    let len = s.chars().count();
    if len >= width {
        return Ok(Value::str(&**s));
    }
    let (sign, digits) = match s.strip_prefix(['-', '+']) {
        Some(d) => (&s[..1], d),
        None => ("", s.as_str()),
    };
    Ok(Value::str(format!(
        "{sign}{}{digits}",
        "0".repeat(width - len)
    )))
}

fn str_encode(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    Ok(Value::Bytes(Rc::new(s.as_bytes().to_vec())))
}

fn str_removeprefix(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let p = str_arg(vm, &args, 1)?.unwrap_or_default();
    Ok(Value::str(s.strip_prefix(&*p).unwrap_or(&s)))
}

fn str_removesuffix(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_str(vm, &args)?;
    let p = str_arg(vm, &args, 1)?.unwrap_or_default();
    Ok(Value::str(s.strip_suffix(&*p).unwrap_or(&s)))
}

fn this_list(vm: &Vm, args: &[Value]) -> R<Rc<RefCell<Vec<Value>>>> {
    match args.first() {
        Some(Value::List(l)) => Ok(l.clone()),
        _ => Err(vm.type_error("a list method needs a list")),
    }
}

builtins! { LIST_METHODS:
    "list.append" => list_append,
    "list.extend" => list_extend,
    "list.insert" => list_insert,
    "list.remove" => list_remove,
    "list.pop" => list_pop,
    "list.index" => list_index,
    "list.count" => list_count,
    "list.sort" => list_sort,
    "list.reverse" => list_reverse,
    "list.copy" => list_copy,
    "list.clear" => list_clear,
}

fn list_append(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let l = this_list(vm, &args)?;
    let v = arg(vm, &args, 1, "append")?;
    l.borrow_mut().push(v);
    Ok(Value::None)
}

fn list_extend(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let l = this_list(vm, &args)?;
    let items = vm.collect(&arg(vm, &args, 1, "extend")?)?;
    l.borrow_mut().extend(items);
    Ok(Value::None)
}

fn list_insert(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let l = this_list(vm, &args)?;
    let at = args.get(1).and_then(as_int).unwrap_or(0);
    let v = arg(vm, &args, 2, "insert")?;
    let mut l = l.borrow_mut();
    let len = l.len() as i64;
    let at = if at < 0 {
        (at + len).max(0)
    } else {
        at.min(len)
    };
    l.insert(at as usize, v);
    Ok(Value::None)
}

fn position(vm: &mut Vm, items: &[Value], v: &Value) -> R<Option<usize>> {
    for (i, item) in items.iter().enumerate() {
        if item.is(v) || vm.eq(item, v)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn list_remove(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let l = this_list(vm, &args)?;
    let v = arg(vm, &args, 1, "remove")?;
    let items = l.borrow().clone();
    match position(vm, &items, &v)? {
        Some(i) => {
            l.borrow_mut().remove(i);
            Ok(Value::None)
        }
        None => Err(vm.error("ValueError", "list.remove(x): x not in list")),
    }
}

fn list_pop(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let l = this_list(vm, &args)?;
    let len = l.borrow().len() as i64;
    if len == 0 {
        return Err(vm.error("IndexError", "pop from empty list"));
    }
    let at = args.get(1).and_then(as_int).unwrap_or(-1);
    let at = if at < 0 { at + len } else { at };
    if at < 0 || at >= len {
        return Err(vm.error("IndexError", "pop index out of range"));
    }
    let v = l.borrow_mut().remove(at as usize);
    Ok(v)
}

fn list_index(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let items = match args.first() {
        Some(Value::List(l)) => l.borrow().clone(),
        Some(Value::Tuple(t)) => t.to_vec(),
        _ => Vec::new(),
    };
    let v = arg(vm, &args, 1, "index")?;
    match position(vm, &items, &v)? {
        Some(i) => Ok(Value::Int(i as i64)),
        None => {
            let r = vm.repr(&v)?;
            let what = if matches!(args.first(), Some(Value::Tuple(_))) {
                "tuple.index(x): x not in tuple".to_string()
            } else {
                format!("{r} is not in list")
            };
            Err(vm.error("ValueError", what))
        }
    }
}

fn list_count(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let items = match args.first() {
        Some(Value::List(l)) => l.borrow().clone(),
        Some(Value::Tuple(t)) => t.to_vec(),
        _ => Vec::new(),
    };
    let v = arg(vm, &args, 1, "count")?;
    let mut n = 0;
    for item in &items {
        if item.is(&v) || vm.eq(item, &v)? {
            n += 1;
        }
    }
    Ok(Value::Int(n))
}

fn list_sort(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let l = this_list(vm, &args)?;
    let mut items = std::mem::take(&mut *l.borrow_mut());
    let key = kwarg(&kwargs, "key").filter(|k| !matches!(k, Value::None));
    let reverse = match kwarg(&kwargs, "reverse") {
        Some(r) => vm.truthy(&r)?,
        None => false,
    };
    let result = sort(vm, &mut items, key, reverse);
    *l.borrow_mut() = items;
    result.map(|_| Value::None)
}

fn list_reverse(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    this_list(vm, &args)?.borrow_mut().reverse();
    Ok(Value::None)
}

fn list_copy(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    Ok(Value::list(this_list(vm, &args)?.borrow().clone()))
}

fn list_clear(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    this_list(vm, &args)?.borrow_mut().clear();
    Ok(Value::None)
}

builtins! { TUPLE_METHODS:
    "tuple.index" => list_index,
    "tuple.count" => list_count,
}

fn this_dict(vm: &Vm, args: &[Value]) -> R<Rc<RefCell<Dict>>> {
    match args.first() {
        Some(Value::Dict(d) | Value::Set(d)) => Ok(d.clone()),
        _ => Err(vm.type_error("a dict method needs a dict")),
    }
}

builtins! { DICT_METHODS:
    "dict.keys" => dict_keys,
    "dict.values" => dict_values,
    "dict.items" => dict_items,
    "dict.get" => dict_get,
    "dict.pop" => dict_pop,
    "dict.setdefault" => dict_setdefault,
    "dict.update" => dict_update_method,
    "dict.copy" => dict_copy,
    "dict.clear" => dict_clear,
    "dict.popitem" => dict_popitem,
}

fn dict_view(vm: &Vm, args: &[Value], what: u8) -> R<Value> {
    let d = this_dict(vm, args)?;
    let items: Vec<Value> = d
        .borrow()
        .items()
        .map(|(k, v)| match what {
            0 => k.clone(),
            1 => v.clone(),
            _ => Value::tuple(vec![k.clone(), v.clone()]),
        })
        .collect();
    Ok(Value::list(items))
}

fn dict_keys(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    dict_view(vm, &args, 0)
}

fn dict_values(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    dict_view(vm, &args, 1)
}

fn dict_items(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    dict_view(vm, &args, 2)
}

fn dict_get(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let d = this_dict(vm, &args)?;
    let k = arg(vm, &args, 1, "get")?;
    let found = d.borrow().get(&k).map_err(|t| vm.unhashable(t))?;
    Ok(found.unwrap_or_else(|| args.get(2).cloned().unwrap_or(Value::None)))
}

fn dict_pop(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let d = this_dict(vm, &args)?;
    let k = arg(vm, &args, 1, "pop")?;
    let removed = d.borrow_mut().remove(&k).map_err(|t| vm.unhashable(t))?;
    match (removed, args.get(2)) {
        (Some(v), _) => Ok(v),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => Err(new_exception(vm.types.exception("KeyError"), vec![k])),
    }
}

fn dict_setdefault(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let d = this_dict(vm, &args)?;
    let k = arg(vm, &args, 1, "setdefault")?;
    let found = d.borrow().get(&k).map_err(|t| vm.unhashable(t))?;
    match found {
        Some(v) => Ok(v),
        None => {
            let v = args.get(2).cloned().unwrap_or(Value::None);
            d.borrow_mut()
                .insert(k, v.clone())
                .map_err(|t| vm.unhashable(t))?;
            Ok(v)
        }
    }
}

fn dict_update_method(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let d = this_dict(vm, &args)?;
    let mut copy = d.borrow().clone();
    if let Some(v) = args.get(1) {
        dict_update(vm, &mut copy, v)?;
    }
    for (k, v) in kwargs {
        let _ = copy.insert(Value::str(&*k), v);
    }
    *d.borrow_mut() = copy;
    Ok(Value::None)
}

fn dict_copy(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let d = this_dict(vm, &args)?;
    let copy = d.borrow().clone();
    Ok(match args.first() {
        Some(Value::Set(_)) => Value::Set(Rc::new(RefCell::new(copy))),
        _ => Value::Dict(Rc::new(RefCell::new(copy))),
    })
}

fn dict_clear(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    *this_dict(vm, &args)?.borrow_mut() = Dict::new();
    Ok(Value::None)
}

fn dict_popitem(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let d = this_dict(vm, &args)?;
    let last = d.borrow_mut().pop_last();
    match last {
        Some((k, v)) => Ok(Value::tuple(vec![k, v])),
        None => Err(new_exception(
            vm.types.exception("KeyError"),
            vec![Value::str("popitem(): dictionary is empty")],
        )),
    }
}

builtins! { SET_METHODS:
    "set.add" => set_add,
    "set.discard" => set_discard,
    "set.remove" => set_remove,
    "set.pop" => set_pop,
    "set.copy" => dict_copy,
    "set.clear" => dict_clear,
    "set.union" => set_union,
    "set.intersection" => set_intersection,
    "set.difference" => set_difference,
    "set.issubset" => set_issubset,
    "set.update" => set_update,
}

fn set_add(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_dict(vm, &args)?;
    let v = arg(vm, &args, 1, "add")?;
    s.borrow_mut()
        .insert(v, Value::None)
        .map_err(|t| vm.unhashable(t))?;
    Ok(Value::None)
}

fn set_discard(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_dict(vm, &args)?;
    let v = arg(vm, &args, 1, "discard")?;
    s.borrow_mut().remove(&v).map_err(|t| vm.unhashable(t))?;
    Ok(Value::None)
}

fn set_remove(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_dict(vm, &args)?;
    let v = arg(vm, &args, 1, "remove")?;
    let removed = s.borrow_mut().remove(&v).map_err(|t| vm.unhashable(t))?;
    match removed {
        Some(_) => Ok(Value::None),
        None => Err(new_exception(vm.types.exception("KeyError"), vec![v])),
    }
}

fn set_pop(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_dict(vm, &args)?;
    let first = s.borrow().items().next().map(|(k, _)| k.clone());
    match first {
        Some(k) => {
            let _ = s.borrow_mut().remove(&k);
            Ok(k)
        }
        None => Err(new_exception(
            vm.types.exception("KeyError"),
            vec![Value::str("pop from an empty set")],
        )),
    }
}

fn set_op(vm: &mut Vm, args: &[Value], op: super::ast::BinOp) -> R<Value> {
    let mut acc = args.first().cloned().unwrap_or(Value::None);
    for other in &args[1..] {
        let other = match other {
            Value::Set(_) => other.clone(),
            o => convert(vm, &vm.types.set.clone(), vec![o.clone()], Vec::new())?,
        };
        acc = vm.binary(op, &acc, &other, false)?;
    }
    Ok(acc)
}

fn set_union(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    set_op(vm, &args, super::ast::BinOp::BitOr)
}

fn set_intersection(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    set_op(vm, &args, super::ast::BinOp::BitAnd)
}

fn set_difference(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    set_op(vm, &args, super::ast::BinOp::Sub)
}

fn set_issubset(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_dict(vm, &args)?;
    let other = arg(vm, &args, 1, "issubset")?;
    let items: Vec<Value> = s.borrow().items().map(|(k, _)| k.clone()).collect();
    for item in items {
        if !vm.contains(&other, &item)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn set_update(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = this_dict(vm, &args)?;
    for other in &args[1..] {
        for item in vm.collect(other)? {
            s.borrow_mut()
                .insert(item, Value::None)
                .map_err(|t| vm.unhashable(t))?;
        }
    }
    Ok(Value::None)
}

builtins! { BYTES_METHODS:
    "bytes.decode" => bytes_decode,
}

fn bytes_decode(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    match args.first() {
        Some(Value::Bytes(b)) => Ok(Value::str(String::from_utf8_lossy(b).to_string())),
        _ => Err(vm.type_error("decode needs bytes")),
    }
}

builtins! { FLOAT_METHODS:
    "float.is_integer" => float_is_integer,
}

fn float_is_integer(_: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Bool(
        matches!(args.first(), Some(Value::Float(x)) if x.fract() == 0.0),
    ))
}

builtins! { INT_METHODS:
    "int.bit_length" => int_bit_length,
}

fn int_bit_length(_: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let i = args.first().and_then(as_int).unwrap_or(0);
    Ok(Value::Int(64 - i.unsigned_abs().leading_zeros() as i64))
}

builtins! { AGEN_METHODS:
    "async_generator.__anext__" => super::asyncio::anext,
}

builtins! { GEN_METHODS:
    "generator.send" => gen_send,
    "generator.__next__" => gen_next,
    "generator.close" => gen_close,
}

fn gen_send(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let Some(Value::Gen(g)) = args.first() else {
        return Err(vm.type_error("send needs a generator"));
    };
    let sent = args.get(1).cloned().unwrap_or(Value::None);
    match vm.resume(g, sent)? {
        Ok(v) => Ok(v),
        Err(ret) => {
            let args = if matches!(ret, Value::None) {
                Vec::new()
            } else {
                vec![ret]
            };
            let exc = new_exception(vm.types.exception("StopIteration"), args.clone());
            if let (Value::Instance(i), Some(v)) = (&exc, args.first()) {
                i.dict.set("value".into(), v.clone());
            }
            if let Value::Instance(i) = &exc {
                if args.is_empty() {
                    i.dict.set("value".into(), Value::None);
                }
            }
            Err(exc)
        }
    }
}

fn gen_next(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    next(vm, args, kwargs)
}

fn gen_close(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    if let Some(Value::Gen(g)) = args.first() {
        let mut g = g.borrow_mut();
        g.state = GenState::Closed;
        g.frame = None;
        vm.depth = vm.depth.saturating_sub(0);
    }
    Ok(Value::None)
}

/// Range helper for callers that need a range's length.
pub fn len_of_range(r: &[i64; 3]) -> usize {
    range_len(r)
}
