//! Component tests: the real app rendered into headless Chromium, driven with DOM events, and
//! the reducer driven with actions. Time only moves when a test moves it (no autoplay), so every
//! assertion is about the simulator's state, never about how long something took.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use replication_playground::sim::network::{Host, LinkConfig, NodeId};
use replication_playground::sim::{ClientId, Fault, NodeStatus};
use replication_playground::ui::app::{App, AppProps};
use replication_playground::ui::state::{Action, Playground};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, KeyboardEvent};
use web_sys::{HtmlSelectElement, KeyboardEventInit};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

/// What node 2's console shows from the start: the page made it a replica of node 1.
const START_2: &str = "10.0.0.2:6379> REPLICAOF 10.0.0.1 6379\nOK\n";

/// Renders the app (seed 7, paused, not touching the address bar) into a fresh element of its
/// own and waits until it is on screen.
async fn render_app() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = AppProps {
        seed: Some(7),
        autoplay: false,
        use_url: false,
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn find(root: &Element, id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
}

fn by_test_id(root: &Element, id: &str) -> Element {
    find(root, id).unwrap_or_else(|| panic!("no {id}"))
}

fn text(root: &Element, id: &str) -> String {
    by_test_id(root, id).text_content().unwrap_or_default()
}

fn input(root: &Element, id: &str) -> HtmlInputElement {
    by_test_id(root, id).dyn_into().unwrap()
}

fn bubbling(kind: &str) -> Event {
    let init = EventInit::new();
    init.set_bubbles(true);
    Event::new_with_event_init_dict(kind, &init).unwrap()
}

/// A key pressed in an element, as the keyboard delivers it (with Ctrl if `ctrl`).
async fn press(element: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

/// Sets a field's text as typing would (an `input` event follows).
async fn type_text(field: &HtmlInputElement, value: &str) {
    field.set_value(value);
    field.dispatch_event(&bubbling("input")).unwrap();
    yew::scheduler::flush().await;
}

/// Clicks an element: a real activation for HTML elements (a submit button submits its form),
/// a click event for SVG ones.
async fn click(root: &Element, id: &str) {
    let element = by_test_id(root, id);
    match element.dyn_ref::<HtmlElement>() {
        Some(html) => html.click(),
        None => {
            element.dispatch_event(&bubbling("click")).unwrap();
        }
    }
    yew::scheduler::flush().await;
}

/// Types `line` into node `node`'s console and presses Enter.
async fn submit(root: &Element, node: u8, line: &str) {
    let field = input(root, &format!("console-input-{node}"));
    field.set_value(line);
    press(&field, "Enter", false).await;
}

fn output(root: &Element, node: u8) -> String {
    text(root, &format!("console-output-{node}"))
}

fn prompt(root: &Element, node: u8) -> String {
    text(root, &format!("console-prompt-{node}"))
}

/// Enter runs the typed line on the node, echoes it after the node's prompt, prints the reply as
/// redis-cli does, and clears the input for the next command.
#[wasm_bindgen_test]
async fn enter_runs_the_line_and_prints_the_reply() {
    let root = render_app().await;
    submit(&root, 1, "PING").await;
    submit(&root, 1, "ECHO \"a b\"").await;
    assert_eq!(
        output(&root, 1),
        "10.0.0.1:6379> PING\nPONG\n10.0.0.1:6379> ECHO \"a b\"\n\"a b\"\n"
    );
    assert_eq!(input(&root, "console-input-1").value(), "");
    root.remove();
}

/// Other keys only edit the line: nothing runs until Enter.
#[wasm_bindgen_test]
async fn keys_other_than_enter_run_nothing() {
    let root = render_app().await;
    let field = input(&root, "console-input-1");
    field.set_value("PING");
    press(&field, "a", false).await;
    assert_eq!(output(&root, 1), "");
    root.remove();
}

/// Three nodes start, each with its own console at its own address, and each console talks to
/// its own node: a key set on node 1 is not on node 2.
#[wasm_bindgen_test]
async fn every_node_has_its_own_console() {
    let root = render_app().await;
    for node in 1..=3 {
        assert_eq!(prompt(&root, node), format!("10.0.0.{node}:6379> "));
        assert!(find(&root, &format!("console-output-{node}")).is_some());
    }
    assert!(find(&root, "console-input-4").is_none());
    submit(&root, 1, "SET k v").await;
    submit(&root, 2, "GET k").await;
    // Node 2's console typed REPLICAOF at the start; time has not moved, so no sync yet.
    assert_eq!(
        output(&root, 2),
        format!("{}10.0.0.2:6379> GET k\n(nil)\n", START_2)
    );
    assert!(text(&root, "node-state-1").contains("1 key"));
    assert!(text(&root, "node-state-2").contains("0 keys"));
    root.remove();
}

/// The prompt follows redis-cli's state: `[db]` after SELECT, `(TX)` inside MULTI, back after
/// EXEC; the repeat prefix runs a command several times.
#[wasm_bindgen_test]
async fn prompt_shows_database_and_transaction() {
    let root = render_app().await;
    submit(&root, 1, "SELECT 2").await;
    assert_eq!(prompt(&root, 1), "10.0.0.1:6379[2]> ");
    submit(&root, 1, "MULTI").await;
    assert_eq!(prompt(&root, 1), "10.0.0.1:6379[2](TX)> ");
    submit(&root, 1, "INCR n").await;
    submit(&root, 1, "EXEC").await;
    assert_eq!(prompt(&root, 1), "10.0.0.1:6379[2]> ");
    submit(&root, 1, "3 INCR n").await;
    submit(&root, 1, "0 PING").await;
    assert!(output(&root, 1).ends_with(
        "10.0.0.1:6379[2](TX)> INCR n\nQUEUED\n10.0.0.1:6379[2](TX)> EXEC\n1) (integer) 1\n\
         10.0.0.1:6379[2]> 3 INCR n\n(integer) 2\n(integer) 3\n(integer) 4\n\
         10.0.0.1:6379[2]> 0 PING\nInvalid redis-cli repeat command option value.\n"
    ));
    root.remove();
}

/// SUBSCRIBE prints redis-cli's "Reading messages" line before its replies; the connection is
/// then in subscriber mode, as the server's answers show.
#[wasm_bindgen_test]
async fn subscribe_prints_reading_messages_and_the_replies() {
    let root = render_app().await;
    submit(&root, 1, "SUBSCRIBE news sport").await;
    submit(&root, 1, "PING").await;
    assert_eq!(
        output(&root, 1),
        "10.0.0.1:6379> SUBSCRIBE news sport\nReading messages... (press Ctrl-C to quit)\n\
         1) \"subscribe\"\n2) \"news\"\n3) (integer) 1\n\
         1) \"subscribe\"\n2) \"sport\"\n3) (integer) 2\n\
         10.0.0.1:6379> PING\n1) \"pong\"\n2) \"\"\n"
    );
    root.remove();
}

/// Up and Down walk the history; Down past the newest line gives back what was being typed.
#[wasm_bindgen_test]
async fn up_and_down_walk_the_history() {
    let root = render_app().await;
    submit(&root, 1, "SET a 1").await;
    submit(&root, 1, "GET a").await;
    let field = input(&root, "console-input-1");
    type_text(&field, "draft").await;
    press(&field, "ArrowUp", false).await;
    assert_eq!(field.value(), "GET a");
    press(&field, "ArrowUp", false).await;
    assert_eq!(field.value(), "SET a 1");
    press(&field, "ArrowUp", false).await;
    assert_eq!(field.value(), "SET a 1", "the oldest line stays");
    press(&field, "ArrowDown", false).await;
    assert_eq!(field.value(), "GET a");
    press(&field, "ArrowDown", false).await;
    assert_eq!(field.value(), "draft");
    root.remove();
}

/// Ctrl-R searches the history backwards as typed, Ctrl-R again finds an older match, and Enter
/// runs the line found.
#[wasm_bindgen_test]
async fn ctrl_r_searches_the_history_backwards() {
    let root = render_app().await;
    submit(&root, 1, "SET alpha 1").await;
    submit(&root, 1, "SET beta 2").await;
    submit(&root, 1, "GET beta").await;
    let field = input(&root, "console-input-1");
    press(&field, "r", true).await;
    assert_eq!(prompt(&root, 1), "(reverse-i-search)`");
    type_text(&field, "set").await;
    assert_eq!(text(&root, "console-hint-1"), "': SET beta 2");
    press(&field, "r", true).await;
    assert_eq!(text(&root, "console-hint-1"), "': SET alpha 1");
    press(&field, "Enter", false).await;
    assert_eq!(prompt(&root, 1), "10.0.0.1:6379> ");
    assert!(output(&root, 1).ends_with("10.0.0.1:6379> SET alpha 1\nOK\n"));
    // Escape leaves the search and gives back the line as it was.
    type_text(&field, "half typed").await;
    press(&field, "r", true).await;
    press(&field, "Escape", false).await;
    assert_eq!(field.value(), "half typed");
    root.remove();
}

/// Hints show the arguments still to type, as redis-cli writes them from COMMAND DOCS; Tab
/// completes command names.
#[wasm_bindgen_test]
async fn hints_and_tab_completion_come_from_command_docs() {
    let root = render_app().await;
    let field = input(&root, "console-input-1");
    let set_options = "[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|\
                       PXAT unix-time-milliseconds|KEEPTTL]";
    type_text(&field, "set").await;
    assert_eq!(
        text(&root, "console-hint-1"),
        format!(" key value {set_options}")
    );
    type_text(&field, "set k v").await;
    assert_eq!(text(&root, "console-hint-1"), format!(" {set_options}"));
    type_text(&field, "hgetal").await;
    press(&field, "Tab", false).await;
    assert_eq!(field.value(), "HGETALL");
    // As linenoise cycles: after the last completion, the line as typed, then the first again.
    type_text(&field, "pexpire").await;
    let mut shown = Vec::new();
    for _ in 0..5 {
        press(&field, "Tab", false).await;
        shown.push(field.value());
    }
    assert_eq!(
        shown,
        ["PEXPIRE", "PEXPIREAT", "PEXPIRETIME", "pexpire", "PEXPIRE"]
    );
    submit(&root, 1, ":set nohints").await;
    type_text(&field, "set").await;
    assert_eq!(text(&root, "console-hint-1"), "");
    root.remove();
}

/// `help` and `help @group` work without a connection and print what redis-cli prints, `clear`
/// empties the console.
#[wasm_bindgen_test]
async fn help_and_clear_are_handled_by_the_console() {
    let root = render_app().await;
    submit(&root, 1, "help get").await;
    assert!(output(&root, 1).contains(
        "\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n"
    ));
    submit(&root, 1, "help @string").await;
    assert!(output(&root, 1)
        .contains("\n  APPEND key value\n  summary: Append a value to a key\n  since: 2.0.0\n\n"));
    submit(&root, 1, "clear").await;
    assert_eq!(output(&root, 1), "");
    submit(&root, 1, "PING").await;
    assert_eq!(output(&root, 1), "10.0.0.1:6379> PING\nPONG\n");
    root.remove();
}

/// Crashing a node closes its console's connection (`not connected>`). As with redis-cli, the
/// next line finds the connection closed, the one after fails to connect; after a restart the
/// console connects again.
#[wasm_bindgen_test]
async fn a_crashed_node_refuses_its_console() {
    let root = render_app().await;
    click(&root, "crash-2").await;
    assert_eq!(prompt(&root, 2), "not connected> ");
    assert!(text(&root, "node-state-2").contains("crashed"));
    submit(&root, 2, "PING").await;
    submit(&root, 2, "PING").await;
    assert_eq!(
        output(&root, 2),
        format!(
            "{START_2}not connected> PING\nError: Server closed the connection\n\
             not connected> PING\nCould not connect to Redis at 10.0.0.2:6379: Connection refused\n"
        )
    );
    click(&root, "restart-2").await;
    submit(&root, 2, "PING").await;
    assert!(output(&root, 2).ends_with("not connected> PING\nPONG\n"));
    assert_eq!(prompt(&root, 2), "10.0.0.2:6379> ");
    root.remove();
}

/// A severed connection is reset: the next line says so, the one after reconnects (selecting
/// the database again, and keeping `(TX)` in the prompt as redis-cli 7.0 does, though the new
/// connection has no transaction open).
#[wasm_bindgen_test]
async fn a_severed_connection_is_reported_as_reset_then_reconnects() {
    let root = render_app().await;
    submit(&root, 1, "SELECT 3").await;
    submit(&root, 1, "SET k v").await;
    submit(&root, 1, "MULTI").await;
    click(&root, "link-n1-c1").await;
    click(&root, "link-menu-sever").await;
    assert_eq!(prompt(&root, 1), "not connected> ");
    submit(&root, 1, "GET k").await;
    submit(&root, 1, "GET k").await;
    assert!(output(&root, 1).ends_with(
        "not connected> GET k\nError: Connection reset by peer\nnot connected> GET k\n\"v\"\n"
    ));
    assert_eq!(prompt(&root, 1), "10.0.0.1:6379[3](TX)> ");
    root.remove();
}

/// A partitioned console link holds the command: the console waits, and the reply arrives
/// once the link heals. Both happen through the link's menu, opened from the diagram.
#[wasm_bindgen_test]
async fn a_partitioned_link_makes_the_console_wait_until_healed() {
    let root = render_app().await;
    click(&root, "link-n1-c1").await;
    assert!(find(&root, "link-menu").is_some());
    click(&root, "link-menu-partition").await;
    assert_eq!(text(&root, "link-state-n1-c1"), "partitioned");
    submit(&root, 1, "PING").await;
    for _ in 0..20 {
        click(&root, "step").await;
    }
    assert_eq!(output(&root, 1), "10.0.0.1:6379> PING\n");
    assert!(find(&root, "console-pending-1").is_some());
    click(&root, "link-menu-heal").await;
    assert_eq!(output(&root, 1), "10.0.0.1:6379> PING\nPONG\n");
    assert!(find(&root, "console-pending-1").is_none());
    assert_eq!(
        root.query_selector_all("[data-testid='timeline-marker']")
            .unwrap()
            .length(),
        2,
        "partition and heal are marked on the timeline"
    );
    click(&root, "link-menu-close").await;
    assert!(find(&root, "link-menu").is_none());
    root.remove();
}

/// The seed field keeps what is typed; a seed that is not one is refused in words (the run goes
/// on), a good one restarts the run with it.
#[wasm_bindgen_test]
async fn the_seed_field_refuses_what_is_not_a_seed() {
    let root = render_app().await;
    assert_eq!(input(&root, "seed").value(), "7");
    type_text(&input(&root, "seed"), "soon").await;
    click(&root, "restart").await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("A seed is a whole number from 0 to 9007199254740991."));
    assert_eq!(input(&root, "seed").value(), "soon");
    type_text(&input(&root, "seed"), "42").await;
    click(&root, "restart").await;
    assert_eq!(input(&root, "seed").value(), "42");
    assert!(!root
        .text_content()
        .unwrap()
        .contains("A seed is a whole number"));
    root.remove();
}

/// The link menu sets a preset: the link list says so, and the diagram's link reports it.
#[wasm_bindgen_test]
async fn the_link_menu_sets_latency_presets() {
    let root = render_app().await;
    click(&root, "link-open-n1-c1").await;
    let preset: HtmlSelectElement = by_test_id(&root, "link-menu-preset").dyn_into().unwrap();
    preset.set_value("2");
    preset.dispatch_event(&bubbling("change")).unwrap();
    yew::scheduler::flush().await;
    assert_eq!(input(&root, "link-menu-latency").value(), "40");
    click(&root, "link-menu-apply").await;
    assert!(text(&root, "link-row-n1-c1").contains("cross-datacenter"));
    // A command now takes a round trip of 80 ms or more.
    submit(&root, 1, "PING").await;
    assert_eq!(output(&root, 1), "10.0.0.1:6379> PING\n");
    let bad = input(&root, "link-menu-latency");
    type_text(&bad, "soon").await;
    click(&root, "link-menu-apply").await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("Latency must be a whole number"));
    root.remove();
}

