//! The tour page as a reader meets it: the lessons it lists, the speed
//! box, each lesson's Run and Stop buttons, its status (with the match
//! mark) and its output. Everything here goes through the page's own
//! elements, as clicks and keystrokes, never through the module.

use fantoccini::{Client, Locator};
use serde_json::Value;
use tokio::time::{sleep, Duration, Instant};

use crate::{Result, Session};

/// Opens `url` and waits until the module has taken the page over (the
/// tour is marked `live`). Fails with the page's own message if it shows
/// one instead.
pub async fn open(session: &Session, url: &str) -> Result<()> {
    session.goto(url).await?;
    let client: &Client = session;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = client
            .execute(
                "const error = document.querySelector('.load-error, .panic');
                 if (error) return 'error: ' + error.textContent;
                 return document.querySelector('.tour.live') ? 'ready' : 'loading';",
                vec![],
            )
            .await?;
        match seen.as_str() {
            Some("ready") => return Ok(()),
            Some(error) if error.starts_with("error") => {
                return Err(format!("the tour did not start at {url}: {error}").into())
            }
            _ if Instant::now() > deadline => {
                return Err(format!("the tour at {url} was still loading after 20 s").into())
            }
            _ => sleep(Duration::from_millis(50)).await,
        }
    }
}

/// The ids of the lessons the page lists, in order (`hello-world`, ...).
pub async fn lesson_ids(client: &Client) -> Result<Vec<String>> {
    let ids = client
        .execute(
            "return [...document.querySelectorAll('section[data-lesson]')]
                 .map((s) => s.dataset.lesson);",
            vec![],
        )
        .await?;
    Ok(strings(&ids))
}

/// The lesson whose section is shown (every other one is hidden), and the
/// one the lesson list marks as the current page.
pub async fn shown_lesson(client: &Client) -> Result<(Vec<String>, Vec<String>)> {
    let shown = client
        .execute(
            "return [[...document.querySelectorAll('section[data-lesson]:not([hidden])')]
                         .map((s) => s.dataset.lesson),
                     [...document.querySelectorAll('nav [aria-current=page]')]
                         .map((a) => a.getAttribute('href'))];",
            vec![],
        )
        .await?;
    Ok((strings(&shown[0]), strings(&shown[1])))
}

/// Types `speed` into the header's speed box, as a reader would.
pub async fn set_speed(client: &Client, speed: &str) -> Result<()> {
    let input = client.find(Locator::Css(".speed input")).await?;
    input.clear().await?;
    input.send_keys(speed).await?;
    Ok(())
}

/// The lines of `lesson`'s Expected panel.
pub async fn expected(client: &Client, lesson: &str) -> Result<Vec<String>> {
    let lines = client
        .execute(
            "return [...document.querySelectorAll(`section#${arguments[0]} .expected samp`)]
                 .map((s) => s.textContent);",
            vec![Value::from(lesson)],
        )
        .await?;
    Ok(strings(&lines))
}

/// Waits until the page has drawn what it shows now: two animation
/// frames, so the paint after the first has ended.
pub async fn drawn(client: &Client) -> Result<()> {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
    Ok(())
}

/// Clicks `lesson`'s Run button.
pub async fn run(client: &Client, lesson: &str) -> Result<()> {
    click(client, &format!("section#{lesson} button.run")).await
}

/// Clicks `lesson`'s Run the Python button.
pub async fn run_python(client: &Client, lesson: &str) -> Result<()> {
    click(client, &format!("section#{lesson} button.run-python")).await
}

/// Clicks `lesson`'s Edit button and waits for its editor (CodeMirror)
/// to be open and focused.
pub async fn edit(client: &Client, lesson: &str) -> Result<()> {
    click(client, &format!("section#{lesson} button.edit")).await?;
    wait_for_editor(client, lesson, " .cm-editor.cm-focused").await
}

/// Waits for the editor of `lesson` to be open, as "Your own program"'s
/// opens when it is shown.
pub async fn editor_ready(client: &Client, lesson: &str) -> Result<()> {
    wait_for_editor(client, lesson, ":not([hidden]) .cm-editor").await
}

/// Waits up to 20 s for `lesson`'s editor host to match `.editor-host{rest}`.
async fn wait_for_editor(client: &Client, lesson: &str, rest: &str) -> Result<()> {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&format!(
            "section#{lesson} .editor-host{rest}"
        )))
        .await?;
    Ok(())
}

