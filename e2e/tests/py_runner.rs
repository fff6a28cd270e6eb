//! `scripts/py.sh`'s runner page (`www/py.html`): a Python file on the
//! tour's interpreter, in a real browser, prints what `python3` prints on
//! this host: the same standard output, the same last line of standard
//! error, and failure where CPython exits with status 1. Build the
//! benchmark page's module first (`scripts/build.sh --bench`;
//! `scripts/test.sh` does).

use std::process::Command;

use tokio::time::Duration;
use tour_e2e::py::{self, Options, Ran};
use tour_e2e::{repo_root, Browser, Server, Session};

/// What CPython does with `source`: its standard output, the last line of
/// its standard error, and whether it failed.
fn cpython(source: &str, name: &str) -> (String, String, bool) {
    let dir = std::env::temp_dir().join(format!("tour-py-runner-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, source).expect("write the program");
    let out = Command::new("python3")
        .arg(&path)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr.lines().last().unwrap_or_default().to_owned(),
        !out.status.success(),
    )
}

fn last_line(ran: &Ran) -> &str {
    ran.stderr.lines().last().unwrap_or_default()
}

async fn runs_as_cpython_does(browser: Browser) {
    let server = Server::www().await.expect("serve www/");
    let session = Session::open_own(browser).await.expect("a browser");
    let page = server.url("py.html");
    let options = Options {
        speed: 1.0,
        record: false,
        limit: Duration::from_secs(60),
    };
    let corpus = |name: &str| {
        std::fs::read_to_string(repo_root().join("tests/python").join(name))
            .expect("a corpus program")
    };
    let programs = [
        ("classes.py", corpus("classes.py")),
        ("random_seeded.py", corpus("random_seeded.py")),
        ("mistake_uncaught.py", corpus("mistake_uncaught.py")),
        (
            "mistake_task_exception.py",
            corpus("mistake_task_exception.py"),
        ),
        (
            "broken.py",
            "print('before')\nif True\n    print('after')\n".to_owned(),
        ),
    ];
    for (name, source) in &programs {
        let (stdout, last, failed) = cpython(source, name);
        let ran = py::run(&session, &page, source, name, options)
            .await
            .unwrap_or_else(|e| panic!("{name} in {}: {e}", browser.name()));
        assert_eq!(ran.stdout, stdout, "{name}'s output in {}", browser.name());
        assert_eq!(
            (last_line(&ran), ran.failed),
            (last.as_str(), failed),
            "{name}'s last line of stderr and failure in {}:\n{}",
            browser.name(),
            ran.stderr
        );
    }
    // --record: what the loop did, in words, the Python way too.
    let (name, source) = &programs[2];
    let told = py::run(
        &session,
        &page,
        source,
        name,
        Options {
            record: true,
            ..options
        },
    )
    .await
    .expect("a recorded run")
    .record
    .expect("the record, told");
    assert!(
        told.contains("asyncio.run(main()) starts a loop") && told.contains("sleep 0.1 s"),
        "the record in words:\n{told}"
    );
    let problems = session.unexpected_problems(&[]).await;
    session.close().await.expect("close the browser");
    assert!(problems.is_empty(), "the page reported {problems:?}");
}

#[tokio::test]
async fn runs_as_cpython_does_in_chromium() {
    runs_as_cpython_does(Browser::Chrome).await;
}

#[tokio::test]
async fn runs_as_cpython_does_in_firefox() {
    runs_as_cpython_does(Browser::Firefox).await;
}
