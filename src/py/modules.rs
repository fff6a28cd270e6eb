//! The modules a program can import: `asyncio` (native and Python, see
//! [`super::asyncio`]), `time` and `random` on the run's clock and seeded
//! generator. Modules the tour has no way to run (sockets, threads,
//! processes, other packages) are refused by name.

use std::rc::Rc;

use super::ast::Name;
use super::code::Program;
use super::mt::Mt;
use super::value::*;
use super::vm::Vm;
use crate::rt;

type R<T> = Result<T, Value>;
type Args = Vec<Value>;
type Kwargs = Vec<(Name, Value)>;

/// What the tour says of a module it cannot run.
pub fn refusal(name: &str) -> Option<&'static str> {
    Some(match name.split('.').next().unwrap_or(name) {
        "socket" | "ssl" | "selectors" => "a browser page cannot open sockets",
        "threading" | "multiprocessing" | "concurrent" | "subprocess" => {
            "a browser page has one thread for the reader's code: no threads or processes"
        }
        "aiohttp" | "requests" | "playwright" => {
            "the tour's Python has only the modules asyncio, time, random and httpx (its AsyncClient)"
        }
        _ => return None,
    })
}

/// Makes the module `name`, if the tour has it.
pub fn make(vm: &mut Vm, name: &str) -> R<Option<Value>> {
    let ns = match name {
        "asyncio" => asyncio(vm)?,
        "time" => natives(TIME),
        "random" => natives(RANDOM),
        "httpx" => httpx(vm)?,
        _ => {
            if let Some(why) = refusal(name) {
                return Err(vm.error(
                    "ModuleNotFoundError",
                    format!("No module named '{name}' in the tour's Python: {why}"),
                ));
            }
            return Ok(None);
        }
    };
    Ok(Some(Value::Module(Rc::new(Module {
        name: name.into(),
        ns,
    }))))
}

fn natives(table: &'static [Builtin]) -> Rc<Namespace> {
    let ns = Namespace::new(Vec::new());
    set_natives(&ns, table);
    ns
}

/// Sets each builtin of `table` in `ns` under its short name (`sleep` for
/// `time.sleep`).
fn set_natives(ns: &Namespace, table: &'static [Builtin]) {
    for b in table {
        let short = b.name.rsplit('.').next().unwrap_or(b.name);
        ns.set(short, Value::Builtin(b));
    }
}

/// A module's Python, compiled once for the page.
type Compiled = std::cell::OnceCell<Result<Rc<Program>, String>>;

thread_local! {
    static ASYNCIO: Compiled = const { std::cell::OnceCell::new() };
    static HTTPX: Compiled = const { std::cell::OnceCell::new() };
}

fn compiled(
    cell: &'static std::thread::LocalKey<Compiled>,
    source: &str,
    name: &str,
) -> Result<Rc<Program>, String> {
    cell.with(|p| {
        p.get_or_init(|| {
            Program::new(source, name)
                .map(Rc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
    })
}

/// Compiles the Python half of asyncio now, so that no run pays for it
/// (the page does this while the reader reads).
pub fn warm_up() -> Result<Rc<Program>, String> {
    compiled(&ASYNCIO, super::asyncio::PRELUDE, "asyncio.py")
}

/// A module of the tour's written in Python: its natives set in its
/// namespace by `natives`, then its program run there.
fn python_module(
    vm: &mut Vm,
    program: Result<Rc<Program>, String>,
    name: &str,
    natives: impl FnOnce(&Vm, &Namespace),
) -> R<Rc<Namespace>> {
    let program =
        program.map_err(|e| vm.error("SyntaxError", format!("in the tour's {name}: {e}")))?;
    let (frame, ns) = vm.module_frame(&program);
    natives(vm, &ns);
    vm.run(&mut vec![frame], 0)?;
    Ok(ns)
}

/// asyncio: its natives, then `asyncio.py` run in the same namespace.
fn asyncio(vm: &mut Vm) -> R<Rc<Namespace>> {
    python_module(vm, warm_up(), "asyncio.py", |vm, ns| {
        for n in [
            "_sleep",
            "anext",
            "gather",
            "current_task",
            "_create_task",
            "_run",
            "_future",
            "_call_soon",
            "_call_later",
            "_time",
            "_running",
            "_first",
            "_all_tasks",
        ] {
            if let Some(v) = super::asyncio::native(vm, n) {
                ns.set(n, v);
            }
        }
        ns.set("Future", Value::Class(vm.types.future.clone()));
        ns.set("Task", Value::Class(vm.types.task.clone()));
        for e in ["CancelledError", "TimeoutError", "InvalidStateError"] {
            ns.set(e, Value::Class(vm.types.exception(e)));
        }
    })
}

/// The tour's httpx: its natives, then `httpx.py` in the same namespace.
fn httpx(vm: &mut Vm) -> R<Rc<Namespace>> {
    let program = compiled(&HTTPX, super::http::PRELUDE, "httpx.py");
    python_module(vm, program, "httpx.py", |_, ns| {
        set_natives(ns, super::http::NATIVES)
    })
}

macro_rules! table {
    ($table:ident: $($name:literal => $f:ident,)*) => {
        static $table: &[Builtin] = &[$(Builtin { name: $name, call: $f },)*];
    };
}

table! { TIME:
    "time.perf_counter" => now,
    "time.monotonic" => now,
    "time.time" => wall,
    "time.sleep" => block,
}

table! { RANDOM:
    "random.randint" => randint,
    "random.random" => random,
    "random.uniform" => uniform,
    "random.choice" => choice,
    "random.shuffle" => shuffle,
    "random.seed" => seed,
}

fn secs(vm: &Vm, v: Option<&Value>) -> R<f64> {
    match v {
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Float(x)) => Ok(*x),
        Some(Value::Bool(b)) => Ok(*b as i64 as f64),
        _ => Err(vm.type_error("'NoneType' object cannot be interpreted as an integer")),
    }
}

fn now(_: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Float(rt::now().0))
}

fn wall(_: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Float(js_sys::Date::now() / 1000.0))
}

