//! Component tests: the real app rendered into headless Chromium, driven with DOM events.
#![cfg(target_arch = "wasm32")]

use replication_playground::ui::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Renders the app into a fresh element of its own and waits until it is on screen.
async fn render_app() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn by_test_id(root: &Element, id: &str) -> Element {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no {id}"))
}

/// Types `line` into the console input and presses Enter, as the keyboard would deliver it.
async fn submit_line(root: &Element, line: &str) {
    let input: HtmlInputElement = by_test_id(root, "console-input-1").dyn_into().unwrap();
    input.set_value(line);
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let enter = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&enter).unwrap();
    yew::scheduler::flush().await;
}

/// Enter runs the typed line against the node, echoes it after the prompt, prints the reply as
/// redis-cli does, and clears the input for the next command.
#[wasm_bindgen_test]
async fn enter_runs_the_line_and_prints_the_reply() {
    let root = render_app().await;
    submit_line(&root, "PING").await;
    submit_line(&root, "ECHO \"a b\"").await;
    let output = by_test_id(&root, "console-output-1")
        .text_content()
        .unwrap();
    assert_eq!(
        output,
        "127.0.0.1:6379> PING\nPONG\n127.0.0.1:6379> ECHO \"a b\"\n\"a b\"\n"
    );
    let input: HtmlInputElement = by_test_id(&root, "console-input-1").dyn_into().unwrap();
    assert_eq!(input.value(), "");
    root.remove();
}

/// Other keys only edit the line: nothing runs until Enter.
#[wasm_bindgen_test]
async fn keys_other_than_enter_run_nothing() {
    let root = render_app().await;
    let input: HtmlInputElement = by_test_id(&root, "console-input-1").dyn_into().unwrap();
    input.set_value("PING");
    let init = KeyboardEventInit::new();
    init.set_key("a");
    init.set_bubbles(true);
    input
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(
        by_test_id(&root, "console-output-1")
            .text_content()
            .unwrap(),
        ""
    );
    root.remove();
}
