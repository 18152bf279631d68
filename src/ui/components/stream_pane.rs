//! A replica's replication stream, as `redis-cli --replica` shows it: the full sync, then every
//! command the replica applied, with its length in stream bytes and the replica's offset after
//! it (so `REPLCONF ACK 51` can be read off the last row). From the engine's own log of what the
//! replica applied, decoded with its request decoder: exact, not estimated.

use yew::prelude::*;

use crate::sim::inspect::{StreamRow, StreamRowKind};
use crate::sim::NodeId;
use crate::ui::numbers::grouped;

/// Props of [`StreamPane`].
#[derive(Properties, PartialEq)]
pub struct StreamPaneProps {
    /// The replica.
    pub node: NodeId,
    /// What it applied lately, oldest first.
    pub rows: Vec<StreamRow>,
}

/// The stream pane.
#[component]
pub fn StreamPane(props: &StreamPaneProps) -> Html {
    let id = props.node.0;
    // Keyed rows: as new rows arrive and old ones go, the others stay as they are in the page.
    let rows = props.rows.iter().map(|row| match &row.kind {
        StreamRowKind::FullSync { rdb_bytes } => html! {
            <li class="stream-sync" key={format!("s{}-{}", row.at_ms, row.offset)}>
                { format!("sync with master, discarding {rdb_bytes} bytes of bulk transfer...\n\
                           sync done. Logging commands from master. (offset {})", grouped(row.offset)) }
            </li>
        },
        StreamRowKind::Continue => html! {
            <li class="stream-sync" key={format!("c{}-{}", row.at_ms, row.offset)}>
                { format!("partial resync: the master continues after offset {}", grouped(row.offset)) }
            </li>
        },
        StreamRowKind::Command(text) => html! {
            <li class="stream-command" key={format!("{}-{}", row.at_ms, row.offset)}>
                <span class="stream-offset">{ grouped(row.offset) }</span>
                <span class="stream-bytes">{ format!("+{} B", row.bytes) }</span>
                <span class="stream-text">{ text.clone() }</span>
            </li>
        },
    });
    html! {
        <div class="stream-pane">
            <p class="pane-title" id={format!("stream-title-{id}")}>
                { "Replication stream (offset after, bytes, command)" }
            </p>
            if props.rows.is_empty() {
                <p class="muted" data-testid={format!("stream-{id}")}>{ "Nothing received from a master yet." }</p>
            } else {
                // Scrolled to its newest row by the style sheet (a reversed flex column), not
                // by script: reading the layout every frame would cost a reflow per pane.
                <div class="stream-scroll" tabindex="0" aria-labelledby={format!("stream-title-{id}")}>
                    <ol class="stream" data-testid={format!("stream-{id}")}>
                        { for rows }
                    </ol>
                </div>
            }
        </div>
    }
}
