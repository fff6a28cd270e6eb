//! Letters and their cases beyond ASCII, from the browser's own Unicode
//! tables.
//!
//! `str.upper`, `str.isalpha` and names like `café` need Unicode's case
//! mappings and character classes. Core carries its own copies of those
//! tables, and calling them would put about 13 KB of code and tables in
//! the module; the browser already has them, behind `toUpperCase` and
//! `\p{…}` in regular expressions. So ASCII (nearly all text in a
//! tutorial) is handled here, and anything else is asked of JavaScript.
//! Builds for the host (the tests) use core's tables, which follow the
//! same Unicode definitions: `Alphabetic`, `N`, `Uppercase`,
//! `Lowercase`, and the full case mappings.

/// The classes a character can be asked about.
#[derive(Clone, Copy)]
pub enum CharClass {
    /// Unicode's `Alphabetic` (`char::is_alphabetic`).
    Alphabetic,
    /// `Alphabetic` or a number (`char::is_alphanumeric`).
    Alphanumeric,
    /// General category `N` (`char::is_numeric`).
    Numeric,
    /// Unicode's `Uppercase` (`char::is_uppercase`).
    Uppercase,
    /// Unicode's `Lowercase` (`char::is_lowercase`).
    Lowercase,
}

/// Whether `c` is in `class`.
pub fn is(class: CharClass, c: char) -> bool {
    if c.is_ascii() {
        return match class {
            CharClass::Alphabetic => c.is_ascii_alphabetic(),
            CharClass::Alphanumeric => c.is_ascii_alphanumeric(),
            CharClass::Numeric => c.is_ascii_digit(),
            CharClass::Uppercase => c.is_ascii_uppercase(),
            CharClass::Lowercase => c.is_ascii_lowercase(),
        };
    }
    imp::is(class, c)
}

/// `s` in upper case (`ß` becomes `SS`).
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_uppercase()
    } else {
        imp::upper(s)
    }
}

/// `s` in lower case (a final `Σ` becomes `ς`).
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        imp::lower(s)
    }
}

/// Appends `c` in upper case to `out`.
pub fn push_upper(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_uppercase());
    } else {
        out.push_str(&imp::upper(c.encode_utf8(&mut [0; 4])));
    }
}

/// Appends `c` in lower case to `out`.
pub fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.push_str(&imp::lower(c.encode_utf8(&mut [0; 4])));
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::CharClass;
    use js_sys::{JsString, RegExp};

    thread_local! {
        /// One compiled expression per class, made on first use.
        static CLASSES: [RegExp; 5] = [
            "^\\p{Alphabetic}$",
            "^[\\p{Alphabetic}\\p{N}]$",
            "^\\p{N}$",
            "^\\p{Uppercase}$",
            "^\\p{Lowercase}$",
        ]
        .map(|pattern| RegExp::new(pattern, "u"));
    }

    pub fn is(class: CharClass, c: char) -> bool {
        CLASSES.with(|classes| classes[class as usize].test(c.encode_utf8(&mut [0; 4])))
    }

    pub fn upper(s: &str) -> String {
        JsString::from(s).to_upper_case().into()
    }

    pub fn lower(s: &str) -> String {
        JsString::from(s).to_lower_case().into()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::CharClass;

    pub fn is(class: CharClass, c: char) -> bool {
        match class {
            CharClass::Alphabetic => c.is_alphabetic(),
            CharClass::Alphanumeric => c.is_alphanumeric(),
            CharClass::Numeric => c.is_numeric(),
            CharClass::Uppercase => c.is_uppercase(),
            CharClass::Lowercase => c.is_lowercase(),
        }
    }

    pub fn upper(s: &str) -> String {
        s.to_uppercase()
    }

    pub fn lower(s: &str) -> String {
        s.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_beyond() {
        assert_eq!(upper("straße café"), "STRASSE CAFÉ");
        assert_eq!(lower("ΟΔΟΣ ABC"), "οδος abc");
        assert!(is(CharClass::Alphabetic, 'é') && !is(CharClass::Alphabetic, '1'));
        assert!(is(CharClass::Numeric, '٣') && is(CharClass::Alphanumeric, '٣'));
        assert!(is(CharClass::Uppercase, 'É') && is(CharClass::Lowercase, 'é'));
        let mut s = String::new();
        push_upper(&mut s, 'ß');
        push_lower(&mut s, 'Σ');
        assert_eq!(s, "SSσ");
    }
}
