//! A small syntax highlighter for the two listings, run at build time:
//! keywords, strings (Python's triple-quoted and prefixed ones too),
//! comments, numbers, decorators, macros and calls.
//!
//! Small on purpose: the listings are short, use a known handful of each
//! language, and the tests below pin every kind of token they contain. A
//! full grammar-driven highlighter (syntect, tree-sitter) would add
//! minutes to a cold build to colour the same tokens.

use maud::{html, Markup};

/// A language the highlighter knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Python 3.
    Python,
    /// Rust.
    Rust,
}

/// What a piece of a listing is, named as its CSS class says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// A reserved word (`async`, `lambda`, `fn`).
    Keyword,
    /// A string or character literal.
    Str,
    /// A comment, to the end of the line.
    Comment,
    /// A number.
    Number,
    /// A Rust macro call (`say!`) or a Python decorator (`@dataclass`).
    Macro,
    /// A name that is called: `sleep(`.
    Call,
    /// Anything else: names, punctuation, space.
    Plain,
}

impl Token {
    fn class(self) -> Option<&'static str> {
        Some(match self {
            Token::Keyword => "tok-keyword",
            Token::Str => "tok-string",
            Token::Comment => "tok-comment",
            Token::Number => "tok-number",
            Token::Macro => "tok-macro",
            Token::Call => "tok-call",
            Token::Plain => return None,
        })
    }
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Python's string prefixes (`f"…"`, `rb'…'`), lower case; either case is
/// accepted.
const PYTHON_PREFIXES: &[&str] = &["b", "br", "f", "fr", "r", "rb", "rf", "u"];

/// Highlights `src` as `lang` (HTML, escaped by construction), one
/// `span.ln` per line with its number
/// (from 1) in `data-line`, so the page can point at a line. A line that
/// ends in a [callout](super::callouts) (`// <1>`) says its number in
/// `data-callout` and shows it as a numbered mark.
pub fn highlight_lines(src: &str, lang: Lang) -> Markup {
    let comment = match lang {
        Lang::Python => "#",
        Lang::Rust => "//",
    };
    // Tokens split at line ends: a triple-quoted string spans lines.
    let mut lines: Vec<Vec<(Token, &str)>> = vec![Vec::new()];
    for (token, text) in tokens(src, lang) {
        for (i, piece) in text.split('\n').enumerate() {
            if i > 0 {
                lines.push(Vec::new());
            }
            if !piece.is_empty() {
                lines
                    .last_mut()
                    .expect("one line at least")
                    .push((token, piece));
            }
        }
    }
    let texts: Vec<&str> = src.split('\n').collect();
    html! {
        @for (n, line) in lines.iter().enumerate() {
            @let callout = texts.get(n).and_then(|t| super::callouts::callout(t, comment));
            span .ln data-line=(n + 1) data-callout=[callout.map(|c| c.0)] {
                @for &(token, text) in line {
                    @let (text, mark) = match callout {
                        Some((number, _)) if token == Token::Comment => split_callout(text, number),
                        _ => (text, None),
                    };
                    @match token.class() {
                        Some(class) => span class=(class) { (text) },
                        None => (text),
                    }
                    @if let Some((number, after)) = mark {
                        // The text stays the source's (`<1>`); the brackets
                        // are only hidden, so the mark reads as a number.
                        span .callout title={ "Paired with the line marked " (number) " in the other listing" } {
                            span .cb { "<" } (number) span .cb { ">" }
                        }
                        (after)
                    }
                }
            }
            @if n + 1 < lines.len() { "\n" }
        }
    }
}

/// A comment ending in callout `<number>`: the text before the callout,
/// and the number with what follows it (spaces).
fn split_callout(text: &str, number: u32) -> (&str, Option<(u32, &str)>) {
    let mark = format!("<{number}>");
    match text.rfind(mark.as_str()) {
        Some(at) => (&text[..at], Some((number, &text[at + mark.len()..]))),
        None => (text, None),
    }
}

