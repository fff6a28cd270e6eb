//! A very small syntax highlighter for the listings: keywords, strings,
//! comments, numbers and macros. It returns escaped HTML.

/// A language the highlighter knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Python 3.
    Python,
    /// Rust.
    Rust,
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "else", "enum", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "use", "where", "while",
    "crate",
];

const PYTHON_KEYWORDS: &[&str] = &[
    "and", "as", "async", "await", "break", "class", "continue", "def", "elif", "else", "except",
    "False", "finally", "for", "from", "if", "import", "in", "is", "None", "not", "or", "pass",
    "raise", "return", "True", "try", "while", "with", "yield",
];

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    out.push_str(&super::dom::escape(text));
    out.push_str("</span>");
}

/// Highlights `src` as `lang`, as HTML.
pub fn highlight(src: &str, lang: Lang) -> String {
    let keywords = match lang {
        Lang::Python => PYTHON_KEYWORDS,
        Lang::Rust => RUST_KEYWORDS,
    };
    let comment = match lang {
        Lang::Python => "#",
        Lang::Rust => "//",
    };
    let mut out = String::with_capacity(src.len() * 2);
    let mut rest = src;
    while let Some(c) = rest.chars().next() {
        let taken = if rest.starts_with(comment) {
            let end = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "tok-comment", &rest[..end]);
            end
        } else if c == '"' || (lang == Lang::Python && c == '\'') {
            let mut end = c.len_utf8();
            let mut escaped = false;
            for ch in rest[end..].chars() {
                end += ch.len_utf8();
                if ch == c && !escaped || ch == '\n' {
                    break;
                }
                escaped = ch == '\\' && !escaped;
            }
            span(&mut out, "tok-string", &rest[..end]);
            end
        } else if c.is_ascii_digit() {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
                .unwrap_or(rest.len());
            span(&mut out, "tok-number", &rest[..end]);
            end
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            let is_macro = lang == Lang::Rust && rest[end..].starts_with('!');
            let next_is_paren = rest[end..].starts_with('(');
            if keywords.contains(&word) {
                span(&mut out, "tok-keyword", word);
            } else if is_macro {
                span(&mut out, "tok-macro", &rest[..end + 1]);
                rest = &rest[end + 1..];
                continue;
            } else if next_is_paren {
                span(&mut out, "tok-call", word);
            } else {
                out.push_str(&super::dom::escape(word));
            }
            end
        } else {
            out.push_str(&super::dom::escape(&rest[..c.len_utf8()]));
            c.len_utf8()
        };
        rest = &rest[taken..];
    }
    out
}
