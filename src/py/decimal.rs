//! Floats as decimal text, without core's float formatting and parsing.
//!
//! Python writes a float two ways: with the shortest digits that read
//! back as the same float (`repr`, `print`, an f-string without a
//! precision), and exactly rounded to a precision (`.2f`, `.3e`, `.4g`,
//! `round`). Core's `f64` formatting and parsing (Grisu, Dragon4, the
//! decimal parser and their tables) would put about 20 KB gzipped into the
//! module, so instead:
//!
//! - **exactly rounded** digits come from the float's exact decimal value:
//!   every finite float is an integer times a power of two, so its
//!   decimal expansion ends, and a small big integer computes it ([`exact`]);
//!   it is rounded half to even, as CPython rounds ([`Digits::round`]);
//! - the **shortest** digits ([`shortest`]) and **reading** a number
//!   ([`parse`]) come from the browser's own `Number`: ECMAScript defines
//!   its `toString` as the shortest digits that read back (the closest of
//!   them when there are several), and `Number()` as correctly rounded,
//!   as CPython's `repr` and `float` are. Builds for the host (the tests)
//!   use core's.

/// A non-negative number as decimal digits: `0.DIGITS × 10^point`, with
/// no leading or trailing zeros in `digits` (none at all for zero).
#[derive(Debug, PartialEq)]
pub struct Digits {
    /// ASCII digits.
    pub digits: Vec<u8>,
    /// Where the decimal point goes: 12.5 is `125` with `point` 2, 0.05
    /// is `5` with `point` -1.
    pub point: i32,
}

impl Digits {
    fn trimmed(mut digits: Vec<u8>, mut point: i32) -> Digits {
        let lead = digits.iter().take_while(|&&d| d == b'0').count();
        digits.drain(..lead);
        point -= lead as i32;
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            point = 0;
        }
        Digits { digits, point }
    }

    /// Rounded to its first `keep` digits (which may be zero or fewer, so
    /// the value rounds to zero or to one unit of the first kept place),
    /// half to even.
    pub fn round(mut self, keep: i32) -> Digits {
        let len = self.digits.len() as i32;
        if keep >= len {
            return self;
        }
        if keep < 0 {
            return Digits::trimmed(Vec::new(), 0);
        }
        let k = keep as usize;
        let next = self.digits[k];
        let odd = k > 0 && self.digits[k - 1] % 2 == 1;
        // Digits are trimmed, so anything after `next` is not zero.
        let up = next > b'5' || (next == b'5' && (self.digits.len() > k + 1 || odd));
        self.digits.truncate(k);
        if up {
            let mut i = k;
            loop {
                if i == 0 {
                    // All nines (or nothing kept): 0.999 → 1.00.
                    self.digits.insert(0, b'1');
                    self.point += 1;
                    break;
                }
                i -= 1;
                if self.digits[i] == b'9' {
                    self.digits[i] = b'0';
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        let point = self.point;
        Digits::trimmed(self.digits, point)
    }

    /// The digit for the place `10^place` (0 when it has none).
    fn at(&self, place: i32) -> u8 {
        let i = self.point - 1 - place;
        if i >= 0 && (i as usize) < self.digits.len() {
            self.digits[i as usize]
        } else {
            b'0'
        }
    }
}

/// The exact decimal value of `|x|`, for a finite `x`.
pub fn exact(x: f64) -> Digits {
    let bits = x.abs().to_bits();
    let biased = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exp2) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let mut n = Big::new(mantissa);
    // x = mantissa × 2^exp2; with exp2 < 0 that is
    // mantissa × 5^-exp2 / 10^-exp2.
    let shift = if exp2 >= 0 {
        n.mul_pow(2, 30, exp2 as u32);
        0
    } else {
        n.mul_pow(5, 13, (-exp2) as u32);
        -exp2
    };
    let digits = n.decimal();
    let point = digits.len() as i32 - shift;
    Digits::trimmed(digits, point)
}

/// `x` with `precision` digits after the point, exactly rounded, as
/// `{:.N}` writes it (`-0.00` keeps its sign); an infinity (`1e308 * 100`
/// for a `%` format) is `inf`.
pub fn fixed(x: f64, precision: usize) -> String {
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.into();
    }
    let d = exact(x);
    let keep = d.point.saturating_add(precision as i32);
    let d = d.round(keep);
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if d.point <= 0 {
        out.push('0');
    } else {
        out.extend((0..d.point).rev().map(|place| d.at(place) as char));
    }
    if precision > 0 {
        out.push('.');
        out.extend((1..=precision as i32).map(|k| d.at(-k) as char));
    }
    out
}

/// `x` in scientific notation with `precision` digits after the point,
/// exactly rounded: the digits (`1.50`) and the exponent (`3`); `x` is
/// finite and its sign is left out.
pub fn scientific(x: f64, precision: usize) -> (String, i32) {
    let d = exact(x).round(precision as i32 + 1);
    let exp = if d.digits.is_empty() { 0 } else { d.point - 1 };
    let mut out = String::new();
    out.push(d.at(exp) as char);
    if precision > 0 {
        out.push('.');
        out.extend((1..=precision as i32).map(|k| d.at(exp - k) as char));
    }
    (out, exp)
}

