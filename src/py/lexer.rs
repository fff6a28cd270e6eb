//! Source text to tokens, as CPython's tokenizer cuts it: names,
//! numbers, strings, operators, and the `NEWLINE`, `INDENT` and `DEDENT`
//! that carry a block's shape. Brackets are matched here, so an unclosed
//! `(` is reported where it opened.

use std::rc::Rc;

use super::ast::{Name, Span};
use super::syntax::{line_col, ErrorKind, SyntaxError};
use super::unicode::{self, CharClass};

/// A token and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Where it is.
    pub span: Span,
}

/// The tokens.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// An identifier that is not a keyword.
    Name(Name),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal, its escapes decoded.
    Str(Rc<str>),
    /// A bytes literal.
    Bytes(Rc<[u8]>),
    /// An f-string: the parser reads its inside (`inner`) itself.
    FStr {
        /// `rf"..."`: backslashes are text.
        raw: bool,
        /// The text between the quotes.
        inner: Span,
    },
    /// An operator or a delimiter.
    Op(Op),
    /// A keyword.
    Kw(Kw),
    /// The end of a logical line.
    Newline,
    /// A block starts.
    Indent,
    /// A block ends.
    Dedent,
    /// The end of the source.
    End,
    /// A literal that is Python but not the tour's (`1j`): the parser
    /// refuses it with these words when it gets there.
    Refused(&'static str),
}

macro_rules! table {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum $name { $($variant,)* }

        impl $name {
            const ALL: &'static [($name, &'static str)] = &[$(($name::$variant, $text),)*];

            /// How Python writes it.
            pub fn text(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }
    };
}

table! {
    /// Operators and delimiters, longest first (the lexer takes the first
    /// that matches).
    Op {
        PowEq = "**=", FloorDivEq = "//=", ShlEq = "<<=", ShrEq = ">>=", Ellipsis = "...",
        Pow = "**", FloorDiv = "//", Shl = "<<", Shr = ">>", Le = "<=", Ge = ">=", EqEq = "==",
        Ne = "!=", Arrow = "->", Walrus = ":=", AddEq = "+=", SubEq = "-=", MulEq = "*=",
        DivEq = "/=", ModEq = "%=", AndEq = "&=", OrEq = "|=", XorEq = "^=", MatMulEq = "@=",
        LPar = "(", RPar = ")", LSqb = "[", RSqb = "]", LBrace = "{", RBrace = "}",
        Comma = ",", Colon = ":", Dot = ".", Semi = ";", Assign = "=", Add = "+", Sub = "-",
        Mul = "*", Div = "/", Mod = "%", At = "@", BitOr = "|", BitAnd = "&", BitXor = "^",
        Tilde = "~", Lt = "<", Gt = ">",
    }
}

table! {
    /// Python's keywords (`match` and `case` are soft, so names here).
    Kw {
        False = "False", None = "None", True = "True", And = "and", As = "as",
        Assert = "assert", Async = "async", Await = "await", Break = "break",
        Class = "class", Continue = "continue", Def = "def", Del = "del", Elif = "elif",
        Else = "else", Except = "except", Finally = "finally", For = "for", From = "from",
        Global = "global", If = "if", Import = "import", In = "in", Is = "is",
        Lambda = "lambda", Nonlocal = "nonlocal", Not = "not", Or = "or", Pass = "pass",
        Raise = "raise", Return = "return", Try = "try", While = "while", With = "with",
        Yield = "yield",
    }
}

/// CPython's limits: brackets open at once, and blocks inside blocks.
const MAX_BRACKETS: usize = 200;
const MAX_INDENTS: usize = 100;

/// Cuts a whole file into tokens, ending with [`Tok::End`].
pub fn tokenize(source: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut lexer = Lexer::new(source, 0, source.len(), false);
    lexer.run()?;
    Ok(lexer.tokens)
}

/// Cuts a whole file as far as it can: all its tokens, or those before
/// its first mistake (then ended by [`Tok::End`]), with the mistake and
/// the byte where it was found.
pub(crate) fn tokenize_until_error(source: &str) -> (Vec<Token>, Result<(), (SyntaxError, u32)>) {
    let mut lexer = Lexer::new(source, 0, source.len(), false);
    let result = lexer.run().map_err(|e| {
        let found = lexer.pos as u32;
        lexer.tokens.push(Token {
            tok: Tok::End,
            span: span(lexer.pos, lexer.pos),
        });
        (e, found)
    });
    (lexer.tokens, result)
}