/// Types `keys` into whatever has the focus, as a keyboard would: each
/// character pressed and released in turn (a [`Key`](fantoccini::key::Key)
/// is a character too), with `held` (say Control) down throughout.
pub async fn keys(client: &Client, held: Option<char>, keys: &str) -> Result<()> {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".into());
    if let Some(m) = held {
        actions = actions.then(KeyAction::Down { value: m });
    }
    for c in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    if let Some(m) = held {
        actions = actions.then(KeyAction::Up { value: m });
    }
    client.perform_actions(actions).await?;
    client.release_actions().await?;
    Ok(())
}

/// The code in `lesson`'s editor.
pub async fn editor_code(client: &Client, lesson: &str) -> Result<String> {
    let code = client
        .execute(
            "const host = document.querySelector(`section#${arguments[0]} .editor-host`);
             const h = self.tourEditor && self.tourEditor.find(host);
             return h ? h.doc() : null;",
            vec![Value::from(lesson)],
        )
        .await?;
    Ok(code.as_str().unwrap_or_default().to_owned())
}

/// Clicks `lesson`'s Stop button.
pub async fn stop(client: &Client, lesson: &str) -> Result<()> {
    click(client, &format!("section#{lesson} button.stop")).await
}

async fn click(client: &Client, selector: &str) -> Result<()> {
    client.find(Locator::Css(selector)).await?.click().await?;
    Ok(())
}

/// `lesson`'s status: `idle`, `running`, `matched`, `differed`,
/// `stopped` or `refused`.
pub async fn state(client: &Client, lesson: &str) -> Result<String> {
    let status = client
        .find(Locator::Css(&format!("section#{lesson} .status")))
        .await?;
    Ok(status.attr("data-state").await?.unwrap_or_default())
}

/// Waits until `lesson` is no longer running, at most `limit`, and gives
/// its status then.
///
/// The page tells when: a `MutationObserver` on the status answers the
/// one waiting command as soon as the state changes. Asking over and over
/// instead would run the driver's scripts on the page's thread while the
/// lesson's timers are due, and make them late: polled every 50 ms at
/// 20x, lessons 13 and 16 differed in 3 of 40 runs in Chromium; waited
/// for this way, in 0 and then 2 of 40 (and in none of 40 once the page
/// was laid out before a run's clock started).
pub async fn settle(client: &Client, lesson: &str, limit: Duration) -> Result<String> {
    let deadline = Instant::now() + limit;
    loop {
        // Each wait ends within the driver's 30 s script timeout.
        let wait = deadline
            .saturating_duration_since(Instant::now())
            .min(Duration::from_secs(20));
        let now = client
            .execute_async(
                "const [id, ms] = arguments;
                 const done = arguments[arguments.length - 1];
                 const status = document.querySelector(`section#${id} .status`);
                 const state = () => status.getAttribute('data-state') || '';
                 if (state() !== 'running') return done(state());
                 const seen = new MutationObserver(() => {
                   if (state() !== 'running') { seen.disconnect(); clearTimeout(timer); done(state()); }
                 });
                 seen.observe(status, { attributes: true, attributeFilter: ['data-state'] });
                 const timer = setTimeout(() => { seen.disconnect(); done(state()); }, ms);",
                vec![Value::from(lesson), Value::from(wait.as_millis() as u64)],
            )
            .await?;
        let now = now.as_str().unwrap_or_default().to_owned();
        if now != "running" || Instant::now() >= deadline {
            return Ok(now);
        }
    }
}

/// What `lesson` shows of the loop's record after a run: the rows of
/// "What the loop did", and the poll marks on its timeline.
pub async fn loop_shown(client: &Client, lesson: &str) -> Result<(u64, u64)> {
    let counts = client
        .execute(
            "const s = document.querySelector(`section#${arguments[0]}`);
             return [s.querySelectorAll('.loop-list li').length,
                     s.querySelectorAll('.timeline rect.poll').length];",
            vec![Value::from(lesson)],
        )
        .await?;
    let count = |i: usize| counts[i].as_u64().unwrap_or(0);
    Ok((count(0), count(1)))
}

/// The lines `lesson` has printed, as shown.
pub async fn output(client: &Client, lesson: &str) -> Result<Vec<String>> {
    let lines = client
        .execute(
            "return [...document.querySelectorAll(`section#${arguments[0]} .output samp`)]
                 .map((s) => s.textContent);",
            vec![Value::from(lesson)],
        )
        .await?;
    Ok(strings(&lines))
}

/// What `lesson`'s status says, with the check's problems when it
/// differed.
pub async fn status_text(client: &Client, lesson: &str) -> Result<String> {
    let status = client
        .find(Locator::Css(&format!("section#{lesson} .status")))
        .await?;
    Ok(status.text().await?)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
