//! Tutorial time: seconds as the Python tutorials count them, played back at
//! a chosen [`Speed`].
//!
//! Lessons are written in the tutorials' real seconds (`sleep(3.0)` is
//! three seconds). A [`Clock`] turns those into browser milliseconds at the
//! run's speed, so the page can replay a lesson at 1x, and tests can run the
//! very same code twenty times faster.

use std::fmt;
use std::ops::Sub;

use wasm_bindgen::prelude::*;

use super::fixed::Fixed;

#[wasm_bindgen]
extern "C" {
    type Performance;

    /// The global `performance`, on a page and in a worker alike, looked
    /// up once. (Looking it up on every call, as `js_namespace =
    /// performance` does, made each reading cost about twice as much, and
    /// the loop's record reads the clock at every poll.)
    #[wasm_bindgen(thread_local_v2, js_name = performance)]
    static PERFORMANCE: Performance;

    #[wasm_bindgen(method)]
    fn now(this: &Performance) -> f64;
}

/// Milliseconds on the browser's monotonic clock (`performance.now()`),
/// as a plain number, for the runtime's own sums.
pub(crate) fn performance_now() -> f64 {
    PERFORMANCE.with(Performance::now)
}

/// The browser's monotonic clock (`performance.now()`): real time, whatever
/// the run's speed. `now_ms() - start` is how long something took.
pub fn now_ms() -> Millis {
    Millis(performance_now())
}

/// Declares a quantity of time: a number with its unit in its type, that
/// subtracts, compares with plain numbers, and displays with a fixed count
/// of decimals (`{:.2}`), through [`Fixed`].
macro_rules! quantity {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
        pub struct $name(pub f64);

        impl $name {
            /// The larger of two.
            pub fn max(self, other: $name) -> $name {
                $name(self.0.max(other.0))
            }
        }

        impl std::ops::Add for $name {
            type Output = $name;
            fn add(self, other: $name) -> $name {
                $name(self.0 + other.0)
            }
        }

        impl Sub for $name {
            type Output = $name;
            fn sub(self, other: $name) -> $name {
                $name(self.0 - other.0)
            }
        }

        impl PartialEq<f64> for $name {
            fn eq(&self, other: &f64) -> bool {
                self.0 == *other
            }
        }

        impl PartialOrd<f64> for $name {
            fn partial_cmp(&self, other: &f64) -> Option<std::cmp::Ordering> {
                self.0.partial_cmp(other)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&Fixed(self.0), f)
            }
        }
    };
}

quantity! {
    /// Tutorial seconds, as Python's `time.perf_counter()` counts them:
    /// [`now`](super::now)` - start` is how long a lesson's work took.
    Seconds
}

quantity! {
    /// Real milliseconds on the browser's clock: [`now_ms`]` - start`.
    Millis
}

impl Millis {
    /// The same time in seconds.
    pub fn secs(self) -> Seconds {
        Seconds(self.0 / 1000.0)
    }
}

/// How fast tutorial time runs compared with real time.
///
/// `Speed::new(2.0)` plays a 3 s lesson in 1.5 s of real time.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Speed(f64);

impl Speed {
    /// The slowest speed the tour accepts.
    pub const MIN: f64 = 0.1;
    /// The fastest speed the tour accepts: beyond it the browser's timer
    /// granularity (a few milliseconds) swamps the lesson's timing.
    pub const MAX: f64 = 100.0;
    /// Real time: a tutorial second is a second.
    pub const REAL_TIME: Speed = Speed(1.0);
    /// The speeds the page offers.
    pub const OFFERED: [f64; 6] = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0];

    /// A speed within [`Speed::MIN`]..=[`Speed::MAX`].
    ///
    /// ```
    /// use async_tour::rt::Speed;
    /// assert!(Speed::new(2.0).is_ok());
    /// assert!(Speed::new(500.0).is_err());
    /// assert!(Speed::new(f64::NAN).is_err());
    /// ```
    pub fn new(factor: f64) -> Result<Speed, SpeedError> {
        if (Self::MIN..=Self::MAX).contains(&factor) {
            Ok(Speed(factor))
        } else {
            Err(SpeedError(factor))
        }
    }

    /// The factor: 2.0 means twice as fast as real time.
    pub fn factor(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Speed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×", Fixed(self.0))
    }
}

/// A speed outside the accepted range; its message names the range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeedError(pub f64);

impl fmt::Display for SpeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_nan() {
            write!(f, "the speed must be a number")?;
        } else {
            write!(f, "a speed of {}× is outside the range", Fixed(self.0))?;
        }
        write!(f, " {}× to {}×", Fixed(Speed::MIN), Fixed(Speed::MAX))
    }
}

impl std::error::Error for SpeedError {}

/// A clock that started when a run started and ticks at the run's speed.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    origin_ms: f64,
    speed: Speed,
}

impl Clock {
    /// A clock reading zero now.
    pub fn start(speed: Speed) -> Clock {
        Clock {
            origin_ms: performance_now(),
            speed,
        }
    }

    /// Tutorial seconds since the clock started.
    pub fn elapsed(&self) -> f64 {
        (performance_now() - self.origin_ms) / 1000.0 * self.speed.0
    }

    /// Real milliseconds since the clock started.
    pub fn real_elapsed_ms(&self) -> f64 {
        performance_now() - self.origin_ms
    }

    /// Real milliseconds from the clock's start to `ms` on the browser's
    /// clock ([`now_ms`]).
    pub fn since_start_ms(&self, ms: f64) -> Millis {
        Millis(ms - self.origin_ms)
    }

    /// How many real milliseconds `secs` tutorial seconds last.
    pub fn real_ms(&self, secs: f64) -> f64 {
        secs.max(0.0) * 1000.0 / self.speed.0
    }

    /// The speed this clock runs at.
    pub fn speed(&self) -> Speed {
        self.speed
    }
}
