//! The consoles, one per node: side by side on wide screens, tabs on narrow ones (the style
//! sheet decides which; both are always in the page).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::markup;
use crate::ui::numbers::dashed;

use super::console::{Console, ConsoleProps};
use crate::sim::NodeId;
use crate::ui::state::{sends, Action};
use crate::ui::template::{key, on_click, on_keydown};
use crate::ui::terminal::TerminalView;
use crate::ui::world::node_code;

/// All consoles (`terminals`, in node order), with a tab bar for narrow screens; `chosen` is
/// the tab chosen, if one was ([`Action::ChooseConsole`]); `on_action` runs the lines entered
/// and chooses tabs.
///
/// A function, not a component: the terminals' list is new at every frame, so a component would
/// compare it at every frame as each console does, and only add Yew's per-component code.
pub fn consoles(
    terminals: &[TerminalView],
    chosen: Option<NodeId>,
    on_action: &Callback<Action>,
) -> Html {
    // The chosen tab, or the first console if it is gone.
    let selected = chosen
        .filter(|node| terminals.iter().any(|view| view.node == *node))
        .or_else(|| terminals.first().map(|view| view.node));
    let on_tab_key = {
        let on_action = on_action.clone();
        let nodes: Vec<NodeId> = terminals.iter().map(|view| view.node).collect();
        Callback::from(move |event: KeyboardEvent| {
            // Arrow keys move between tabs (the ARIA tabs pattern).
            let Some(current) = selected.and_then(|node| nodes.iter().position(|n| *n == node))
            else {
                return;
            };
            let next = match event.key().as_str() {
                "ArrowRight" => (current + 1) % nodes.len(),
                "ArrowLeft" => (current + nodes.len() - 1) % nodes.len(),
                "Home" => 0,
                "End" => nodes.len() - 1,
                _ => return,
            };
            event.prevent_default();
            on_action.emit(Action::ChooseConsole(nodes[next]));
            // The focus follows the selection (found inside this tab list, whatever else the
            // document holds).
            let tab = event
                .current_target()
                .and_then(|list| list.dyn_into::<web_sys::Element>().ok())
                .and_then(|list| {
                    list.query_selector(&format!("#console-tab-{}", nodes[next].0))
                        .ok()
                        .flatten()
                })
                .and_then(|tab| tab.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(tab) = tab {
                let _ = tab.focus();
            }
        })
    };
    let (mut tabs, mut consoles) = (Vec::new(), Vec::new());
    for view in terminals.iter() {
        let node = view.node;
        let is_selected = selected == Some(node);
        let waiting = view
            .waiting
            .then(|| markup!(r#"<span class="tab-waiting" aria-label="waiting"> …</span>"#));
        tabs.push(markup!(
            r#"<button type="button" role="tab" id={} class={} aria-selected={} aria-controls={}
                tabindex={} data-testid={} onclick={} key={}>{}{}</button>"#,
            dashed("console-tab", &node.0),
            if view.connected {
                "console-tab"
            } else {
                "console-tab down"
            },
            if is_selected { "true" } else { "false" },
            dashed("console", &node.0),
            if is_selected { "0" } else { "-1" },
            dashed("console-tab", &node.0),
            on_click(sends(on_action, Action::ChooseConsole(node))),
            key(node.0),
            node_code(node),
            waiting,
        ));
        consoles.push(html! {
            <Console key={view.client.0} ..ConsoleProps {
                view: view.clone(),
                selected: is_selected,
                on_action: on_action.clone(),
            } />
        });
    }
    markup!(
        r#"<section class="consoles" aria-labelledby="consoles-heading">
            <h2 id="consoles-heading" class="visually-hidden">Consoles</h2>
            <div class="console-tabs" role="tablist" aria-label="Consoles" onkeydown={}>{}</div>
            <div class="console-grid">{}</div>
        </section>"#,
        on_keydown(on_tab_key),
        tabs,
        consoles,
    )
}
