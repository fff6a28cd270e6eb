//! Numbers and values as Python writes them: `repr` of a float (`0.1`,
//! `1e-05`, `3.0`), the format mini-language of f-strings and
//! `str.format` (`{:>8.2f}`, `{:,}`, `{:.0%}`), and `%` formatting.

use super::decimal;
use super::value::*;
use super::vm::Vm;

type R<T> = Result<T, Value>;

/// `repr(x)` for a float: the shortest digits that read back as `x`, in
/// fixed notation from 1e-4 up to 1e16, else in exponent notation.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let shortest = decimal::shortest(x);
    let exp = shortest.point - 1;
    let digits = String::from_utf8_lossy(&shortest.digits).into_owned();
    let n = digits.len() as i32;
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            if n <= exp + 1 {
                format!("{sign}{digits}{}.0", "0".repeat((exp + 1 - n) as usize))
            } else {
                let (a, b) = digits.split_at(exp as usize + 1);
                format!("{sign}{a}.{b}")
            }
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let m = if n == 1 {
            digits
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// A parsed format spec.
#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse_spec(s: &str) -> Result<Spec, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut spec = Spec::default();
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        spec.fill = Some(chars[0]);
        spec.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        spec.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c @ ('+' | '-' | ' ')) = chars.get(i) {
        spec.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        spec.alt = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        spec.zero = true;
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    // Too wide to parse is too wide to fit: the memory check says so.
    spec.width = chars[start..i]
        .iter()
        .collect::<String>()
        .parse()
        .unwrap_or(if i > start { usize::MAX } else { 0 });
    if let Some(&c @ (',' | '_')) = chars.get(i) {
        spec.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        if start == i {
            return Err("Format specifier missing precision".into());
        }
        spec.precision = chars[start..i].iter().collect::<String>().parse().ok();
    }
    if let Some(&c) = chars.get(i) {
        spec.ty = Some(c);
        i += 1;
    }
    if i != chars.len() {
        return Err("Invalid format specifier".into());
    }
    Ok(spec)
}

/// Groups the digits of an integer's text by thousands.
fn group(digits: &str, sep: char) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Pads `body` (after its `sign`) to the spec's width.
fn pad(spec: &Spec, sign: &str, body: &str, numeric: bool) -> String {
    let len = sign.chars().count() + body.chars().count();
    let fill = spec.fill.unwrap_or(if spec.zero && spec.align.is_none() {
        '0'
    } else {
        ' '
    });
    let align = spec.align.unwrap_or(if spec.zero && numeric {
        '='
    } else if numeric {
        '>'
    } else {
        '<'
    });
    if len >= spec.width {
        return format!("{sign}{body}");
    }
    let n = spec.width - len;
    let fills = |k: usize| fill.to_string().repeat(k);
    match align {
        '<' => format!("{sign}{body}{}", fills(n)),
        '^' => format!("{}{sign}{body}{}", fills(n / 2), fills(n - n / 2)),
        '=' => format!("{sign}{}{body}", fills(n)),
        _ => format!("{}{sign}{body}", fills(n)),
    }
}

