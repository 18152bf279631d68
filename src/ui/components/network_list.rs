//! The network in words: every node with its state and its buttons (crash, restart, remove), and
//! every link with its state, settings and traffic. The text equivalent of the diagram, and the
//! keyboard's way to everything the diagram does.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::numbers::dashed;

use crate::sim::network::Host;
use crate::sim::view::SimView;
use crate::sim::{node_addr, NodeId, NodeStatus, NODES_MAX};
use crate::ui::links::{config_words, host_words, human_bytes, link_pairs};
use crate::ui::state::Shared;
use crate::ui::terminal::TerminalView;
use crate::ui::world::host_code;

/// Props of [`NetworkList`].
#[derive(Properties, PartialEq)]
pub struct NetworkListProps {
    /// The simulation.
    pub view: Shared<SimView>,
    /// The consoles.
    pub terminals: Rc<Vec<TerminalView>>,
    /// Crash a node.
    pub on_crash: Callback<NodeId>,
    /// Restart a crashed node.
    pub on_restart: Callback<NodeId>,
    /// Remove a node.
    pub on_remove: Callback<NodeId>,
    /// Add a node.
    pub on_add_node: Callback<()>,
    /// Open the menu of the link between two hosts.
    pub on_open_link: Callback<(Host, Host)>,
}

/// Nodes and links as lists.
#[component]
pub fn NetworkList(props: &NetworkListProps) -> Html {
    let view = &props.view;
    let nodes = view.nodes.iter().map(|node| {
        let id = node.id;
        let up = node.status == NodeStatus::Up;
        let (toggle_label, toggle) = if up {
            let on_crash = props.on_crash.clone();
            ("Crash", Callback::from(move |_: MouseEvent| on_crash.emit(id)))
        } else {
            let on_restart = props.on_restart.clone();
            ("Restart", Callback::from(move |_: MouseEvent| on_restart.emit(id)))
        };
        let remove = {
            let on_remove = props.on_remove.clone();
            Callback::from(move |_: MouseEvent| on_remove.emit(id))
        };
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
        html! {
            <li key={id.0} class={if up { "node-row" } else { "node-row crashed" }}
                data-testid={dashed("node-row", &id.0)}>
                <span class="row-text">
                    <strong>{ format!("n{}", id.0) }</strong>
                    { format!(" {} — ", node_addr(id)) }
                    <span data-testid={dashed("node-state", &id.0)}>{ details }</span>
                </span>
                <span class="row-buttons">
                    <button type="button" onclick={toggle}
                        data-testid={format!("{}-{}", toggle_label.to_lowercase(), id.0)}
                        aria-label={format!("{toggle_label} node {}", id.0)}>{ toggle_label }</button>
                    <button type="button" onclick={remove} data-testid={dashed("remove", &id.0)}
                        aria-label={format!("Remove node {}", id.0)}>{ "Remove" }</button>
                </span>
            </li>
        }
    });
    let links = link_pairs(view, &props.terminals).into_iter().map(|pair| {
        let ends = (pair.a, pair.b);
        let open = {
            let on_open_link = props.on_open_link.clone();
            Callback::from(move |_: MouseEvent| on_open_link.emit(ends))
        };
        let in_flight = pair.in_flight_bytes();
        let settings = pair.config().map(|config| config_words(&config)).unwrap_or_default();
        let names = format!(
            "{} ↔ {}",
            host_code(pair.a),
            host_words(pair.b, &props.terminals)
        );
        html! {
            <li key={pair.code()} class="link-row" data-testid={dashed("link-row", &pair.code())}>
                <span class="row-text">
                    { format!("{names}: ") }
                    <span data-testid={dashed("link-state", &pair.code())}>{ pair.state_words() }</span>
                    { format!(", {settings}") }
                    if in_flight > 0 { { format!(", {} in flight", human_bytes(in_flight)) } }
                </span>
                <span class="row-buttons">
                    <button type="button" onclick={open} aria-label={format!("Change the link {names}")}
                        data-testid={dashed("link-open", &pair.code())}>{ "Change…" }</button>
                </span>
            </li>
        }
    });
    let add = {
        let on_add_node = props.on_add_node.clone();
        Callback::from(move |_: MouseEvent| on_add_node.emit(()))
    };
    let full = view.nodes.len() >= NODES_MAX;
    html! {
        <div class="network-list">
            <h3 id="nodes-heading">{ "Nodes" }</h3>
            <ul aria-labelledby="nodes-heading" data-testid="node-list">{ for nodes }</ul>
            <button type="button" onclick={add} disabled={full} data-testid="add-node">
                { if full { format!("Add node (at most {NODES_MAX})") } else { "Add node".to_string() } }
            </button>
            <h3 id="links-heading">{ "Links" }</h3>
            <ul aria-labelledby="links-heading" data-testid="link-list">{ for links }</ul>
        </div>
    }
}
