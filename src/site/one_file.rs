//! The tour as one file, `dist/async-tour.html`: the same page with its
//! styles, its script and its WebAssembly inside it, for a reader to keep
//! and open from disk.
//!
//! A page opened from a file may not fetch other files, import modules
//! from them, or start module workers (each browser refuses some of it),
//! so everything here is inline and classic:
//!
//! - the styles in a `<style>`;
//! - the wasm as base64 of its gzip, in a data block the browser never
//!   runs, unpacked with `DecompressionStream`;
//! - wasm-bindgen's glue, an ES module, turned into a classic script that
//!   sets `self.asyncTour` to its exports ([`classic_glue`]). Its element
//!   has the id [`CARRIED_GLUE`], where lesson 18's workers find the text
//!   to start with ([`crate::rt::worker`]);
//! - the Python editor's bundle (`www/editor.js`), a classic script that
//!   only defines `self.tourEditor`;
//! - a small script that starts it all (`one_file.js`).
//!
//! The page's Content-Security-Policy allows exactly those three scripts,
//! by their SHA-256.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use maud::{html, PreEscaped, DOCTYPE};
use sha2::{Digest, Sha256};

use super::{head_meta, tour_in, Shell};
use crate::rt::worker::CARRIED_GLUE;

/// The script that starts the tour.
const BOOT: &str = include_str!("one_file.js");

/// What the one file is made of: the build's outputs.
pub struct Parts<'a> {
    /// `www/style.css`.
    pub style: &'a str,
    /// wasm-bindgen's glue, `async_tour.js` (its `--target web` form).
    pub glue: &'a str,
    /// The optimised module, `async_tour_bg.wasm`.
    pub wasm: &'a [u8],
    /// The Python editor's bundle, `editor.js`.
    pub editor: &'a str,
}

/// The one-file page, or why the parts could not make one.
pub fn page(parts: &Parts) -> Result<String, String> {
    let glue = classic_glue(parts.glue)?;
    let wasm = BASE64.encode(gzip(parts.wasm));
    let csp = csp(&[&glue, parts.editor, BOOT]);
    // An inline script ends at `</script`, and `<!--` changes how the
    // rest of it is read; neither the glue nor the start script has one,
    // but say so rather than trust it (base64 cannot).
    for (what, text) in [
        ("glue", glue.as_str()),
        ("editor", parts.editor),
        ("start script", BOOT),
    ] {
        let lower = text.to_ascii_lowercase();
        if let Some(bad) = ["</script", "<!--"].into_iter().find(|b| lower.contains(b)) {
            return Err(format!(
                "the {what} contains {bad}, which an inline script cannot hold"
            ));
        }
    }
    Ok(html! {
        (DOCTYPE)
        html lang="en" {
            head {
                (head_meta(&csp))
                style { (PreEscaped(parts.style)) }
            }
            body {
                (tour_in(Shell::OneFile))
                script #tour-wasm type="application/octet-stream" { (PreEscaped(wasm)) }
                script id=(CARRIED_GLUE) { (PreEscaped(glue)) }
                script { (PreEscaped(BOOT)) }
                script { (PreEscaped(parts.editor)) }
            }
        }
    }
    .into_string())
}

/// The policy for the one file: its own two scripts (by hash) and
/// WebAssembly; styles inline; requests and frames anywhere (lessons 15
/// and 17 take the reader's addresses); workers from `blob:` (lesson 18's
/// are built from the carried glue).
fn csp(scripts: &[&str]) -> String {
    let hashes: Vec<String> = scripts
        .iter()
        .map(|s| format!("'sha256-{}'", BASE64.encode(Sha256::digest(s.as_bytes()))))
        .collect();
    format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src 'unsafe-inline'; \
         img-src data:; worker-src blob:; connect-src *; frame-src *; object-src 'none'; \
         base-uri 'none'; form-action 'none'",
        hashes.join(" ")
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .expect("gzip into memory cannot fail")
}

