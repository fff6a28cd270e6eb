//! The bar at the top of the tour: its name, the speed every run plays
//! at, and the page's heartbeat.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlInputElement};

use super::dom::{attr, find, find_as};
use super::heartbeat;
use crate::rt::{Speed, SpeedError};

/// The bar as the build renders it.
pub fn markup() -> Markup {
    html! {
        header .top {
            div .brand {
                a .name href="#" { "async-tour" }
                span .tagline { "Python's asyncio, as Rust futures on your browser's event loop" }
            }
            div .tools {
                label .speed {
                    span { "Speed" }
                    input type="number" name="speed" value="1" min=(Speed::MIN) max=(Speed::MAX)
                        step="any" list="speeds" aria-describedby="speed-msg";
                    span { "×" }
                    datalist #speeds {
                        @for s in Speed::OFFERED { option value=(s) {} }
                    }
                }
                span #speed-msg .speed-msg role="alert" {}
                (heartbeat::markup())
            }
        }
    }
}

/// The bar, taken over.
pub struct Header {
    speed: HtmlInputElement,
    speed_msg: Element,
    heartbeat: Element,
}

impl Header {
    /// Takes over the bar [`markup`] rendered inside `root`.
    pub fn attach(root: &Element) -> Result<Header, JsValue> {
        Ok(Header {
            speed: find_as(root, ".speed input")?,
            speed_msg: find(root, ".speed-msg")?,
            heartbeat: find(root, ".top .heartbeat")?,
        })
    }

    /// The speed field: it tells of every change.
    pub fn speed_field(&self) -> &HtmlInputElement {
        &self.speed
    }

    /// The heartbeat's display.
    pub fn heartbeat(&self) -> &Element {
        &self.heartbeat
    }

    /// The speed in the field, if it is one a run can play at.
    pub fn speed(&self) -> Result<Speed, SpeedError> {
        Speed::new(self.speed.value_as_number())
    }

    /// Says what is wrong with the speed in the field, if anything.
    pub fn check_speed(&self) {
        match self.speed() {
            Ok(_) => {
                self.speed_msg.set_text_content(None);
                let _ = self.speed.remove_attribute("aria-invalid");
            }
            Err(e) => {
                self.speed_msg
                    .set_text_content(Some(&format!("{e}; runs are refused until it is fixed.")));
                attr(&self.speed, "aria-invalid", "true");
            }
        }
    }
}
