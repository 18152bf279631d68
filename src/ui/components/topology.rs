//! The network drawn in SVG: nodes on a ring, each console's client beside its node, a line per
//! link (one lane per direction, coloured by its state) and the segments in flight moving along
//! their lane. A segment's place comes from its send and arrival times and the virtual clock,
//! so it moves with time (and stands still when time does), never with the frame count.
//!
//! Clicking a link (or Enter on it) opens the link menu. The text list beside it says the same
//! in words ([`super::network_list`]).

use std::f64::consts::TAU;

use crate::ui::numbers::{cos, dashed, sin, tenths};

use yew::prelude::*;

use crate::markup;
use crate::sim::inspect::{NodeRepl, ReplView};
use crate::sim::network::{Host, LinkState, Path};
use crate::sim::view::{LinkView, NodeView, SimView};
use crate::sim::{node_addr, ClientId, NodeId, NodeStatus};
use crate::ui::links::{human_bytes, LinkPair};
use crate::ui::numbers::grouped;
use crate::ui::state::{sends, sends_from, Action};
use crate::ui::svg::{card_rect, line_between, text_at};
use crate::ui::template::{on_click, on_keydown};
use crate::ui::terminal::TerminalView;
use crate::ui::world::host_code;

/// Half the size of a node's card.
const NODE_HALF: (f64, f64) = (82.0, 38.0);
/// How far a replication arrow bows out of the straight line between its nodes.
const ARROW_BOW: f64 = 34.0;
/// Half the size of a client's card.
const CLIENT_HALF: (f64, f64) = (40.0, 15.0);
/// The length of a console's link between the node's card and the console's.
const CLIENT_GAP: f64 = 90.0;
/// Space between the two lanes of a link.
const LANE_OFFSET: f64 = 3.5;
/// Segments drawn per lane at most.
const SEGMENTS_DRAWN_MAX: usize = 12;

/// Where each host is drawn, and the box that holds them all.
struct Layout {
    /// A few dozen hosts at most: a list is smaller code than a map.
    centers: Vec<(Host, (f64, f64))>,
    view_box: (f64, f64, f64, f64),
}

impl Layout {
    fn center(&self, host: Host) -> Option<(f64, f64)> {
        self.centers
            .iter()
            .find(|(candidate, _)| *candidate == host)
            .map(|&(_, center)| center)
    }
}

fn layout(view: &SimView, terminals: &[TerminalView]) -> Layout {
    let count = view.nodes.len();
    let radius = if count <= 1 {
        0.0
    } else {
        (count as f64 * 190.0 / TAU).max(140.0)
    };
    let mut centers = Vec::new();
    for (index, node) in view.nodes.iter().enumerate() {
        let angle = -TAU / 4.0 + TAU * index as f64 / count.max(1) as f64;
        let (x, y) = (radius * cos(angle), radius * sin(angle));
        centers.push((Host::Node(node.id), (x, y)));
        // The node's consoles sit further out on the same ray (below a lone node).
        let (ux, uy) = if count <= 1 {
            (0.0, 1.0)
        } else {
            (cos(angle), sin(angle))
        };
        // Far enough out that every console link shows the same length of lane.
        let clear = edge_distance(Host::Node(node.id), ux, uy)
            + edge_distance(Host::Client(ClientId(0)), ux, uy)
            + CLIENT_GAP;
        for (rank, terminal) in terminals
            .iter()
            .filter(|terminal| terminal.node == node.id)
            .enumerate()
        {
            let distance = clear + 40.0 * rank as f64;
            centers.push((
                Host::Client(terminal.client),
                (x + ux * distance, y + uy * distance),
            ));
        }
    }
    let margin = 12.0;
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(host, (x, y)) in &centers {
        let (hw, hh) = half_size(host);
        min_x = min_x.min(x - hw);
        max_x = max_x.max(x + hw);
        min_y = min_y.min(y - hh);
        max_y = max_y.max(y + hh);
    }
    if centers.is_empty() {
        (min_x, min_y, max_x, max_y) = (-100.0, -50.0, 100.0, 50.0);
    }
    Layout {
        centers,
        view_box: (
            min_x - margin,
            min_y - margin,
            max_x - min_x + 2.0 * margin,
            max_y - min_y + 2.0 * margin,
        ),
    }
}