/// wasm-bindgen's ES-module glue as a classic script that sets
/// `self.asyncTour` to the module's exports, `default` included.
///
/// The glue's shape is wasm-bindgen's (pinned by `Cargo.lock`): exports
/// are `export function`/`class`/`const` declarations and one closing
/// `export { a, b as default };`, and `import.meta` is read only for the
/// module's own address. Anything else is refused with a message, so that
/// a new wasm-bindgen that writes its glue differently fails the build
/// here rather than the page in a browser.
pub fn classic_glue(module: &str) -> Result<String, String> {
    let mut body = String::with_capacity(module.len() + 256);
    let mut exports: Vec<(String, String)> = Vec::new();
    for line in module.lines() {
        if let Some(list) = line
            .strip_prefix("export {")
            .and_then(|l| l.trim_end().strip_suffix("};"))
        {
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let (local, name) = item.split_once(" as ").unwrap_or((item, item));
                exports.push((name.trim().into(), local.trim().into()));
            }
            continue;
        }
        let declared = ["function ", "async function ", "class ", "const ", "let "]
            .iter()
            .find_map(|kw| Some((*kw, line.strip_prefix("export ")?.strip_prefix(kw)?)));
        if let Some((keyword, rest)) = declared {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            exports.push((name.clone(), name));
            body.push_str(keyword);
            body.push_str(rest);
        } else if line.starts_with("export ") || line.starts_with("import ") {
            return Err(format!(
                "the glue has a line this build cannot make classic: {line}"
            ));
        } else {
            body.push_str(&line.replace("import.meta", "importMeta"));
        }
        body.push('\n');
    }
    if !exports.iter().any(|(name, _)| name == "default") {
        return Err("the glue exports no default (its init function)".into());
    }
    let fields: Vec<String> = exports
        .iter()
        .map(|(name, local)| format!("{name}: {local}"))
        .collect();
    Ok(format!(
        "// The module's glue (wasm-bindgen), as a classic script: self.asyncTour holds its exports.\n\
         self.asyncTour = (() => {{\n\
         const importMeta = {{ url: self.location.href }};\n\
         {body}\
         return {{ {} }};\n\
         }})();\n",
        fields.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = "export function mount(root_id) {\n    return import.meta.url;\n}\n\
                          class Hidden {}\nexport class Shown {}\n\
                          async function __wbg_init(m) {}\n\
                          export { initSync, __wbg_init as default };\n";

    #[test]
    fn the_glue_becomes_a_classic_script_with_its_exports_on_one_object() {
        let classic = classic_glue(MODULE).expect("a glue of the known shape");
        assert!(classic.contains("function mount(root_id) {"), "{classic}");
        assert!(classic.contains("return importMeta.url;"), "{classic}");
        assert!(classic.contains("\nclass Shown {}"), "{classic}");
        assert!(
            classic.contains(
                "return { mount: mount, Shown: Shown, initSync: initSync, default: __wbg_init };"
            ),
            "{classic}"
        );
        assert!(
            !classic.lines().any(|l| l.starts_with("export")),
            "{classic}"
        );
        assert!(!classic.contains("import.meta"), "{classic}");
    }

    #[test]
    fn a_glue_of_another_shape_is_refused_with_the_line() {
        let importing = format!("import {{ x }} from './snippet.js';\n{MODULE}");
        let err = classic_glue(&importing).expect_err("an import cannot be made classic");
        assert!(err.contains("./snippet.js"), "{err}");
        let no_default = "export function mount() {}\n";
        assert!(classic_glue(no_default).is_err());
    }

    #[test]
    fn a_glue_that_would_end_its_script_early_is_refused() {
        let parts = |glue| Parts {
            style: "",
            glue,
            wasm: b"\0asm",
            editor: "self.tourEditor = {};",
        };
        let fine = "async function init() {}\nexport { init as default };\n";
        let packed = page(&parts(fine)).expect("a plain glue packs");
        assert!(
            packed.contains("<script id=\"tour-glue\">"),
            "the glue is carried by id"
        );
        let early = "async function init() { return '</SCRIPT>'; }\nexport { init as default };\n";
        let err = page(&parts(early)).expect_err("</script in the glue");
        assert!(err.contains("</script"), "{err}");
        let editor = Parts {
            editor: "x = '<!--';",
            ..parts(fine)
        };
        let err = page(&editor).expect_err("<!-- in the editor");
        assert!(err.contains("editor"), "{err}");
    }

    #[test]
    fn the_policy_names_each_script_by_its_hash() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        let policy = csp(&["alert(1)"]);
        assert!(
            policy.contains("script-src 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=' 'wasm-unsafe-eval';"),
            "{policy}"
        );
        assert!(policy.starts_with("default-src 'none';"), "{policy}");
    }
}
