//! The tour, end to end, in real browsers: the release build of `www/`
//! served by `scripts/serve.py`, and the one-file tour opened from disk,
//! driven over WebDriver as a reader would use them. Build them first
//! (`scripts/build.sh`); `scripts/test.sh` does.
//!
//! Every check runs in all three engines: Chromium, Firefox and WebKit
//! (WebKitGTK's MiniBrowser under Xvfb), but the benchmark page's, which
//! needs a cross-origin isolated page and WebKit gives it none
//! (`crossOriginIsolated` is false there: it has no COEP
//! `credentialless`), so its clock is coarse and its numbers would not
//! compare. Accessibility in WebKit is checked in the light scheme only:
//! MiniBrowser's driver takes no colour scheme.
//!
//! Lessons run at 20x in Chromium and Firefox, and at 5x in WebKit
//! ([`speed`]); a lesson that differs runs once more at 1x and says so.
//!
//! Each test watches the browser's console and network (over WebDriver
//! BiDi, or in WebKit through a hook in the page; see `Session`), and
//! fails on any error there but lesson 15's deliberate 404.

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::Locator;
use tokio::sync::{Mutex, MutexGuard};
use tour_e2e::{axe, tour, Browser, Scheme, Server, Session};

/// Lesson 15's default list includes a file that is missing on purpose,
/// to show a 404 row.
const DELIBERATE: &[&str] = &["demo/missing.txt"];

/// How many times faster than real time lessons run here. A run matches
/// when each line comes within 3% of its time plus 25 real milliseconds
/// at that speed ([`async_tour::lessons::Tolerance`]), so at 20x a pause
/// of the page's thread longer than about 30 ms makes a run differ. Such
/// pauses are not the lesson's: after the lessons before it, async-with
/// came 33 ms late in Chromium at the same point in four suite runs of
/// five (never in 40 runs of it alone, nor in a probe of the first 13
/// lessons), and MiniBrowser under Xvfb, with no GPU, stalls for
/// 40 to 90 ms now and then (7 of 32 runs of lessons 13 and 16 differed
/// at 20x there). So WebKit runs lessons at 5x, and in every engine a run
/// that differs runs once more at 1x, as a reader runs it, said in the
/// output; a miss there fails.
fn speed(browser: Browser) -> &'static str {
    match browser {
        Browser::WebKit => "5",
        Browser::Chrome | Browser::Firefox => "20",
    }
}

/// One browser at a time: the timed lessons share two cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// A served tour and a browser session, one test at a time.
struct Fixture {
    server: Server,
    session: Session,
    _turn: MutexGuard<'static, ()>,
}

impl Fixture {
    async fn new(browser: Browser) -> Fixture {
        Fixture::new_in(browser, Scheme::Light).await
    }

    /// A fixture whose pages are told the reader prefers `scheme`.
    async fn new_in(browser: Browser, scheme: Scheme) -> Fixture {
        let turn = ONE_AT_A_TIME.lock().await;
        let server = Server::www().await.expect("serve www/");
        let session = Session::open_own_in(browser, scheme)
            .await
            .expect("open the browser");
        Fixture {
            server,
            session,
            _turn: turn,
        }
    }

    /// Opens the tour at `fragment` (`""` or `#gather`) in a fresh load.
    async fn open(&self, fragment: &str) {
        // Another page first, so a new fragment is a new load.
        self.session.goto("about:blank").await.expect("blank page");
        tour::open(&self.session, &format!("{}{fragment}", self.server.base()))
            .await
            .expect("the tour starts");
    }

