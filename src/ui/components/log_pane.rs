//! A node's log, as redis-server writes it (`pid:role date time marker message`), newest last.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::NodeId;
use crate::ui::numbers::dashed;

/// The log pane of `node`: `lines` are its newest lines, oldest first.
///
/// A function, not a component: the panels render it at each refresh, and it keeps nothing
/// between renders; a component would only add Yew's per-component code to the page. The pane
/// follows its newest line by the style sheet (a reversed flex column keeps the scroll at the
/// bottom, and where the reader left it when they scrolled up), not by script.
pub fn log_pane(node: NodeId, lines: &[Rc<str>]) -> Html {
    let id = node.0;
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    html! {
        <pre class="log" data-testid={dashed("log", &id)} tabindex="0"
             aria-label={format!("Node {id}'s log")}>{ text }</pre>
    }
}