/// The shortest digits that read back as `|x|`, for a finite `x` other
/// than zero.
pub fn shortest(x: f64) -> Digits {
    let text = imp::shortest_text(x.abs());
    let (mantissa, exp) = text.split_once(['e', 'E']).unwrap_or((&text, "0"));
    let exp: i32 = exp.trim_start_matches('+').parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    Digits::trimmed(digits, int.len() as i32 + exp)
}

/// The float nearest to a decimal literal: an optional sign, digits with
/// at most one point, and an optional exponent (`-1.5`, `.5e-3`, `7.`);
/// `None` for anything else (underscores, spaces, `inf` are the caller's).
pub fn parse(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let mut count = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        count += digits(&mut i);
    }
    if count == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    (i == b.len()).then(|| imp::parse_valid(text))
}

#[cfg(target_arch = "wasm32")]
mod imp {
    /// ECMAScript's `Number::toString`: shortest digits, in fixed
    /// notation from 1e-6 to 1e21 and `1.5e+21` beyond.
    pub fn shortest_text(x: f64) -> String {
        js_sys::Number::from(x)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default()
    }

    /// `parseFloat`, correctly rounded, on text [`super::parse`] checked.
    pub fn parse_valid(text: &str) -> f64 {
        js_sys::Number::parse_float(text)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn shortest_text(x: f64) -> String {
        format!("{x:e}")
    }

    pub fn parse_valid(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }
}

/// A big natural number in base 10^9, least significant limb first: just
/// enough to write a float's exact value.
struct Big(Vec<u32>);

const BASE: u64 = 1_000_000_000;

impl Big {
    fn new(mut n: u64) -> Big {
        let mut limbs = Vec::new();
        while n > 0 {
            limbs.push((n % BASE) as u32);
            n /= BASE;
        }
        Big(limbs)
    }

    fn mul_small(&mut self, factor: u64) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * factor + carry;
            *limb = (v % BASE) as u32;
            carry = v / BASE;
        }
        while carry > 0 {
            self.0.push((carry % BASE) as u32);
            carry /= BASE;
        }
    }

    /// Multiplies by `base^exp`, `step` powers at a time (`base^step`
    /// stays under 2^31, so a limb times it fits in 64 bits).
    fn mul_pow(&mut self, base: u64, step: u32, mut exp: u32) {
        while exp > 0 {
            let k = exp.min(step);
            self.mul_small(base.pow(k));
            exp -= k;
        }
    }

    fn decimal(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, limb) in self.0.iter().rev().enumerate() {
            let text = limb.to_string();
            if i > 0 {
                out.resize(out.len() + 9 - text.len(), b'0');
            }
            out.extend_from_slice(text.as_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Floats across the whole range, from a fixed seed: random bit
    /// patterns (so every exponent comes up) and short decimals (so
    /// exact ties like 0.125 come up).
    fn samples() -> Vec<f64> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut out = vec![
            0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 9.5, 99.5, 1e21, 1e22, 5e-324,
        ];
        out.extend([f64::MAX, f64::MIN_POSITIVE, 0.1, 0.3, 1.0 / 3.0, 123456.789]);
        for _ in 0..20_000 {
            let x = f64::from_bits(next() >> 1);
            if x.is_finite() {
                out.push(x);
            }
            out.push((next() % 100_000) as f64 / 8.0_f64.powi((next() % 6) as i32));
        }
        out
    }

    #[test]
    fn fixed_and_scientific_agree_with_core() {
        for x in samples() {
            for p in [0, 1, 2, 3, 6, 17] {
                assert_eq!(fixed(x, p), format!("{x:.p$}"), "{x:e} .{p}f");
                let (m, e) = scientific(x, p);
                assert_eq!(format!("{m}e{e}"), format!("{x:.p$e}"), "{x:e} .{p}e");
            }
        }
    }

    #[test]
    fn exact_values_and_rounding() {
        let d = exact(0.1);
        assert_eq!(
            String::from_utf8(d.digits).expect("ASCII"),
            "1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(d.point, 0);
        assert_eq!(fixed(0.125, 2), "0.12");
        assert_eq!(fixed(0.375, 2), "0.38");
        assert_eq!(fixed(-0.001, 2), "-0.00");
        assert_eq!(fixed(999.96, 1), "1000.0");
        assert_eq!(fixed(1e22, 1), "10000000000000000000000.0");
        assert_eq!(scientific(0.0, 2), ("0.00".into(), 0));
        assert_eq!(fixed(1e308 * 100.0, 2), "inf");
    }

    #[test]
    fn shortest_reads_back() {
        for x in samples().into_iter().filter(|&x| x != 0.0) {
            let d = shortest(x);
            let text = format!("0.{}e{}", String::from_utf8_lossy(&d.digits), d.point);
            assert_eq!(parse(&text), Some(x), "{x:e}");
        }
    }

    #[test]
    fn parse_takes_decimals_only() {
        for (text, x) in [("1.5", 1.5), ("-.5e1", -5.0), ("7.", 7.0), ("+2E-3", 0.002)] {
            assert_eq!(parse(text), Some(x), "{text}");
        }
        for text in [
            "", ".", "1e", "e5", "1.5x", " 1", "inf", "1_0", "0x10", "--1",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