/// Nodes can be added (with a console) and removed (with it).
#[wasm_bindgen_test]
async fn nodes_can_be_added_and_removed() {
    let root = render_app().await;
    click(&root, "add-node").await;
    assert_eq!(prompt(&root, 4), "10.0.0.4:6379> ");
    submit(&root, 4, "PING").await;
    assert_eq!(output(&root, 4), "10.0.0.4:6379> PING\nPONG\n");
    click(&root, "remove-4").await;
    assert!(find(&root, "console-input-4").is_none());
    assert!(find(&root, "node-row-4").is_none());
    root.remove();
}

/// Scrubbing back shows the consoles as they were; forward again shows them as they are.
#[wasm_bindgen_test]
async fn the_timeline_scrubs_consoles_back_and_forward() {
    let root = render_app().await;
    for _ in 0..3 {
        click(&root, "step").await;
    }
    submit(&root, 1, "SET a 1").await;
    let timeline = input(&root, "timeline");
    let typed_at: u64 = timeline.value().parse().unwrap();
    for _ in 0..5 {
        click(&root, "step").await;
    }
    submit(&root, 1, "SET b 2").await;
    // Just after the first line: it is there, the second is not yet.
    type_text(&timeline, &(typed_at + 1).to_string()).await;
    assert!(text(&root, "timeline-status").contains("Showing the past"));
    assert_eq!(output(&root, 1), "10.0.0.1:6379> SET a 1\nOK\n");
    // At the start, before anything was typed.
    type_text(&timeline, "0").await;
    assert_eq!(output(&root, 1), "");
    let max = timeline.max();
    type_text(&timeline, &max).await;
    assert!(text(&root, "timeline-status").starts_with("Live"));
    assert!(output(&root, 1).ends_with("10.0.0.1:6379> SET b 2\nOK\n"));
    root.remove();
}