fn block(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let s = secs(vm, args.first())?;
    if s < 0.0 {
        return Err(vm.error("ValueError", "sleep length must be non-negative"));
    }
    rt::blocking_sleep(s);
    Ok(Value::None)
}

fn int_of(vm: &Vm, v: Option<&Value>) -> R<i64> {
    v.and_then(as_int)
        .ok_or_else(|| vm.type_error("an integer is required"))
}

/// `_randbelow(n)`: from CPython's generator once the program seeded it,
/// else from the run's (as the Rust lessons draw, so the lessons' Python
/// waits what their Rust waits).
fn below(vm: &mut Vm, n: u64) -> u64 {
    if let Some(mt) = &mut vm.random {
        return mt.below(n);
    }
    match u32::try_from(n - 1) {
        Ok(top) => u64::from(rt::randint(0, top)),
        Err(_) => draw_u64() % n,
    }
}

fn draw_u64() -> u64 {
    u64::from(rt::randint(0, u32::MAX)) << 32 | u64::from(rt::randint(0, u32::MAX))
}

/// `random.random()`.
fn unit(vm: &mut Vm) -> f64 {
    match &mut vm.random {
        Some(mt) => mt.random(),
        None => (draw_u64() >> 11) as f64 / (1u64 << 53) as f64,
    }
}

fn randint(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let (a, b) = (int_of(vm, args.first())?, int_of(vm, args.get(1))?);
    let (stop, width) = (i128::from(b) + 1, i128::from(b) + 1 - i128::from(a));
    if width <= 0 {
        return Err(vm.error(
            "ValueError",
            format!("empty range for randrange() ({a}, {stop}, {width})"),
        ));
    }
    let Ok(width) = u64::try_from(width) else {
        return Err(vm.error("OverflowError", "the tour's ints are 64-bit"));
    };
    Ok(Value::Int(
        (i128::from(a) + i128::from(below(vm, width))) as i64,
    ))
}

fn random(vm: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Float(unit(vm)))
}

fn uniform(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let (a, b) = (secs(vm, args.first())?, secs(vm, args.get(1))?);
    Ok(Value::Float(a + (b - a) * unit(vm)))
}

fn choice(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let items = vm.collect(&args.first().cloned().unwrap_or(Value::None))?;
    if items.is_empty() {
        return Err(vm.error("IndexError", "Cannot choose from an empty sequence"));
    }
    let i = below(vm, items.len() as u64) as usize;
    Ok(items[i].clone())
}

fn shuffle(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let Some(Value::List(l)) = args.first() else {
        return Err(vm.type_error("shuffle needs a list"));
    };
    let n = l.borrow().len();
    for i in (1..n).rev() {
        let j = below(vm, i as u64 + 1) as usize;
        l.borrow_mut().swap(i, j);
    }
    Ok(Value::None)
}

/// `random.seed(n)`: from here on the numbers are CPython's for that
/// seed; `random.seed()` goes back to the run's generator.
fn seed(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    vm.random = match args.first() {
        None | Some(Value::None) => None,
        Some(v) => match as_int(v) {
            Some(n) => Some(Box::new(Mt::seeded(n.unsigned_abs()))),
            None => {
                let t = vm.type_name(v);
                return Err(vm.error(
                    "NotImplementedError",
                    format!("the tour's random.seed takes an int or None, not {t}"),
                ));
            }
        },
    };
    Ok(Value::None)
}
