//! The root component: owns the reducer, hands plain data and callbacks to the components.

use yew::prelude::*;

use super::components::console::Console;
use super::state::{Action, Playground};

/// The playground page.
#[component]
pub fn App() -> Html {
    let playground = use_reducer(Playground::default);
    let on_submit = {
        let playground = playground.clone();
        Callback::from(move |line: String| playground.dispatch(Action::RunLine(line)))
    };
    html! {
        <>
            <header class="masthead">
                <h1>{ "Redis Replication Playground" }</h1>
                <p class="tagline">{ "A Redis 7.0 node running in this page. Type a command and press Enter." }</p>
            </header>
            <Console
                node_id={1}
                prompt={playground.prompt.clone()}
                transcript={playground.transcript.clone()}
                {on_submit}
            />
        </>
    }
}
