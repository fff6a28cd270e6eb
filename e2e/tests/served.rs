//! The served page as a plain HTTP client gets it, before any script
//! runs: every lesson's text and both listings are in the HTML, and it
//! comes with its Content-Security-Policy, compressed when asked. Build
//! the page first (`scripts/build.sh`); `scripts/test.sh` does.

use async_tour::lessons;
use async_tour::site::markdown::Markdown;
use maud::Render;
use tour_e2e::Server;

/// The text of `html`: its tags dropped and its entities read.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = rest[open..].split_once('>').map_or("", |(_, after)| after);
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn every_lesson_reads_in_the_served_html_before_any_script_runs() {
    let server = Server::www().await.expect("serve www/");
    let reply = server.get("", &[]).await.expect("GET /");
    assert!(reply.head.starts_with("HTTP/1.0 200"), "{}", reply.head);
    let html = String::from_utf8(reply.body).expect("the page is UTF-8");
    let text = text_of(&html);
    for l in lessons::listed() {
        let source = l.source();
        assert!(
            html.contains(&format!("<section class=\"lesson\" id=\"{}\"", l.id)),
            "no section for {}",
            l.id
        );
        assert!(
            text.contains(source.python.trim_end()),
            "{}'s Python is not in the page",
            l.id
        );
        assert!(
            text.contains(source.listing.trim_end()),
            "{}'s Rust listing is not in the page",
            l.id
        );
        assert_eq!(
            l.has_rust(),
            !source.listing.is_empty(),
            "{}: a Rust listing exactly where there is Rust",
            l.id
        );
        let explained = text_of(&Markdown(source.explanation).render().into_string());
        for paragraph in explained.lines().filter(|p| !p.trim().is_empty()) {
            assert!(
                text.contains(paragraph),
                "{}'s explanation is not in the page: {paragraph}",
                l.id
            );
        }
        let expected = (l.expected)(&l.defaults());
        for line in &expected.lines {
            assert!(
                text.contains(&line.text.to_string()),
                "{}'s expected output for its defaults lacks {}",
                l.id,
                line.text
            );
        }
    }
    // Your own program has its Python alone.
    assert_eq!(
        html.matches("<figure class=\"code rust\"").count(),
        lessons::ALL.len(),
        "one Rust listing per lesson, none for yours"
    );
}

#[tokio::test]
async fn the_page_comes_with_its_policy_and_compressed_when_asked() {
    let server = Server::www().await.expect("serve www/");
    let plain = server
        .get("index.html", &[])
        .await
        .expect("GET /index.html");
    let policy = plain
        .header("Content-Security-Policy")
        .expect("the page is sent with a Content-Security-Policy");
    let scripts = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .expect("the policy names where scripts come from");
    assert_eq!(scripts, "script-src 'self' 'wasm-unsafe-eval'");
    assert!(
        String::from_utf8_lossy(&plain.body).contains("http-equiv=\"Content-Security-Policy\""),
        "the page carries its policy for hosts that send none"
    );

    let zipped = server
        .get("index.html", &["Accept-Encoding: gzip"])
        .await
        .expect("GET /index.html, gzip");
    assert_eq!(zipped.header("Content-Encoding"), Some("gzip"));
    assert_eq!(&zipped.body[..2], [0x1f, 0x8b], "a gzip stream");
    assert!(zipped.body.len() * 3 < plain.body.len(), "compressed");

    let wasm = server
        .get("pkg/async_tour_bg.wasm", &["Accept-Encoding: gzip"])
        .await
        .expect("GET the module");
    assert_eq!(wasm.header("Content-Type"), Some("application/wasm"));
    assert_eq!(wasm.header("Content-Encoding"), Some("gzip"));
}

/// The page's download link leads to the one-file tour, served beside it
/// and the same as `dist/async-tour.html`.
#[tokio::test]
async fn the_page_offers_the_one_file_tour_for_download() {
    let server = Server::www().await.expect("serve www/");
    let page = server.get("", &[]).await.expect("GET /");
    let link = format!("<a href=\"{}\" download", async_tour::site::ONE_FILE);
    assert!(
        String::from_utf8_lossy(&page.body).contains(&link),
        "the page links to the one file"
    );
    let file = server
        .get(async_tour::site::ONE_FILE, &[])
        .await
        .expect("GET the one file");
    assert!(file.head.starts_with("HTTP/1.0 200"), "{}", file.head);
    let built = std::fs::read(tour_e2e::repo_root().join("dist/async-tour.html"))
        .expect("dist/async-tour.html: build it with scripts/build.sh");
    assert_eq!(file.body, built, "the served copy is the built one");
}
