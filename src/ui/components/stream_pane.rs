//! A replica's replication stream, as `redis-cli --replica` shows it: the full sync, then every
//! command the replica applied, with its length in stream bytes and the replica's offset after
//! it (so `REPLCONF ACK 51` can be read off the last row). From the engine's own log of what the
//! replica applied, decoded with its request decoder: exact, not estimated.

use yew::prelude::*;

use crate::markup;
use crate::sim::inspect::{StreamRow, StreamRowKind};
use crate::sim::NodeId;
use crate::ui::numbers::{dashed, grouped};
use crate::ui::template::key;

/// A row that tells of a full or partial resync.
fn sync_row(row_key: String, words: String) -> Html {
    markup!(
        r#"<li class="stream-sync" key={}>{}</li>"#,
        key(row_key),
        words
    )
}

/// The stream pane of replica `node`: `stream_rows` is what it applied lately, oldest first.
///
/// A function, not a component: the panels render it at each refresh, when a running stream
/// has new rows anyway; a component would only add Yew's per-component code to the page.
pub fn stream_pane(node: NodeId, stream_rows: &[StreamRow]) -> Html {
    let id = node.0;
    // Keyed rows: as new rows arrive and old ones go, the others stay as they are in the page.
    let mut rows = Vec::new();
    for row in stream_rows {
        let (at, offset) = (row.at_ms, grouped(row.offset));
        rows.push(match &row.kind {
            StreamRowKind::FullSync { rdb_bytes } => sync_row(
                format!("s{at}-{}", row.offset),
                format!(
                    "sync with master, discarding {rdb_bytes} bytes of bulk transfer...\n\
                     sync done. Logging commands from master. (offset {offset})"
                ),
            ),
            StreamRowKind::Continue => sync_row(
                format!("c{at}-{}", row.offset),
                format!("partial resync: the master continues after offset {offset}"),
            ),
            StreamRowKind::Command(text) => markup!(
                r#"<li class="stream-command" key={}>
                    <span class="stream-offset">{}</span>
                    <span class="stream-bytes">{}</span>
                    <span class="stream-text">{}</span>
                </li>"#,
                key(format!("{at}-{}", row.offset)),
                offset,
                format!("+{} B", row.bytes),
                text.clone(),
            ),
        });
    }
    let title_id = dashed("stream-title", &id);
    let rows = if stream_rows.is_empty() {
        markup!(
            r#"<p class="muted" data-testid={}>Nothing received from a master yet.</p>"#,
            dashed("stream", &id)
        )
    } else {
        // Scrolled to its newest row by the style sheet (a reversed flex column), not by
        // script: reading the layout every frame would cost a reflow per pane.
        markup!(
            r#"<div class="stream-scroll" tabindex="0" aria-labelledby={}>
                <ol class="stream" data-testid={}>{}</ol>
            </div>"#,
            title_id.clone(),
            dashed("stream", &id),
            rows,
        )
    };
    markup!(
        r#"<div class="stream-pane">
            <p class="pane-title" id={}>Replication stream (offset after, bytes, command)</p>{}
        </div>"#,
        title_id,
        rows,
    )
}