fn sign_of(spec: &Spec, negative: bool) -> &'static str {
    match (negative, spec.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// `x` in exponent notation as Python writes it: `1.50e+03`.
fn exp_notation(x: f64, precision: usize, upper: bool) -> String {
    let (m, e) = decimal::scientific(x, precision);
    let e_char = if upper { 'E' } else { 'e' };
    format!("{m}{e_char}{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// The `g` format: fixed or exponent notation, whichever suits, with
/// trailing zeros dropped (unless `alt`).
fn general(x: f64, precision: usize, upper: bool, alt: bool) -> String {
    let p = precision.max(1);
    if x == 0.0 {
        return if alt {
            decimal::fixed(0.0, p - 1)
        } else {
            "0".into()
        };
    }
    let (_, exp) = decimal::scientific(x, p - 1);
    let mut s = if exp >= -4 && exp < p as i32 {
        decimal::fixed(x, (p as i32 - 1 - exp).max(0) as usize)
    } else {
        exp_notation(x, p - 1, upper)
    };
    if !alt {
        let (m, e) = match s.find(['e', 'E']) {
            Some(i) => (s[..i].to_string(), s[i..].to_string()),
            None => (s.clone(), String::new()),
        };
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            m
        };
        s = format!("{m}{e}");
    }
    s
}

fn format_float(x: f64, spec: &Spec) -> Result<String, String> {
    let negative = x.is_sign_negative();
    let a = x.abs();
    let body = if a.is_infinite() || a.is_nan() {
        let t = if a.is_nan() { "nan" } else { "inf" };
        if matches!(spec.ty, Some('F' | 'E' | 'G')) {
            t.to_ascii_uppercase()
        } else {
            t.into()
        }
    } else {
        match spec.ty {
            Some('f' | 'F') => {
                let s = decimal::fixed(a, spec.precision.unwrap_or(6));
                grouped_fixed(&s, spec.grouping)
            }
            Some('e' | 'E') => exp_notation(a, spec.precision.unwrap_or(6), spec.ty == Some('E')),
            Some('g' | 'G') => general(
                a,
                spec.precision.unwrap_or(6),
                spec.ty == Some('G'),
                spec.alt,
            ),
            Some('%') => decimal::fixed(a * 100.0, spec.precision.unwrap_or(6)) + "%",
            None => match spec.precision {
                None => grouped_fixed(&float_repr(a), spec.grouping),
                Some(p) => {
                    let s = general(a, p, false, spec.alt);
                    if s.contains(['.', 'e', 'n', 'i']) {
                        s
                    } else {
                        format!("{s}.0")
                    }
                }
            },
            Some(c) => {
                return Err(format!(
                    "Unknown format code '{c}' for object of type 'float'"
                ))
            }
        }
    };
    Ok(pad(
        spec,
        sign_of(spec, negative && !x.is_nan()),
        &body,
        true,
    ))
}

fn grouped_fixed(s: &str, grouping: Option<char>) -> String {
    match grouping {
        None => s.to_string(),
        Some(sep) => {
            let (int, rest) = match s.find(['.', 'e']) {
                Some(i) => s.split_at(i),
                None => (s, ""),
            };
            format!("{}{rest}", group(int, sep))
        }
    }
}

fn format_int(i: i64, spec: &Spec) -> Result<String, String> {
    let negative = i < 0;
    let a = i.unsigned_abs();
    let body = match spec.ty {
        None | Some('d' | 'n') => {
            let s = a.to_string();
            match spec.grouping {
                Some(sep) => group(&s, sep),
                None => s,
            }
        }
        Some('x') => format!("{}{a:x}", if spec.alt { "0x" } else { "" }),
        Some('X') => format!("{}{a:X}", if spec.alt { "0X" } else { "" }),
        Some('o') => format!("{}{a:o}", if spec.alt { "0o" } else { "" }),
        Some('b') => format!("{}{a:b}", if spec.alt { "0b" } else { "" }),
        Some('c') => char::from_u32(a as u32)
            .map(String::from)
            .unwrap_or_default(),
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => return format_float(i as f64, spec),
        Some(c) => {
            return Err(format!(
                "Unknown format code '{c}' for object of type 'int'"
            ))
        }
    };
    Ok(pad(spec, sign_of(spec, negative), &body, true))
}

fn format_str(s: &str, spec: &Spec) -> Result<String, String> {
    match spec.ty {
        None | Some('s') => {}
        Some(c) => {
            return Err(format!(
                "Unknown format code '{c}' for object of type 'str'"
            ))
        }
    }
    if spec.sign.is_some() {
        return Err("Sign not allowed in string format specifier".into());
    }
    let body: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    Ok(pad(spec, "", &body, false))
}

impl Vm {
    /// `format(v, spec)`.
    pub fn format(&mut self, v: &Value, spec: &str) -> R<String> {
        if let Value::Instance(i) = v {
            if let Some(f) = i.class.lookup("__format__") {
                let r = self.call(f, vec![v.clone(), Value::str(spec)], Vec::new())?;
                return self.str(&r);
            }
        }
        if spec.is_empty() {
            return self.str(v);
        }
        let parsed = parse_spec(spec).map_err(|m| self.error("ValueError", m))?;
        self.hold(parsed.width.max(parsed.precision.unwrap_or(0)))?;
        let result = match v {
            Value::Bool(b) if parsed.ty.is_none() => {
                format_str(if *b { "True" } else { "False" }, &parsed)
            }
            Value::Bool(b) => format_int(*b as i64, &parsed),
            Value::Int(i) => format_int(*i, &parsed),
            Value::Float(x) => format_float(*x, &parsed),
            Value::Str(s) => format_str(s, &parsed),
            other => {
                let t = self.type_name(other);
                return Err(self.type_error(format!(
                    "unsupported format string passed to {t}.__format__"
                )));
            }
        };
        result.map_err(|m| self.error("ValueError", m))
    }

    /// An f-string's field: its conversion, then its spec.
    pub fn format_field(&mut self, v: &Value, conversion: u8, spec: Option<&Value>) -> R<String> {
        let converted;
        let v = match conversion {
            b'r' => {
                converted = Value::str(self.repr(v)?);
                &converted
            }
            b's' => {
                converted = Value::str(self.str(v)?);
                &converted
            }
            b'a' => {
                let r = self.repr(v)?;
                converted = Value::str(ascii(&r));
                &converted
            }
            _ => v,
        };
        match spec {
            Some(Value::Str(s)) => self.format(v, s),
            _ => self.format(v, ""),
        }
    }

    /// `template.format(*args, **kwargs)`.
    pub fn str_format(
        &mut self,
        template: &str,
        args: &[Value],
        kwargs: &[(super::ast::Name, Value)],
    ) -> R<String> {
        let mut out = String::new();
        let mut chars = template.char_indices().peekable();
        let mut auto = 0;
        while let Some((_, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    out.push('}');
                }
                '}' => {
                    return Err(self.error("ValueError", "Single '}' encountered in format string"))
                }
                '{' => {
                    let mut field = String::new();
                    let mut depth = 0;
                    loop {
                        match chars.next() {
                            None => {
                                return Err(
                                    self.error("ValueError", "expected '}' before end of string")
                                )
                            }
                            Some((_, '{')) => {
                                depth += 1;
                                field.push('{');
                            }
                            Some((_, '}')) if depth > 0 => {
                                depth -= 1;
                                field.push('}');
                            }
                            Some((_, '}')) => break,
                            Some((_, c)) => field.push(c),
                        }
                    }
                    let (head, spec) = match field.split_once(':') {
                        Some((h, s)) => (h.to_string(), s.to_string()),
                        None => (field.clone(), String::new()),
                    };
                    let (name, conv) = match head.split_once('!') {
                        Some((n, c)) => (n.to_string(), c.bytes().next().unwrap_or(0)),
                        None => (head, 0),
                    };
                    let (key, rest) = match name.find(['.', '[']) {
                        Some(i) => (name[..i].to_string(), name[i..].to_string()),
                        None => (name.clone(), String::new()),
                    };
                    let mut value = if key.is_empty() {
                        let v = args.get(auto).cloned();
                        auto += 1;
                        v.ok_or_else(|| {
                            self.error(
                                "IndexError",
                                format!(
                                    "Replacement index {} out of range for positional args tuple",
                                    auto - 1
                                ),
                            )
                        })?
                    } else if let Ok(i) = key.parse::<usize>() {
                        args.get(i).cloned().ok_or_else(|| {
                            self.error(
                                "IndexError",
                                format!(
                                    "Replacement index {i} out of range for positional args tuple"
                                ),
                            )
                        })?
                    } else {
                        kwargs
                            .iter()
                            .find(|(k, _)| **k == *key)
                            .map(|(_, v)| v.clone())
                            .ok_or_else(|| {
                                super::vm::new_exception(
                                    self.types.exception("KeyError"),
                                    vec![Value::str(&key)],
                                )
                            })?
                    };
                    for part in rest.split_inclusive(['.', '[']).filter(|p| !p.is_empty()) {
                        let part = part.trim_end_matches(['.', '[']);
                        if part.is_empty() {
                            continue;
                        }
                        if let Some(index) = part.strip_suffix(']') {
                            let index = index
                                .parse::<i64>()
                                .map(Value::Int)
                                .unwrap_or_else(|_| Value::str(index));
                            value = self.getitem(&value, &index)?;
                        } else {
                            value = self.getattr(&value, part)?;
                        }
                    }
                    let spec = if spec.contains('{') {
                        self.str_format(&spec, args, kwargs)?
                    } else {
                        spec
                    };
                    let s = self.format_field(&value, conv, Some(&Value::str(spec)))?;
                    out.push_str(&s);
                }
                c => out.push(c),
            }
        }
        Ok(out)
    }
}

/// `ascii()` of a repr: non-ASCII characters escaped.
fn ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out
}