/// Cuts `source[span]`, an f-string's field, into tokens as if it were
/// inside brackets: line breaks are spaces, and there are no blocks.
pub(crate) fn tokenize_field(source: &str, span: Span) -> Result<Vec<Token>, SyntaxError> {
    let mut lexer = Lexer::new(source, span.start as usize, span.end as usize, true);
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    end: usize,
    /// Inside an f-string's braces.
    field: bool,
    tokens: Vec<Token>,
    /// Each open block's indentation: with tabs to 8 columns, and to 1,
    /// which must agree (else a `TabError`).
    indents: Vec<(u32, u32)>,
    /// Each open bracket and where it opened.
    brackets: Vec<(u8, usize)>,
    at_line_start: bool,
}

fn span(start: usize, end: usize) -> Span {
    Span {
        start: start as u32,
        end: end as u32,
    }
}

fn is_name_start(c: char) -> bool {
    c == '_' || unicode::is(CharClass::Alphabetic, c)
}

fn is_name_char(c: char) -> bool {
    c == '_' || unicode::is(CharClass::Alphanumeric, c)
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str, start: usize, end: usize, field: bool) -> Self {
        Lexer {
            src,
            pos: start,
            end,
            field,
            tokens: Vec::new(),
            indents: vec![(0, 0)],
            brackets: Vec::new(),
            at_line_start: !field,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..self.end].chars().next()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.src[self.pos..self.end].chars().nth(ahead)
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..self.end]
    }

    fn error(&self, msg: impl Into<String>, start: usize, end: usize) -> SyntaxError {
        SyntaxError::new(ErrorKind::Syntax, msg, span(start, end))
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.tokens.push(Token {
            tok,
            span: span(start, self.pos),
        });
    }

    fn run(&mut self) -> Result<(), SyntaxError> {
        loop {
            if self.at_line_start {
                self.at_line_start = false;
                self.indentation()?;
            }
            while let Some(' ' | '\t' | '\x0c') = self.peek() {
                self.pos += 1;
            }
            let start = self.pos;
            let Some(c) = self.peek() else { break };
            match c {
                '\n' | '\r' => {
                    self.pos += if self.rest().starts_with("\r\n") {
                        2
                    } else {
                        1
                    };
                    if self.brackets.is_empty() && !self.field {
                        self.at_line_start = true;
                        self.newline(start);
                    }
                }
                '#' => {
                    let len = self.rest().find(['\n', '\r']).unwrap_or(self.rest().len());
                    self.pos += len;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some('\r') => {
                            self.pos += if self.rest().starts_with("\r\n") {
                                2
                            } else {
                                1
                            }
                        }
                        None => {
                            return Err(self.error("unexpected EOF while parsing", start, start))
                        }
                        Some(_) => {
                            return Err(self.error(
                                "unexpected character after line continuation character",
                                self.pos,
                                self.pos,
                            ))
                        }
                    }
                }
                '"' | '\'' => {
                    let tok = self.string(start, "")?;
                    self.push(tok, start);
                }
                '0'..='9' => {
                    let tok = self.number(start)?;
                    self.push(tok, start);
                }
                '.' if matches!(self.peek_at(1), Some('0'..='9')) => {
                    let tok = self.number(start)?;
                    self.push(tok, start);
                }
                c if is_name_start(c) => self.name(start)?,
                _ => self.operator(start, c)?,
            }
        }
        self.finish()
    }

    /// A newline ends a logical line only if the line had a token.
    fn newline(&mut self, start: usize) {
        if self
            .tokens
            .last()
            .is_some_and(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent))
        {
            self.tokens.push(Token {
                tok: Tok::Newline,
                span: span(start, start + 1),
            });
        }
    }

    /// Reads a line's indentation and opens or closes blocks. Blank lines
    /// and lines of only a comment do neither.
    fn indentation(&mut self) -> Result<(), SyntaxError> {
        let (mut col, mut alt) = (0u32, 0u32);
        loop {
            match self.peek() {
                Some(' ') => {
                    col += 1;
                    alt += 1;
                }
                Some('\t') => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                }
                Some('\x0c') => {
                    col = 0;
                    alt = 0;
                }
                _ => break,
            }
            self.pos += 1;
        }
        if matches!(self.peek(), None | Some('#' | '\n' | '\r')) {
            return Ok(());
        }
        let at = self.pos;
        let tab_error = || {
            SyntaxError::new(
                ErrorKind::Tab,
                "inconsistent use of tabs and spaces in indentation",
                span(at, at),
            )
        };
        let &(top, top_alt) = self.indents.last().expect("the outermost block stays open");
        if col > top {
            if alt <= top_alt {
                return Err(tab_error());
            }
            if self.indents.len() > MAX_INDENTS {
                return Err(SyntaxError::new(
                    ErrorKind::Indentation,
                    "too many levels of indentation",
                    span(at, at),
                ));
            }
            self.indents.push((col, alt));
            self.push(Tok::Indent, at);
        } else {
            while self.indents.last().is_some_and(|&(c, _)| c > col) {
                self.indents.pop();
                self.push(Tok::Dedent, at);
            }
            let &(top, top_alt) = self.indents.last().expect("the outermost block stays open");
            if top != col {
                return Err(SyntaxError::new(
                    ErrorKind::Indentation,
                    "unindent does not match any outer indentation level",
                    span(at, at),
                ));
            }
            if alt != top_alt {
                return Err(tab_error());
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), SyntaxError> {
        if let Some(&(open, at)) = self.brackets.last() {
            return Err(self.error(format!("'{}' was never closed", open as char), at, at + 1));
        }
        let end = self.pos;
        if !self.field {
            self.newline(end);
            while self.indents.len() > 1 {
                self.indents.pop();
                self.push(Tok::Dedent, end);
            }
        }
        self.push(Tok::End, end);
        Ok(())
    }

    fn name(&mut self, start: usize) -> Result<(), SyntaxError> {
        let len = self
            .rest()
            .find(|c: char| !is_name_char(c))
            .unwrap_or(self.rest().len());
        self.pos += len;
        let word = &self.src[start..self.pos];
        if matches!(self.peek(), Some('"' | '\''))
            && matches!(
                word.to_ascii_lowercase().as_str(),
                "r" | "u" | "b" | "f" | "br" | "rb" | "fr" | "rf"
            )
        {
            let tok = self.string(start, word)?;
            self.push(tok, start);
            return Ok(());
        }
        let tok = match Kw::ALL.iter().find(|(_, text)| *text == word) {
            Some(&(kw, _)) => Tok::Kw(kw),
            None => Tok::Name(word.into()),
        };
        self.push(tok, start);
        Ok(())
    }

    fn operator(&mut self, start: usize, c: char) -> Result<(), SyntaxError> {
        let Some(&(op, text)) = Op::ALL.iter().find(|(_, t)| self.rest().starts_with(t)) else {
            let msg = if c.is_ascii() {
                "invalid syntax".to_string()
            } else {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            };
            return Err(self.error(msg, start, start + c.len_utf8()));
        };
        self.pos += text.len();
        match op {
            Op::LPar | Op::LSqb | Op::LBrace => {
                if self.brackets.len() >= MAX_BRACKETS {
                    return Err(self.error("too many nested parentheses", start, start + 1));
                }
                self.brackets.push((text.as_bytes()[0], start));
            }
            Op::RPar | Op::RSqb | Op::RBrace => {
                let close = text.as_bytes()[0];
                match self.brackets.pop() {
                    None => {
                        return Err(self.error(format!("unmatched '{text}'"), start, start + 1))
                    }
                    Some((open, at)) if open != opener(close) => {
                        let (here, there) = (
                            line_col(self.src, start as u32).line,
                            line_col(self.src, at as u32).line,
                        );
                        let on = if here == there {
                            String::new()
                        } else {
                            format!(" on line {there}")
                        };
                        return Err(self.error(
                            format!(
                                "closing parenthesis '{text}' does not match opening parenthesis '{}'{on}",
                                open as char
                            ),
                            start,
                            start + 1,
                        ));
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
        self.push(Tok::Op(op), start);
        Ok(())
    }

    /// Digits of a radix, with single underscores between them; how many
    /// digits there were.
    fn digits(&mut self, radix: u32) -> Result<usize, SyntaxError> {
        let mut count = 0;
        loop {
            match self.peek() {
                Some(c) if c.is_digit(radix) => {
                    self.pos += 1;
                    count += 1;
                }
                Some('_') if count > 0 && self.peek_at(1).is_some_and(|c| c.is_digit(radix)) => {
                    self.pos += 1;
                }
                Some('_') if count > 0 => {
                    let what = literal_name(radix);
                    return Err(self.error(
                        format!("invalid {what} literal"),
                        self.pos,
                        self.pos + 1,
                    ));
                }
                _ => return Ok(count),
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<Tok, SyntaxError> {
        let radix = match self.rest().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("0x") => 16,
            Some("0o") => 8,
            Some("0b") => 2,
            _ => 10,
        };
        if radix != 10 {
            self.pos += 2;
            if self.peek() == Some('_') {
                self.pos += 1;
            }
            let count = self.digits(radix)?;
            if let Some(d) = self.peek().filter(char::is_ascii_digit) {
                let what = literal_name(radix);
                return Err(self.error(
                    format!("invalid digit '{d}' in {what} literal"),
                    self.pos,
                    self.pos + 1,
                ));
            }
            if count == 0 || self.peek().is_some_and(is_name_char) {
                let what = literal_name(radix);
                return Err(self.error(format!("invalid {what} literal"), start, self.pos));
            }
            let text: String = self.src[start + 2..self.pos]
                .chars()
                .filter(|&c| c != '_')
                .collect();
            return Ok(i64::from_str_radix(&text, radix).map_or(Tok::Refused(TOO_LARGE), Tok::Int));
        }
        let whole = self.digits(10)?;
        let mut float = false;
        if self.peek() == Some('.') {
            self.pos += 1;
            self.digits(10)?;
            float = true;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.digits(10)? == 0 {
                self.pos = save;
            } else {
                float = true;
            }
        }
        if matches!(self.peek(), Some('j' | 'J')) {
            self.pos += 1;
            return Ok(Tok::Refused("the tour's Python has no complex numbers"));
        }
        if self.peek().is_some_and(is_name_char) {
            return Err(self.error("invalid decimal literal", start, start));
        }
        let text: String = self.src[start..self.pos]
            .chars()
            .filter(|&c| c != '_')
            .collect();
        if float {
            return super::decimal::parse(&text)
                .map(Tok::Float)
                .ok_or_else(|| self.error("invalid decimal literal", start, start));
        }
        if whole > 1 && text.starts_with('0') && text.bytes().any(|b| b != b'0') {
            return Err(self.error(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                start,
                start + 1,
            ));
        }
        Ok(text.parse().map_or(Tok::Refused(TOO_LARGE), Tok::Int))
    }

    /// A string literal from its opening quote; `prefix` (`rb`, `f`) is
    /// already read.
    fn string(&mut self, start: usize, prefix: &str) -> Result<Tok, SyntaxError> {
        let prefix = prefix.to_ascii_lowercase();
        let (raw, bytes, f) = (
            prefix.contains('r'),
            prefix.contains('b'),
            prefix.contains('f'),
        );
        let quote = self.peek().expect("a string starts at its quote");
        let triple = self.rest().starts_with(&String::from(quote).repeat(3));
        let quote_len = if triple { 3 } else { 1 };
        let closing = &self.src[self.pos..self.pos + quote_len];
        self.pos += quote_len;
        let inner_start = self.pos;
        let inner_end = loop {
            let Some(c) = self.peek() else {
                let line = line_col(self.src, self.end.saturating_sub(1) as u32).line;
                let what = if triple {
                    "triple-quoted string"
                } else {
                    "string"
                };
                return Err(self.error(
                    format!("unterminated {what} literal (detected at line {line})"),
                    start,
                    start,
                ));
            };
            match c {
                '\\' => {
                    self.pos += 1;
                    if let Some(next) = self.peek() {
                        self.pos += next.len_utf8();
                    }
                }
                '\n' | '\r' if !triple => {
                    let line = line_col(self.src, self.pos as u32).line;
                    return Err(self.error(
                        format!("unterminated string literal (detected at line {line})"),
                        start,
                        start,
                    ));
                }
                c if c == quote && self.rest().starts_with(closing) => {
                    let end = self.pos;
                    self.pos += quote_len;
                    break end;
                }
                c => self.pos += c.len_utf8(),
            }
        };
        let text = &self.src[inner_start..inner_end];
        if f {
            return Ok(Tok::FStr {
                raw,
                inner: span(inner_start, inner_end),
            });
        }
        if bytes && !text.is_ascii() {
            return Err(self.error(
                "bytes can only contain ASCII literal characters",
                start,
                self.pos,
            ));
        }
        let decoded = if raw {
            text.to_string()
        } else {
            unescape(text, bytes).map_err(|e| SyntaxError {
                span: span(start, self.pos),
                ..e
            })?
        };
        Ok(if bytes {
            Tok::Bytes(decoded.chars().map(|c| c as u8).collect())
        } else {
            Tok::Str(decoded.into())
        })
    }
}

fn opener(close: u8) -> u8 {
    match close {
        b')' => b'(',
        b']' => b'[',
        _ => b'{',
    }
}

fn literal_name(radix: u32) -> &'static str {
    match radix {
        16 => "hexadecimal",
        8 => "octal",
        2 => "binary",
        _ => "decimal",
    }
}

const TOO_LARGE: &str = "the tour's Python has no integers this large (its ints are 64-bit)";

/// Decodes a literal's backslash escapes. In `bytes`, each char of the
/// result is one byte (below 256). The span of an error is filled in by
/// the caller.
pub(crate) fn unescape(text: &str, bytes: bool) -> Result<String, SyntaxError> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    // CPython's words, with the positions in the literal's text.
    let fail = |from: usize, to: usize, why: &str| {
        let msg = if bytes {
            format!("(value error) invalid \\x escape at position {from}")
        } else {
            format!(
                "(unicode error) 'unicodeescape' codec can't decode bytes in position {from}-{to}: {why}"
            )
        };
        SyntaxError::new(ErrorKind::Syntax, msg, Span::default())
    };
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        let mut last = at + 1;
        let mut hex = |n: usize, what: &str| -> Result<u32, SyntaxError> {
            let mut value = 0;
            for _ in 0..n {
                match chars.next_if(|(_, c)| c.is_ascii_hexdigit()) {
                    Some((i, d)) => {
                        last = i;
                        value = value * 16 + d.to_digit(16).expect("a hex digit");
                    }
                    None => return Err(fail(at, last, &format!("truncated \\{what} escape"))),
                }
            }
            Ok(value)
        };
        match e {
            '\n' => {}
            '\r' => {
                chars.next_if(|&(_, c)| c == '\n');
            }
            '\\' | '\'' | '"' => out.push(e),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut value = e.to_digit(8).expect("an octal digit");
                for _ in 0..2 {
                    match chars.next_if(|(_, c)| matches!(c, '0'..='7')) {
                        Some((_, d)) => value = value * 8 + d.to_digit(8).expect("an octal digit"),
                        None => break,
                    }
                }
                if bytes {
                    value &= 0xff;
                }
                out.push(char::from_u32(value).expect("an octal escape is below 512"));
            }
            'x' => {
                let value = hex(2, "xXX")?;
                out.push(char::from_u32(value).expect("two hex digits make a char"));
            }
            'u' | 'U' if !bytes => {
                let (n, what) = if e == 'u' {
                    (4, "uXXXX")
                } else {
                    (8, "UXXXXXXXX")
                };
                let value = hex(n, what)?;
                match char::from_u32(value) {
                    Some(c) => out.push(c),
                    None => return Err(fail(at, last, "illegal Unicode character")),
                }
            }
            'N' if !bytes => {
                if chars.peek().is_some_and(|&(_, c)| c == '{') {
                    return Err(SyntaxError::new(
                        ErrorKind::Unsupported,
                        "the tour's Python has no \\N{...} escapes",
                        Span::default(),
                    ));
                }
                return Err(fail(at, at + 1, "malformed \\N character escape"));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}
