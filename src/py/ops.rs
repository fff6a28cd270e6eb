//! What Python's operators and protocols do with each kind of value:
//! arithmetic, comparison, truth, attributes, items, iteration, `repr`
//! and `str`. A class of the reader's gets its dunder methods called.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use super::ast::{BinOp, CmpOp, Name, UnaryOp};
use super::format;
use super::value::*;
use super::vm::Vm;

type R<T> = Result<T, Value>;

fn dunder(op: BinOp) -> (&'static str, &'static str) {
    use BinOp::*;
    match op {
        Add => ("__add__", "__radd__"),
        Sub => ("__sub__", "__rsub__"),
        Mul => ("__mul__", "__rmul__"),
        MatMul => ("__matmul__", "__rmatmul__"),
        Div => ("__truediv__", "__rtruediv__"),
        FloorDiv => ("__floordiv__", "__rfloordiv__"),
        Mod => ("__mod__", "__rmod__"),
        Pow => ("__pow__", "__rpow__"),
        LShift => ("__lshift__", "__rlshift__"),
        RShift => ("__rshift__", "__rrshift__"),
        BitOr => ("__or__", "__ror__"),
        BitXor => ("__xor__", "__rxor__"),
        BitAnd => ("__and__", "__rand__"),
    }
}

fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Float(x) => Some(*x),
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        _ => None,
    }
}

impl Vm {
    /// The name of a value's type, as messages give it.
    pub fn type_name(&self, v: &Value) -> String {
        self.class_of(v).name.to_string()
    }

    /// `type(v)`.
    pub fn class_of(&self, v: &Value) -> Rc<Class> {
        let t = &self.types;
        match v {
            Value::None => t.none.clone(),
            Value::Bool(_) => t.bool.clone(),
            Value::Int(_) => t.int.clone(),
            Value::Float(_) => t.float.clone(),
            Value::Str(_) => t.str.clone(),
            Value::Bytes(_) => t.bytes.clone(),
            Value::Tuple(_) => t.tuple.clone(),
            Value::List(_) => t.list.clone(),
            Value::Dict(_) => t.dict.clone(),
            Value::Set(_) => t.set.clone(),
            Value::Range(_) => t.range.clone(),
            Value::Slice(_) => t.slice.clone(),
            Value::Function(_) => t.function.clone(),
            Value::Builtin(_) => t.builtin_function.clone(),
            Value::Method(_) => t.method.clone(),
            Value::Class(_) => t.type_.clone(),
            Value::Instance(i) => i.class.clone(),
            Value::Iter(_) => t.iterator.clone(),
            Value::Gen(g) => match g.borrow().kind {
                GenKind::Generator => t.generator.clone(),
                GenKind::Coroutine => t.coroutine.clone(),
                GenKind::AsyncGenerator => t.async_generator.clone(),
            },
            Value::Module(_) => t.module.clone(),
            Value::Future(f) => match f.kind {
                FutureKind::Task { .. } => t.task.clone(),
                _ => t.future.clone(),
            },
        }
    }

    /// Whether `class` is an exception group's.
    pub fn is_group(&self, class: &Rc<Class>) -> bool {
        class.is_subclass(&self.types.exception("BaseExceptionGroup"))
    }

    /// `TypeError: unhashable type: 'list'`.
    pub fn unhashable(&self, t: &str) -> Value {
        self.type_error(format!("unhashable type: '{t}'"))
    }

    fn overflow(&self) -> Value {
        self.error(
            "OverflowError",
            "the tour's Python has 64-bit ints, and this result does not fit",
        )
    }

    /// Calls `name` on an instance of the reader's class, if it has it.
    fn dunder_call(&mut self, obj: &Value, name: &str, args: Vec<Value>) -> R<Option<Value>> {
        let Value::Instance(i) = obj else {
            return Ok(None);
        };
        match i.class.lookup(name) {
            Some(f) => {
                let mut all = vec![obj.clone()];
                all.extend(args);
                self.call(f, all, Vec::new()).map(Some)
            }
            None => Ok(None),
        }
    }

