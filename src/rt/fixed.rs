//! Numbers written with a fixed count of decimals, as `{:.2}` writes them,
//! but by integer arithmetic.
//!
//! Formatting an `f64` through `core::fmt` brings in the whole of Grisu
//! and Dragon4 (shortest round-trip digits, any precision, any exponent):
//! about 20 KB of the module, for a page that only ever writes times like
//! `3.01` and coordinates like `412.5`. Everything the tour shows goes
//! through [`Fixed`] instead, and so the module leaves that code out.

use std::fmt;

/// The most decimals written; more would overflow the integer the value
/// is scaled into, for the magnitudes the tour shows.
pub const MAX_PLACES: usize = 6;

/// A number that displays with the formatter's precision (`{:.2}` gives
/// two decimals, rounded half away from zero), or without one (`{}`) with
/// up to [`MAX_PLACES`] decimals and no trailing zeros, as `{}` writes
/// `0.5` and `2`.
///
/// ```
/// use async_tour::rt::fixed::Fixed;
/// assert_eq!(format!("{:.2}", Fixed(3.0061)), "3.01");
/// assert_eq!(format!("{:.0}", Fixed(12.5)), "13");
/// assert_eq!(format!("{}", Fixed(0.5)), "0.5");
/// assert_eq!(format!("{}", Fixed(20.0)), "20");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Fixed(pub f64);

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match f.precision() {
            Some(places) => write_fixed(f, self.0, places.min(MAX_PLACES), false),
            None => write_fixed(f, self.0, MAX_PLACES, true),
        }
    }
}

/// Writes `x` with `places` decimals; with `trim`, drops trailing zeros
/// (and the point, if nothing follows it).
fn write_fixed(f: &mut fmt::Formatter<'_>, x: f64, places: usize, trim: bool) -> fmt::Result {
    if x.is_nan() {
        return f.write_str("NaN");
    }
    if x.is_infinite() {
        return f.write_str(if x > 0.0 { "inf" } else { "-inf" });
    }
    let scale = 10u64.pow(places as u32);
    // Half away from zero; `as` saturates, far beyond any time shown.
    let n = (x.abs() * scale as f64 + 0.5).floor() as u64;
    let (whole, mut frac) = (n / scale, n % scale);
    // Digits, written backwards into a buffer big enough for a u64 and
    // the decimals.
    let mut buf = [0u8; 48];
    let mut at = buf.len();
    let mut push = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    let mut places = places;
    if trim {
        while places > 0 && frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
    }
    for _ in 0..places {
        push(b'0' + (frac % 10) as u8);
        frac /= 10;
    }
    if places > 0 {
        push(b'.');
    }
    let mut w = whole;
    loop {
        push(b'0' + (w % 10) as u8);
        w /= 10;
        if w == 0 {
            break;
        }
    }
    // No "-0.00": a value that rounds to zero is written unsigned.
    if x < 0.0 && n > 0 {
        push(b'-');
    }
    f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
}

#[cfg(test)]
mod tests {
    use super::Fixed;

    #[test]
    fn writes_as_core_does_for_the_values_the_tour_shows() {
        for x in [
            0.0, 0.004, 0.005, 0.015, 0.5, 1.0, 2.999, 3.0061, 12.345, 99.995, 1234.5678, 40000.25,
        ] {
            for places in 0..=3 {
                let ours = format!("{:.*}", places, Fixed(x));
                let core = format!("{:.*}", places, x);
                // core rounds half to even on the exact binary value; ours
                // rounds half away from zero: they differ only on ties.
                let tie = (x * 10f64.powi(places as i32) % 1.0 - 0.5).abs() < 1e-9;
                if !tie {
                    assert_eq!(ours, core, "{x} to {places} places");
                }
            }
        }
    }

    #[test]
    fn without_a_precision_it_trims_like_display() {
        assert_eq!(Fixed(0.1).to_string(), "0.1");
        assert_eq!(Fixed(100.0).to_string(), "100");
        assert_eq!(Fixed(0.25).to_string(), "0.25");
        assert_eq!(Fixed(1.0 / 3.0).to_string(), "0.333333");
    }

    #[test]
    fn signs_and_odd_values() {
        assert_eq!(format!("{:.2}", Fixed(-1.256)), "-1.26");
        assert_eq!(format!("{:.2}", Fixed(-0.001)), "0.00");
        assert_eq!(format!("{:.1}", Fixed(f64::NAN)), "NaN");
        assert_eq!(format!("{:.1}", Fixed(f64::INFINITY)), "inf");
        assert_eq!(format!("{:.0}", Fixed(0.5)), "1");
        assert_eq!(format!("{:.9}", Fixed(1.5)), "1.500000");
    }
}