/// Splits `src` into tokens; joined again, they give back `src`.
pub fn tokens(src: &str, lang: Lang) -> Vec<(Token, &str)> {
    let mut out: Vec<(Token, &str)> = Vec::new();
    let mut at = 0;
    while at < src.len() {
        let rest = &src[at..];
        let (token, len) = next(rest, lang);
        // Runs of plain text stay one piece.
        match out.last_mut() {
            Some((Token::Plain, text)) if token == Token::Plain => {
                *text = &src[at - text.len()..at + len];
            }
            _ => out.push((token, &rest[..len])),
        }
        at += len;
    }
    out
}

/// The token at the start of `rest`, and its length in bytes.
fn next(rest: &str, lang: Lang) -> (Token, usize) {
    let c = rest
        .chars()
        .next()
        .expect("next is called on a non-empty rest");
    let comment = match lang {
        Lang::Python => "#",
        Lang::Rust => "//",
    };
    if rest.starts_with(comment) {
        return (Token::Comment, rest.find('\n').unwrap_or(rest.len()));
    }
    if let Some(len) = string(rest, lang) {
        return (Token::Str, len);
    }
    if c.is_ascii_digit() {
        let len = rest
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
            .unwrap_or(rest.len());
        return (Token::Number, len);
    }
    if lang == Lang::Python && c == '@' {
        let len = 1 + word_len(&rest[1..]);
        if len > 1 {
            return (Token::Macro, len);
        }
    }
    if c.is_ascii_alphabetic() || c == '_' {
        let len = word_len(rest);
        let word = &rest[..len];
        let after = &rest[len..];
        let keywords = match lang {
            Lang::Python => PYTHON_KEYWORDS,
            Lang::Rust => RUST_KEYWORDS,
        };
        return if keywords.contains(&word) {
            (Token::Keyword, len)
        } else if lang == Lang::Rust && after.starts_with('!') && !after.starts_with("!=") {
            (Token::Macro, len + 1)
        } else if after.starts_with('(') {
            (Token::Call, len)
        } else {
            (Token::Plain, len)
        };
    }
    (Token::Plain, c.len_utf8())
}

fn word_len(s: &str) -> usize {
    s.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
        .unwrap_or(s.len())
}

/// The length of the string literal at the start of `rest`, if one starts
/// there: with its prefix, its quotes and what it holds.
fn string(rest: &str, lang: Lang) -> Option<usize> {
    match lang {
        Lang::Python => {
            let prefix = word_len(rest).min(2);
            let prefix = (0..=prefix)
                .rev()
                .find(|&n| {
                    n == 0 || PYTHON_PREFIXES.contains(&rest[..n].to_ascii_lowercase().as_str())
                })
                .filter(|&n| rest[n..].starts_with(['"', '\'']))?;
            let body = &rest[prefix..];
            let quote = &body[..1];
            let triple = quote.repeat(3);
            let len = if body.starts_with(&triple) {
                // Up to the closing triple quote, across lines.
                body[3..]
                    .find(&triple)
                    .map_or(body.len(), |end| 3 + end + 3)
            } else {
                quoted(body, quote.chars().next().expect("a quote"))
            };
            Some(prefix + len)
        }
        Lang::Rust => {
            if rest.starts_with('"') {
                return Some(quoted(rest, '"'));
            }
            // A char literal ('a', '\n'), not a lifetime ('static).
            let mut chars = rest.chars();
            if chars.next() == Some('\'') {
                let len = match (chars.next(), chars.next()) {
                    (Some('\\'), _) => rest[2..].find('\'').map(|i| i + 3),
                    (Some(ch), Some('\'')) => Some(2 + ch.len_utf8()),
                    _ => None,
                };
                return len;
            }
            None
        }
    }
}

