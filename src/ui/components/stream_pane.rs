//! A replica's replication stream, as `redis-cli --replica` shows it: the full sync, then every
//! command the replica applied, with its length in stream bytes and the replica's offset after
//! it (so `REPLCONF ACK 51` can be read off the last row). From the engine's own log of what the
//! replica applied, decoded with its request decoder: exact, not estimated.

use yew::prelude::*;

use crate::sim::inspect::{StreamRow, StreamRowKind};
use crate::sim::NodeId;
use crate::ui::numbers::{dashed, grouped};

/// A row that tells of a full or partial resync.
fn sync_row(key: String, words: String) -> Html {
    html! { <li class="stream-sync" {key}>{ words }</li> }
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
            StreamRowKind::Command(text) => html! {
                <li class="stream-command" key={format!("{at}-{}", row.offset)}>
                    <span class="stream-offset">{ offset }</span>
                    <span class="stream-bytes">{ format!("+{} B", row.bytes) }</span>
                    <span class="stream-text">{ text.clone() }</span>
                </li>
            },
        });
    }
    html! {
        <div class="stream-pane">
            <p class="pane-title" id={dashed("stream-title", &id)}>
                { "Replication stream (offset after, bytes, command)" }
            </p>
            if stream_rows.is_empty() {
                <p class="muted" data-testid={dashed("stream", &id)}>{ "Nothing received from a master yet." }</p>
            } else {
                // Scrolled to its newest row by the style sheet (a reversed flex column), not
                // by script: reading the layout every frame would cost a reflow per pane.
                <div class="stream-scroll" tabindex="0" aria-labelledby={dashed("stream-title", &id)}>
                    <ol class="stream" data-testid={dashed("stream", &id)}>
                        { rows }
                    </ol>
                </div>
            }
        </div>
    }
}
