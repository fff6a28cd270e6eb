//! Lesson explanations: Markdown to HTML, with any HTML written in the
//! Markdown shown as text, so the explanations cannot inject markup.

use maud::{PreEscaped, Render};
use pulldown_cmark::{html, Event, Options, Parser};

/// An explanation in Markdown, rendered where maud places it.
pub struct Markdown<'a>(pub &'a str);

impl Render for Markdown<'_> {
    fn render_to(&self, buffer: &mut String) {
        let events = Parser::new_ext(self.0, Options::ENABLE_SMART_PUNCTUATION).map(|e| match e {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            e => e,
        });
        let mut out = String::new();
        html::push_html(&mut out, events);
        PreEscaped(out).render_to(buffer);
    }
}

/// One paragraph of Markdown, without its `<p>`: for a table cell.
pub struct Inline<'a>(pub &'a str);

impl Render for Inline<'_> {
    fn render_to(&self, buffer: &mut String) {
        let html = Markdown(self.0).render().into_string();
        let inner = html
            .trim_end()
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"));
        buffer.push_str(inner.unwrap_or(&html));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_and_emphasis() {
        let html = Markdown("Use `join!`, *not* a loop.\n\nTwo.")
            .render()
            .into_string();
        assert_eq!(
            html,
            "<p>Use <code>join!</code>, <em>not</em> a loop.</p>\n<p>Two.</p>\n"
        );
    }

    #[test]
    fn html_in_the_markdown_shows_as_text() {
        let html = Markdown("A <script>x</script> and <b>b</b>.")
            .render()
            .into_string();
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(
            Inline("`asyncio`: one").render().into_string(),
            "<code>asyncio</code>: one"
        );
    }
}