fn half_size(host: Host) -> (f64, f64) {
    match host {
        Host::Node(_) => NODE_HALF,
        Host::Client(_) => CLIENT_HALF,
    }
}

/// How far from a box's centre its edge is along the unit direction (ux, uy).
fn edge_distance(host: Host, ux: f64, uy: f64) -> f64 {
    let (hw, hh) = half_size(host);
    let along_x = if ux.abs() > 1e-9 {
        hw / ux.abs()
    } else {
        f64::MAX
    };
    let along_y = if uy.abs() > 1e-9 {
        hh / uy.abs()
    } else {
        f64::MAX
    };
    along_x.min(along_y) + 2.0
}

/// Where a segment is along its lane (0 at the sender, 1 at the receiver), or None for a
/// segment that waits (partitioned or held): those queue at the sender, `queued` being its
/// place in that queue.
fn segment_fraction(sent_ms: u64, deliver_ms: Option<u64>, now_ms: f64) -> Option<f64> {
    let deliver_ms = deliver_ms?;
    let span = deliver_ms.saturating_sub(sent_ms) as f64;
    if span <= 0.0 {
        return Some(1.0);
    }
    Some(((now_ms - sent_ms as f64) / span).clamp(0.0, 1.0))
}

/// One direction of a link: its line, then its segments.
fn lane(
    link: &LinkView,
    start: (f64, f64),
    end: (f64, f64),
    offset: (f64, f64),
    now_ms: f64,
) -> Vec<Html> {
    let (x1, y1) = (start.0 + offset.0, start.1 + offset.1);
    let (x2, y2) = (end.0 + offset.0, end.1 + offset.1);
    let state_class = match link.state {
        LinkState::Up => "lane lane-up",
        LinkState::Partitioned => "lane lane-partitioned",
        LinkState::Held => "lane lane-held",
    };
    let mut waiting = 0;
    let mut shapes = vec![line_between(state_class, (x1, y1), (x2, y2))];
    for segment in link.segments.iter().take(SEGMENTS_DRAWN_MAX) {
        let (fraction, class) =
            match segment_fraction(segment.sent_at_ms, segment.deliver_at_ms, now_ms) {
                Some(fraction) => (fraction, "segment"),
                None => {
                    waiting += 1;
                    ((0.06 + 0.06 * waiting as f64).min(0.5), "segment waiting")
                }
            };
        let (x, y) = (x1 + (x2 - x1) * fraction, y1 + (y2 - y1) * fraction);
        shapes.push(markup!(
            r#"<circle class={} cx={} cy={} r="4" />"#,
            class,
            tenths(x),
            tenths(y),
        ));
    }
    shapes
}

