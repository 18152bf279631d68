//! One replication panel per node: its role and ids, a full sync's progress, its backlog ring,
//! the PSYNC decisions it made, the stream it applied (a replica), INFO/ROLE and its log; then
//! the replicas' lag over time. Composes the components that draw each part.

use std::rc::Rc;

use yew::prelude::*;

use super::backlog_ring::{backlog_ring, BacklogRing};
use super::info_panel::{info_panel, Field};
use super::lag_chart::lag_chart;
use super::log_pane::log_pane;
use super::psync_decisions::psync_decisions;
use super::stream_pane::stream_pane;
use crate::engine::config::REPL_BACKLOG_SIZE_MIN_BYTES;
use crate::markup;
use crate::sim::inspect::{BacklogDetail, NodeRepl, ReplView, TransferView};
use crate::sim::NodeId;
use crate::ui::links::human_bytes;
use crate::ui::numbers::{dashed, grouped};
use crate::ui::state::{Action, Shared};
use crate::ui::template::key;
use crate::ui::world::{node_code, LagSample, NodeLog};

/// Props of [`ReplPanels`].
#[derive(Properties, PartialEq)]
pub struct ReplPanelsProps {
    /// Every node's replication state.
    pub repl: Shared<ReplView>,
    /// The nodes' logs (compared by identity: the world replaces them when they change).
    pub logs: Shared<Vec<NodeLog>>,
    /// The replicas' lag over time (compared by identity, as the logs).
    pub lag: Shared<Vec<LagSample>>,
    /// Virtual now and the run's start, in microseconds.
    pub now_us: u64,
    /// Virtual time at the start of the run, in microseconds.
    pub start_us: u64,
    /// The backlog stretch being inspected: (node, stretch).
    #[prop_or_default]
    pub selected: Option<(NodeId, u64)>,
    /// What it holds.
    #[prop_or_default]
    pub detail: Option<Rc<BacklogDetail>>,
    /// Inspect a stretch of a node's ring ([`Action::InspectSegment`]).
    pub on_action: Callback<Action>,
}

/// A size as `1 KB` when it is a whole number of kilobytes, else in bytes.
pub fn size_words(bytes: u64) -> String {
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", grouped(bytes / 1024))
    } else {
        format!("{} B", grouped(bytes))
    }
}

/// A full sync's progress in words.
pub fn transfer_words(transfer: &TransferView) -> String {
    match transfer.total {
        Some(total) => format!(
            "full sync: RDB {} of {} B received",
            grouped(transfer.received),
            grouped(total)
        ),
        None if transfer.diskless => format!(
            "full sync: RDB {} received (diskless: the size is known only at its end mark)",
            human_bytes(transfer.received)
        ),
        None => "full sync: waiting for the RDB to start".to_string(),
    }
}

/// The panel's heading: `n1 · master · replid 3a9f2c1e · offset 1 234`.
fn heading(repl: &NodeRepl) -> String {
    if !repl.up {
        return format!("n{} · crashed", repl.id.0);
    }
    let role = match &repl.master {
        None => "master".to_string(),
        Some(link) => match link.node {
            Some(node) => format!("replica of n{} ({})", node.0, link.state),
            None => format!("replica of {}:{} ({})", link.host, link.port, link.state),
        },
    };
    format!(
        "n{} · {role} · replid {} · offset {}",
        repl.id.0,
        repl.short_replid(),
        grouped(repl.offset)
    )
}

/// The panels.
#[component]
pub fn ReplPanels(props: &ReplPanelsProps) -> Html {
    // Each up node's INFO fields as last shown, with when they changed (the highlights). A node
    // that goes down or away forgets them, as its panel's INFO table leaves the page.
    let info_memory = use_mut_ref(Vec::<(NodeId, Vec<Field>)>::new);
    let mut info_memory = info_memory.borrow_mut();
    info_memory.retain(|(node, _)| props.repl.node(*node).is_some_and(|repl| repl.up));
    let mut panels = Vec::new();
    for repl in &props.repl.nodes {
        panels.push(node_panel(repl, props, &mut info_memory));
    }
    markup!(
        r#"<section class="replication" aria-labelledby="replication-heading">
            <h2 id="replication-heading">Replication</h2>
            <div class="node-panels">{}</div>{}
        </section>"#,
        panels,
        lag_chart(&props.lag, props.now_us),
    )
}