/// `window.playground` runs a line and answers with what the console printed; the console shows
/// it too.
#[wasm_bindgen_test]
async fn the_js_handle_runs_commands_and_reads_the_view() {
    let root = render_app().await;
    let handle = js_sys::Reflect::get(&web_sys::window().unwrap(), &"playground".into()).unwrap();
    let call = |name: &str, args: &[JsValue]| -> Result<JsValue, JsValue> {
        let function: js_sys::Function = js_sys::Reflect::get(&handle, &name.into())
            .unwrap()
            .dyn_into()
            .unwrap();
        function.apply(&handle, &args.iter().cloned().collect::<js_sys::Array>())
    };
    let printed = call("run", &[1.into(), "SET k v".into()]).unwrap();
    assert_eq!(printed.as_string().as_deref(), Some("OK\n"));
    let printed = call("run", &["n1".into(), "GET k".into()]).unwrap();
    assert_eq!(printed.as_string().as_deref(), Some("\"v\"\n"));
    let info = call("info", &[1.into()]).unwrap();
    let keys = js_sys::Reflect::get(&info, &"keys".into()).unwrap();
    assert_eq!(keys.as_f64(), Some(1.0));
    let view = call("view", &[]).unwrap();
    let nodes: js_sys::Array = js_sys::Reflect::get(&view, &"nodes".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(nodes.length(), 3);
    call("fault", &["crash".into(), 3.into()]).unwrap();
    yew::scheduler::flush().await;
    assert_eq!(prompt(&root, 3), "not connected> ");
    assert!(call("fault", &["melt".into(), 3.into()]).is_err());
    let before = call("advanceMs", &[0.into()]).unwrap().as_f64().unwrap();
    let after = call("advanceMs", &[250.into()]).unwrap().as_f64().unwrap();
    assert_eq!(after - before, 250.0);
    let stepped = call("step", &[]).unwrap().as_f64().unwrap();
    assert!(stepped > after);
    yew::scheduler::flush().await;
    assert!(output(&root, 1).ends_with("10.0.0.1:6379> GET k\n\"v\"\n"));
    // Through a partition no answer comes: the call says so, and the line still waits.
    call("fault", &["partition".into(), "c1".into(), "n1".into()]).unwrap();
    let error = call("run", &[1.into(), "DEL k".into()]).unwrap_err();
    let message = js_sys::Reflect::get(&error, &"message".into()).unwrap();
    assert!(message
        .as_string()
        .unwrap()
        .starts_with("no reply within 10000 ms"));
    call("fault", &["heal".into(), "c1".into(), "n1".into()]).unwrap();
    yew::scheduler::flush().await;
    assert!(output(&root, 1).ends_with("10.0.0.1:6379> DEL k\n(integer) 1\n"));
    root.remove();
}

/// `view()` gives the same object as the simulator's JSON export of the view (nodes, links with
/// segments, every kind of trace event), without shipping a JSON serializer in the page.
#[wasm_bindgen_test]
fn the_js_view_has_the_shape_of_the_json_export() {
    let mut state = Rc::new(Playground::new(5, false));
    let actions = [
        Action::SetLink {
            a: Host::Node(NodeId(1)),
            b: Host::Client(ClientId(1)),
            config: LinkConfig::FLAKY,
        },
        Action::RunLine {
            node: NodeId(1),
            line: "SET k v".into(),
        },
        Action::Fault(Fault::Hold(
            Host::Client(ClientId(1)),
            Host::Node(NodeId(1)),
        )),
        Action::RunLine {
            node: NodeId(1),
            line: "GET k".into(),
        },
        Action::Fault(Fault::Sever(
            Host::Client(ClientId(2)),
            Host::Node(NodeId(2)),
        )),
        Action::RunLine {
            node: NodeId(2),
            line: "PING".into(),
        },
        Action::Fault(Fault::Crash(NodeId(3))),
        Action::RunLine {
            node: NodeId(3),
            line: "PING".into(),
        },
        Action::RunLine {
            node: NodeId(3),
            line: "PING".into(),
        },
        // A new node's console connects: an Opened event among the latest ones.
        Action::AddNode,
    ];
    for action in actions {
        state = reduce(state, action);
    }
    let view = state.view.clone();
    let kinds: Vec<String> = view
        .recent_events
        .iter()
        .map(|event| {
            format!("{:?}", event.kind)
                .split([' ', '{'])
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    for kind in [
        "Opened",
        "ConnectFailed",
        "Sent",
        "Closed",
        "Fault",
        "NodeStatus",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} missing from {kinds:?}"
        );
    }
    assert!(view.links.iter().any(|link| !link.segments.is_empty()));
    let exported = serde_json::to_string(&*view).unwrap();
    let expected = js_sys::JSON::stringify(&js_sys::JSON::parse(&exported).unwrap()).unwrap();
    let built =
        js_sys::JSON::stringify(&replication_playground::web_api::view_to_js(&view)).unwrap();
    assert_eq!(String::from(built), String::from(expected));
}

/// Space plays and pauses, except in a text field where it types a space.
#[wasm_bindgen_test]
async fn space_toggles_play_outside_text_fields() {
    let root = render_app().await;
    assert!(text(&root, "play-pause").contains("Play"));
    press(
        &web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .body()
            .unwrap(),
        " ",
        false,
    )
    .await;
    assert!(text(&root, "play-pause").contains("Pause"));
    press(&input(&root, "console-input-1"), " ", false).await;
    assert!(text(&root, "play-pause").contains("Pause"));
    press(&by_test_id(&root, "console-output-1"), " ", false).await;
    assert!(text(&root, "play-pause").contains("Play"));
    root.remove();
}

/// The consoles are also tabs (shown on narrow screens): the arrow keys move between them.
#[wasm_bindgen_test]
async fn console_tabs_follow_the_arrow_keys() {
    let root = render_app().await;
    let tab = |n: u8| by_test_id(&root, &format!("console-tab-{n}"));
    assert_eq!(
        tab(1).get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    press(&tab(1), "ArrowRight", false).await;
    assert_eq!(
        tab(2).get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(
        tab(1).get_attribute("aria-selected").as_deref(),
        Some("false")
    );
    press(&tab(2), "End", false).await;
    assert_eq!(
        tab(3).get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let unselected = by_test_id(&root, "console-1").class_name();
    assert!(unselected.contains("console-unselected"));
    let focused: HtmlElement = tab(3).dyn_into().unwrap();
    assert_eq!(
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element(),
        Some(focused.into())
    );
    root.remove();
}

/// The text equivalent of the diagram names every node and link with its state.
#[wasm_bindgen_test]
async fn the_network_list_says_what_the_diagram_shows() {
    let root = render_app().await;
    for node in 1..=3 {
        let row = text(&root, &format!("node-row-{node}"));
        assert!(row.contains(&format!("10.0.0.{node}:6379")), "{row}");
        let link = text(&root, &format!("link-row-n{node}-c{node}"));
        assert!(link.contains("up, same host"), "{link}");
        let shape = by_test_id(&root, &format!("link-n{node}-c{node}"));
        assert_eq!(shape.get_attribute("role").as_deref(), Some("button"));
        assert_eq!(shape.get_attribute("tabindex").as_deref(), Some("0"));
    }
    root.remove();
}

// ---- Replication panels ----

/// Calls `window.playground.<name>(args...)`, as the browser console would.
fn handle(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let handle = js_sys::Reflect::get(&web_sys::window().unwrap(), &"playground".into()).unwrap();
    let function: js_sys::Function = js_sys::Reflect::get(&handle, &name.into())
        .unwrap()
        .dyn_into()
        .unwrap();
    function.apply(&handle, &args.iter().cloned().collect::<js_sys::Array>())
}

fn field(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

/// A number with its thousands grouped as the page writes them (a narrow no-break space).
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// The ring appears once a replica attaches, holds the window, wraps after 1 KB of writes (the
/// lowered size says so), marks each replica at its acknowledged offset, and shows the bytes and
/// commands of the stretch in focus; the arrow keys move along the ring, Escape lets go.
#[wasm_bindgen_test]
async fn the_backlog_ring_shows_the_window_the_head_and_the_replicas() {
    let root = render_app().await;
    assert!(
        find(&root, "backlog-1").is_none(),
        "no backlog before a replica attaches"
    );
    handle("advanceMs", &[7000.into()]).unwrap();
    yew::scheduler::flush().await;
    assert!(find(&root, "backlog-1").is_some());
    assert!(text(&root, "backlog-note-1")
        .contains("backlog 1 KB: lowered for the playground; Redis's minimum is 16 KB"));
    assert_eq!(text(&root, "backlog-wraps-1"), "wrapped 0×");
    // 40 SETs of 27 bytes: more than the ring holds.
    handle("run", &[1.into(), "40 SET k v".into()]).unwrap();
    handle("advanceMs", &[1500.into()]).unwrap();
    yew::scheduler::flush().await;
    assert_eq!(text(&root, "backlog-wraps-1"), "wrapped 1×");
    let repl = handle("repl", &[1.into()]).unwrap();
    let backlog = field(&repl, "backlog");
    let end = field(&backlog, "end_offset").as_f64().unwrap() as u64;
    let words = text(&root, "backlog-text-1");
    let kb = grouped(1024);
    assert!(
        words.starts_with(&format!(
            "The {kb} B ring holds offsets {} … {} ({kb} B)",
            grouped(end - 1023),
            grouped(end)
        )),
        "{words}"
    );
    assert!(
        words.contains(&format!(
            "n2 acknowledged {}, inside the window",
            grouped(end)
        )),
        "{words}"
    );
    // Both replicas acknowledged the same offset: one marker names both.
    let marker = root
        .query_selector("[data-testid='backlog-1'] .ring-replica")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(marker == "n2,n3" || marker == "n3,n2", "{marker}");
    let first: HtmlElement = by_test_id(&root, "backlog-1-segment-0").unchecked_into();
    first.focus().unwrap();
    yew::scheduler::flush().await;
    let detail = text(&root, "backlog-detail-1");
    assert!(detail.starts_with("Ring bytes 0 … 31"), "{detail}");
    assert!(detail.contains("\"SET\",\"k\",\"v\""), "{detail}");
    assert!(
        detail.contains("\\r\\n"),
        "the bytes are shown escaped: {detail}"
    );
    press(&first, "ArrowRight", false).await;
    assert!(text(&root, "backlog-detail-1").starts_with("Ring bytes 32 … 63"));
    press(&by_test_id(&root, "backlog-1-segment-1"), "Escape", false).await;
    assert!(find(&root, "backlog-detail-1").is_none());
    root.remove();
}

/// A replica cut off briefly continues (+CONTINUE), one that missed more than the ring holds
/// starts over (+FULLRESYNC): the master's panel says which and why, newest first, and the
/// timeline marks both.
#[wasm_bindgen_test]
async fn psync_decisions_are_explained_in_plain_words() {
    let root = render_app().await;
    handle("advanceMs", &[7000.into()]).unwrap();
    let cut = |fault: &str, replica: &str| {
        handle("fault", &[fault.into(), "n1".into(), replica.into()]).unwrap();
    };
    cut("partition", "n3");
    handle("run", &[1.into(), "SET a 1".into()]).unwrap();
    cut("sever", "n3");
    cut("heal", "n3");
    handle("advanceMs", &[2000.into()]).unwrap();
    yew::scheduler::flush().await;
    let decisions = text(&root, "decisions-1");
    assert!(
        decisions.contains("n3 (10.0.0.3:6379): asked for "),
        "{decisions}"
    );
    assert!(
        decisions.contains(" and the replid matches → +CONTINUE, "),
        "{decisions}"
    );
    cut("partition", "n2");
    handle("run", &[1.into(), "40 SET k v".into()]).unwrap();
    cut("sever", "n2");
    cut("heal", "n2");
    handle("advanceMs", &[2000.into()]).unwrap();
    yew::scheduler::flush().await;
    let newest = root
        .query_selector("[data-testid='decisions-1'] li")
        .unwrap()
        .unwrap();
    let newest_text = newest.text_content().unwrap();
    assert!(newest.class_name().contains("full"), "{newest_text}");
    assert!(
        newest_text.contains("n2 (10.0.0.2:6379): asked for "),
        "{newest_text}"
    );
    assert!(
        newest_text.ends_with(": the bytes were overwritten → +FULLRESYNC"),
        "{newest_text}"
    );
    // Two full syncs at the start, then one partial and one full.
    assert_eq!(
        root.query_selector_all("[data-testid='timeline-sync']")
            .unwrap()
            .length(),
        4
    );
    root.remove();
}

/// The decision list on its own: plain data in, the engine's words out, newest first.
#[wasm_bindgen_test]
async fn the_decision_list_renders_the_decisions_it_is_given() {
    use replication_playground::sim::inspect::DecisionView;
    use replication_playground::ui::components::psync_decisions::psync_decisions;
    use yew::prelude::*;

    /// The list as the panels draw it, mounted on its own.
    #[derive(Properties, PartialEq)]
    struct DecisionsProps {
        decisions: Vec<DecisionView>,
        start_us: u64,
    }
    #[component]
    fn Decisions(props: &DecisionsProps) -> Html {
        psync_decisions(NodeId(1), &props.decisions, props.start_us)
    }

    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let start_us = 1_000_000_000;
    let decision = |at_ms: u64, full: bool, text: &str| DecisionView {
        at_ms,
        replica: "10.0.0.2:6379".into(),
        replica_node: Some(NodeId(2)),
        full,
        text: text.into(),
    };
    let props = DecisionsProps {
        decisions: vec![
            decision(1_000_500, false, "asked for 1204, the backlog holds 980…2047 and the replid matches → +CONTINUE, 844 bytes sent"),
            decision(1_002_000, true, "the replica has no history (PSYNC ? -1) → +FULLRESYNC"),
        ],
        start_us,
    };
    yew::Renderer::<Decisions>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let items = root.query_selector_all("li").unwrap();
    assert_eq!(items.length(), 2);
    assert_eq!(
        items.get(0).unwrap().text_content().unwrap(),
        "t = 2.000 s, n2 (10.0.0.2:6379): the replica has no history (PSYNC ? -1) → +FULLRESYNC"
    );
    assert_eq!(
        items.get(1).unwrap().text_content().unwrap(),
        "t = 0.500 s, n2 (10.0.0.2:6379): asked for 1204, the backlog holds 980…2047 and the \
         replid matches → +CONTINUE, 844 bytes sent"
    );
    root.remove();
}

/// INFO replication and ROLE are the node's own answers, live; a field that just changed is
/// marked (and says so to screen readers).
#[wasm_bindgen_test]
async fn info_and_role_are_live_with_changes_marked() {
    let root = render_app().await;
    handle("advanceMs", &[7000.into()]).unwrap();
    yew::scheduler::flush().await;
    handle("advanceMs", &[3000.into()]).unwrap();
    yew::scheduler::flush().await;
    assert!(text(&root, "role-2")
        .starts_with("1) \"slave\"\n2) \"10.0.0.1\"\n3) (integer) 6379\n4) \"connected\"\n"));
    submit(&root, 1, "SET k v").await;
    let changed = root
        .query_selector_all("[data-testid='info-1'] tr.changed")
        .unwrap();
    let names: Vec<String> = (0..changed.length())
        .map(|index| changed.get(index).unwrap().text_content().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .any(|row| row.starts_with("master_repl_offset") && row.ends_with("(changed)")),
        "{names:?}"
    );
    assert!(text(&root, "info-1").contains("connected_slaves2"));
    root.remove();
}

/// Where characters `from..to` (UTF-16 units) of an element's text are drawn.
fn text_rect(element: &Element, from: u32, to: u32) -> web_sys::DomRect {
    let document = web_sys::window().unwrap().document().unwrap();
    let range = document.create_range().unwrap();
    let text = element.first_child().unwrap();
    range.set_start(&text, from).unwrap();
    range.set_end(&text, to).unwrap();
    range.get_bounding_client_rect()
}

/// Whether `rect` is drawn inside `pane`'s box (to within rounding).
fn inside(rect: &web_sys::DomRect, pane: &Element) -> bool {
    let bounds = pane.get_bounding_client_rect();
    rect.top() >= bounds.top() - 0.5 && rect.bottom() <= bounds.bottom() + 0.5
}

/// Whether a log pane shows its newest line (its text ends with a newline).
fn newest_line_in_view(pane: &Element) -> bool {
    let length = pane.text_content().unwrap().encode_utf16().count() as u32;
    inside(&text_rect(pane, length - 2, length - 1), pane)
}

/// How far below a pane's top its text's first character is drawn, in CSS pixels.
fn oldest_line_from_top(pane: &Element) -> f64 {
    text_rect(pane, 0, 1).top() - pane.get_bounding_client_rect().top()
}

/// The log follows its newest line by the style sheet alone: once it is longer than its pane,
/// its last line is in view and its first is not, and so again after more lines arrive; a reader
/// who scrolled up keeps their place as lines arrive.
#[wasm_bindgen_test]
async fn the_log_follows_its_newest_line() {
    // The page's own style sheet, which the test page lacks.
    let document = web_sys::window().unwrap().document().unwrap();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../www/styles.css")));
    document.head().unwrap().append_child(&style).unwrap();
    let root = render_app().await;
    let reconnect_2 = || async {
        handle("fault", &["sever".into(), "n1".into(), "n2".into()]).unwrap();
        handle("advanceMs", &[2000.into()]).unwrap();
        yew::scheduler::flush().await;
    };
    handle("advanceMs", &[7000.into()]).unwrap();
    yew::scheduler::flush().await;
    let pane = by_test_id(&root, "log-2");
    let before = pane.text_content().unwrap();
    assert!(pane.scroll_height() > pane.client_height(), "{before}");
    assert!(newest_line_in_view(&pane), "{before}");
    assert!(!inside(&text_rect(&pane, 0, 1), &pane));
    reconnect_2().await;
    let after = pane.text_content().unwrap();
    assert!(after.len() > before.len(), "{after}");
    assert!(newest_line_in_view(&pane), "{after}");
    // Scrolled up to the oldest line (a reversed column counts its scroll up from the bottom,
    // and clamps it at the top), the reader stays there as lines arrive.
    pane.set_scroll_top(-pane.scroll_height());
    let oldest = oldest_line_from_top(&pane);
    reconnect_2().await;
    let moved = oldest_line_from_top(&pane) - oldest;
    assert!(moved.abs() < 1.0, "the oldest line moved by {moved} px");
    assert!(!newest_line_in_view(&pane));
    root.remove();
    style.remove();
}

// ---- The reducer on its own ----

fn reduce(state: Rc<Playground>, action: Action) -> Rc<Playground> {
    state.reduce(action)
}

fn console_text(state: &Playground, node: u8) -> String {
    let view = state
        .terminals
        .iter()
        .find(|view| view.node == NodeId(node))
        .unwrap();
    view.entries
        .iter()
        .map(|entry| {
            format!(
                "{}{}",
                entry
                    .echo
                    .as_deref()
                    .map_or(String::new(), |e| format!("{e}\n")),
                entry.output.as_deref().unwrap_or("")
            )
        })
        .collect()
}

/// Every change gives a new state (Yew 0.23 re-renders only then); a paused frame gives the same
/// one back.
#[wasm_bindgen_test]
fn the_reducer_returns_a_new_state_only_on_change() {
    let state = Rc::new(Playground::new(3, false));
    let same = reduce(state.clone(), Action::Frame { real_ms: 16.0 });
    assert!(Rc::ptr_eq(&state, &same));
    let next = reduce(
        state.clone(),
        Action::RunLine {
            node: NodeId(1),
            line: "PING".into(),
        },
    );
    assert!(!Rc::ptr_eq(&state, &next));
    assert_eq!(console_text(&next, 1), "10.0.0.1:6379> PING\nPONG\n");
}

/// Playing turns real time into virtual time at the chosen speed.
#[wasm_bindgen_test]
fn frames_advance_virtual_time_at_the_speed() {
    let mut state = Rc::new(Playground::new(3, true));
    let start = state.clock.now_us;
    state = reduce(state, Action::SetSpeed(100)); // 10×
    state = reduce(state, Action::Frame { real_ms: 1000.0 });
    state = reduce(state, Action::Frame { real_ms: 1050.0 });
    assert_eq!(
        state.clock.now_us - start,
        500_000,
        "50 ms real at 10× is 500 ms"
    );
    state = reduce(state, Action::SetSpeed(-200));
    state = reduce(state, Action::Frame { real_ms: 1100.0 });
    assert_eq!(
        state.clock.now_us - start,
        500_500,
        "50 ms real at 0.01× is 0.5 ms"
    );
    state = reduce(state, Action::Hidden(true));
    assert!(!state.clock.running, "a hidden tab pauses");
    state = reduce(state, Action::Hidden(false));
    assert!(state.clock.running, "and plays again when shown");
}

/// Acting in the past forks: the consoles forget what was typed later, and the run continues
/// from the point shown.
#[wasm_bindgen_test]
fn acting_in_the_past_forks_the_consoles_too() {
    let mut state = Rc::new(Playground::new(3, false));
    let line = |line: &str| Action::RunLine {
        node: NodeId(1),
        line: line.into(),
    };
    state = reduce(state, line("SET a 1"));
    let early = state.clock.now_us;
    for _ in 0..3 {
        state = reduce(state, Action::Step);
    }
    state = reduce(state, line("SET b 2"));
    state = reduce(state, Action::ScrubTo { at_us: early + 1 });
    assert!(state.clock.in_the_past);
    assert_eq!(console_text(&state, 1), "10.0.0.1:6379> SET a 1\nOK\n");
    state = reduce(state, line("EXISTS b"));
    assert!(!state.clock.in_the_past);
    assert_eq!(state.clock.latest_us, early + 1);
    assert_eq!(
        console_text(&state, 1),
        "10.0.0.1:6379> SET a 1\nOK\n10.0.0.1:6379> EXISTS b\n(integer) 0\n"
    );
}

/// A fork keeps the console's idea of its connection right: acting after a crash that the
/// console had already noticed reconnects (and is refused) instead of reporting the loss again.
#[wasm_bindgen_test]
fn a_fork_after_a_noticed_crash_does_not_report_it_again() {
    let ping = || Action::RunLine {
        node: NodeId(2),
        line: "PING".into(),
    };
    let mut state = Rc::new(Playground::new(3, false));
    state = reduce(state, Action::Fault(Fault::Crash(NodeId(2))));
    state = reduce(state, Action::Step);
    state = reduce(state, ping());
    state = reduce(state, Action::Step);
    let middle = state.clock.now_us;
    state = reduce(state, Action::Step);
    state = reduce(state, Action::Fault(Fault::Restart(NodeId(2))));
    state = reduce(state, ping());
    assert_eq!(
        console_text(&state, 2),
        format!(
            "{START_2}not connected> PING\nError: Server closed the connection\n\
             not connected> PING\nPONG\n"
        )
    );
    state = reduce(state, Action::ScrubTo { at_us: middle });
    state = reduce(state, ping());
    state = reduce(state, ping());
    assert_eq!(
        console_text(&state, 2),
        format!(
            "{START_2}not connected> PING\nError: Server closed the connection\n\
             not connected> PING\nCould not connect to Redis at 10.0.0.2:6379: Connection refused\n\
             not connected> PING\nCould not connect to Redis at 10.0.0.2:6379: Connection refused\n"
        )
    );
}

/// The same seed and the same actions give the same simulation; a restart starts over.
#[wasm_bindgen_test]
fn runs_are_deterministic_and_restart_starts_over() {
    let run = || {
        let mut state = Rc::new(Playground::new(42, false));
        state = reduce(
            state,
            Action::SetLink {
                a: Host::Node(NodeId(1)),
                b: Host::Client(ClientId(1)),
                config: LinkConfig::FLAKY,
            },
        );
        for n in 0..5 {
            state = reduce(
                state,
                Action::RunLine {
                    node: NodeId(1),
                    line: format!("RPUSH l {n}"),
                },
            );
            state = reduce(state, Action::Step);
        }
        state
    };
    let (a, b) = (run(), run());
    assert_eq!(*a.view, *b.view);
    assert_eq!(console_text(&a, 1), console_text(&b, 1));
    let restarted = reduce(a, Action::Restart { seed: 9 });
    assert_eq!(restarted.seed, 9);
    assert_eq!(console_text(&restarted, 1), "");
    let crashed = reduce(restarted, Action::Fault(Fault::Crash(NodeId(2))));
    assert_eq!(crashed.view.nodes[1].status, NodeStatus::Crashed);
    let refused = reduce(crashed, Action::RemoveNode(NodeId(9)));
    assert!(refused.notice.is_some(), "a refusal is shown, not a panic");
}
