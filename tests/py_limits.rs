//! A careless program cannot take the page down: a loop that never
//! awaits is stopped with an explanation, Stop ends a program at its next
//! await, and the page's thread answers again at once.
#![cfg(target_arch = "wasm32")]

mod common;

use async_tour::py;
use async_tour::rt::{until_ended, Outcome, Speed};
use futures::channel::oneshot;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn start(source: &str) -> (py::Started, oneshot::Receiver<Outcome>) {
    let (listener, ended) = until_ended();
    let started =
        py::start(source, "t.py", Speed::REAL_TIME, 0, listener).expect("the program compiles");
    (started, ended)
}

#[wasm_bindgen_test]
async fn a_loop_that_never_awaits_is_stopped_with_the_reason() {
    common::warm_python().await;
    py::set_poll_limit_ms(300.0);
    let (started, rx) = start(
        "import asyncio\n\nasync def spin():\n    n = 0\n    while True:\n        n += 1\n\nprint('spinning')\nasyncio.run(spin())\n",
    );
    let outcome = rx.await.expect("a run always ends");
    py::set_poll_limit_ms(py::POLL_LIMIT_MS);
    assert!(matches!(outcome, Outcome::Finished { .. }), "{outcome:?}");
    let stderr = started.stderr.borrow().clone();
    let last = stderr.trim_end().lines().last().unwrap_or("");
    assert!(
        last.starts_with("KeyboardInterrupt: the tour stopped this program: it ran 0.3 s without awaiting anything."),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 6, in spin"),
        "the traceback points at the loop: {stderr}"
    );
    // The page answers again: a timer fires on time.
    let before = async_tour::rt::now_ms().0;
    common::wait_ms(20).await;
    let took = async_tour::rt::now_ms().0 - before;
    assert!(took < 200.0, "a 20 ms timer took {took} ms after the stop");
}

#[wasm_bindgen_test]
async fn stop_ends_a_program_at_its_await() {
    common::warm_python().await;
    let (started, rx) = start(
        "import asyncio\n\nasync def main():\n    print('waiting')\n    await asyncio.sleep(100)\n    print('never')\n\nasyncio.run(main())\n",
    );
    common::wait_ms(50).await;
    started.run.stop();
    let outcome = rx.await.expect("a run always ends");
    let Outcome::Stopped { elapsed } = outcome else {
        panic!("Stop did not stop it: {outcome:?}");
    };
    assert!(elapsed < 1.0, "stopped after {elapsed} s");
    let texts: Vec<String> = started.run.lines().into_iter().map(|l| l.text).collect();
    assert_eq!(texts, ["waiting"]);
}

/// A program that would take the page's memory gets a MemoryError at the
/// tour's cap: at once for one huge value, at the cap for one that grows;
/// what it held is freed, and the page goes on.
#[wasm_bindgen_test]
async fn memory_past_the_cap_is_a_memory_error() {
    common::warm_python().await;
    let (started, rx) = start(concat!(
        "def huge(make):\n",
        "    try:\n",
        "        make()\n",
        "    except MemoryError as e:\n",
        "        print('MemoryError:', e)\n",
        "huge(lambda: [0] * 10**10)\n",
        "huge(lambda: 'ab' * 10**12)\n",
        "huge(lambda: f'{1:>{10**10}}')\n",
        "huge(lambda: 'x'.ljust(2**40))\n",
        "items = []\n",
        "try:\n",
        "    while True:\n",
        "        items.append('x' * 1000)\n",
        "except MemoryError:\n",
        "    print('grew to', len(items) // 1000 * 1000, 'strings')\n",
        "items = None\n",
        "print(sum(range(10)))\n",
    ));
    let outcome = rx.await.expect("a run always ends");
    assert!(matches!(outcome, Outcome::Finished { .. }), "{outcome:?}");
    let texts: Vec<String> = started.run.lines().into_iter().map(|l| l.text).collect();
    let said = "MemoryError: the tour stops a program at 256 MB, so that the page keeps working";
    assert_eq!(&texts[..4], [said, said, said, said], "{texts:?}");
    let grew: usize = texts[4]
        .strip_prefix("grew to ")
        .and_then(|t| t.strip_suffix(" strings"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{texts:?}"));
    // About 256 MB of 1 KB strings (each also takes its list slot and
    // its own bookkeeping), with the page's own memory besides.
    assert!((100_000..=260_000).contains(&grew), "{texts:?}");
    assert_eq!(texts[5], "45");
    assert!(
        async_tour::rt::memory::in_use() < 64 << 20,
        "the program's memory was freed: {} bytes still in use",
        async_tour::rt::memory::in_use()
    );
    assert!(
        started.stderr.borrow().is_empty(),
        "{}",
        started.stderr.borrow()
    );
}
