//! Helpers shared by the browser tests.
#![allow(dead_code)]

use async_tour::lessons::{Args, Lesson, Value, Verdict};
use async_tour::rt::{Outcome, Run, Speed};
use futures::channel::oneshot;

/// Lessons run this many times faster than real time in tests.
pub const SPEED: f64 = 20.0;

/// Waits `ms` real milliseconds on a browser timer.
pub async fn wait_ms(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// A finished run of a lesson and its check against the expected output.
pub struct Played {
    pub run: Run,
    pub elapsed: f64,
    pub verdict: Verdict,
}

impl Played {
    /// The printed lines' text.
    pub fn texts(&self) -> Vec<String> {
        self.run.lines().into_iter().map(|l| l.text).collect()
    }

    /// When each line came, in tutorial seconds.
    pub fn times(&self) -> Vec<f64> {
        self.run.lines().into_iter().map(|l| l.at).collect()
    }

    /// Asserts the run took `expected` tutorial seconds, as a ratio: no
    /// less than 97% and no more than 125% (timers fire late, never early,
    /// and a shared machine adds jitter at test speed).
    pub fn assert_took(&self, expected: f64) {
        assert_lasted("the run", self.elapsed, expected);
    }

    /// Asserts the run matched the lesson's own expected output.
    pub fn assert_matched(&self) {
        assert!(
            self.verdict.matched(),
            "the run differed from the expected output: {:?}\nlines: {:#?}",
            self.verdict.problems,
            self.run
                .lines()
                .iter()
                .map(|l| format!("+{:.3} s {}", l.at, l.text))
                .collect::<Vec<_>>()
        );
    }
}

/// Asserts that `what` lasted `got` tutorial seconds where `expected` were
/// due, as a ratio: no less than 97% and no more than 125% (timers fire
/// late, never early, and a shared machine adds jitter at test speed).
pub fn assert_lasted(what: &str, got: f64, expected: f64) {
    let ratio = got / expected;
    assert!(
        (0.97..=1.25).contains(&ratio),
        "{what} took {got:.3}s of tutorial time, expected {expected}s (ratio {ratio:.3})"
    );
}

/// Starts `lesson` at `speed`, and gives the run and how it will end.
pub fn start_at(
    lesson: &'static Lesson,
    args: Args,
    speed: Speed,
) -> (Run, oneshot::Receiver<Outcome>) {
    lesson.start(args, speed)
}

/// Runs `lesson` with `args` at test speed until it finishes.
pub async fn play_with(lesson: &'static Lesson, args: Args) -> Played {
    play_at(lesson, args, SPEED).await
}

/// Runs `lesson` with `args` at `times` real time (if it is paced) until
/// it finishes.
pub async fn play_at(lesson: &'static Lesson, args: Args, times: f64) -> Played {
    let speed = if lesson.paced {
        Speed::new(times).expect("the test speed is in range")
    } else {
        Speed::REAL_TIME
    };
    let (run, rx) = start_at(lesson, args.clone(), speed);
    let outcome = rx.await.expect("a run always ends");
    let Outcome::Finished { elapsed } = outcome else {
        panic!("the run was stopped, but nobody stopped it");
    };
    let verdict = (lesson.expected)(&args).check(&run.lines(), &run.spans(), elapsed, speed);
    assert_record_keeps_the_rules(&run);
    Played {
        run,
        elapsed,
        verdict,
    }
}

/// Asserts that a run's record of the loop keeps the rules every
/// executor keeps (no lost wake-ups, no spurious polls, one poll at a
/// time), and that it was closed when the run ended.
pub fn assert_record_keeps_the_rules(run: &Run) {
    let record = run.record();
    let problems = record.problems();
    assert!(
        problems.is_empty(),
        "the record breaks the rules: {problems:#?}"
    );
    assert!(!record.events.is_empty(), "the run recorded nothing");
}

/// Runs `lesson` with its tutorial values.
pub async fn play(lesson: &'static Lesson) -> Played {
    play_with(lesson, lesson.defaults()).await
}

/// `lesson`'s arguments with these values, in parameter order.
pub fn args<V: Clone + Into<Value>>(lesson: &Lesson, values: &[V]) -> Args {
    lesson
        .args(values)
        .expect("the test's values are in the lesson's ranges")
}

/// Where `scripts/serve.py` runs during the tests (`scripts/test.sh`
/// starts it): it answers `/hold?ms=N`, a reply held N milliseconds.
pub const HOLD_SERVER: &str = "http://127.0.0.1:8765";

/// Makes relative URLs resolve into `www/`, as on the served page: the
/// test runner serves the crate's folder, so `demo/hello.txt` is at
/// `/www/demo/hello.txt`.
pub fn serve_www_as_page_base() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("tests run on a page");
    if document.query_selector("base").ok().flatten().is_some() {
        return;
    }
    let base = document.create_element("base").expect("a <base> element");
    base.set_attribute("href", "/www/").expect("set href");
    document
        .query_selector("head")
        .ok()
        .flatten()
        .expect("the test page has a head")
        .append_child(&base)
        .expect("add <base>");
}