/// One node's panel; `info_memory` holds the INFO fields last shown for each up node.
fn node_panel(
    repl: &NodeRepl,
    props: &ReplPanelsProps,
    info_memory: &mut Vec<(NodeId, Vec<Field>)>,
) -> Html {
    let id = repl.id;
    let info = repl.up.then(|| {
        let index = match info_memory.iter().position(|(node, _)| *node == id) {
            Some(index) => index,
            None => {
                info_memory.push((id, Vec::new()));
                info_memory.len() - 1
            }
        };
        let fields = &mut info_memory[index].1;
        info_panel(id, &repl.info, &repl.role_text, props.now_us, fields)
    });
    let log = props.logs.iter().find(|log| log.node == id);
    let transfer = repl.master.as_ref().and_then(|link| link.transfer);
    let ring = repl.backlog.map(|backlog| {
        let mut replicas = Vec::new();
        for replica in repl
            .replicas
            .iter()
            .filter(|replica| replica.state == "online")
        {
            let name = replica.node.map_or(replica.addr.clone(), node_code);
            replicas.push((name, replica.ack_offset));
        }
        let note = (backlog.size < REPL_BACKLOG_SIZE_MIN_BYTES as u64).then(|| {
            format!(
                "backlog {}: lowered for the playground; Redis's minimum is {}",
                size_words(backlog.size),
                size_words(REPL_BACKLOG_SIZE_MIN_BYTES as u64)
            )
        });
        let selected = props
            .selected
            .filter(|(node, _)| *node == id)
            .map(|(_, index)| index);
        let detail = selected.and(props.detail.clone());
        backlog_ring(&BacklogRing {
            node: id,
            backlog,
            replicas,
            note,
            selected,
            detail,
            on_action: props.on_action.clone(),
        })
    });
    let transfer = transfer.map(|transfer| {
        // Without a known size the bar is indeterminate: no `max`, no `value`.
        let max = transfer.total.map(|total| total.max(1).to_string());
        let value = transfer.total.map(|_| transfer.received.to_string());
        let label = if transfer.total.is_some() {
            "Full sync progress"
        } else {
            "Full sync progress (size unknown)"
        };
        markup!(
            r#"<div class="transfer" data-testid={}>
                <progress max={} value={} aria-label={}></progress>
                <span>{}</span>
            </div>"#,
            dashed("transfer", &id.0),
            max,
            value,
            label,
            transfer_words(&transfer),
        )
    });
    let state = if repl.up {
        let ring = ring.unwrap_or_else(|| {
            markup!(
                r#"<p class="muted">{}</p>"#,
                format!(
                    "No backlog: a master creates its {} ring when its first replica attaches.",
                    size_words(repl.backlog_size_config.max(0) as u64)
                ),
            )
        });
        let decisions = (!repl.is_replica() || !repl.decisions.is_empty()).then(|| {
            markup!(
                r#"<p class="pane-title">PSYNC decisions</p>{}"#,
                psync_decisions(id, &repl.decisions, props.start_us),
            )
        });
        let stream =
            (repl.is_replica() || !repl.stream.is_empty()).then(|| stream_pane(id, &repl.stream));
        markup!(
            r#"{}{}{}
            <details class="info-details" open="open">
                <summary>INFO replication and ROLE</summary>{}
            </details>"#,
            ring,
            decisions,
            stream,
            info,
        )
    } else {
        markup!(
            r#"<p class="muted">Crashed: no process, so no replication state. Restart it from the node list.</p>"#
        )
    };
    let class = if repl.up {
        "node-panel"
    } else {
        "node-panel crashed"
    };
    let title_id = dashed("node-panel-title", &id.0);
    let log_view = log_pane(id, log.map_or(&[][..], |log| &log.lines));
    markup!(
        r#"<section class={} data-testid={} aria-labelledby={} key={}>
            <h3 id={} data-testid={}>{}</h3>{}{}
            <details class="log-details" open="open">
                <summary>Log</summary>{}
            </details>
        </section>"#,
        class,
        dashed("node-panel", &id.0),
        title_id.clone(),
        key(id.0),
        title_id.clone(),
        title_id,
        heading(repl),
        transfer,
        state,
        log_view,
    )
}
