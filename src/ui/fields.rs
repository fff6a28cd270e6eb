//! A lesson's fields: one per [`Param`], rendered at build time with the
//! tutorial's value, read here when the reader runs the lesson.

use maud::{html, Markup};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use super::dom::find;
use crate::lessons::{Param, ParamKind, Value};

/// The field for one [`Param`], holding its default, as the build renders
/// it.
pub fn markup(p: &Param) -> Markup {
    let wide = matches!(p.kind, ParamKind::Lines { .. });
    html! {
        label .param .wide[wide] {
            span { (p.label) }
            @match p.kind {
                ParamKind::Number { default, min, max, whole } => {
                    input type="number" name=(p.key) value=(default) min=(min) max=(max)
                        step=(if whole { "1" } else { "any" })
                        inputmode=(if whole { "numeric" } else { "decimal" });
                }
                ParamKind::Lines { default, max: 1 } => {
                    input type="text" name=(p.key) value=(default) spellcheck="false" autocomplete="off";
                }
                ParamKind::Lines { default, .. } => {
                    textarea name=(p.key) rows=(default.lines().count().max(3) + 1) spellcheck="false" {
                        (default)
                    }
                }
            }
        }
    }
}

/// The field for one [`Param`]: a number box, or a text box for lines.
pub enum Field {
    /// A number.
    Number(HtmlInputElement),
    /// One line of text.
    Line(HtmlInputElement),
    /// Several lines.
    Lines(HtmlTextAreaElement),
}

impl Field {
    /// The field named `p.key` inside `within` (its lesson's section).
    pub fn find(within: &Element, p: &Param) -> Result<Field, JsValue> {
        let element = find(within, &format!("[name=\"{}\"]", p.key))?;
        let element = match element.dyn_into::<HtmlTextAreaElement>() {
            Ok(area) => return Ok(Field::Lines(area)),
            Err(other) => other,
        };
        let input: HtmlInputElement = element
            .dyn_into()
            .map_err(|_| JsValue::from_str(&format!("the field `{}` is not an input", p.key)))?;
        Ok(if input.type_() == "number" {
            Field::Number(input)
        } else {
            Field::Line(input)
        })
    }

    /// What the field holds now.
    pub fn value(&self) -> Value {
        match self {
            // The browser parses the number: NaN when empty or not one.
            Field::Number(i) => Value::Number(i.value_as_number()),
            Field::Line(i) => Value::Text(i.value()),
            Field::Lines(a) => Value::Text(a.value()),
        }
    }

    /// The field's element, to mark it invalid.
    pub fn element(&self) -> &Element {
        match self {
            Field::Number(i) | Field::Line(i) => i,
            Field::Lines(a) => a,
        }
    }
}