/// The length of a one-line string that opens with `quote` at the start
/// of `s`, up to its closing quote (an escaped one does not close it), or
/// to the end of the line if it never closes.
fn quoted(s: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, ch) in s.char_indices().skip(1) {
        if (ch == quote && !escaped) || ch == '\n' {
            return i + ch.len_utf8();
        }
        escaped = ch == '\\' && !escaped;
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, lang: Lang) -> Vec<(Token, &str)> {
        tokens(src, lang)
            .into_iter()
            .filter(|(t, _)| *t != Token::Plain)
            .collect()
    }

    #[test]
    fn joined_tokens_give_back_the_source() {
        let src = "async def main():\n    await asyncio.sleep(1)  # wait\n";
        let joined: String = tokens(src, Lang::Python).iter().map(|(_, t)| *t).collect();
        assert_eq!(joined, src);
    }

    #[test]
    fn python_keywords_include_lambda_and_friends() {
        assert_eq!(
            kinds("f = lambda x: x is not None", Lang::Python),
            [
                (Token::Keyword, "lambda"),
                (Token::Keyword, "is"),
                (Token::Keyword, "not"),
                (Token::Keyword, "None"),
            ]
        );
    }

    #[test]
    fn triple_quoted_strings_span_lines_and_hold_quotes() {
        let src = "doc = \"\"\"one \"two\"\nthree\"\"\"\nx = 1";
        assert_eq!(
            kinds(src, Lang::Python),
            [
                (Token::Str, "\"\"\"one \"two\"\nthree\"\"\""),
                (Token::Number, "1")
            ]
        );
    }

    #[test]
    fn prefixed_python_strings_are_strings() {
        assert_eq!(
            kinds("print(f\"{n} done\", rb'x')", Lang::Python),
            [
                (Token::Call, "print"),
                (Token::Str, "f\"{n} done\""),
                (Token::Str, "rb'x'")
            ]
        );
    }

    #[test]
    fn a_name_ending_in_a_prefix_letter_is_not_a_string() {
        assert_eq!(
            kinds("if\"x\"", Lang::Python),
            [(Token::Keyword, "if"), (Token::Str, "\"x\"")]
        );
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        assert_eq!(
            kinds(r#"s = "a \" b" + 'c\'d'"#, Lang::Python),
            [(Token::Str, r#""a \" b""#), (Token::Str, r"'c\'d'")]
        );
    }

    #[test]
    fn decorators_and_comments() {
        assert_eq!(
            kinds("@dataclass\nclass A:  # note\n", Lang::Python),
            [
                (Token::Macro, "@dataclass"),
                (Token::Keyword, "class"),
                (Token::Comment, "# note")
            ]
        );
    }

    #[test]
    fn rust_macros_calls_and_not_equal() {
        assert_eq!(
            kinds("say!(\"hi {n}\"); if a!=b { go(1.5) }", Lang::Rust),
            [
                (Token::Macro, "say!"),
                (Token::Str, "\"hi {n}\""),
                (Token::Keyword, "if"),
                (Token::Call, "go"),
                (Token::Number, "1.5"),
            ]
        );
    }

    #[test]
    fn rust_char_literals_are_strings_and_lifetimes_are_not() {
        assert_eq!(
            kinds(
                "let c = 'x'; let n = '\\n'; fn f(s: &'static str) {}",
                Lang::Rust
            ),
            [
                (Token::Keyword, "let"),
                (Token::Str, "'x'"),
                (Token::Keyword, "let"),
                (Token::Str, "'\\n'"),
                (Token::Keyword, "fn"),
                (Token::Call, "f"),
                (Token::Keyword, "static"),
            ]
        );
    }

    #[test]
    fn markup_is_escaped() {
        let html = highlight_lines("x = '<b>&'", Lang::Python).into_string();
        assert_eq!(
            html,
            "<span class=\"ln\" data-line=\"1\">x = <span class=\"tok-string\">'&lt;b&gt;&amp;'</span></span>"
        );
    }

    #[test]
    fn lines_are_numbered_and_callouts_become_marks() {
        let src = "async def f():\n    s = \"\"\"a\nb\"\"\"\n    await x()  # <2>\n";
        let html = highlight_lines(src, Lang::Python).into_string();
        assert!(
            html.contains("data-line=\"3\"><span class=\"tok-string\">b&quot;&quot;&quot;</span>"),
            "a string across lines is cut at the line end: {html}"
        );
        assert!(
            html.contains("data-line=\"4\" data-callout=\"2\""),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"tok-comment\"># </span><span class=\"callout\""),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"cb\">&lt;</span>2<span class=\"cb\">&gt;</span>"),
            "the callout keeps its text: {html}"
        );
    }
}
