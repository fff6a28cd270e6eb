//! The heartbeat: a dot that moves one step per animation frame and a
//! frame counter. Both are driven by `requestAnimationFrame` on the main
//! thread, so they stall exactly when the event loop is blocked, which
//! is what lesson 11 shows.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use maud::{html, Markup};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::dom::{find, window};
use crate::rt::Fixed;

/// A display as the page renders it at build time: a dot that turns once
/// per frame the browser draws, and the frame count. [`Heartbeat::attach`]
/// drives it.
pub fn markup() -> Markup {
    html! {
        div .heartbeat title="Moves once per frame the browser draws. It stops when the event loop is blocked." {
            span .beat-track { span .beat-dot {} }
            span .beat-frames { "frame 0" }
            // Its words are there from the first paint, hidden until the
            // module beats (style.css): filled in later, they would wrap
            // a phone's top bar and shift the page.
            span .beat-gap { "longest pause 0 ms" }
        }
    }
}

/// The note beside the lessons that block the page (11 and 18), with a
/// heartbeat of its own, as the build renders it.
pub fn note() -> Markup {
    html! {
        aside .blocking-note {
            p { "Keep an eye on this heartbeat while the lesson runs. It moves once per drawn frame, \
                 so it stops dead whenever the page's thread is blocked." }
            (markup())
        }
    }
}

/// The heartbeat of the [`note`] in `section`, if it has one.
pub fn in_note(section: &Element) -> Option<Element> {
    section
        .query_selector(".blocking-note .heartbeat")
        .ok()
        .flatten()
}

type FrameCallback = Closure<dyn FnMut(f64)>;

/// What one heartbeat display shows.
struct Display {
    dot: Element,
    frames: Element,
    gap: Element,
}

/// The frame loop: counts frames, measures the longest gap between two,
/// updates every display, and calls the page's `on_frame`.
pub struct Heartbeat {
    frames: Cell<u64>,
    last: Cell<f64>,
    longest: Cell<(f64, f64)>,
    displays: RefCell<Vec<Display>>,
    on_frame: RefCell<Option<Box<dyn Fn()>>>,
    callback: RefCell<Option<FrameCallback>>,
    pending: Cell<Option<i32>>,
}

/// A gap between frames longer than this shows as a freeze.
const FREEZE_MS: f64 = 100.0;
/// Frames not counted for the longest gap while the page settles.
const WARM_UP_FRAMES: u64 = 30;
/// How long the longest gap stays on display.
const REMEMBER_MS: f64 = 5000.0;

impl Heartbeat {
    /// Starts the frame loop. It runs for the life of the page.
    pub fn start() -> Rc<Heartbeat> {
        let beat = Rc::new(Heartbeat {
            frames: Cell::new(0),
            last: Cell::new(0.0),
            longest: Cell::new((0.0, 0.0)),
            displays: RefCell::default(),
            on_frame: RefCell::default(),
            callback: RefCell::default(),
            pending: Cell::new(None),
        });
        let weak = Rc::downgrade(&beat);
        *beat.callback.borrow_mut() = Some(Closure::new(move |t: f64| {
            if let Some(beat) = weak.upgrade() {
                beat.frame(t);
            }
        }));
        beat.request();
        beat
    }

    /// Drives the display `root`, rendered by [`markup`].
    pub fn attach(&self, root: &Element) -> Result<(), JsValue> {
        let display = Display {
            dot: find(root, ".beat-dot")?,
            frames: find(root, ".beat-frames")?,
            gap: find(root, ".beat-gap")?,
        };
        self.displays.borrow_mut().push(display);
        Ok(())
    }

    /// Sets what runs on every frame (the page redraws running timelines).
    pub fn on_frame(&self, f: impl Fn() + 'static) {
        *self.on_frame.borrow_mut() = Some(Box::new(f));
    }

    fn request(&self) {
        if let Some(cb) = self.callback.borrow().as_ref() {
            // A failure here only stops the animation; nothing depends on it.
            let id = window().request_animation_frame(cb.as_ref().unchecked_ref());
            self.pending.set(id.ok());
        }
    }

    fn frame(&self, t: f64) {
        let n = self.frames.get() + 1;
        self.frames.set(n);
        let last = self.last.replace(t);
        // The first frames come while the page is still loading: their
        // gaps say nothing about the event loop, so they do not count.
        let gap = if last > 0.0 && n > WARM_UP_FRAMES {
            t - last
        } else {
            0.0
        };
        let (mut longest, mut when) = self.longest.get();
        if gap >= longest || t - when > REMEMBER_MS {
            (longest, when) = (gap, t);
            self.longest.set((longest, when));
        }
        let frozen = longest > FREEZE_MS;
        for d in self.displays.borrow().iter() {
            let turn = (n % 60) * 6;
            let _ = d
                .dot
                .unchecked_ref::<web_sys::HtmlElement>()
                .style()
                .set_property("transform", &format!("rotate({turn}deg)"));
            d.frames.set_text_content(Some(&format!("frame {n}")));
            d.gap
                .set_text_content(Some(&format!("longest pause {:.0} ms", Fixed(longest))));
            let _ = d.gap.class_list().toggle_with_force("frozen", frozen);
        }
        if let Some(f) = self.on_frame.borrow().as_ref() {
            f();
        }
        self.request();
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        if let Some(id) = self.pending.take() {
            let _ = window().cancel_animation_frame(id);
        }
    }
}
