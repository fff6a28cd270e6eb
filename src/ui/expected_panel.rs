//! The Expected panel: what the Python prints for the values in the
//! fields, and when. Rendered into the page at build time for the
//! defaults, and again here whenever a value changes.

use maud::{html, Markup};

use super::dom::secs;
use crate::lessons::Expected;

/// The expected lines, as the items of the panel's list. Lines of one
/// group (they may come in either order) are marked `either`.
pub fn lines(e: &Expected) -> Markup {
    let shares = |i: usize, j: Option<usize>| {
        j.and_then(|j| e.lines.get(j))
            .is_some_and(|l| l.group == e.lines[i].group)
    };
    html! {
        @for (i, line) in e.lines.iter().enumerate() {
            li .either[shares(i, i.checked_sub(1)) || shares(i, Some(i + 1))] {
                time { @if e.timed { "≈" (secs(line.at)) } }
                samp { (line.text) }
            }
        }
    }
}

/// The sentence under the list: how many lines, in what order, how long.
pub fn summary(e: &Expected) -> String {
    let order = if e.fixed_order() {
        "in this order"
    } else {
        "in this order; lines joined by a bar may come either way"
    };
    let plural = if e.lines.len() == 1 { "" } else { "s" };
    let when = if e.timed {
        format!("takes about {}", secs(e.total))
    } else {
        "the times depend on your machine".to_string()
    };
    format!("{} line{plural} {order}; {when}.", e.lines.len())
}
