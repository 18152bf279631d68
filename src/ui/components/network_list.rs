//! The network in words: every node with its state and its buttons (crash, restart, remove), and
//! every link with its state, settings and traffic. The text equivalent of the diagram, and the
//! keyboard's way to everything the diagram does.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::markup;
use crate::ui::numbers::{dashed, grouped};

use crate::sim::inspect::{NodeRepl, ReplView};
use crate::sim::network::Host;
use crate::sim::view::SimView;
use crate::sim::{node_addr, node_ip, Fault, NodeId, NodeStatus, NODES_MAX};
use crate::ui::links::{config_words, host_words, human_bytes, LinkPair};
use crate::ui::state::{sends, sends_from, Action};
use crate::ui::template::{key, on_change, on_click};
use crate::ui::terminal::TerminalView;
use crate::ui::world::{host_code, node_code};

/// A node's replication role in words: `master, replid 3a9f2c1e, offset 1 234` or
/// `replica of n1 (connected), offset 1 234`.
pub fn role_words(repl: &NodeRepl) -> String {
    let role = match &repl.master {
        None => format!("master, replid {}", repl.short_replid()),
        Some(link) => {
            let master = link
                .node
                .map_or(format!("{}:{}", link.host, link.port), node_code);
            format!("replica of {master} ({})", link.state)
        }
    };
    format!("{role}, offset {}", grouped(repl.offset))
}

/// A button of a node's row.
struct RowButton {
    label: &'static str,
    /// Its test id, before the node's number.
    test: &'static str,
    /// What it says to a screen reader, around the node's number.
    aria: (&'static str, &'static str),
    does: Does,
}

