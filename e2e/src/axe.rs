//! axe-core, the accessibility checker, injected into the page under test
//! (npm's `axe-core`, installed in `.tools` by `scripts/setup.sh
//! --browsers`).

use fantoccini::Client;
use serde_json::Value;

use crate::{repo_root, Result};

/// Loads axe-core into the page open in `client`; again after each load.
pub async fn inject(client: &Client) -> Result<()> {
    let path = repo_root().join(".tools/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (scripts/setup.sh --browsers installs it)",
            path.display()
        )
    })?;
    client
        .execute(&format!("{source}\nreturn true;"), vec![])
        .await?;
    Ok(())
}

/// What axe-core finds wrong with the page as it is shown now (hidden
/// parts are skipped), one line per rule broken, with up to three of the
/// elements that break it.
pub async fn violations(client: &Client) -> Result<Vec<String>> {
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then((r) => done(r.violations.map((v) =>
                   `${v.id} (${v.impact}): ${v.help}; ` +
                   v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))))
               .catch((e) => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    Ok(found
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default())
}