fn link_shape(
    pair: &LinkPair,
    layout: &Layout,
    now_ms: f64,
    selected: bool,
    on_action: &Callback<Action>,
) -> Html {
    let (Some(a), Some(b)) = (layout.center(pair.a), layout.center(pair.b)) else {
        return Html::default();
    };
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / length, dy / length);
    let (ta, tb) = (edge_distance(pair.a, ux, uy), edge_distance(pair.b, ux, uy));
    let start = (a.0 + ux * ta, a.1 + uy * ta);
    let end = (b.0 - ux * tb, b.1 - uy * tb);
    // Lanes on either side of the centre line: a→b on the left of travel, b→a on the right.
    let normal = (-uy * LANE_OFFSET, ux * LANE_OFFSET);
    let forward = pair
        .forward
        .as_ref()
        .map(|link| lane(link, start, end, normal, now_ms));
    let backward = pair
        .backward
        .as_ref()
        .map(|link| lane(link, end, start, (-normal.0, -normal.1), now_ms));
    let (mid_x, mid_y) = ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0);
    let states = [&pair.forward, &pair.backward]
        .map(|link| link.as_ref().map_or(LinkState::Up, |link| link.state));
    let badge = if states.contains(&LinkState::Partitioned) {
        "✕"
    } else if states.contains(&LinkState::Held) {
        "‖"
    } else {
        ""
    };
    let in_flight = pair.in_flight_bytes();
    let label = format!(
        "Link {} ↔ {}: {}{}. Open the link menu.",
        host_code(pair.a),
        host_code(pair.b),
        pair.state_words(),
        if in_flight > 0 {
            format!(", {} in flight", human_bytes(in_flight))
        } else {
            String::new()
        }
    );
    let (a, b) = (pair.a, pair.b);
    let onclick = sends(on_action, Action::ToggleLinkMenu(a, b));
    let onkeydown = sends_from(on_action, move |event: KeyboardEvent| {
        if event.key() != "Enter" && event.key() != " " {
            return None;
        }
        event.prevent_default();
        Some(Action::ToggleLinkMenu(a, b))
    });
    let waiting_words = if states.iter().any(|state| *state != LinkState::Up) {
        "waiting"
    } else {
        "in flight"
    };
    let badge_text = (!badge.is_empty())
        .then(|| text_at("link-badge", (mid_x, mid_y + 5.0), true, badge.to_string()));
    let in_flight_text = (in_flight > 0).then(|| {
        text_at(
            if waiting_words == "waiting" {
                "inflight-label still"
            } else {
                "inflight-label"
            },
            (mid_x + 8.0, mid_y - 8.0),
            false,
            format!("{} {waiting_words}", human_bytes(in_flight)),
        )
    });
    markup!(
        r#"<g class={} tabindex="0" role="button" aria-label={} data-testid={}
              onclick={} onkeydown={}>{}{}{}{}{}</g>"#,
        if selected { "link selected" } else { "link" },
        label,
        dashed("link", &pair.code()),
        on_click(onclick),
        on_keydown(onkeydown),
        line_between("link-hit", start, end),
        forward,
        backward,
        badge_text,
        in_flight_text,
    )
}

/// A node's role on its card: `master` or `replica of n1 · connected`.
fn role_line(repl: &NodeRepl) -> String {
    match &repl.master {
        None => "master".to_string(),
        Some(link) => match link.node {
            Some(node) => format!("replica of n{} · {}", node.0, link.state),
            None => format!("replica of {} · {}", link.host, link.state),
        },
    }
}

