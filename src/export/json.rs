//! JSON: `summary.json` per scenario and a JSON array on stdout.

use crate::summary::Summary;

/// One summary, pretty-printed, with a final newline.
pub fn render_one(summary: &Summary) -> anyhow::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(summary)?;
    out.push(b'\n');
    Ok(out)
}

/// All summaries as one JSON array.
pub fn render_all(summaries: &[Summary]) -> anyhow::Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(summaries)?;
    out.push(b'\n');
    Ok(out)
}