/// What a row's button does to its node.
enum Does {
    /// Types this line at the node's console.
    Type(&'static str),
    Fault(fn(NodeId) -> Fault),
    Remove,
}

const PROMOTE: RowButton = RowButton {
    label: "Promote",
    test: "promote",
    aria: ("Promote node ", ": REPLICAOF NO ONE"),
    does: Does::Type("REPLICAOF NO ONE"),
};
const FAILOVER: RowButton = RowButton {
    label: "Failover",
    test: "failover",
    aria: ("FAILOVER on node ", ""),
    does: Does::Type("FAILOVER"),
};
const CRASH: RowButton = RowButton {
    label: "Crash",
    test: "crash",
    aria: ("Crash node ", ""),
    does: Does::Fault(Fault::Crash),
};
const RESTART: RowButton = RowButton {
    label: "Restart",
    test: "restart",
    aria: ("Restart node ", " with its disk"),
    does: Does::Fault(Fault::Restart),
};
const RESTART_EMPTY: RowButton = RowButton {
    label: "Restart without disk",
    test: "restart-empty",
    aria: ("Restart node ", " on a blank disk"),
    does: Does::Fault(Fault::RestartWithoutDisk),
};
const REMOVE: RowButton = RowButton {
    label: "Remove",
    test: "remove",
    aria: ("Remove node ", ""),
    does: Does::Remove,
};

/// `button` of node `node`'s row.
fn row_button(button: &RowButton, node: NodeId, on_action: &Callback<Action>) -> Html {
    let (action, title) = match button.does {
        Does::Type(line) => (
            Action::RunLine {
                node,
                line: line.to_string(),
            },
            Some(format!("Types {line} at node {}'s console", node.0)),
        ),
        Does::Fault(fault) => (Action::Fault(fault(node)), None),
        Does::Remove => (Action::RemoveNode(node), None),
    };
    let (before, after) = button.aria;
    markup!(
        r#"<button type="button" data-testid={} aria-label={} title={} onclick={}>{}</button>"#,
        dashed(button.test, &node.0),
        format!("{before}{}{after}", node.0),
        title,
        on_click(sends(on_action, action)),
        button.label,
    )
}

/// `view`'s nodes and its links (host `pairs`, from [`link_pairs`](crate::ui::links::link_pairs))
/// as lists, with `repl_view`'s replication streams and the `terminals`' clients; the buttons send `on_action` (type a command at a node's console as a
/// user would, crash, restart, remove or add a node, open a link's menu).
///
/// A function, not a component: the view changes at every frame, so a component would render as
/// often and only add Yew's per-component code to the page.
pub fn network_list(
    view: &SimView,
    repl_view: &ReplView,
    terminals: &[TerminalView],
    pairs: &[LinkPair],
    on_action: &Callback<Action>,
) -> Html {
    let mut nodes = Vec::new();
    for node in &view.nodes {
        let id = node.id;
        let up = node.status == NodeStatus::Up;
        let repl = repl_view.node(id).filter(|repl| repl.up);
        let replica_of = sends_from(on_action, move |event: Event| {
            let select = event.target_dyn_into::<HtmlSelectElement>()?;
            let master = select.value().parse::<u8>().ok();
            select.set_value("");
            let ip = node_ip(NodeId(master?));
            Some(Action::RunLine {
                node: id,
                line: format!("REPLICAOF {ip} {}", crate::sim::NODE_PORT),
            })
        });
        let mut others = Vec::new();
        for other in view.nodes.iter().filter(|other| other.id != id) {
            others.push(markup!(
                "<option value={}>{}</option>",
                other.id.0.to_string(),
                node_code(other.id),
            ));
        }
        let details = if up {
            format!(
                "up, {} key{}, {} used, {} conn., {} cmd.",
                node.keys,
                if node.keys == 1 { "" } else { "s" },
                human_bytes(node.used_bytes as u64),
                node.connected_clients,
                node.commands_processed,
            )
        } else {
            "crashed (connections are refused)".to_string()
        };
        let role = up.then(|| {
            markup!(
                "<span data-testid={}>{}</span>; ",
                dashed("node-role", &id.0),
                repl.map(role_words).unwrap_or_default(),
            )
        });
        let replica_select = up.then(|| {
            markup!(
                r#"<select data-testid={} aria-label={} onchange={}>
                    <option value="" selected="selected">Replica of…</option>{}
                </select>"#,
                dashed("replicaof", &id.0),
                format!(
                    "Make node {} a replica of (types REPLICAOF at its console)",
                    id.0
                ),
                on_change(replica_of),
                others,
            )
        });
        let buttons: &[RowButton] = match (up, repl.is_some_and(NodeRepl::is_replica)) {
            (true, true) => &[PROMOTE, CRASH, REMOVE],
            (true, false) => &[FAILOVER, CRASH, REMOVE],
            (false, _) => &[RESTART, RESTART_EMPTY, REMOVE],
        };
        let mut row_buttons = Vec::new();
        for button in buttons {
            row_buttons.push(row_button(button, id, on_action));
        }
        nodes.push(markup!(
            r#"<li class={} data-testid={} key={}>
                <span class="row-text">
                    <strong>{}</strong> {} — {}
                    <span data-testid={}>{}</span>
                </span>
                <span class="row-buttons">{}{}</span>
            </li>"#,
            if up { "node-row" } else { "node-row crashed" },
            dashed("node-row", &id.0),
            key(id.0),
            node_code(id),
            node_addr(id),
            role,
            dashed("node-state", &id.0),
            details,
            replica_select,
            row_buttons,
        ));
    }
    let mut links = Vec::new();
    for pair in pairs {
        let open = sends(on_action, Action::ToggleLinkMenu(pair.a, pair.b));
        let in_flight = pair.in_flight_bytes();
        let settings = pair
            .config()
            .map(|config| config_words(&config))
            .unwrap_or_default();
        let in_flight_words =
            (in_flight > 0).then(|| format!(", {} in flight", human_bytes(in_flight)));
        let names = format!("{} ↔ {}", host_code(pair.a), host_words(pair.b, terminals));
        let code = pair.code();
        links.push(markup!(
            r#"<li class="link-row" data-testid={} key={}>
                <span class="row-text">
                    {}: <span data-testid={}>{}</span>, {}{}
                </span>
                <span class="row-buttons">
                    <button type="button" aria-label={} data-testid={} onclick={}>Change…</button>
                </span>
            </li>"#,
            dashed("link-row", &code),
            key(code.clone()),
            names.clone(),
            dashed("link-state", &code),
            pair.state_words(),
            settings,
            in_flight_words,
            format!("Change the link {names}"),
            dashed("link-open", &code),
            on_click(open),
        ));
    }
    let mut streams = Vec::new();
    for repl in &repl_view.nodes {
        let Some(link) = &repl.master else {
            continue;
        };
        let master = link
            .node
            .map_or(format!("{}:{}", link.host, link.port), node_code);
        let test = dashed("repl-row", &repl.id.0);
        let lag = repl_view
            .lag(repl.id)
            .map(|lag| format!(", {} B behind", grouped(lag)))
            .unwrap_or_default();
        let in_flight = link
            .node
            .and_then(|master| {
                let path = crate::sim::network::Path {
                    source: Host::Node(master),
                    target: Host::Node(repl.id),
                };
                view.links.iter().find(|candidate| candidate.path == path)
            })
            .map_or(0, |candidate| candidate.in_flight_bytes);
        let transfer = link
            .transfer
            .map(|transfer| format!("; {}", super::repl_panels::transfer_words(&transfer)))
            .unwrap_or_default();
        let words = format!(
            "{master} → n{}: {}, offset {}{lag}, {} in flight{transfer}",
            repl.id.0,
            link.state,
            grouped(repl.offset),
            human_bytes(in_flight)
        );
        streams.push(markup!(
            "<li data-testid={} key={}>{}</li>",
            test.clone(),
            key(test),
            words,
        ));
    }
    let full = view.nodes.len() >= NODES_MAX;
    let add_words = if full {
        format!("Add node (at most {NODES_MAX})")
    } else {
        "Add node".to_string()
    };
    markup!(
        r#"<div class="network-list">
            <h3 id="nodes-heading">Nodes</h3>
            <ul aria-labelledby="nodes-heading" data-testid="node-list">{}</ul>
            <button type="button" data-testid="add-node" disabled={} onclick={}>{}</button>
            <h3 id="streams-heading">Replication (master → replica)</h3>
            <ul aria-labelledby="streams-heading" data-testid="repl-list">{}</ul>
            <h3 id="links-heading">Links</h3>
            <ul aria-labelledby="links-heading" data-testid="link-list">{}</ul>
        </div>"#,
        nodes,
        full.then_some("disabled"),
        on_click(sends(on_action, Action::AddNode)),
        add_words,
        streams,
        links,
    )
}