/// The arrow from a replica's master to it (the direction the stream flows), bowed out of the
/// straight line so the link's lanes stay visible, with its state, the bytes in flight on it
/// and, during a full sync, the RDB's progress.
fn repl_arrow(repl: &NodeRepl, view: &SimView, layout: &Layout) -> Option<Html> {
    let link = repl.master.as_ref()?;
    let master: NodeId = link.node?;
    let (a, b) = (
        layout.center(Host::Node(master))?,
        layout.center(Host::Node(repl.id))?,
    );
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / length, dy / length);
    let (normal_x, normal_y) = (-uy, ux);
    let start_gap = edge_distance(Host::Node(master), ux, uy);
    let end_gap = edge_distance(Host::Node(repl.id), ux, uy) + 2.0;
    let start = (
        a.0 + ux * start_gap + normal_x * 8.0,
        a.1 + uy * start_gap + normal_y * 8.0,
    );
    let end = (
        b.0 - ux * end_gap + normal_x * 8.0,
        b.1 - uy * end_gap + normal_y * 8.0,
    );
    let control = (
        (start.0 + end.0) / 2.0 + normal_x * ARROW_BOW,
        (start.1 + end.1) / 2.0 + normal_y * ARROW_BOW,
    );
    let middle = (
        0.25 * start.0 + 0.5 * control.0 + 0.25 * end.0,
        0.25 * start.1 + 0.5 * control.1 + 0.25 * end.1,
    );
    let path = Path {
        source: Host::Node(master),
        target: Host::Node(repl.id),
    };
    let in_flight = view
        .links
        .iter()
        .find(|candidate| candidate.path == path)
        .map_or(0, |candidate| candidate.in_flight_bytes);
    let state_class = match link.state {
        "connected" => "repl-arrow connected",
        "sync" => "repl-arrow syncing",
        _ => "repl-arrow down",
    };
    let mut label = format!("n{} → n{} {}", master.0, repl.id.0, link.state);
    if in_flight > 0 {
        label.push_str(&format!(" · {} in flight", human_bytes(in_flight)));
    }
    let progress = link.transfer.map(|transfer| {
        let (hw, hh) = NODE_HALF;
        let (x, y) = (b.0 - hw, b.1 + hh + 4.0);
        let fraction = transfer
            .total
            .map_or(0.0, |total| transfer.received as f64 / total.max(1) as f64);
        let words = match transfer.total {
            Some(total) => format!("RDB {} / {} B", grouped(transfer.received), grouped(total)),
            None => format!("RDB {} (diskless)", human_bytes(transfer.received)),
        };
        markup!(
            r#"<g class="transfer-bar" data-testid={}>
                <rect class="transfer-track" x={} y={} width={} height="6" rx="3" />
                <rect class="transfer-fill" x={} y={} width={} height="6" rx="3" />{}
            </g>"#,
            dashed("topology-transfer", &repl.id.0),
            tenths(x),
            tenths(y),
            tenths(2.0 * hw),
            tenths(x),
            tenths(y),
            tenths(2.0 * hw * fraction.min(1.0)),
            text_at("transfer-words", (x, y + 17.0), false, words),
        )
    });
    let curve = format!(
        "M{} {}Q{} {} {} {}",
        tenths(start.0),
        tenths(start.1),
        tenths(control.0),
        tenths(control.1),
        tenths(end.0),
        tenths(end.1)
    );
    let label_at = (middle.0 + normal_x * 6.0, middle.1 + normal_y * 6.0 + 4.0);
    Some(markup!(
        r#"<g class={} data-testid={}>
            <path d={} marker-end="url(#repl-arrow)" />{}{}
        </g>"#,
        state_class,
        format!("repl-arrow-{}-{}", master.0, repl.id.0),
        curve,
        text_at("repl-label", label_at, true, label),
        progress,
    ))
}

/// A node's card: its name and address, then its role, replication id and offset (or that it
/// is crashed). `repl` is its replication state while it is up.
fn node_card(node: &NodeView, repl: Option<&NodeRepl>, (cx, cy): (f64, f64)) -> Html {
    let up = node.status == NodeStatus::Up;
    let (hw, hh) = NODE_HALF;
    let lines: [String; 3] = match repl {
        Some(repl) => [
            role_line(repl),
            format!("replid {}", repl.short_replid()),
            format!(
                "offset {} · {} key{}",
                grouped(repl.offset),
                node.keys,
                if node.keys == 1 { "" } else { "s" }
            ),
        ],
        None if up => [
            "up".to_string(),
            format!("{} key{}", node.keys, if node.keys == 1 { "" } else { "s" }),
            format!("{} used", human_bytes(node.used_bytes as u64)),
        ],
        None => [
            "crashed".to_string(),
            "no process".to_string(),
            String::new(),
        ],
    };
    let class = match repl {
        _ if !up => "node crashed",
        Some(repl) if repl.is_replica() => "node up replica",
        _ => "node up master",
    };
    let mut texts = Vec::new();
    for (index, line) in lines.into_iter().enumerate() {
        texts.push(text_at(
            if index == 0 {
                "node-line node-role"
            } else {
                "node-line"
            },
            (cx - hw + 10.0, cy - hh + 32.0 + 15.0 * index as f64),
            false,
            line,
        ));
    }
    markup!(
        r#"<g class={} data-testid={} aria-hidden="true">{}
            <text x={} y={} class="node-name">{}<tspan class="node-addr">{}</tspan></text>{}
        </g>"#,
        class,
        dashed("topology-node", &node.id.0),
        card_rect((cx, cy), NODE_HALF, "8"),
        tenths(cx - hw + 10.0),
        tenths(cy - hh + 16.0),
        format!("n{} ", node.id.0),
        node_addr(node.id),
        texts,
    )
}