    /// Fails on any console error or failed request nobody meant.
    async fn assert_no_problems(&self) {
        let problems = self.session.unexpected_problems(DELIBERATE).await;
        assert!(
            problems.is_empty(),
            "{} reported problems:\n{}",
            self.session.browser().name(),
            problems
                .iter()
                .map(|p| format!("  {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    async fn close(self) {
        self.session.close().await.expect("close the browser");
    }
}

/// Presses `id`'s Run once the lesson shown is drawn and waits for the
/// run's end: its state, its status and how long it took, in seconds.
async fn run_to_end(f: &Fixture, id: &str) -> (String, String, f64) {
    // As a reader does, let the lesson just shown be drawn before
    // pressing Run: WebKit draws in software here (no GPU, under
    // Xvfb), and its first paint of a lesson holds the page's thread
    // for up to a tenth of a second, which would make the run's first
    // timer late.
    tour::drawn(&f.session).await.expect("the lesson is drawn");
    let started = Instant::now();
    tour::run(&f.session, id).await.expect("press Run");
    let state = tour::settle(&f.session, id, Duration::from_secs(90))
        .await
        .expect("read the status");
    let took = started.elapsed().as_secs_f64();
    let status = tour::status_text(&f.session, id).await.unwrap_or_default();
    (state, status, took)
}

/// Picks lesson `id` from the lesson list, as a reader would.
async fn pick(f: &Fixture, id: &str) {
    f.session
        .find(Locator::Css(&format!(".toc a[href='#{id}']")))
        .await
        .expect("a link to every lesson")
        .click()
        .await
        .expect("click the link");
}

/// Picks each of `ids` from the lesson list, as a reader would, presses
/// Run and waits for the match mark; gives a line per lesson for the
/// report.
async fn run_each_to_its_match(f: &Fixture, ids: &[&str]) -> Vec<String> {
    let browser = f.session.browser();
    let mut report = Vec::new();
    for id in ids {
        pick(f, id).await;
        let (mut state, mut status, mut took) = run_to_end(f, id).await;
        // A stall made a timer late (see `speed`): once more in real time,
        // as a reader runs it, where 25 ms plus 3% is the most real slack;
        // said out loud. A stall of the shared machine can come at 1x too
        // (Firefox once held a 1 s tick 100 ms), so up to three runs at 1x;
        // a lesson that really differs differs every time, and fails.
        let mut at_1x = 0;
        while state == "differed" && at_1x < 3 {
            println!(
                "{}: {id} differed at {}x, run again at 1x: {status}",
                browser.name(),
                if at_1x == 0 { speed(browser) } else { "1" }
            );
            tour::set_speed(&f.session, "1").await.expect("speed");
            (state, status, took) = run_to_end(f, id).await;
            tour::set_speed(&f.session, speed(browser))
                .await
                .expect("speed");
            at_1x += 1;
        }
        assert_eq!(
            state,
            "matched",
            "{id} in {}: {status}\noutput: {:#?}",
            browser.name(),
            tour::output(&f.session, id).await.unwrap_or_default()
        );
        let (rows, polls) = tour::loop_shown(&f.session, id)
            .await
            .expect("read the loop's record");
        assert!(
            rows > 0 && polls > 0,
            "{id} in {}: What the loop did has {rows} rows, the timeline {polls} poll marks",
            browser.name()
        );
        report.push(format!("{id} {took:.2} s ({rows} events shown)"));
    }
    report
}

async fn every_lesson_runs_and_matches(browser: Browser) {
    let f = Fixture::new(browser).await;
    f.open("").await;
    let ids = tour::lesson_ids(&f.session).await.expect("lesson ids");
    let listed: Vec<&str> = async_tour::lessons::listed().map(|l| l.id).collect();
    assert_eq!(
        ids, listed,
        "the page lists every lesson, in order, then yours"
    );
    let catalogue: Vec<&str> = async_tour::lessons::ALL.iter().map(|l| l.id).collect();

    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    let report = run_each_to_its_match(&f, &catalogue).await;
    println!(
        "{}: every lesson matched: {}",
        browser.name(),
        report.join(", ")
    );

    f.assert_no_problems().await;
    // The listener hears problems at all: the deliberate 404 was seen.
    let problems = f.session.problems().await;
    assert!(
        problems
            .iter()
            .any(|p| p.url.ends_with("demo/missing.txt") && p.text == "status 404"),
        "lesson 15's 404 was not reported: {problems:?}"
    );
    f.close().await;
}

/// The one-file tour, opened from disk: it starts with nothing beside it,
/// every lesson that needs no server runs to its match mark (lesson 18's
/// worker and lesson 16's server started from the file itself), and
/// lessons 15 and 17 say what they need a served page for and refuse
/// their file addresses with that message.
async fn the_one_file_runs_from_disk(browser: Browser) {
    let path = tour_e2e::repo_root().join("dist/async-tour.html");
    let html = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} ({e}): build it with scripts/build.sh", path.display()));
    for outside in [
        "src=\"",
        "rel=\"stylesheet\"",
        "rel=\"modulepreload\"",
        "type=\"module\"",
    ] {
        assert!(
            !html.contains(outside),
            "the one file refers outside itself: {outside}"
        );
    }
    let f = Fixture::new(browser).await;
    let url = format!("file://{}", path.display());
    tour::open(&f.session, &url)
        .await
        .expect("the one file starts");
    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    let served: Vec<&str> = async_tour::lessons::ALL
        .iter()
        .filter(|l| async_tour::site::needs_served(l).is_some())
        .map(|l| l.id)
        .collect();
    assert_eq!(
        served,
        ["requests", "browser"],
        "lessons 15 and 17 need a server"
    );
    let runnable: Vec<&str> = async_tour::lessons::ALL
        .iter()
        .map(|l| l.id)
        .filter(|id| !served.contains(id))
        .collect();
    let report = run_each_to_its_match(&f, &runnable).await;
    for id in &served {
        f.session
            .execute(&format!("location.hash = '{id}';"), vec![])
            .await
            .expect("go to the lesson");
        let note = f
            .session
            .find(Locator::Css(&format!("section#{id} .served-note")))
            .await
            .unwrap_or_else(|_| panic!("{id} says what it needs a served page for"))
            .text()
            .await
            .expect("the note's text");
        assert!(note.contains("scripts/serve.sh"), "{id}: {note}");
        tour::run(&f.session, id).await.expect("press Run");
        let state = tour::state(&f.session, id).await.expect("state");
        let status = tour::status_text(&f.session, id).await.expect("status");
        assert_eq!(state, "refused", "{id}: {status}");
        assert!(
            status.contains("opened from a file") && status.contains("demo/"),
            "{id}: {status}"
        );
    }
    // The one file carries the interpreter: a lesson's Python runs too.
    f.session
        .execute("location.hash = 'hello-world';", vec![])
        .await
        .expect("go to lesson 3");
    let took = run_python_to_its_match(&f, "hello-world").await;
    // And the editor, which it carries: Edit opens it, with nothing to
    // fetch, and the Python in it runs.
    tour::edit(&f.session, "hello-world")
        .await
        .expect("the editor opens from disk");
    run_python_to_its_match(&f, "hello-world").await;
    println!(
        "{}: the one file ({} bytes) from disk: {}; 15 and 17 refused with their note; \
         hello-world's Python matched in {took:.2} s, and again from its editor",
        browser.name(),
        html.len(),
        report.join(", ")
    );
    f.assert_no_problems().await;
    f.close().await;
}

async fn deep_links_open_their_lesson(browser: Browser) {
    let f = Fixture::new(browser).await;
    for lesson in async_tour::lessons::listed() {
        let id = lesson.id;
        f.open(&format!("#{id}")).await;
        let (shown, current) = tour::shown_lesson(&f.session).await.expect("shown");
        assert_eq!(shown, [id], "#{id} shows its lesson alone");
        assert_eq!(current, [format!("#{id}")], "#{id} is marked in the list");
        if !lesson.has_rust() {
            // Your own program opens its editor (leaving before it has
            // come would cut its fetch short, which Firefox reports).
            tour::editor_ready(&f.session, id)
                .await
                .expect("its editor opens");
        }
    }
    // An address naming no lesson shows the first one, and says so.
    f.open("#no-such-lesson").await;
    let (shown, _) = tour::shown_lesson(&f.session).await.expect("shown");
    assert_eq!(shown, [async_tour::lessons::ALL[0].id]);
    let notice = f
        .session
        .find(fantoccini::Locator::Css(".notice"))
        .await
        .expect("the notice")
        .text()
        .await
        .expect("its text");
    assert!(notice.contains("no-such-lesson"), "notice: {notice:?}");
    f.assert_no_problems().await;
    f.close().await;
}

async fn stop_stops(browser: Browser) {
    let f = Fixture::new(browser).await;
    // gather at 1x: one line a second for three seconds.
    f.open("#gather").await;
    tour::run(&f.session, "gather").await.expect("press Run");
    let deadline = Instant::now() + Duration::from_secs(5);
    while tour::output(&f.session, "gather")
        .await
        .expect("output")
        .is_empty()
    {
        assert!(Instant::now() < deadline, "no line within 5 s at 1x");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        tour::state(&f.session, "gather").await.expect("state"),
        "running"
    );
    tour::stop(&f.session, "gather").await.expect("press Stop");
    assert_eq!(
        tour::settle(&f.session, "gather", Duration::from_secs(1))
            .await
            .expect("state"),
        "stopped"
    );
    let at_stop = tour::output(&f.session, "gather").await.expect("output");
    assert_eq!(at_stop, ["task 3 finished"], "one line before Stop");
    // The other two tasks would have printed by now.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        tour::output(&f.session, "gather").await.expect("output"),
        at_stop,
        "nothing printed after Stop"
    );
    let buttons = f
        .session
        .execute(
            "const s = document.querySelector('section#gather');
             return [s.querySelector('button.run').disabled,
                     s.querySelector('button.stop').disabled,
                     document.querySelector(\".toc a[href='#gather']\").classList.contains('running')];",
            vec![],
        )
        .await
        .expect("read the buttons");
    assert_eq!(
        buttons,
        serde_json::json!([false, true, false]),
        "Run enabled, Stop disabled, the list no longer marks it running"
    );
    f.assert_no_problems().await;
    f.close().await;
}

/// Presses `id`'s Run the Python once the lesson is drawn and waits for
/// the match mark, as [`run_each_to_its_match`] does for the Rust (once
/// more at 1x if a stall made it differ); gives how long it took, in
/// seconds.
async fn run_python_to_its_match(f: &Fixture, id: &str) -> f64 {
    let browser = f.session.browser();
    let mut took = 0.0;
    for (attempt, at) in [speed(browser), "1"].into_iter().enumerate() {
        tour::set_speed(&f.session, at).await.expect("speed");
        tour::drawn(&f.session).await.expect("the lesson is drawn");
        let started = Instant::now();
        tour::run_python(&f.session, id)
            .await
            .expect("press Run the Python");
        let state = tour::settle(&f.session, id, Duration::from_secs(90))
            .await
            .expect("settles");
        took = started.elapsed().as_secs_f64();
        let status = tour::status_text(&f.session, id).await.unwrap_or_default();
        if state == "differed" && attempt == 0 {
            println!(
                "{}: {id}'s Python differed at {at}x, run again at 1x: {status}",
                browser.name()
            );
            continue;
        }
        assert_eq!(
            state,
            "matched",
            "{id}'s Python in {}: {status}",
            browser.name()
        );
        assert!(status.starts_with("✓ The Python matches"), "{status}");
        break;
    }
    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    took
}

/// Every lesson whose Python a page can run (all but 16 to 18) runs it on
/// the page to the same match mark as its Rust: picked from the list and
/// run as a reader would, after the interpreter's module has taken over.
async fn every_lessons_python_runs_and_matches(browser: Browser) {
    let f = Fixture::new(browser).await;
    f.open("").await;
    let mut report = Vec::new();
    for lesson in async_tour::lessons::ALL {
        let id = lesson.id;
        if ["echo-server", "browser", "models"].contains(&id) {
            continue;
        }
        pick(&f, id).await;
        let took = run_python_to_its_match(&f, id).await;
        report.push(format!("{id} {took:.2} s"));
    }
    println!(
        "{}: every lesson's Python matched: {}",
        browser.name(),
        report.join(", ")
    );
    f.assert_no_problems().await;
    f.close().await;
}

/// The first line `id`'s last run printed.
async fn first_line(f: &Fixture, id: &str) -> Option<String> {
    let output = tour::output(&f.session, id).await.expect("output");
    output.into_iter().next()
}

/// Asks the test server for `path` in each compression once. It
/// compresses a file the first time it is asked for it (brotli takes
/// about two seconds for the interpreter's module), where a static host
/// sends a copy compressed at build time: so the time a test measures
/// after this is the browser's.
async fn compress_ahead(f: &Fixture, path: &str) {
    for encoding in ["br", "gzip"] {
        f.server
            .get(path, &[&format!("Accept-Encoding: {encoding}")])
            .await
            .unwrap_or_else(|e| panic!("{path} is served: {e}"));
    }
}

/// Whether the page has fetched a file whose address contains `part`.
async fn fetched(f: &Fixture, part: &str) -> bool {
    f.session
        .execute(
            "return performance.getEntriesByType('resource')
                 .some((e) => e.name.includes(arguments[0]));",
            vec![serde_json::Value::from(part)],
        )
        .await
        .expect("the page's resources")
        .as_bool()
        .unwrap_or_default()
}

/// Whether the page has fetched the module with the Python interpreter.
async fn python_fetched(f: &Fixture) -> bool {
    fetched(f, "/py-pkg/").await
}

/// Run the Python: the page fetches the interpreter's module only then,
/// hands itself over to it, and runs the lesson's Python listing on the
/// browser's loop to the same match mark as the Rust; stepping marks the
/// Python line a task waits on; the Rust still runs afterwards; and a
/// lesson whose Python needs what a page lacks shows CPython's traceback.
async fn the_lessons_python_runs_on_the_page(browser: Browser) {
    let f = Fixture::new(browser).await;
    compress_ahead(&f, "py-pkg/async_tour_bg.wasm").await;
    // A lesson's Rust runs first: the hand-over must not leave its run
    // behind.
    f.open("#hello-world").await;
    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    let (state, status, _) = run_to_end(&f, "hello-world").await;
    assert!(ended(&state), "hello-world's Rust: {status}");
    pick(&f, "gather").await;
    assert!(
        !python_fetched(&f).await,
        "the interpreter is not fetched before a reader asks for it"
    );
    let took = run_python_to_its_match(&f, "gather").await;
    assert!(python_fetched(&f).await, "the interpreter came when asked");
    let expected = tour::expected(&f.session, "gather")
        .await
        .expect("expected");
    let ticked = f
        .session
        .execute(
            "return document.querySelectorAll('section#gather .output li.ok').length;",
            vec![],
        )
        .await
        .expect("the output's marks");
    assert_eq!(
        ticked.as_u64(),
        Some(expected.len() as u64),
        "every line the Python printed is marked as expected: {:?}",
        tour::output(&f.session, "gather").await
    );

    // The lesson run before the hand-over starts afresh in the new module,
    // as the page showed it before any run.
    let fresh = f
        .session
        .execute(
            "const s = document.querySelector('section#hello-world');
             return [s.querySelectorAll('.output li').length, s.dataset.state,
                     s.querySelector('.step-at').textContent];",
            vec![],
        )
        .await
        .expect("hello-world's panels");
    assert_eq!(
        fresh,
        serde_json::json!([0, "idle", "No run yet"]),
        "after the hand-over, hello-world shows no run"
    );

    // Some step has a task suspended on a line of the Python, and that
    // line is an await.
    let marked = f
        .session
        .execute(
            "const s = document.querySelector('section#gather');
             const range = s.querySelector('.step-range');
             for (let k = 1; k <= Number(range.max); k++) {
               range.value = k;
               range.dispatchEvent(new Event('input', { bubbles: true }));
               const line = s.querySelector('.code.python .ln[aria-current=step]');
               if (line) return [k, line.textContent, location.hash];
             }
             return null;",
            vec![],
        )
        .await
        .expect("step through");
    let line = marked[1].as_str().unwrap_or_default();
    assert!(
        line.contains("await"),
        "stepping marks the Python line a task waits on: {marked}"
    );
    let step = marked[0].as_u64().unwrap_or_default();
    let step_address = format!("#gather/python/step/{step}");
    assert_eq!(
        marked[2].as_str(),
        Some(step_address.as_str()),
        "a Python run's step has an address of its own"
    );

    // The fields set the Rust's values; the Python runs as written, and
    // the status says so when they differ.
    let t1 = f
        .session
        .find(Locator::Css("#gather input[name=t1]"))
        .await
        .expect("t1");
    t1.clear().await.expect("clear t1");
    t1.send_keys("0.5").await.expect("type into t1");
    run_python_to_its_match(&f, "gather").await;
    let status = tour::status_text(&f.session, "gather")
        .await
        .expect("status");
    assert!(status.contains("runs as written"), "{status}");
    assert_eq!(
        first_line(&f, "gather").await.as_deref(),
        Some("task 3 finished"),
        "the Python's own sleeps"
    );

    // The page handed over is whole: the Rust runs too (with t1 at 0.5 s).
    let (state, status, _) = run_to_end(&f, "gather").await;
    assert!(ended(&state), "gather's Rust after the Python: {status}");
    assert!(
        status.contains("The Rust") && !status.contains("runs as written"),
        "{status}"
    );
    assert_eq!(
        first_line(&f, "gather").await.as_deref(),
        Some("task 1 finished"),
        "the Rust takes the fields' values"
    );

    // Lesson 16's Python needs sockets: it stops at once, with CPython's
    // traceback under the output and its last line in the status.
    f.session
        .execute("location.hash = 'echo-server';", vec![])
        .await
        .expect("go to lesson 16");
    tour::run_python(&f.session, "echo-server")
        .await
        .expect("press Run the Python");
    let state = tour::settle(&f.session, "echo-server", Duration::from_secs(30))
        .await
        .expect("settles");
    let status = tour::status_text(&f.session, "echo-server")
        .await
        .expect("status");
    let stderr = f
        .session
        .execute(
            "return document.querySelector('section#echo-server .output .stderr').textContent;",
            vec![],
        )
        .await
        .expect("stderr");
    let stderr = stderr.as_str().unwrap_or_default();
    assert_eq!(state, "differed", "{status}");
    assert!(
        status.contains("NotImplementedError")
            && stderr.starts_with("Traceback (most recent call last):"),
        "{status}\n{stderr}"
    );
    let loading = f
        .session
        .execute(
            "const at = (n) => performance.getEntriesByName(n)[0].startTime;
             return at('tour:python-ready') - at('tour:python-asked');",
            vec![],
        )
        .await
        .expect("the page's marks");

    // That step's address, opened afresh, fetches the interpreter, runs
    // the Python and lands on the step, its Python line marked.
    f.open(&step_address).await;
    let state = tour::settle(&f.session, "gather", Duration::from_secs(90))
        .await
        .expect("settles");
    assert!(ended(&state), "{step_address} ran gather's Python: {state}");
    let at = f
        .session
        .execute(
            "const s = document.querySelector('section#gather');
             return [s.querySelector('.step-at').textContent, location.hash,
                     s.querySelector('.status').textContent,
                     !!s.querySelector('.code.python .ln[aria-current=step]')];",
            vec![],
        )
        .await
        .expect("the step");
    assert!(
        at[0]
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!("Step {step} of"))
            && at[1].as_str() == Some(step_address.as_str())
            && at[2].as_str().unwrap_or_default().contains("The Python")
            && at[3] == true,
        "{step_address} lands on its step of a Python run: {at}"
    );
    println!(
        "{}: gather's Python matched {took:.2} s after Run the Python, of which {:.0} ms \
         fetching and starting the interpreter's module; lesson 16's Python stopped with {}",
        browser.name(),
        loading.as_f64().unwrap_or(f64::NAN),
        stderr.lines().last().unwrap_or_default()
    );
    f.assert_no_problems().await;
    f.close().await;
}

/// What CPython prints for `source`, and its standard error: the judge of
/// the reader's edited code.
fn cpython(source: &str) -> (Vec<String>, String) {
    let out = std::process::Command::new("python3")
        .args(["-c", source])
        .output()
        .expect("python3 runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let stdout = text(&out.stdout).lines().map(str::to_owned).collect();
    (stdout, text(&out.stderr))
}

/// Whether two "Total time elapsed: N seconds" lines give the same total
/// within the lessons' tolerance ([`async_tour::lessons::Tolerance`]): 3%
/// of CPython's, and 25 real milliseconds, which are half a tutorial
/// second at 20x.
fn same_total(browser: Browser, ours: &str, cpython: &str) -> bool {
    let total = |line: &str| -> f64 {
        line.split_whitespace()
            .find_map(|w| w.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let (ours, theirs) = (total(ours), total(cpython));
    let slack = theirs * 0.03 + 0.025 * speed(browser).parse::<f64>().unwrap_or(1.0);
    (ours - theirs).abs() <= slack
}

/// Clicks into `id`'s editor and presses Ctrl-Enter there, which runs
/// its Python.
async fn ctrl_enter_in_editor(f: &Fixture, id: &str) {
    f.session
        .find(Locator::Css(&format!("#{id} .cm-content")))
        .await
        .expect("the editor's text")
        .click()
        .await
        .expect("into the editor");
    tour::keys(
        &f.session,
        Some(Key::Control.into()),
        &Key::Enter.to_string(),
    )
    .await
    .expect("Ctrl-Enter");
}

/// Forgets the reader's edits the page kept (`localStorage`).
async fn forget_edits(f: &Fixture) {
    f.session
        .execute("localStorage.clear();", vec![])
        .await
        .expect("clear the page's storage");
}

/// The line of `id`'s editor that contains `text`, clicked: the cursor is
/// on it, somewhere.
async fn click_editor_line(f: &Fixture, id: &str, text: &str) {
    let xpath =
        format!("//section[@id='{id}']//div[contains(@class, 'cm-line')][contains(., \"{text}\")]");
    press_at(f, Locator::XPath(&xpath)).await;
}

/// Runs `script` until it returns something other than null, for at
/// most 10 s, and gives that.
async fn wait_for_js(f: &Fixture, script: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = f
            .session
            .execute(script, vec![])
            .await
            .expect("the script runs");
        if !got.is_null() {
            return got;
        }
        assert!(Instant::now() < deadline, "waited 10 s for: {script}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element at `css`, scrolled to the middle of the window
/// first (see [`press_at`]).
async fn press(f: &Fixture, css: &str) {
    press_at(f, Locator::Css(css)).await;
}

/// Clicks the element `at` finds, scrolled to the middle of the window
/// first: clear of the page's sticky top bar, where a driver's own
/// scrolling may leave it.
async fn press_at(f: &Fixture, at: Locator<'_>) {
    let element = f
        .session
        .find(at)
        .await
        .unwrap_or_else(|e| panic!("{at:?}: {e}"));
    f.session
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(&element).expect("an element as an argument")],
        )
        .await
        .expect("scroll to it");
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("press {at:?}: {e}"));
}

/// Whether the page has fetched the editor's bundle.
async fn editor_fetched(f: &Fixture) -> bool {
    fetched(f, "/editor.js").await
}

/// Edit the Python, as a reader would with real keys: the editor comes
/// only when asked; gather's third task made to sleep 4 s instead of 1
/// runs on the browser's loop in the order and time CPython gives it;
/// stepping marks the reader's own line; the edit survives a reload; Reset
/// brings the lesson's code and its match mark back; a syntax error is
/// marked at its line with CPython's message; and a loop that never
/// awaits is stopped, the page answering again.
async fn the_readers_python_is_edited_run_stepped_and_kept(browser: Browser) {
    let f = Fixture::new(browser).await;
    f.open("#gather").await;
    forget_edits(&f).await;
    f.open("#gather").await;
    assert!(
        !editor_fetched(&f).await,
        "the editor is not fetched before a reader edits"
    );
    let original = f
        .session
        .execute(
            "return document.querySelector('#gather .code.python code').textContent;",
            vec![],
        )
        .await
        .expect("the listing");
    let original = original.as_str().unwrap_or_default().to_owned();

    compress_ahead(&f, "editor.js").await;

    // Edit, from the keyboard: the editor opens with the cursor in it.
    f.session
        .find(Locator::Css("#gather button.edit"))
        .await
        .expect("Edit")
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("Enter on Edit");
    f.session
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#gather .cm-editor.cm-focused"))
        .await
        .expect("the editor opens, focused");
    let opened = f
        .session
        .execute(
            "const at = (n) => performance.getEntriesByName(n)[0].startTime;
             return at('tour:editor-ready') - at('tour:editor-asked');",
            vec![],
        )
        .await
        .expect("the page's marks")
        .as_f64()
        .unwrap_or(f64::NAN);
    assert!(editor_fetched(&f).await, "the editor came when asked");

    // The third task sleeps 4 s instead of 1: End, ← to the 1, Delete, 4.
    let line = original
        .lines()
        .find(|l| l.contains("asyncio.gather("))
        .expect("gather's line");
    let one = line.find("task(3, 1)").expect("the third task") + "task(3, ".len();
    click_editor_line(&f, "gather", "asyncio.gather(").await;
    let lefts = Key::Left.to_string().repeat(line[one..].chars().count());
    let edit = format!("{}{lefts}{}4", Key::End, Key::Delete);
    tour::keys(&f.session, None, &edit).await.expect("type");
    let code = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    assert!(code.contains("task(3, 4))"), "the edit is in: {code}");
    let (cpython_out, _) = cpython(&code);

    // Ctrl-Enter runs it (fetching the interpreter, handing over).
    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    ctrl_enter_in_editor(&f, "gather").await;
    let state = tour::settle(&f.session, "gather", Duration::from_secs(90))
        .await
        .expect("settles");
    let status = tour::status_text(&f.session, "gather")
        .await
        .expect("status");
    assert_eq!(state, "ran", "edited code has nothing to match: {status}");
    let shown = tour::output(&f.session, "gather").await.expect("output");
    assert_eq!(
        shown[..3],
        cpython_out[..3],
        "the order CPython prints: {shown:?}"
    );
    // This run is the first after the interpreter's module arrived,
    // which browsers still compile meanwhile.
    assert!(
        same_total(browser, &shown[3], &cpython_out[3]),
        "the total takes the longer sleep: {} here, {} in CPython",
        shown[3],
        cpython_out[3]
    );
    assert!(
        status.contains("4 lines"),
        "the status says what it printed: {status}"
    );

    // Stepping marks the reader's own line in the editor, and no Rust
    // line: the edited code is not the Rust's.
    let marked = f
        .session
        .execute(
            "const s = document.querySelector('section#gather');
             const range = s.querySelector('.step-range');
             for (let k = 1; k <= Number(range.max); k++) {
               range.value = k;
               range.dispatchEvent(new Event('input', { bubbles: true }));
               const line = s.querySelector('.editor-host .cm-line[aria-current=step]');
               if (line) return [line.textContent, line.dataset.who,
                                 s.querySelectorAll('.code.rust .ln.at').length];
             }
             return null;",
            vec![],
        )
        .await
        .expect("step through");
    assert!(
        marked[0].as_str().unwrap_or_default().contains("await")
            && marked[1].as_str().is_some_and(|who| !who.is_empty())
            && marked[2] == 0,
        "a step marks the editor's line a task waits on, with its name: {marked}"
    );

    // Copy link: an address that carries the code (in the address bar,
    // and on the clipboard where the browser allows it).
    press(&f, "#gather button.copy-link").await;
    let link = wait_for_js(
        &f,
        "return location.hash.startsWith('#gather/code/') &&
                document.querySelector('#gather .editor-msg').textContent
                  ? [location.hash, document.querySelector('#gather .editor-msg').textContent]
                  : null;",
    )
    .await;
    let said = link[1].as_str().unwrap_or_default();
    assert!(
        said.starts_with("Link copied") || said.starts_with("The link is in the address bar"),
        "{said}"
    );
    let link = link[0].as_str().unwrap_or_default().to_owned();

    // A reload finds the edit, in the editor.
    f.open("#gather").await;
    f.session
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#gather .editor-host .cm-editor"))
        .await
        .expect("the editor opens on its own");
    let kept = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    assert_eq!(kept, code, "the edit survives a reload");

    // The link, opened where nothing is kept, opens gather with that code,
    // and the address goes back to the lesson's.
    forget_edits(&f).await;
    f.open(&link).await;
    f.session
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#gather .editor-host .cm-editor"))
        .await
        .expect("the link opens the editor");
    let linked = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    assert_eq!(
        linked,
        code,
        "the link carries the code ({} chars)",
        link.len()
    );
    let hash = f
        .session
        .execute("return location.hash;", vec![])
        .await
        .expect("the address");
    assert_eq!(hash, "#gather", "the address is the lesson's again");

    // Reset: the lesson's code, and its match mark.
    press(&f, "#gather button.reset").await;
    let back = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    assert_eq!(back.trim_end(), original.trim_end(), "Reset");
    run_python_to_its_match(&f, "gather").await;

    // A syntax error: the colon after `async def task(tid, n)` gone.
    click_editor_line(&f, "gather", "async def task(").await;
    tour::keys(&f.session, None, &format!("{}{}", Key::End, Key::Backspace))
        .await
        .expect("delete the colon");
    let broken = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    let (_, cpython_err) = cpython(&broken);
    tour::run_python(&f.session, "gather")
        .await
        .expect("Run the Python");
    let mark = f
        .session
        .execute(
            "const s = document.querySelector('section#gather');
             const line = s.querySelector('.editor-host .cm-error-line');
             const note = s.querySelector('.editor-host .cm-error-note');
             return [s.dataset.state, line && line.textContent, note && note.textContent];",
            vec![],
        )
        .await
        .expect("the mark");
    let message = cpython_err.lines().last().unwrap_or_default();
    assert!(
        mark[0] == "refused"
            && mark[1]
                .as_str()
                .is_some_and(|l| l.starts_with("async def task("))
            && mark[2].as_str() == Some(message),
        "the error marked at its line with CPython's message ({message}): {mark}"
    );

    // A loop that never awaits: typed, with the indentation the editor
    // gives after a colon; stopped; the page answers again.
    let all = f
        .session
        .find(Locator::Css("#gather .cm-content"))
        .await
        .expect("the editor's text");
    all.click().await.expect("into the editor");
    tour::keys(&f.session, Some(Key::Control.into()), "a")
        .await
        .expect("select all");
    tour::keys(&f.session, None, &format!("while True:{}pass", Key::Enter))
        .await
        .expect("type the loop");
    let typed = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    assert_eq!(typed, "while True:\n    pass", "indented after the colon");
    tour::run_python(&f.session, "gather")
        .await
        .expect("Run the Python");
    let state = tour::settle(&f.session, "gather", Duration::from_secs(60))
        .await
        .expect("settles");
    let status = tour::status_text(&f.session, "gather")
        .await
        .expect("status");
    // Its traceback's `line N` takes the editor's cursor there.
    let clicked = f
        .session
        .execute(
            "const b = document.querySelector('#gather .stderr .tb-line');
             if (!b) return null;
             b.click();
             const v = self.tourEditor.find(document.querySelector('#gather .editor-host')).view;
             return [Number(b.dataset.line), v.state.doc.lineAt(v.state.selection.main.head).number];",
            vec![],
        )
        .await
        .expect("the traceback's line");
    assert!(
        clicked[0].as_u64().is_some() && clicked[0] == clicked[1],
        "the traceback's line button moves the cursor to its line: {clicked}"
    );

    // Code too long for a link: the page says so.
    f.session
        .execute(
            "let x = 7, s = '';
             for (let i = 0; i < 20000; i++) { x = (x * 1103515245 + 12345) % 2147483648; s += (x % 36).toString(36); }
             self.tourEditor.find(document.querySelector('#gather .editor-host')).setDoc('# ' + s + '\\n');",
            vec![],
        )
        .await
        .expect("a long program");
    press(&f, "#gather button.copy-link").await;
    let said = wait_for_js(
        &f,
        "const t = document.querySelector('#gather .editor-msg').textContent;
         return t.includes('too long') ? t : null;",
    )
    .await;
    assert!(said.as_str().is_some_and(|t| t.contains("8000")), "{said}");

    let answered = Instant::now();
    pick(&f, "hello-world").await;
    let (state_rust, status_rust, _) = run_to_end(&f, "hello-world").await;
    assert!(
        state == "differed" && status.contains("KeyboardInterrupt"),
        "the runaway loop is stopped: {status}"
    );
    assert!(
        ended(&state_rust),
        "the page answers again: hello-world's Rust {status_rust}"
    );
    println!(
        "{}: the editor working {opened:.0} ms after Edit; gather edited ran in CPython's order \
         ({} vs {}); the runaway loop stopped, the page answered {:.2} s later",
        browser.name(),
        shown[3],
        cpython_out[3],
        answered.elapsed().as_secs_f64()
    );
    f.assert_no_problems().await;
    f.close().await;
}

/// How many red blocks lesson 11's timeline shows (long polls), and the
/// most the ticker's timer (Task-2's lane, as Python names it) fired
/// late, in seconds (read off the picture: the overdue line's length
/// against the axis's ticks; a lane's overdue line runs 6.5 px under its
/// label's baseline).
async fn blocks(f: &Fixture) -> (u64, f64) {
    let shown = f
        .session
        .execute(
            "const s = document.querySelector('#blocking .timeline');
             const x = (e, a) => Number(e.getAttribute(a));
             const ticks = [...s.querySelectorAll('text.tick-label')];
             const step = parseFloat(ticks[1].textContent) - parseFloat(ticks[0].textContent);
             const perSec = (x(ticks[1], 'x') - x(ticks[0], 'x')) / step;
             const ticker = [...s.querySelectorAll('text.row-label')]
               .find((t) => t.textContent === 'Task-2');
             const late = [...s.querySelectorAll('line.overdue')]
               .filter((l) => Math.abs(x(l, 'y1') - x(ticker, 'y') - 6.5) < 1)
               .map((l) => (x(l, 'x2') - x(l, 'x1')) / perSec);
             return [s.querySelectorAll('rect.poll.long').length, Math.max(0, ...late)];",
            vec![],
        )
        .await
        .expect("the timeline");
    (
        shown[0].as_u64().unwrap_or_default(),
        shown[1].as_f64().unwrap_or(f64::NAN),
    )
}

/// Presses the "Try this" button called `title` in lesson `id`, and
/// waits for the editor to hold its edit, marked.
async fn try_experiment(f: &Fixture, id: &str, title: &str) -> usize {
    let xpath = format!("//section[@id='{id}']//button[contains(@class, 'try')][. = \"{title}\"]");
    f.session
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("{id} offers “{title}”: {e}"))
        .click()
        .await
        .expect("press the experiment");
    let marked = wait_for_js(
        f,
        &format!(
            "const n = document.querySelectorAll('#{id} .editor-host .cm-line.changed').length;
             return n > 0 ? n : null;"
        ),
    )
    .await;
    marked.as_u64().unwrap_or_default() as usize
}

/// "Try this", as a reader would: one press makes the edit in the editor,
/// its lines marked, and the run shows what the sentence promises. In
/// gather, awaiting the tasks one by one makes the total the sum of the
/// sleeps (6 s, where CPython says so too); in the blocking lesson,
/// sleeping with `await` instead of `time.sleep` takes the red blocks
/// away and no timer fires late.
async fn an_experiment_is_one_press_and_keeps_its_promise(browser: Browser) {
    let f = Fixture::new(browser).await;
    f.open("#gather").await;
    forget_edits(&f).await;
    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    let marked = try_experiment(&f, "gather", "Await them one by one").await;
    assert_eq!(marked, 3, "the three awaits it wrote are marked");
    tour::run_python(&f.session, "gather")
        .await
        .expect("Run the Python");
    let state = tour::settle(&f.session, "gather", Duration::from_secs(90))
        .await
        .expect("settles");
    let shown = tour::output(&f.session, "gather").await.expect("output");
    let code = tour::editor_code(&f.session, "gather")
        .await
        .expect("the code");
    let (cpython_out, _) = cpython(&code);
    assert_eq!(state, "ran");
    assert_eq!(shown[..3], cpython_out[..3], "CPython's order: {shown:?}");
    assert!(
        same_total(browser, &shown[3], &cpython_out[3]),
        "the total is the sum of the sleeps, 6 s: {shown:?}, CPython {cpython_out:?}"
    );

    // The blocking lesson: its Python as written blocks, then the
    // experiment.
    pick(&f, "blocking").await;
    tour::run_python(&f.session, "blocking")
        .await
        .expect("Run the Python");
    tour::settle(&f.session, "blocking", Duration::from_secs(90))
        .await
        .expect("settles");
    let before = blocks(&f).await;
    try_experiment(&f, "blocking", "Sleep without blocking").await;
    tour::run_python(&f.session, "blocking")
        .await
        .expect("Run the Python");
    let state = tour::settle(&f.session, "blocking", Duration::from_secs(90))
        .await
        .expect("settles");
    let after = blocks(&f).await;
    assert_eq!(state, "ran");
    // Blocked, the ticker's timer waits out the second (1.1 to 1.5 s
    // late); freed, it does not. It is not on time either: 0.16 to 0.49 s
    // late at some point in all three engines, with no long poll, which
    // is not explained yet (see the issue's note), so the sentence
    // promises no more than this.
    assert!(
        before.0 >= 2 && before.1 >= 0.9 && after.0 == 0 && after.1 < 0.9,
        "the red blocks go and the ticker's timer no longer waits out a blocked second: \
         (long polls, the ticker's latest timer in s) {before:?} before, {after:?} after"
    );
    println!(
        "{}: gather one by one totalled {}; blocking's long polls and the ticker's latest timer {before:?} -> {after:?}",
        browser.name(),
        shown[3]
    );
    forget_edits(&f).await;
    f.assert_no_problems().await;
    f.close().await;
}

/// The benchmark page still runs every case, in quick mode (one round,
/// no warm-up): no timing is checked here, only that each case gives
/// numbers for both languages and that the page is cross-origin isolated.
async fn the_benchmark_page_runs_every_case(browser: Browser) {
    let module = tour_e2e::repo_root().join("www/bench-pkg/async_tour_bg.wasm");
    assert!(
        module.exists(),
        "{} is missing: build it with scripts/build.sh --bench",
        module.display()
    );
    let f = Fixture::new(browser).await;
    let result = tour_e2e::bench::run(
        &f.session,
        &f.server.url("bench.html?quick"),
        Duration::from_secs(180),
    )
    .await
    .expect("the quick benchmarks finish");
    assert_eq!(result["done"], true, "the benchmarks failed: {result}");
    assert_eq!(result["crossOriginIsolated"], true);
    let cases = result["cases"].as_array().expect("a list of cases");
    assert_eq!(cases.len(), 14, "every case ran: {cases:?}");
    for case in cases {
        for side in ["rust", "js"] {
            let value = &case[side];
            // Only Chromium reports long tasks; compiling Python has no
            // JavaScript side.
            let long_tasks = case["id"] == "responsive" || case["id"] == "all-at-once";
            let no_js = side == "js" && case["id"] == "py-compile";
            if (long_tasks && browser == Browser::Firefox) || no_js {
                assert!(value.is_null(), "{side} {case}");
            } else {
                assert!(
                    value.as_f64().is_some_and(f64::is_finite),
                    "{side} in {case}"
                );
            }
        }
    }
    let bytes = result["bytes"].as_array().expect("a list of files");
    assert_eq!(bytes.len(), 6);
    for file in bytes {
        let (raw, gzip) = (file["raw"].as_u64(), file["gzip"].as_u64());
        assert!(
            matches!((raw, gzip), (Some(r), Some(g)) if g > 0 && g < r),
            "{file}"
        );
    }
    f.assert_no_problems().await;
    f.close().await;
}

/// axe-core finds nothing wrong with any lesson, light or dark, before a
/// run and after it (the output, the timeline's marks and the loop's
/// list are only there after).
async fn every_lesson_is_accessible_light_and_dark(browser: Browser) {
    let mut found = Vec::new();
    let schemes = if browser == Browser::WebKit {
        println!("WebKit: accessibility checked in the light scheme only (its driver takes no colour scheme)");
        &[Scheme::Light][..]
    } else {
        &[Scheme::Light, Scheme::Dark][..]
    };
    for &scheme in schemes {
        let f = Fixture::new_in(browser, scheme).await;
        f.open("").await;
        axe::inject(&f.session).await.expect("load axe-core");
        tour::set_speed(&f.session, speed(browser))
            .await
            .expect("speed");
        for l in async_tour::lessons::ALL {
            f.session
                .execute(&format!("location.hash = '{}';", l.id), vec![])
                .await
                .expect("go to the lesson");
            let before = axe::violations(&f.session).await.expect("axe runs");
            tour::run(&f.session, l.id).await.expect("run");
            tour::settle(&f.session, l.id, Duration::from_secs(60))
                .await
                .expect("the run ends");
            let after = axe::violations(&f.session).await.expect("axe runs");
            for (when, list) in [("before a run", before), ("after a run", after)] {
                for v in list {
                    found.push(format!("{scheme:?}, {}, {when}: {v}", l.id));
                }
            }
        }
        // Python runs: the interpreter's module takes the page over, and
        // lesson 16's traceback shows under its output.
        for id in ["gather", "echo-server"] {
            f.session
                .execute(&format!("location.hash = '{id}';"), vec![])
                .await
                .expect("go to the lesson");
            tour::run_python(&f.session, id)
                .await
                .expect("run the Python");
            tour::settle(&f.session, id, Duration::from_secs(60))
                .await
                .expect("the run ends");
            for v in axe::violations(&f.session).await.expect("axe runs") {
                found.push(format!("{scheme:?}, {id}, after its Python ran: {v}"));
            }
        }
        // The editor open: its Python run and stepped (the editor's lines
        // marked), then a syntax error marked in it.
        f.session
            .execute("location.hash = 'gather';", vec![])
            .await
            .expect("go to gather");
        tour::edit(&f.session, "gather")
            .await
            .expect("open the editor");
        tour::run_python(&f.session, "gather")
            .await
            .expect("run the Python");
        tour::settle(&f.session, "gather", Duration::from_secs(60))
            .await
            .expect("the run ends");
        f.session
            .find(Locator::Css("#gather .step-range"))
            .await
            .expect("the step bar")
            .send_keys(&Key::End.to_string())
            .await
            .expect("the last step");
        for v in axe::violations(&f.session).await.expect("axe runs") {
            found.push(format!("{scheme:?}, gather's editor stepped: {v}"));
        }
        click_editor_line(&f, "gather", "async def task(").await;
        tour::keys(&f.session, None, &format!("{}{}", Key::End, Key::Backspace))
            .await
            .expect("delete the colon");
        tour::run_python(&f.session, "gather")
            .await
            .expect("run the Python");
        for v in axe::violations(&f.session).await.expect("axe runs") {
            found.push(format!(
                "{scheme:?}, gather's editor with a syntax error: {v}"
            ));
        }
        // Your own program, opened, run and stepped.
        let own = async_tour::lessons::OWN.id;
        f.session
            .execute(&format!("location.hash = '{own}';"), vec![])
            .await
            .expect("go to your own program");
        tour::editor_ready(&f.session, own)
            .await
            .expect("its editor opens");
        tour::run_python(&f.session, own)
            .await
            .expect("run the Python");
        tour::settle(&f.session, own, Duration::from_secs(60))
            .await
            .expect("the run ends");
        for v in axe::violations(&f.session).await.expect("axe runs") {
            found.push(format!("{scheme:?}, your own program after a run: {v}"));
        }
        forget_edits(&f).await;
        f.assert_no_problems().await;
        f.close().await;
    }
    assert!(
        found.is_empty(),
        "axe-core found, in {}:\n{}",
        browser.name(),
        found.join("\n")
    );
}

/// The keyboard alone picks a lesson, changes a value, runs and stops,
/// and the focused control shows a ring; it enters the Python's editor,
/// indents there, runs the Python, leaves the editor and stops the run.
async fn the_keyboard_alone_picks_changes_runs_and_stops(browser: Browser) {
    let f = Fixture::new(browser).await;
    f.open("").await;
    let key = |k: Key| String::from(char::from(k));
    let find = |css: &'static str| f.session.find(Locator::Css(css));
    find(".toc a[href='#gather']")
        .await
        .expect("gather in the list")
        .send_keys(&key(Key::Enter))
        .await
        .expect("Enter on the link");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (shown, _) = tour::shown_lesson(&f.session).await.expect("shown");
    assert_eq!(shown, ["gather"]);
    let focused = f
        .session
        .execute("return document.activeElement.id;", vec![])
        .await
        .expect("focus");
    assert_eq!(
        focused, "gather-title",
        "the lesson's title takes the focus"
    );

    let t1 = find("#gather input[name=t1]").await.expect("t1");
    t1.clear().await.expect("clear t1");
    t1.send_keys("0.5").await.expect("type into t1");
    let ring = f
        .session
        .execute(
            "const s = getComputedStyle(document.activeElement);
             return [document.activeElement.name, s.outlineStyle, s.outlineWidth];",
            vec![],
        )
        .await
        .expect("the focused field's outline");
    assert_eq!(ring[0], "t1");
    assert_ne!(ring[1], "none", "focus is visible: {ring}");
    t1.send_keys(&key(Key::Enter))
        .await
        .expect("Enter in the field");
    assert_eq!(
        tour::state(&f.session, "gather").await.expect("state"),
        "running",
        "Enter in a field runs the lesson"
    );
    find("#gather button.stop")
        .await
        .expect("Stop")
        .send_keys(&key(Key::Enter))
        .await
        .expect("Enter on Stop");
    let state = tour::settle(&f.session, "gather", Duration::from_secs(5))
        .await
        .expect("settles");
    assert_eq!(state, "stopped");
    let expected = tour::expected(&f.session, "gather")
        .await
        .expect("expected");
    assert_eq!(
        expected.first().map(String::as_str),
        Some("task 1 finished"),
        "the changed value changed the expected output: {expected:?}"
    );

    // The editor, by keyboard: Enter on Edit puts the cursor in it; Tab
    // and Shift-Tab indent and unindent; Ctrl-Enter runs the Python;
    // Escape then Tab leaves it; Enter on Stop stops the run.
    find("#gather button.edit")
        .await
        .expect("Edit")
        .send_keys(&key(Key::Enter))
        .await
        .expect("Enter on Edit");
    f.session
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#gather .cm-editor.cm-focused"))
        .await
        .expect("the editor takes the focus");
    let first_line = || async {
        let code = tour::editor_code(&f.session, "gather")
            .await
            .expect("the code");
        code.lines().next().unwrap_or_default().to_owned()
    };
    tour::keys(&f.session, None, &key(Key::Tab))
        .await
        .expect("Tab");
    assert_eq!(first_line().await, "    import asyncio", "Tab indents");
    tour::keys(&f.session, Some(Key::Shift.into()), &key(Key::Tab))
        .await
        .expect("Shift-Tab");
    assert_eq!(first_line().await, "import asyncio", "Shift-Tab unindents");
    tour::keys(&f.session, Some(Key::Control.into()), &key(Key::Enter))
        .await
        .expect("Ctrl-Enter");
    wait_for_js(
        &f,
        "const s = document.querySelector('#gather .status');
         return s.textContent.startsWith('Running the Python') ? true : null;",
    )
    .await;
    tour::keys(
        &f.session,
        None,
        &format!("{}{}", key(Key::Escape), key(Key::Tab)),
    )
    .await
    .expect("Escape, Tab");
    let inside = f
        .session
        .execute(
            "return !!document.activeElement.closest('#gather .cm-editor');",
            vec![],
        )
        .await
        .expect("focus");
    assert_eq!(inside, false, "Escape then Tab leaves the editor");
    find("#gather button.stop")
        .await
        .expect("Stop")
        .send_keys(&key(Key::Enter))
        .await
        .expect("Enter on Stop");
    let state = tour::settle(&f.session, "gather", Duration::from_secs(5))
        .await
        .expect("settles");
    assert_eq!(state, "stopped", "the Python run stops");
    forget_edits(&f).await;
    f.assert_no_problems().await;
    f.close().await;
}

/// Whether a lesson's state is that of a run that ran to its end.
fn ended(state: &str) -> bool {
    state == "matched" || state == "differed"
}

/// After a run, ← → Home End on the step slider move the step with the
/// focus staying on it; a step's address opens its lesson on that step.
async fn the_keyboard_steps_through_a_run_and_a_step_address_lands_on_its_step(browser: Browser) {
    let f = Fixture::new(browser).await;
    f.open("#gather").await;
    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    tour::run(&f.session, "gather").await.expect("Run");
    let state = tour::settle(&f.session, "gather", Duration::from_secs(10))
        .await
        .expect("settles");
    // The run must end; whether its timing matched is the other tests'
    // to say (in WebKit a stall may make a timer late, see `speed`).
    assert!(ended(&state), "the run ended: {state}");
    let key = |k: Key| String::from(char::from(k));
    let step_at = || async {
        let said = f
            .session
            .execute(
                "return [document.querySelector('#gather .step-at').textContent,
                         document.activeElement.classList.contains('step-range')];",
                vec![],
            )
            .await
            .expect("the step and the focus");
        assert_eq!(said[1], true, "the focus stays on the slider: {said}");
        said[0].as_str().unwrap_or_default().to_string()
    };
    let range = f
        .session
        .find(Locator::Css("#gather .step-range"))
        .await
        .expect("the step slider");
    range.send_keys(&key(Key::End)).await.expect("End");
    let last = step_at().await;
    let n: usize = last
        .strip_prefix("Step ")
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("End shows the last step: {last}"));
    assert!(last.starts_with(&format!("Step {n} of {n} ")), "{last}");
    range.send_keys(&key(Key::Left)).await.expect("←");
    assert!(step_at().await.starts_with(&format!("Step {} of", n - 1)));
    range.send_keys(&key(Key::Home)).await.expect("Home");
    assert!(step_at().await.starts_with("Step 1 of"));
    range.send_keys(&key(Key::Right)).await.expect("→");
    let second = step_at().await;
    assert!(second.starts_with("Step 2 of"), "{second}");

    f.open("#gather/step/4").await;
    let state = tour::settle(&f.session, "gather", Duration::from_secs(15))
        .await
        .expect("settles");
    assert!(ended(&state), "a step's address runs its lesson: {state}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let at = f
        .session
        .execute(
            "return [document.querySelector('#gather .step-at').textContent, location.hash];",
            vec![],
        )
        .await
        .expect("the step");
    assert!(
        at[0].as_str().unwrap_or_default().starts_with("Step 4 of"),
        "{at}"
    );
    assert_eq!(at[1], "#gather/step/4");
    f.assert_no_problems().await;
    f.close().await;
}

/// "Your own program", the list's last entry: its editor opens with the
/// starting program when it is shown, with one Run (the Python's), no
/// Rust and nothing expected. A reader's edit typed with real keys runs in
/// CPython's order and time, the timeline and the steps name the tasks as
/// Python does, the edit survives a reload, and Reset brings the start
/// back.
async fn your_own_program_is_written_run_and_stepped(browser: Browser) {
    let own = async_tour::lessons::OWN.id;
    let f = Fixture::new(browser).await;
    f.open("").await;
    forget_edits(&f).await;
    f.open("").await;
    compress_ahead(&f, "editor.js").await;
    // Picked from the list, as a reader would.
    press(&f, &format!(".toc a[href='#{own}']")).await;
    tour::editor_ready(&f.session, own)
        .await
        .expect("the editor opens when the entry is shown");
    let start = tour::editor_code(&f.session, own).await.expect("the code");
    assert_eq!(
        start,
        async_tour::lessons::OWN.source().python,
        "it starts with text/your_own.py"
    );
    let parts = f
        .session
        .execute(
            &format!(
                "const s = document.querySelector('section#{own}');
                 return [s.querySelectorAll('button.run, .code.rust, .try-this').length,
                         s.querySelector('button.run-python').classList.contains('primary'),
                         s.querySelector('.expected .total').textContent,
                         s.querySelector('.status').textContent];"
            ),
            vec![],
        )
        .await
        .expect("the section's parts");
    assert_eq!(parts[0], 0, "no Rust, no Rust run, no experiments");
    assert_eq!(parts[1], true, "Run the Python is the main action");
    assert!(
        parts[2]
            .as_str()
            .unwrap_or_default()
            .contains("no expected output"),
        "{parts}"
    );
    assert!(
        parts[3]
            .as_str()
            .unwrap_or_default()
            .contains("Run the Python"),
        "{parts}"
    );

    // Coffee takes 4 s instead of 2: End, ← to the 2, Delete, 4.
    let line = start
        .lines()
        .find(|l| l.contains("brew(\"coffee\", 2)"))
        .expect("coffee's line");
    let two = line.find("2))").expect("coffee's time");
    click_editor_line(&f, own, "coffee = asyncio").await;
    let lefts = Key::Left.to_string().repeat(line[two..].chars().count());
    let edit = format!("{}{lefts}{}4", Key::End, Key::Delete);
    tour::keys(&f.session, None, &edit).await.expect("type");
    let code = tour::editor_code(&f.session, own).await.expect("the code");
    assert!(
        code.contains("brew(\"coffee\", 4)"),
        "the edit is in: {code}"
    );
    let (cpython_out, _) = cpython(&code);
    assert_eq!(cpython_out.len(), 6, "CPython: {cpython_out:?}");

    tour::set_speed(&f.session, speed(browser))
        .await
        .expect("speed");
    ctrl_enter_in_editor(&f, own).await;
    let state = tour::settle(&f.session, own, Duration::from_secs(90))
        .await
        .expect("settles");
    let status = tour::status_text(&f.session, own).await.expect("status");
    assert_eq!(state, "ran", "your own code has nothing to match: {status}");
    let shown = tour::output(&f.session, own).await.expect("output");
    assert_eq!(
        shown[..5],
        cpython_out[..5],
        "the order CPython prints: {shown:?}"
    );
    assert!(
        same_total(browser, &shown[5], &cpython_out[5]),
        "the wait takes the longer brew: {} here, {} in CPython",
        shown[5],
        cpython_out[5]
    );

    // The timeline's lanes and the steps' marks name the tasks as Python
    // does: main, then Task-2 (tea) and Task-3 (coffee).
    let named = f
        .session
        .execute(
            &format!(
                "const s = document.querySelector('section#{own}');
                 const lanes = [...s.querySelectorAll('.timeline text.row-label')]
                   .map((t) => t.textContent);
                 const range = s.querySelector('.step-range');
                 const who = new Set();
                 for (let k = 1; k <= Number(range.max); k++) {{
                   range.value = k;
                   range.dispatchEvent(new Event('input', {{ bubbles: true }}));
                   for (const l of s.querySelectorAll('.editor-host .cm-line[data-who]'))
                     who.add(l.textContent.trim() + ' <- ' + l.dataset.who);
                 }}
                 return [lanes, [...who]];"
            ),
            vec![],
        )
        .await
        .expect("lanes and steps");
    let lanes: Vec<&str> = named[0]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    for name in ["main", "Task-2", "Task-3"] {
        assert!(lanes.contains(&name), "a lane for {name}: {lanes:?}");
    }
    let marks = named[1].to_string();
    assert!(
        marks.contains("await asyncio.sleep(seconds) <- Task-2, Task-3")
            && marks.contains("await asyncio.gather(tea, coffee) <- main"),
        "the steps mark where each task waits, by its Python name: {marks}"
    );

    // A reload finds the edit; Reset brings the start back.
    f.open(&format!("#{own}")).await;
    tour::editor_ready(&f.session, own)
        .await
        .expect("the editor opens");
    let kept = tour::editor_code(&f.session, own).await.expect("the code");
    assert_eq!(kept, code, "the edit survives a reload");
    press(&f, &format!("#{own} button.reset")).await;
    let back = tour::editor_code(&f.session, own).await.expect("the code");
    assert_eq!(back, start, "Reset");
    println!(
        "{}: your own program, coffee made 4 s: CPython's order, “{}” against CPython's “{}”; lanes {lanes:?}",
        browser.name(),
        shown[5],
        cpython_out[5]
    );
    forget_edits(&f).await;
    f.assert_no_problems().await;
    f.close().await;
}

/// Each check runs once per engine it names, as `check::chromium`,
/// `check::firefox` and `check::webkit`.
macro_rules! in_engines {
    ($($check:ident: $($engine:ident => $browser:ident),+;)*) => {$(
        mod $check {
            use super::Browser;
            $(
                #[tokio::test]
                async fn $engine() {
                    super::$check(Browser::$browser).await;
                }
            )+
        }
    )*};
}

in_engines!(
    every_lesson_runs_and_matches: chromium => Chrome, firefox => Firefox, webkit => WebKit;
    deep_links_open_their_lesson: chromium => Chrome, firefox => Firefox, webkit => WebKit;
    stop_stops: chromium => Chrome, firefox => Firefox, webkit => WebKit;
    the_lessons_python_runs_on_the_page: chromium => Chrome, firefox => Firefox, webkit => WebKit;
    every_lessons_python_runs_and_matches: chromium => Chrome, firefox => Firefox, webkit => WebKit;
    the_readers_python_is_edited_run_stepped_and_kept:
        chromium => Chrome, firefox => Firefox, webkit => WebKit;
    an_experiment_is_one_press_and_keeps_its_promise:
        chromium => Chrome, firefox => Firefox, webkit => WebKit;
    your_own_program_is_written_run_and_stepped:
        chromium => Chrome, firefox => Firefox, webkit => WebKit;
    the_one_file_runs_from_disk: chromium => Chrome, firefox => Firefox, webkit => WebKit;
    the_benchmark_page_runs_every_case: chromium => Chrome, firefox => Firefox;
    every_lesson_is_accessible_light_and_dark:
        chromium => Chrome, firefox => Firefox, webkit => WebKit;
    the_keyboard_alone_picks_changes_runs_and_stops:
        chromium => Chrome, firefox => Firefox, webkit => WebKit;
    the_keyboard_steps_through_a_run_and_a_step_address_lands_on_its_step:
        chromium => Chrome, firefox => Firefox, webkit => WebKit;
);
