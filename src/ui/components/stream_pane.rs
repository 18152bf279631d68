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
    let body_ref = use_node_ref();
    {
        let body_ref = body_ref.clone();
        use_effect_with(
            props.rows.last().map(|row| (row.at_ms, row.offset)),
            move |_| {
                if let Some(body) = body_ref.cast::<web_sys::Element>() {
                    body.set_scroll_top(body.scroll_height());
                }
            },
        );
    }
    let rows = props.rows.iter().map(|row| match &row.kind {
        StreamRowKind::FullSync { rdb_bytes } => html! {
            <li class="stream-sync">
                { format!("sync with master, discarding {rdb_bytes} bytes of bulk transfer...\n\
                           sync done. Logging commands from master. (offset {})", grouped(row.offset)) }
            </li>
        },
        StreamRowKind::Continue => html! {
            <li class="stream-sync">
                { format!("partial resync: the master continues after offset {}", grouped(row.offset)) }
            </li>
        },
        StreamRowKind::Command(text) => html! {
            <li class="stream-command">
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
                <ol class="stream" ref={body_ref} data-testid={format!("stream-{id}")} tabindex="0"
                    aria-labelledby={format!("stream-title-{id}")}>
                    { for rows }
                </ol>
            }
        </div>
    }
}