    /// `a op b`.
    pub fn binary(&mut self, op: BinOp, a: &Value, b: &Value, inplace: bool) -> R<Value> {
        use Value::*;
        if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
            return self.int_op(op, x, y);
        }
        if let (Some(x), Some(y), true) = (
            float_of(a),
            float_of(b),
            matches!(a, Float(_)) || matches!(b, Float(_)),
        ) {
            return self.float_op(op, x, y);
        }
        match (op, a, b) {
            (BinOp::Add, Str(x), Str(y)) => return Ok(Value::str(format!("{x}{y}"))),
            (BinOp::Add, Bytes(x), Bytes(y)) => {
                return Ok(Bytes(Rc::new([&x[..], &y[..]].concat())))
            }
            (BinOp::Add, List(x), List(y)) => {
                if inplace {
                    let items = y.borrow().clone();
                    x.borrow_mut().extend(items);
                    return Ok(a.clone());
                }
                let mut v = x.borrow().clone();
                v.extend(y.borrow().iter().cloned());
                return Ok(Value::list(v));
            }
            (BinOp::Add, Tuple(x), Tuple(y)) => {
                return Ok(Value::tuple(x.iter().chain(y.iter()).cloned().collect()));
            }
            (BinOp::Mul, Str(s), n) | (BinOp::Mul, n, Str(s)) if as_int(n).is_some() => {
                let n = self.repeats(as_int(n), s.len(), 1)?;
                return Ok(Value::str(s.repeat(n)));
            }
            (BinOp::Mul, Bytes(s), n) | (BinOp::Mul, n, Bytes(s)) if as_int(n).is_some() => {
                let n = self.repeats(as_int(n), s.len(), 1)?;
                return Ok(Bytes(Rc::new(s.repeat(n))));
            }
            (BinOp::Mul, List(l), n) | (BinOp::Mul, n, List(l)) if as_int(n).is_some() => {
                let items = l.borrow();
                let n = self.repeats(as_int(n), items.len(), size_of::<Value>())?;
                let mut out = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    out.extend(items.iter().cloned());
                }
                return Ok(Value::list(out));
            }
            (BinOp::Mul, Tuple(t), n) | (BinOp::Mul, n, Tuple(t)) if as_int(n).is_some() => {
                let n = self.repeats(as_int(n), t.len(), size_of::<Value>())?;
                let mut out = Vec::with_capacity(t.len() * n);
                for _ in 0..n {
                    out.extend(t.iter().cloned());
                }
                return Ok(Value::tuple(out));
            }
            (BinOp::Mod, Str(s), args) => return format::percent(self, s, args),
            (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Set(x), Set(y)) => {
                let (x, y) = (x.borrow(), y.borrow());
                let mut out = super::value::Dict::new();
                let keep = |in_other: bool| match op {
                    BinOp::BitOr => true,
                    BinOp::BitAnd => in_other,
                    _ => !in_other,
                };
                for (k, _) in x.items() {
                    let in_other = y.get(k).ok().flatten().is_some();
                    if keep(in_other) {
                        let _ = out.insert(k.clone(), None);
                    }
                }
                if matches!(op, BinOp::BitOr | BinOp::BitXor) {
                    for (k, _) in y.items() {
                        if x.get(k).ok().flatten().is_none() {
                            let _ = out.insert(k.clone(), None);
                        }
                    }
                }
                return Ok(Set(Rc::new(RefCell::new(out))));
            }
            (BinOp::BitOr, Dict(x), Dict(y)) => {
                let mut out = x.borrow().clone();
                for (k, v) in y.borrow().items() {
                    let _ = out.insert(k.clone(), v.clone());
                }
                return Ok(Dict(Rc::new(RefCell::new(out))));
            }
            _ => {}
        }
        let (name, rname) = dunder(op);
        if inplace {
            let iname = format!("__i{}", &name[2..]);
            if let Some(v) = self.dunder_call(a, &iname, vec![b.clone()])? {
                return Ok(v);
            }
        }
        if let Some(v) = self.dunder_call(a, name, vec![b.clone()])? {
            if !is_not_implemented(&v) {
                return Ok(v);
            }
        }
        if let Some(v) = self.dunder_call(b, rname, vec![a.clone()])? {
            if !is_not_implemented(&v) {
                return Ok(v);
            }
        }
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        let sym = op.symbol();
        let sym = if inplace {
            format!("{sym}=")
        } else {
            sym.to_string()
        };
        if op == BinOp::Add && ta == "str" {
            return Err(self.type_error(format!("can only concatenate str (not \"{tb}\") to str")));
        }
        if op == BinOp::Add && ta == "list" {
            return Err(
                self.type_error(format!("can only concatenate list (not \"{tb}\") to list"))
            );
        }
        if op == BinOp::Mul && (ta == "str" || ta == "list" || ta == "tuple") && tb == "float" {
            return Err(
                self.type_error(format!("can't multiply sequence by non-int of type '{tb}'"))
            );
        }
        Err(self.type_error(format!(
            "unsupported operand type(s) for {sym}: '{ta}' and '{tb}'"
        )))
    }

    /// How many times to repeat `len` items of `each` bytes (`seq * n`):
    /// none if there is nothing to repeat, a MemoryError if the result
    /// would pass the tour's memory cap.
    pub fn repeats(&self, times: Option<i64>, len: usize, each: usize) -> R<usize> {
        let times = times.unwrap_or(0).max(0) as u128;
        if len == 0 || times == 0 {
            return Ok(0);
        }
        let bytes =
            usize::try_from(times * len as u128 * each as u128).map_err(|_| self.memory_error())?;
        self.hold(bytes)?;
        Ok(times as usize)
    }

    fn int_op(&self, op: BinOp, x: i64, y: i64) -> R<Value> {
        use BinOp::*;
        let zero = || self.error("ZeroDivisionError", "integer division or modulo by zero");
        let r = match op {
            Add => x.checked_add(y),
            Sub => x.checked_sub(y),
            Mul => x.checked_mul(y),
            Div => {
                if y == 0 {
                    return Err(self.error("ZeroDivisionError", "division by zero"));
                }
                return Ok(Value::Float(x as f64 / y as f64));
            }
            FloorDiv => {
                if y == 0 {
                    return Err(zero());
                }
                x.checked_div_euclid(y).map(|q| {
                    // Python floors; div_euclid keeps the remainder positive.
                    let r = x - q * y;
                    if r != 0 && (y < 0) {
                        q + 1
                    } else {
                        q
                    }
                })
            }
            Mod => {
                if y == 0 {
                    return Err(zero());
                }
                let r = x.wrapping_rem(y);
                Some(if r != 0 && ((r < 0) != (y < 0)) {
                    r + y
                } else {
                    r
                })
            }
            Pow => {
                if y < 0 {
                    return Ok(Value::Float((x as f64).powf(y as f64)));
                }
                u32::try_from(y).ok().and_then(|e| x.checked_pow(e))
            }
            LShift => {
                if y < 0 {
                    return Err(self.error("ValueError", "negative shift count"));
                }
                if y >= 64 || (x << y) >> y != x {
                    None
                } else {
                    Some(x << y)
                }
            }
            RShift => {
                if y < 0 {
                    return Err(self.error("ValueError", "negative shift count"));
                }
                Some(if y >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> y
                })
            }
            BitOr => Some(x | y),
            BitXor => Some(x ^ y),
            BitAnd => Some(x & y),
            MatMul => {
                return Err(self.type_error("unsupported operand type(s) for @: 'int' and 'int'"));
            }
        };
        r.map(Value::Int).ok_or_else(|| self.overflow())
    }

    fn float_op(&self, op: BinOp, x: f64, y: f64) -> R<Value> {
        use BinOp::*;
        Ok(Value::Float(match op {
            Add => x + y,
            Sub => x - y,
            Mul => x * y,
            Div => {
                if y == 0.0 {
                    return Err(self.error("ZeroDivisionError", "float division by zero"));
                }
                x / y
            }
            FloorDiv => {
                if y == 0.0 {
                    return Err(self.error("ZeroDivisionError", "float floor division by zero"));
                }
                (x / y).floor()
            }
            Mod => {
                if y == 0.0 {
                    return Err(self.error("ZeroDivisionError", "float modulo"));
                }
                let r = x % y;
                if r != 0.0 && ((r < 0.0) != (y < 0.0)) {
                    r + y
                } else {
                    r
                }
            }
            Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(self.error(
                        "ZeroDivisionError",
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                x.powf(y)
            }
            _ => {
                let sym = op.symbol();
                return Err(self.type_error(format!(
                    "unsupported operand type(s) for {sym}: 'float' and 'float'"
                )));
            }
        }))
    }

    /// `op a`.
    pub fn unary(&mut self, op: UnaryOp, a: &Value) -> R<Value> {
        match (op, a) {
            (UnaryOp::Not, v) => Ok(Value::Bool(!self.truthy(v)?)),
            (UnaryOp::Neg, Value::Int(i)) => i
                .checked_neg()
                .map(Value::Int)
                .ok_or_else(|| self.overflow()),
            (UnaryOp::Neg, Value::Bool(b)) => Ok(Value::Int(-(*b as i64))),
            (UnaryOp::Neg, Value::Float(x)) => Ok(Value::Float(-x)),
            (UnaryOp::Pos, Value::Int(_) | Value::Float(_)) => Ok(a.clone()),
            (UnaryOp::Pos, Value::Bool(b)) => Ok(Value::Int(*b as i64)),
            (UnaryOp::Invert, v) if as_int(v).is_some() => Ok(Value::Int(!as_int(v).unwrap_or(0))),
            _ => {
                let name = match op {
                    UnaryOp::Neg => "__neg__",
                    UnaryOp::Pos => "__pos__",
                    _ => "__invert__",
                };
                if let Some(v) = self.dunder_call(a, name, Vec::new())? {
                    return Ok(v);
                }
                let sym = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Pos => "+",
                    _ => "~",
                };
                let t = self.type_name(a);
                Err(self.type_error(format!("bad operand type for unary {sym}: '{t}'")))
            }
        }
    }

    /// `a op b` for the comparisons.
    pub fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> R<Value> {
        let r = match op {
            CmpOp::Is => a.is(b),
            CmpOp::IsNot => !a.is(b),
            CmpOp::In => self.contains(b, a)?,
            CmpOp::NotIn => !self.contains(b, a)?,
            CmpOp::Eq => return self.rich_eq(a, b, false),
            CmpOp::NotEq => return self.rich_eq(a, b, true),
            _ => {
                let (name, swapped) = match op {
                    CmpOp::Lt => ("__lt__", "__gt__"),
                    CmpOp::LtE => ("__le__", "__ge__"),
                    CmpOp::Gt => ("__gt__", "__lt__"),
                    _ => ("__ge__", "__le__"),
                };
                if let Some(v) = self.dunder_call(a, name, vec![b.clone()])? {
                    if !is_not_implemented(&v) {
                        return Ok(v);
                    }
                }
                if let Some(v) = self.dunder_call(b, swapped, vec![a.clone()])? {
                    if !is_not_implemented(&v) {
                        return Ok(v);
                    }
                }
                let ord = self.order(a, b, op)?;
                match op {
                    CmpOp::Lt => ord == Ordering::Less,
                    CmpOp::LtE => ord != Ordering::Greater,
                    CmpOp::Gt => ord == Ordering::Greater,
                    _ => ord != Ordering::Less,
                }
            }
        };
        Ok(Value::Bool(r))
    }

    /// `a == b` (or `!=`), with `__eq__` for the reader's classes and
    /// containers compared item by item.
    pub fn rich_eq(&mut self, a: &Value, b: &Value, negate: bool) -> R<Value> {
        if let Some(v) =
            self.dunder_call(a, if negate { "__ne__" } else { "__eq__" }, vec![b.clone()])?
        {
            if !is_not_implemented(&v) {
                return Ok(v);
            }
        }
        if let Some(v) =
            self.dunder_call(b, if negate { "__ne__" } else { "__eq__" }, vec![a.clone()])?
        {
            if !is_not_implemented(&v) {
                return Ok(v);
            }
        }
        Ok(Value::Bool(self.eq(a, b)? != negate))
    }

    /// Equality, calling `__eq__` where a class of the reader's has it.
    pub fn eq(&mut self, a: &Value, b: &Value) -> R<bool> {
        match (a, b) {
            (Value::Instance(_), _) | (_, Value::Instance(_)) => {
                if a.is(b) {
                    return Ok(true);
                }
                match self.dunder_call(a, "__eq__", vec![b.clone()])? {
                    Some(v) if !is_not_implemented(&v) => self.truthy(&v),
                    _ => match self.dunder_call(b, "__eq__", vec![a.clone()])? {
                        Some(v) if !is_not_implemented(&v) => self.truthy(&v),
                        _ => Ok(false),
                    },
                }
            }
            (Value::List(x), Value::List(y)) => {
                let (x, y) = (x.borrow().clone(), y.borrow().clone());
                self.seq_eq(&x, &y)
            }
            (Value::Tuple(x), Value::Tuple(y)) => self.seq_eq(&x.clone(), &y.clone()),
            (Value::Dict(x), Value::Dict(y)) => {
                let x: Vec<(Value, Value)> = x
                    .borrow()
                    .items()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let y = y.borrow().clone();
                if x.len() != y.len() {
                    return Ok(false);
                }
                for (k, v) in x {
                    match y.get(&k) {
                        Ok(Some(w)) if self.eq(&v, &w)? => {}
                        _ => return Ok(false),
                    }
                }
                Ok(true)
            }
            (Value::Set(x), Value::Set(y)) => {
                let (x, y) = (x.borrow(), y.borrow());
                Ok(x.len() == y.len() && x.items().all(|(k, _)| y.get(k).ok().flatten().is_some()))
            }
            _ => Ok(equal(a, b)),
        }
    }

    fn seq_eq(&mut self, x: &[Value], y: &[Value]) -> R<bool> {
        if x.len() != y.len() {
            return Ok(false);
        }
        for (p, q) in x.iter().zip(y) {
            if !self.eq(p, q)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The order of two values of the builtin types.
    pub fn order(&mut self, a: &Value, b: &Value, op: CmpOp) -> R<Ordering> {
        use Value::*;
        if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
            return Ok(x.cmp(&y));
        }
        if let (Some(x), Some(y)) = (float_of(a), float_of(b)) {
            return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
        }
        match (a, b) {
            (Str(x), Str(y)) => Ok(x.as_str().cmp(y.as_str())),
            (Bytes(x), Bytes(y)) => Ok(x.cmp(y)),
            (List(x), List(y)) => {
                let (x, y) = (x.borrow().clone(), y.borrow().clone());
                self.seq_order(&x, &y, op)
            }
            (Tuple(x), Tuple(y)) => self.seq_order(&x.clone(), &y.clone(), op),
            _ => {
                let sym = match op {
                    CmpOp::Lt => "<",
                    CmpOp::LtE => "<=",
                    CmpOp::Gt => ">",
                    _ => ">=",
                };
                let (ta, tb) = (self.type_name(a), self.type_name(b));
                Err(self.type_error(format!(
                    "'{sym}' not supported between instances of '{ta}' and '{tb}'"
                )))
            }
        }
    }

    fn seq_order(&mut self, x: &[Value], y: &[Value], op: CmpOp) -> R<Ordering> {
        for (p, q) in x.iter().zip(y) {
            if !self.eq(p, q)? {
                if matches!((p, q), (Value::Instance(_), _) | (_, Value::Instance(_))) {
                    let lt = self.compare(CmpOp::Lt, p, q)?;
                    return Ok(if self.truthy(&lt)? {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    });
                }
                return self.order(p, q, op);
            }
        }
        Ok(x.len().cmp(&y.len()))
    }

    /// `needle in hay`.
    pub fn contains(&mut self, hay: &Value, needle: &Value) -> R<bool> {
        match hay {
            Value::Str(s) => match needle {
                Value::Str(n) => Ok(s.contains(n.as_str())),
                other => {
                    let t = self.type_name(other);
                    Err(self.type_error(format!(
                        "'in <string>' requires string as left operand, not {t}"
                    )))
                }
            },
            Value::Bytes(b) => match needle {
                Value::Bytes(n) => Ok(n.is_empty() || b.windows(n.len()).any(|w| w == &n[..])),
                Value::Int(i) => Ok(b.contains(&(*i as u8))),
                _ => Err(self.type_error("a bytes-like object is required")),
            },
            Value::Dict(d) | Value::Set(d) => {
                let r = d.borrow().get(needle).map_err(|t| self.unhashable(t))?;
                Ok(r.is_some())
            }
            Value::Range(r) => Ok(match as_int(needle) {
                Some(i) => {
                    let [start, stop, step] = **r;
                    (if step > 0 {
                        i >= start && i < stop
                    } else {
                        i <= start && i > stop
                    }) && (i - start) % step == 0
                }
                None => false,
            }),
            Value::Instance(_) => {
                if let Some(v) = self.dunder_call(hay, "__contains__", vec![needle.clone()])? {
                    return self.truthy(&v);
                }
                let items = self.collect(hay)?;
                self.any_eq(&items, needle)
            }
            _ => {
                let items = self.collect(hay)?;
                self.any_eq(&items, needle)
            }
        }
    }

    fn any_eq(&mut self, items: &[Value], needle: &Value) -> R<bool> {
        for item in items {
            if item.is(needle) || self.eq(item, needle)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether a value is true.
    pub fn truthy(&mut self, v: &Value) -> R<bool> {
        Ok(match v {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(x) => *x != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Dict(d) | Value::Set(d) => !d.borrow().is_empty(),
            Value::Range(_) => self.len(v)? > 0,
            Value::Instance(_) => {
                if let Some(b) = self.dunder_call(v, "__bool__", Vec::new())? {
                    return self.truthy(&b);
                }
                if let Some(n) = self.dunder_call(v, "__len__", Vec::new())? {
                    return self.truthy(&n);
                }
                true
            }
            _ => true,
        })
    }

    /// `len(v)`.
    pub fn len(&mut self, v: &Value) -> R<usize> {
        Ok(match v {
            Value::Str(s) => s.chars().count(),
            Value::Bytes(b) => b.len(),
            Value::Tuple(t) => t.len(),
            Value::List(l) => l.borrow().len(),
            Value::Dict(d) | Value::Set(d) => d.borrow().len(),
            Value::Range(r) => range_len(r),
            Value::Instance(_) => match self.dunder_call(v, "__len__", Vec::new())? {
                Some(n) => match as_int(&n) {
                    Some(n) if n >= 0 => n as usize,
                    _ => return Err(self.type_error("'__len__' should return a non-negative int")),
                },
                None => {
                    let t = self.type_name(v);
                    return Err(self.type_error(format!("object of type '{t}' has no len()")));
                }
            },
            other => {
                let t = self.type_name(other);
                return Err(self.type_error(format!("object of type '{t}' has no len()")));
            }
        })
    }

    // --- Attributes -------------------------------------------------------

    /// `obj.name`.
    pub fn getattr(&mut self, obj: &Value, name: &str) -> R<Value> {
        match obj {
            Value::Instance(inst) if Rc::ptr_eq(&inst.class, &self.types.super_) => {
                super::builtins::super_getattr(self, inst, name)
            }
            Value::Instance(inst) => {
                if let Some(v) = inst.dict.get(name) {
                    return Ok(v);
                }
                if let Some(v) = inst.class.lookup(name) {
                    return Ok(bind(obj, v));
                }
                if let Some(state) = &inst.exc {
                    match name {
                        "args" => return Ok(Value::tuple(state.borrow().args.clone())),
                        "__cause__" => {
                            return Ok(state.borrow().cause.clone().unwrap_or(Value::None))
                        }
                        "__context__" => {
                            return Ok(state.borrow().context.clone().unwrap_or(Value::None))
                        }
                        "value" if &*inst.class.name == "StopIteration" => {
                            return Ok(state.borrow().args.first().cloned().unwrap_or(Value::None))
                        }
                        "exceptions" | "message" if self.is_group(&inst.class) => {
                            let args = state.borrow().args.clone();
                            return Ok(match name {
                                "message" => args.first().cloned().unwrap_or(Value::None),
                                _ => Value::tuple(match args.get(1) {
                                    Some(v) => self.collect(v)?,
                                    None => Vec::new(),
                                }),
                            });
                        }
                        _ => {}
                    }
                }
                if name == "__class__" {
                    return Ok(Value::Class(inst.class.clone()));
                }
                if name == "__dict__" {
                    let mut d = Dict::new();
                    for (k, v) in inst.dict.items() {
                        let _ = d.insert(Value::str(&*k), v);
                    }
                    return Ok(Value::Dict(Rc::new(RefCell::new(d))));
                }
                if let Some(f) = inst.class.lookup("__getattr__") {
                    return self.call(f, vec![obj.clone(), Value::str(name)], Vec::new());
                }
                Err(self.error(
                    "AttributeError",
                    format!("'{}' object has no attribute '{name}'", inst.class.name),
                ))
            }
            Value::Class(c) => {
                if let Some(v) = c.lookup(name) {
                    return Ok(v);
                }
                match name {
                    "__name__" | "__qualname__" => return Ok(Value::str(&*c.name)),
                    "__mro__" => {
                        let mut all = vec![obj.clone()];
                        all.extend(c.mro.iter().map(|m| Value::Class(m.clone())));
                        return Ok(Value::tuple(all));
                    }
                    "__bases__" => {
                        return Ok(Value::tuple(
                            c.bases.iter().map(|b| Value::Class(b.clone())).collect(),
                        ))
                    }
                    _ => {}
                }
                if let Some(m) = super::builtins::method(c, name) {
                    return Ok(Value::Builtin(m));
                }
                Err(self.error(
                    "AttributeError",
                    format!("type object '{}' has no attribute '{name}'", c.name),
                ))
            }
            Value::Module(m) => match m.ns.get(name) {
                Some(v) => Ok(v),
                // A module's own `__getattr__` (PEP 562) has the last word.
                None => match m.ns.get("__getattr__") {
                    Some(hook) => self.call(hook, vec![Value::str(name)], Vec::new()),
                    None => Err(self.error(
                        "AttributeError",
                        format!("module '{}' has no attribute '{name}'", m.name),
                    )),
                },
            },
            Value::Function(f) if name == "__name__" || name == "__qualname__" => {
                Ok(Value::str(&*f.code.name))
            }
            Value::Builtin(b) if name == "__name__" => {
                Ok(Value::str(b.name.rsplit('.').next().unwrap_or(b.name)))
            }
            Value::Gen(g) if name == "__name__" => Ok(Value::str(&*g.borrow().name)),
            _ => {
                if name == "__class__" {
                    return Ok(Value::Class(self.class_of(obj)));
                }
                let class = self.class_of(obj);
                if let Some(m) = super::builtins::method(&class, name) {
                    return Ok(Value::Method(Rc::new((obj.clone(), Value::Builtin(m)))));
                }
                Err(self.error(
                    "AttributeError",
                    format!("'{}' object has no attribute '{name}'", class.name),
                ))
            }
        }
    }

    /// `obj.name = v`.
    pub fn setattr(&mut self, obj: &Value, name: Name, v: Value) -> R<()> {
        match obj {
            Value::Instance(inst) => {
                if let Some(f) = inst.class.lookup("__setattr__") {
                    self.call(f, vec![obj.clone(), Value::str(&*name), v], Vec::new())?;
                    return Ok(());
                }
                inst.dict.set(name, v);
                Ok(())
            }
            Value::Class(c) if c.kind == ClassKind::Plain || c.kind == ClassKind::Exception => {
                c.dict.set(name, v);
                Ok(())
            }
            other => {
                let t = self.type_name(other);
                Err(self.error(
                    "AttributeError",
                    format!("'{t}' object has no attribute '{name}'"),
                ))
            }
        }
    }

    // --- Items ------------------------------------------------------------

    fn index(&self, len: usize, i: &Value, what: &str) -> R<usize> {
        let Some(i) = as_int(i) else {
            let t = self.type_name(i);
            return Err(self.type_error(format!(
                "{what} indices must be integers or slices, not {t}"
            )));
        };
        let at = if i < 0 { i + len as i64 } else { i };
        if at < 0 || at >= len as i64 {
            return Err(self.error("IndexError", format!("{what} index out of range")));
        }
        Ok(at as usize)
    }

    /// The positions a slice takes of a sequence of `len` items.
    pub fn slice_indices(&self, s: &[Value; 3], len: usize) -> R<Vec<usize>> {
        let step = match &s[2] {
            Value::None => 1,
            v => as_int(v)
                .ok_or_else(|| self.type_error("slice indices must be integers or None"))?,
        };
        if step == 0 {
            return Err(self.error("ValueError", "slice step cannot be zero"));
        }
        let len = len as i64;
        let clamp = |v: &Value, default: i64| -> R<i64> {
            match v {
                Value::None => Ok(default),
                v => {
                    let i = as_int(v)
                        .ok_or_else(|| self.type_error("slice indices must be integers or None"))?;
                    let i = if i < 0 { i + len } else { i };
                    Ok(if step > 0 {
                        i.clamp(0, len)
                    } else {
                        i.clamp(-1, len - 1)
                    })
                }
            }
        };
        let (start, stop) = if step > 0 {
            (clamp(&s[0], 0)?, clamp(&s[1], len)?)
        } else {
            (clamp(&s[0], len - 1)?, clamp(&s[1], -1)?)
        };
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            out.push(i as usize);
            i += step;
        }
        Ok(out)
    }

    /// `obj[index]`.
    pub fn getitem(&mut self, obj: &Value, index: &Value) -> R<Value> {
        match (obj, index) {
            (Value::List(l), Value::Slice(s)) => {
                let l = l.borrow();
                let at = self.slice_indices(s, l.len())?;
                Ok(Value::list(at.into_iter().map(|i| l[i].clone()).collect()))
            }
            (Value::List(l), i) => {
                let l = l.borrow();
                let at = self.index(l.len(), i, "list")?;
                Ok(l[at].clone())
            }
            (Value::Tuple(t), Value::Slice(s)) => {
                let at = self.slice_indices(s, t.len())?;
                Ok(Value::tuple(at.into_iter().map(|i| t[i].clone()).collect()))
            }
            (Value::Tuple(t), i) => {
                let at = self.index(t.len(), i, "tuple")?;
                Ok(t[at].clone())
            }
            (Value::Str(s), Value::Slice(sl)) => {
                let chars: Vec<char> = s.chars().collect();
                let at = self.slice_indices(sl, chars.len())?;
                Ok(Value::str(
                    at.into_iter().map(|i| chars[i]).collect::<String>(),
                ))
            }
            (Value::Str(s), i) => {
                if s.is_ascii() {
                    let at = self.index(s.len(), i, "string")?;
                    return Ok(Value::str(&s[at..at + 1]));
                }
                let chars: Vec<char> = s.chars().collect();
                let at = self.index(chars.len(), i, "string")?;
                Ok(Value::str(chars[at].to_string()))
            }
            (Value::Bytes(b), Value::Slice(sl)) => {
                let at = self.slice_indices(sl, b.len())?;
                Ok(Value::Bytes(Rc::new(
                    at.into_iter().map(|i| b[i]).collect(),
                )))
            }
            (Value::Bytes(b), i) => {
                let at = self.index(b.len(), i, "index")?;
                Ok(Value::Int(b[at] as i64))
            }
            (Value::Range(r), i) if as_int(i).is_some() => {
                let at = self.index(range_len(r), i, "range object")?;
                Ok(Value::Int(r[0] + at as i64 * r[2]))
            }
            (Value::Dict(d), k) => {
                let found = d.borrow().get(k).map_err(|t| self.unhashable(t))?;
                match found {
                    Some(v) => Ok(v),
                    None => Err(super::vm::new_exception(
                        self.types.exception("KeyError"),
                        vec![k.clone()],
                    )),
                }
            }
            (Value::Instance(_), _) => {
                match self.dunder_call(obj, "__getitem__", vec![index.clone()])? {
                    Some(v) => Ok(v),
                    None => {
                        let t = self.type_name(obj);
                        Err(self.type_error(format!("'{t}' object is not subscriptable")))
                    }
                }
            }
            _ => {
                let t = self.type_name(obj);
                Err(self.type_error(format!("'{t}' object is not subscriptable")))
            }
        }
    }

    /// `obj[index] = v`.
    pub fn setitem(&mut self, obj: &Value, index: Value, v: Value) -> R<()> {
        match obj {
            Value::List(l) => {
                if let Value::Slice(s) = &index {
                    let items = self.collect(&v)?;
                    let len = l.borrow().len();
                    let at = self.slice_indices(s, len)?;
                    let mut l = l.borrow_mut();
                    if matches!(s[2], Value::None) {
                        let (a, b) = (
                            at.first()
                                .copied()
                                .unwrap_or(len.min(self.slice_start(s, len))),
                            at.last().map_or(0, |x| x + 1),
                        );
                        let b = b.max(a);
                        l.splice(a..b, items);
                    } else {
                        if at.len() != items.len() {
                            return Err(self.error(
                                "ValueError",
                                format!(
                                    "attempt to assign sequence of size {} to extended slice of size {}",
                                    items.len(),
                                    at.len()
                                ),
                            ));
                        }
                        for (i, item) in at.into_iter().zip(items) {
                            l[i] = item;
                        }
                    }
                    return Ok(());
                }
                let len = l.borrow().len();
                let at = self
                    .index(len, &index, "list")
                    .map_err(|_| self.error("IndexError", "list assignment index out of range"))?;
                l.borrow_mut()[at] = v;
                Ok(())
            }
            Value::Dict(d) => d
                .borrow_mut()
                .insert(index, v)
                .map_err(|t| self.unhashable(t)),
            Value::Instance(_) => match self.dunder_call(obj, "__setitem__", vec![index, v])? {
                Some(_) => Ok(()),
                None => {
                    let t = self.type_name(obj);
                    Err(self.type_error(format!("'{t}' object does not support item assignment")))
                }
            },
            _ => {
                let t = self.type_name(obj);
                Err(self.type_error(format!("'{t}' object does not support item assignment")))
            }
        }
    }

    fn slice_start(&self, s: &[Value; 3], len: usize) -> usize {
        match as_int(&s[0]) {
            Some(i) if i < 0 => (i + len as i64).max(0) as usize,
            Some(i) => (i as usize).min(len),
            None => 0,
        }
    }

    /// `del obj[index]`.
    pub fn delitem(&mut self, obj: &Value, index: &Value) -> R<()> {
        match obj {
            Value::List(l) => {
                if let Value::Slice(s) = index {
                    let len = l.borrow().len();
                    let at = self.slice_indices(s, len)?;
                    let mut l = l.borrow_mut();
                    for i in at.into_iter().rev() {
                        l.remove(i);
                    }
                    return Ok(());
                }
                let len = l.borrow().len();
                let at = self
                    .index(len, index, "list")
                    .map_err(|_| self.error("IndexError", "list assignment index out of range"))?;
                l.borrow_mut().remove(at);
                Ok(())
            }
            Value::Dict(d) => {
                let removed = d
                    .borrow_mut()
                    .remove(index)
                    .map_err(|t| self.unhashable(t))?;
                match removed {
                    Some(_) => Ok(()),
                    None => Err(super::vm::new_exception(
                        self.types.exception("KeyError"),
                        vec![index.clone()],
                    )),
                }
            }
            Value::Instance(_) => {
                match self.dunder_call(obj, "__delitem__", vec![index.clone()])? {
                    Some(_) => Ok(()),
                    None => {
                        let t = self.type_name(obj);
                        Err(self.type_error(format!("'{t}' object doesn't support item deletion")))
                    }
                }
            }
            _ => {
                let t = self.type_name(obj);
                Err(self.type_error(format!("'{t}' object doesn't support item deletion")))
            }
        }
    }

    // --- Iteration --------------------------------------------------------

    /// `iter(v)`.
    pub fn iter(&mut self, v: &Value) -> R<Value> {
        let it = match v {
            Value::List(l) => Iter::List(l.clone(), 0),
            Value::Tuple(t) => Iter::Tuple(t.clone(), 0),
            Value::Str(s) => Iter::Str(s.clone(), 0),
            Value::Bytes(b) => Iter::Bytes(b.clone(), 0),
            Value::Range(r) => Iter::Range(r[0], r[2], r[1]),
            Value::Dict(d) | Value::Set(d) => Iter::Dict(d.clone(), 0, 0),
            Value::Iter(_) | Value::Gen(_) => return Ok(v.clone()),
            Value::Instance(_) => {
                if let Some(it) = self.dunder_call(v, "__iter__", Vec::new())? {
                    return Ok(it);
                }
                if let Value::Instance(i) = v {
                    if i.class.lookup("__getitem__").is_some() {
                        let items = self.collect_by_index(v)?;
                        return Ok(Value::Iter(Rc::new(RefCell::new(Iter::Values(
                            items.into_iter(),
                        )))));
                    }
                }
                let t = self.type_name(v);
                return Err(self.type_error(format!("'{t}' object is not iterable")));
            }
            other => {
                let t = self.type_name(other);
                return Err(self.type_error(format!("'{t}' object is not iterable")));
            }
        };
        Ok(Value::Iter(Rc::new(RefCell::new(it))))
    }

    fn collect_by_index(&mut self, v: &Value) -> R<Vec<Value>> {
        let mut out = Vec::new();
        for i in 0.. {
            match self.getitem(v, &Value::Int(i)) {
                Ok(x) => out.push(x),
                Err(e) if self.class_of(&e).name.as_ref() == "IndexError" => break,
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The next item of an iterator, or `None` when it is done.
    pub fn next(&mut self, it: &Value) -> R<Option<Value>> {
        match it {
            Value::Iter(i) => {
                let mut state = i.borrow_mut();
                Ok(match &mut *state {
                    Iter::List(l, at) => {
                        let v = l.borrow().get(*at).cloned();
                        *at += 1;
                        v
                    }
                    Iter::Tuple(t, at) => {
                        let v = t.get(*at).cloned();
                        *at += 1;
                        v
                    }
                    Iter::Str(s, at) => {
                        let c = s[*at..].chars().next();
                        if let Some(c) = c {
                            *at += c.len_utf8();
                        }
                        c.map(|c| Value::str(c.to_string()))
                    }
                    Iter::Bytes(b, at) => {
                        let v = b.get(*at).map(|&b| Value::Int(b as i64));
                        *at += 1;
                        v
                    }
                    Iter::Range(next, step, stop) => {
                        if (*step > 0 && *next < *stop) || (*step < 0 && *next > *stop) {
                            let v = *next;
                            *next += *step;
                            Some(Value::Int(v))
                        } else {
                            None
                        }
                    }
                    Iter::Dict(d, at, what) => loop {
                        let entry = d.borrow().entry(*at);
                        *at += 1;
                        match entry {
                            None => break None,
                            Some(None) => continue,
                            Some(Some((k, v))) => {
                                break Some(match what {
                                    0 => k,
                                    1 => v,
                                    _ => Value::tuple(vec![k, v]),
                                })
                            }
                        }
                    },
                    Iter::Values(values) => values.next(),
                    Iter::Enumerate(inner, n) => {
                        let inner = inner.clone();
                        let n0 = *n;
                        *n += 1;
                        drop(state);
                        return Ok(self
                            .next(&inner)?
                            .map(|v| Value::tuple(vec![Value::Int(n0), v])));
                    }
                    Iter::Zip(inners) => {
                        let inners = inners.clone();
                        drop(state);
                        let mut items = Vec::with_capacity(inners.len());
                        for inner in &inners {
                            match self.next(inner)? {
                                Some(v) => items.push(v),
                                None => return Ok(None),
                            }
                        }
                        return Ok(if inners.is_empty() {
                            None
                        } else {
                            Some(Value::tuple(items))
                        });
                    }
                    Iter::Map(f, inners) => {
                        let (f, inners) = (f.clone(), inners.clone());
                        drop(state);
                        let mut args = Vec::with_capacity(inners.len());
                        for inner in &inners {
                            match self.next(inner)? {
                                Some(v) => args.push(v),
                                None => return Ok(None),
                            }
                        }
                        return self.call(f, args, Vec::new()).map(Some);
                    }
                    Iter::Filter(f, inner) => {
                        let (f, inner) = (f.clone(), inner.clone());
                        drop(state);
                        while let Some(v) = self.next(&inner)? {
                            let keep = match &f {
                                Value::None => v.clone(),
                                f => self.call(f.clone(), vec![v.clone()], Vec::new())?,
                            };
                            if self.truthy(&keep)? {
                                return Ok(Some(v));
                            }
                        }
                        return Ok(None);
                    }
                })
            }
            Value::Gen(g) => {
                if g.borrow().kind != GenKind::Generator {
                    let t = self.type_name(it);
                    return Err(self.type_error(format!("'{t}' object is not an iterator")));
                }
                match self.resume(g, Value::None)? {
                    Ok(v) => Ok(Some(v)),
                    Err(_) => Ok(None),
                }
            }
            Value::Instance(_) => match self.dunder_call(it, "__next__", Vec::new()) {
                Ok(Some(v)) => Ok(Some(v)),
                Ok(None) => {
                    let t = self.type_name(it);
                    Err(self.type_error(format!("'{t}' object is not an iterator")))
                }
                Err(e) if self.class_of(&e).name.as_ref() == "StopIteration" => Ok(None),
                Err(e) => Err(e),
            },
            other => {
                let t = self.type_name(other);
                Err(self.type_error(format!("'{t}' object is not an iterator")))
            }
        }
    }

    /// All the items of an iterable.
    pub fn collect(&mut self, v: &Value) -> R<Vec<Value>> {
        match v {
            Value::List(l) => return Ok(l.borrow().clone()),
            Value::Tuple(t) => return Ok(t.to_vec()),
            _ => {}
        }
        let it = self.iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.next(&it)? {
            out.push(x);
            if out.len() % 4096 == 0 {
                self.hold(0)?;
            }
        }
        Ok(out)
    }

    // --- Text -------------------------------------------------------------

    /// `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> R<String> {
        let mut out = String::new();
        self.write_repr(v, &mut out, 0)?;
        Ok(out)
    }

    fn write_repr(&mut self, v: &Value, out: &mut String, depth: usize) -> R<()> {
        if depth > 100 {
            return Err(self.error(
                "RecursionError",
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        match v {
            Value::None => out.push_str("None"),
            Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(x) => out.push_str(&format::float_repr(*x)),
            Value::Str(s) => repr_str(s, out),
            Value::Bytes(b) => repr_bytes(b, out),
            Value::List(l) => {
                let items = l.borrow().clone();
                out.push('[');
                self.write_items(&items, out, depth)?;
                out.push(']');
            }
            Value::Tuple(t) => {
                out.push('(');
                self.write_items(t, out, depth)?;
                if t.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::Set(s) => {
                let items: Vec<Value> = s.borrow().items().map(|(k, _)| k.clone()).collect();
                if items.is_empty() {
                    out.push_str("set()");
                } else {
                    out.push('{');
                    self.write_items(&items, out, depth)?;
                    out.push('}');
                }
            }
            Value::Dict(d) => {
                let items: Vec<(Value, Value)> = d
                    .borrow()
                    .items()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_repr(k, out, depth + 1)?;
                    out.push_str(": ");
                    self.write_repr(v, out, depth + 1)?;
                }
                out.push('}');
            }
            Value::Range(r) => {
                if r[2] == 1 {
                    out.push_str(&format!("range({}, {})", r[0], r[1]));
                } else {
                    out.push_str(&format!("range({}, {}, {})", r[0], r[1], r[2]));
                }
            }
            Value::Slice(s) => {
                out.push_str("slice(");
                for (i, part) in s.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_repr(part, out, depth + 1)?;
                }
                out.push(')');
            }
            Value::Function(f) => out.push_str(&format!(
                "<function {} at 0x{:x}>",
                f.code.name,
                v.address().unwrap_or(0)
            )),
            Value::Builtin(b) => out.push_str(&format!("<built-in function {}>", b.name)),
            Value::Method(m) => {
                let name = match &m.1 {
                    Value::Function(f) => f.code.name.to_string(),
                    Value::Builtin(b) => b.name.to_string(),
                    _ => String::new(),
                };
                out.push_str(&format!("<bound method {name}>"));
            }
            Value::Class(c) => {
                if c.kind == ClassKind::Plain && !self.types.is_builtin(c) {
                    out.push_str(&format!("<class '__main__.{}'>", c.name));
                } else {
                    out.push_str(&format!("<class '{}'>", c.name));
                }
            }
            Value::Instance(inst) => {
                if let Some(r) = self.dunder_call(v, "__repr__", Vec::new())? {
                    match r {
                        Value::Str(s) => out.push_str(&s),
                        other => {
                            let t = self.type_name(&other);
                            return Err(
                                self.type_error(format!("__repr__ returned non-string (type {t})"))
                            );
                        }
                    }
                } else if let Some(state) = &inst.exc {
                    let args = state.borrow().args.clone();
                    out.push_str(&inst.class.name);
                    out.push('(');
                    self.write_items(&args, out, depth)?;
                    out.push(')');
                } else {
                    out.push_str(&format!(
                        "<__main__.{} object at 0x{:x}>",
                        inst.class.name,
                        v.address().unwrap_or(0)
                    ));
                }
            }
            Value::Iter(_) => out.push_str(&format!(
                "<iterator object at 0x{:x}>",
                v.address().unwrap_or(0)
            )),
            Value::Gen(g) => {
                let g = g.borrow();
                let kind = match g.kind {
                    GenKind::Generator => "generator",
                    GenKind::Coroutine => "coroutine",
                    GenKind::AsyncGenerator => "async_generator",
                };
                out.push_str(&format!(
                    "<{kind} object {} at 0x{:x}>",
                    g.name,
                    v.address().unwrap_or(0)
                ));
            }
            Value::Module(m) => out.push_str(&format!("<module '{}'>", m.name)),
            Value::Future(f) => {
                let state = match &*f.state.borrow() {
                    FutureState::Pending => "pending",
                    FutureState::Cancelled => "cancelled",
                    _ => "finished",
                };
                let failed = match &*f.state.borrow() {
                    FutureState::Failed(e) => Some(e.clone()),
                    _ => None,
                };
                match (&f.kind, failed) {
                    (FutureKind::Task { .. } | FutureKind::Plain, Some(e)) => {
                        out.push_str(&f.describe(state));
                        out.push_str(" exception=");
                        self.write_repr(&e, out, depth + 1)?;
                        out.push('>');
                    }
                    (FutureKind::Task { .. }, None) => {
                        out.push_str(&format!("<Task {state} name='{}'>", f.name.borrow()))
                    }
                    _ => out.push_str(&format!("<Future {state}>")),
                }
            }
        }
        Ok(())
    }

    fn write_items(&mut self, items: &[Value], out: &mut String, depth: usize) -> R<()> {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.write_repr(item, out, depth + 1)?;
        }
        Ok(())
    }

    /// `str(v)`.
    pub fn str(&mut self, v: &Value) -> R<String> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            Value::Instance(inst) => {
                if let Some(r) = self.dunder_call(v, "__str__", Vec::new())? {
                    return match r {
                        Value::Str(s) => Ok(s.to_string()),
                        other => {
                            let t = self.type_name(&other);
                            Err(self.type_error(format!("__str__ returned non-string (type {t})")))
                        }
                    };
                }
                if inst.class.lookup("__repr__").is_some() {
                    return self.repr(v);
                }
                if let Some(state) = &inst.exc {
                    let args = state.borrow().args.clone();
                    if self.is_group(&inst.class) {
                        let msg = args
                            .first()
                            .map(|m| self.str(m))
                            .transpose()?
                            .unwrap_or_default();
                        let n = match args.get(1) {
                            Some(v) => self.len(v)?,
                            None => 0,
                        };
                        let s = if n == 1 { "" } else { "s" };
                        return Ok(format!("{msg} ({n} sub-exception{s})"));
                    }
                    let key_error = self
                        .class_of(v)
                        .is_subclass(&self.types.exception("KeyError"));
                    return match args.len() {
                        0 => Ok(String::new()),
                        1 if key_error => self.repr(&args[0]),
                        1 => self.str(&args[0]),
                        _ => self.repr(&Value::tuple(args)),
                    };
                }
                self.repr(v)
            }
            other => self.repr(other),
        }
    }
}

/// A function found on a class, bound to the instance it was looked up on.
fn bind(obj: &Value, v: Value) -> Value {
    match v {
        Value::Function(_) => Value::Method(Rc::new((obj.clone(), v))),
        other => other,
    }
}

fn is_not_implemented(v: &Value) -> bool {
    matches!(v, Value::Str(s) if s.as_str() == "\u{0}NotImplemented")
}

/// How many values a range has.
pub fn range_len(r: &[i64; 3]) -> usize {
    let [start, stop, step] = *r;
    if step > 0 && stop > start {
        ((stop - start + step - 1) / step) as usize
    } else if step < 0 && stop < start {
        ((start - stop - step - 1) / -step) as usize
    } else {
        0
    }
}
