//! A redis-cli-like console for one node: a transcript and a prompt with an input line.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::state::TranscriptEntry;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The node this console talks to; used in `data-testid`s.
    pub node_id: u32,
    /// The prompt shown before the input, e.g. `127.0.0.1:6379> `.
    pub prompt: AttrValue,
    /// What was typed and printed so far, oldest first.
    pub transcript: Rc<Vec<TranscriptEntry>>,
    /// Called with the line when the user presses Enter.
    pub on_submit: Callback<String>,
}

/// A console: type a command, press Enter, read the reply as redis-cli prints it.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();

    // Keep the newest output in view, as a terminal does.
    {
        let output_ref = output_ref.clone();
        use_effect_with(props.transcript.len(), move |_| {
            if let Some(output) = output_ref.cast::<web_sys::Element>() {
                output.set_scroll_top(output.scroll_height());
            }
        });
    }

    let onkeydown = {
        let input_ref = input_ref.clone();
        let on_submit = props.on_submit.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() != "Enter" {
                return;
            }
            event.prevent_default();
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let line = input.value();
                input.set_value("");
                on_submit.emit(line);
            }
        })
    };
    let focus_input = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        })
    };

    let id = props.node_id;
    html! {
        <section class="console" aria-label={format!("Console of node {id}")} onclick={focus_input}>
            <pre class="console-output" ref={output_ref} data-testid={format!("console-output-{id}")}
                 role="log" aria-live="polite">
                { for props.transcript.iter().map(|entry| html! {
                    <span class="console-entry">
                        <span class="console-echo">{ format!("{}{}\n", entry.prompt, entry.input) }</span>
                        <span class="console-reply">{ entry.output.clone() }</span>
                    </span>
                }) }
            </pre>
            <label class="console-prompt-line">
                <span class="console-prompt">{ props.prompt.clone() }</span>
                <input
                    ref={input_ref}
                    class="console-input"
                    type="text"
                    data-testid={format!("console-input-{id}")}
                    aria-label={format!("Command for node {id}")}
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    autofocus=true
                    {onkeydown}
                />
            </label>
        </section>
    }
}