/// `template % args`.
pub fn percent(vm: &mut Vm, template: &str, args: &Value) -> R<Value> {
    let items: Vec<Value> = match args {
        Value::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    let mut next = items.into_iter();
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f @ ('-' | '+' | ' ' | '#' | '0')) = chars.peek() {
            flags.push(f);
            chars.next();
        }
        // A `*` takes the width (or precision) from the arguments; a
        // negative width aligns left, as `-` does.
        let mut star = |vm: &mut Vm, chars: &mut std::iter::Peekable<std::str::Chars>| {
            if chars.peek() != Some(&'*') {
                let mut digits = String::new();
                while let Some(&d) = chars.peek().filter(|c| c.is_ascii_digit()) {
                    digits.push(d);
                    chars.next();
                }
                return Ok(digits);
            }
            chars.next();
            match next.next().as_ref().and_then(as_int) {
                Some(n) => Ok(n.to_string()),
                None => Err(vm.type_error("* wants int")),
            }
        };
        let mut width = star(vm, &mut chars)?;
        if let Some(left) = width.strip_prefix('-') {
            width = left.to_string();
            flags.push('-');
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let p = star(vm, &mut chars)?;
            // A negative precision from `*` counts as none after the point.
            precision = Some(if p.starts_with('-') { String::new() } else { p });
        }
        let Some(ty) = chars.next() else {
            return Err(vm.error("ValueError", "incomplete format"));
        };
        if ty == '%' {
            out.push('%');
            continue;
        }
        let Some(v) = next.next() else {
            return Err(vm.type_error("not enough arguments for format string"));
        };
        let align = if flags.contains('-') { "<" } else { "" };
        let sign = if flags.contains('+') {
            "+"
        } else if flags.contains(' ') {
            " "
        } else {
            ""
        };
        let zero = if flags.contains('0') && !flags.contains('-') {
            "0"
        } else {
            ""
        };
        let prec = precision
            .map(|p| format!(".{}", if p.is_empty() { "0" } else { &p }))
            .unwrap_or_default();
        let s = match ty {
            's' => {
                let s = vm.str(&v)?;
                vm.format(&Value::str(s), &format!("{align}{width}{prec}"))?
            }
            'r' | 'a' => {
                let s = vm.repr(&v)?;
                vm.format(&Value::str(s), &format!("{align}{width}{prec}"))?
            }
            'd' | 'i' | 'u' => {
                let i = match &v {
                    Value::Float(x) => Value::Int(x.trunc() as i64),
                    other => other.clone(),
                };
                vm.format(&i, &format!("{align}{sign}{zero}{width}d"))?
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' | 'c' => {
                let p = if matches!(ty, 'x' | 'X' | 'o' | 'c') {
                    String::new()
                } else {
                    prec.clone()
                };
                vm.format(&v, &format!("{align}{sign}{zero}{width}{p}{ty}"))?
            }
            other => {
                return Err(vm.error(
                    "ValueError",
                    format!(
                        "unsupported format character '{other}' (0x{:x})",
                        other as u32
                    ),
                ))
            }
        };
        out.push_str(&s);
    }
    if next.next().is_some() {
        return Err(vm.type_error("not all arguments converted during string formatting"));
    }
    Ok(Value::str(out))
}
