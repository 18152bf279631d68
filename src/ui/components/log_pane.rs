//! A node's log, as redis-server writes it (`pid:role date time marker message`), newest last.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::numbers::dashed;

use crate::sim::NodeId;

/// Props of [`LogPane`].
#[derive(Properties, PartialEq)]
pub struct LogPaneProps {
    /// The node.
    pub node: NodeId,
    /// Its newest lines, oldest first.
    pub lines: Rc<Vec<Rc<str>>>,
}

/// The log pane.
#[component]
pub fn LogPane(props: &LogPaneProps) -> Html {
    let id = props.node.0;
    let body_ref = use_node_ref();
    {
        let body_ref = body_ref.clone();
        use_effect_with(props.lines.clone(), move |_| {
            if let Some(body) = body_ref.cast::<web_sys::Element>() {
                body.set_scroll_top(body.scroll_height());
            }
        });
    }
    let mut text = String::new();
    for line in props.lines.iter() {
        text.push_str(line);
        text.push('\n');
    }
    html! {
        <pre class="log" ref={body_ref} data-testid={dashed("log", &id)} tabindex="0"
             aria-label={format!("Node {id}'s log")}>{ text }</pre>
    }
}