/// A console's card, beside its node.
fn client_card(terminal: &TerminalView, (cx, cy): (f64, f64)) -> Html {
    markup!(
        r#"<g class={} aria-hidden="true">{}{}</g>"#,
        if terminal.connected {
            "client"
        } else {
            "client down"
        },
        card_rect((cx, cy), CLIENT_HALF, "5"),
        text_at(
            "",
            (cx, cy + 4.5),
            true,
            format!("c{} console", terminal.client.0)
        ),
    )
}

/// The network diagram: `view`'s nodes and links (grouped into host `pairs` by
/// [`link_pairs`](crate::ui::links::link_pairs)) with `repl`'s arrows and the `terminals`'
/// clients, segments placed at virtual `now_us` (finer than the view's milliseconds, for smooth
/// motion), the `selected` link's menu open; clicking a link sends `on_action`.
///
/// A function, not a component: `now_us` changes at every frame, so a component would render
/// as often and only add Yew's per-component code to the page.
pub fn topology(
    view: &SimView,
    repl: &ReplView,
    terminals: &[TerminalView],
    pairs: &[LinkPair],
    now_us: u64,
    selected: Option<(Host, Host)>,
    on_action: &Callback<Action>,
) -> Html {
    let layout = layout(view, terminals);
    let now_ms = now_us as f64 / 1000.0;
    let (x, y, width, height) = layout.view_box;
    let mut links = Vec::new();
    for pair in pairs {
        let selected = selected == Some((pair.a, pair.b));
        links.push(link_shape(pair, &layout, now_ms, selected, on_action));
    }
    let mut nodes = Vec::new();
    for node in &view.nodes {
        if let Some(center) = layout.center(Host::Node(node.id)) {
            let repl = repl.node(node.id).filter(|repl| repl.up);
            nodes.push(node_card(node, repl, center));
        }
    }
    let mut arrows = Vec::new();
    for node in &repl.nodes {
        if let Some(arrow) = repl_arrow(node, view, &layout) {
            arrows.push(arrow);
        }
    }
    let mut clients = Vec::new();
    for terminal in terminals {
        if let Some(center) = layout.center(Host::Client(terminal.client)) {
            clients.push(client_card(terminal, center));
        }
    }
    let view_box = format!(
        "{} {} {} {}",
        tenths(x),
        tenths(y),
        tenths(width),
        tenths(height)
    );
    markup!(
        r#"<svg class="topology" viewBox={}
             role="group" aria-label="Network diagram: nodes with their replication roles, consoles, links, and an arrow from each master to its replicas. Links open a menu."
             data-testid="topology">
            <defs>
                <marker id="repl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                        markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0L10 5L0 10z" />
                </marker>
            </defs>
            <g class="links">{}</g>
            <g class="repl-arrows">{}</g>
            <g class="hosts">{}{}</g>
        </svg>"#,
        view_box,
        links,
        arrows,
        nodes,
        clients,
    )
}

#[cfg(test)]
mod tests {
    use super::segment_fraction;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn segments_move_with_virtual_time_and_waiting_ones_do_not() {
        assert_eq!(segment_fraction(100, Some(140), 100.0), Some(0.0));
        assert_eq!(segment_fraction(100, Some(140), 110.0), Some(0.25));
        assert_eq!(segment_fraction(100, Some(140), 200.0), Some(1.0));
        assert_eq!(segment_fraction(100, Some(100), 100.0), Some(1.0));
        assert_eq!(segment_fraction(100, None, 500.0), None);
    }
}
