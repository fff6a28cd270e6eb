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
///
/// A shared machine can stall a browser for tens of milliseconds, which at
/// test speed is most of a tutorial second. So a paced run that misses its
/// expected output, or takes over 1.2 times its expected total, runs once
/// more at a quarter of the speed, where a stall weighs a quarter as much;
/// that second run is the one the test judges, and the retry is said in
/// the test's output. A run that really differs differs both times.
pub async fn play_at(lesson: &'static Lesson, args: Args, times: f64) -> Played {
    let expected = (lesson.expected)(&args);
    let run = |t| play_once(lesson, args.clone(), t);
    at_test_speed(lesson.id, times, run, |p: &Played| {
        let late = expected.timed && p.elapsed > 1.2 * expected.total;
        (lesson.paced && (!p.verdict.matched() || late)).then(|| {
            format!(
                "{:?} (took {:.2}s of {:.2}s)",
                p.verdict.problems, p.elapsed, expected.total
            )
        })
    })
    .await
}

/// Runs `run` at `times` real time; if `missed` finds what it gave wrong,
/// once more at a quarter of that speed (at least 1x), where a stall of
/// the shared machine weighs a quarter as much, and says so in the test's
/// output. The second run is the one the test judges.
pub async fn at_test_speed<T, F: std::future::Future<Output = T>>(
    what: &str,
    times: f64,
    run: impl Fn(f64) -> F,
    missed: impl Fn(&T) -> Option<String>,
) -> T {
    let first = run(times).await;
    let Some(why) = missed(&first).filter(|_| times > 1.0) else {
        return first;
    };
    let slower = (times / 4.0).max(1.0);
    web_sys::console::log_1(&format!("{what} at {times}x: {why}; once more at {slower}x").into());
    run(slower).await
}

async fn play_once(lesson: &'static Lesson, args: Args, times: f64) -> Played {
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

thread_local! {
    static WARM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a small Python program once, so that the first run's times do not
/// include the browser compiling the (debug) module's code on first use.
pub async fn warm_python() {
    if WARM.with(|w| w.replace(true)) {
        return;
    }
    let (listener, ended) = async_tour::rt::until_ended();
    let source = "import asyncio\n\nasync def f(n):\n    await asyncio.sleep(0.01)\n    return n\n\nprint(asyncio.run(f(1)), asyncio.run(asyncio.gather(f(2), f(3))))\n";
    let _started = async_tour::py::start(source, "warm.py", Speed::REAL_TIME, 0, listener)
        .expect("the warm-up compiles");
    ended.await.expect("the warm-up ends");
}
