//! The root component: owns the reducer and the page's one clock, hands plain data and
//! callbacks to the components, and installs the JS handle (`window.playground`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::backlog_ring::segment_range;
use super::components::consoles::consoles;
use super::components::link_menu::{LinkMenu, LinkMenuProps};
use super::components::network_list::network_list;
use super::components::repl_panels::{ReplPanels, ReplPanelsProps};
use super::components::time_controls::{time_controls, SeedField};
use super::components::timeline_bar::timeline_bar;
use super::components::topology::topology;
use super::hooks::use_browser_events;
use super::links::link_pairs;
use super::state::{sends_from, Action, Playground, Shared};
use super::world::{World, SEED_MAX};
use crate::markup;
use crate::sim::inspect::backlog_detail;
use crate::sim::network::NodeId;
use crate::sim::view::{NodeView, SimView};
use crate::sim::Fault;
use crate::web_api::{self, PlaygroundApi};

/// Props of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The seed; without one, the page's `?seed=` or a random one.
    #[prop_or_default]
    pub seed: Option<u64>,
    /// Whether time runs from the start.
    #[prop_or(true)]
    pub autoplay: bool,
    /// Whether the page reads and writes `?seed=` in its address.
    #[prop_or(true)]
    pub use_url: bool,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps {
            seed: None,
            autoplay: true,
            use_url: true,
        }
    }
}

/// The `seed` parameter of the page's address, if it holds a valid seed.
fn url_seed() -> Option<u64> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("seed="))
        .and_then(|value| value.parse::<u64>().ok())
        .filter(|seed| *seed <= SEED_MAX)
}

/// A seed for a page opened without one (the run is then reproducible from the address).
fn random_seed() -> u64 {
    1 + (js_sys::Math::random() * 999_999.0) as u64
}

/// The JS API's way into the page: changes the world, then has the reducer take fresh views.
struct Bridge {
    world: Rc<RefCell<World>>,
    dispatcher: UseReducerDispatcher<Playground>,
}

impl Bridge {
    /// Runs `change` on the world, then refreshes the page (after the world is released: the
    /// reducer reads it).
    fn change<T>(&self, change: impl FnOnce(&mut World) -> T) -> T {
        let result = change(&mut self.world.borrow_mut());
        self.dispatcher.dispatch(Action::Refresh);
        result
    }
}

impl PlaygroundApi for Bridge {
    fn run(&self, node: NodeId, line: &str) -> Result<String, String> {
        self.change(|world| world.run_and_wait(node, line))
    }

    fn node(&self, node: NodeId) -> Option<NodeView> {
        let world = self.world.borrow();
        world
            .sim_view()
            .nodes
            .into_iter()
            .find(|view| view.id == node)
    }

    fn view(&self) -> SimView {
        self.world.borrow().sim_view()
    }

    fn repl(&self, node: NodeId) -> Option<crate::sim::inspect::NodeRepl> {
        let world = self.world.borrow();
        world
            .repl_view()
            .nodes
            .into_iter()
            .find(|repl| repl.id == node)
    }

    fn fault(&self, fault: Fault) -> Result<(), String> {
        self.change(|world| world.fault(fault))
    }

    fn step(&self) -> u64 {
        self.change(|world| {
            world.step();
            world.sim().now().as_millis()
        })
    }

    fn load(&self, node: NodeId, writes_per_s: u64) -> Result<(), String> {
        self.change(|world| world.set_load(node, writes_per_s))
    }

    fn advance_ms(&self, millis: u64) -> u64 {
        self.change(|world| {
            world.advance_ms(millis);
            world.sim().now().as_millis()
        })
    }
}

/// Whether a key press belongs to a control that uses the key itself (Space in a text field
/// types a space, on a button presses it).
fn typing_target(event: &web_sys::Event) -> bool {
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    matches!(
        element.tag_name().to_ascii_uppercase().as_str(),
        "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A" | "SUMMARY"
    ) || element
        .closest("[role=button],[role=tab]")
        .ok()
        .flatten()
        .is_some()
}

/// Whether the tab is hidden.
fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden())
}

/// What a document event does: hiding or showing the tab pauses or resumes, Space plays and
/// pauses (unless a control wants the key for itself; the key then does nothing else).
fn document_action(event: web_sys::Event) -> Option<Action> {
    // Of the two events listened to, only `keydown` is a keyboard event.
    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
        return Some(Action::Hidden(document_hidden()));
    };
    let plain = !key.ctrl_key() && !key.alt_key() && !key.meta_key();
    if key.key() != " " || !plain || typing_target(&event) {
        return None;
    }
    event.prevent_default();
    Some(Action::TogglePause)
}

/// What the page says it is, under its title.
const TAGLINE: &str = "Redis 7.0 nodes running in this page on a simulated network: node 1 is a \
    master, nodes 2 and 3 its replicas (their consoles typed REPLICAOF at the start). Type \
    commands in the consoles, cut links and crash nodes, watch the backlog ring and the PSYNC \
    decisions, and scrub time back. Space plays and pauses (outside the consoles).";

/// The playground page.
#[component]
pub fn App(props: &AppProps) -> Html {
    let handle = {
        let (seed, autoplay, use_url) = (props.seed, props.autoplay, props.use_url);
        use_reducer(move || {
            let seed = seed
                .or_else(|| use_url.then(url_seed).flatten())
                .unwrap_or_else(random_seed);
            Playground::new(seed, autoplay)
        })
    };
    // The seed field's text and problem (a cell, not a `use_state`: typing needs no render, and
    // one more state type would instantiate Yew's reducer code again); a render is forced only
    // to show a problem.
    let seed_field = use_mut_ref(SeedField::default);
    let rerender = use_force_update();
    let dispatcher = handle.dispatcher();
    let playground: &Playground = &handle;
    // Every component sends its actions through this one callback; it stays the same across
    // renders, so a component whose data did not change is not rendered again (the consoles,
    // on every frame).
    let on_action = use_callback(dispatcher.clone(), |action: Action, dispatcher| {
        dispatcher.dispatch(action)
    });

    // The one clock: every animation frame becomes an action; the reducer turns real time into
    // virtual time (and returns the same state, rendering nothing, while paused). Hiding the tab
    // and Space become actions too.
    use_browser_events(
        on_action.reform(|real_ms| Action::Frame { real_ms }),
        &["visibilitychange", "keydown"],
        sends_from(&on_action, document_action),
    );
    // After the first render and after each restart with a new seed: `window.playground` (a
    // fresh handle on the same world; one effect costs the page less code than two) and the
    // seed in the page's address.
    {
        let world = playground.world();
        let use_url = props.use_url;
        use_effect_with(playground.seed, move |seed| {
            web_api::install(Rc::new(Bridge { world, dispatcher }));
            if use_url {
                if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&format!("?seed={seed}")),
                    );
                }
            }
        });
    }

    let selection = playground.selection;
    // What the inspected backlog stretch holds, read from the engine's ring now.
    let segment_detail = selection.segment.and_then(|(node, index)| {
        let size = playground.repl.node(node)?.backlog?.size;
        let (from, to) = segment_range(size, index);
        let world = playground.world();
        let world = world.borrow();
        backlog_detail(world.sim(), node, from, to).map(Rc::new)
    });
    // The host pairs with links, once per render: the diagram, the list and the menu share them.
    let pairs = link_pairs(&playground.view, &playground.terminals);
    let menu_pair = selection
        .link
        .and_then(|(a, b)| pairs.iter().find(|pair| pair.a == a && pair.b == b));
    let notice = playground.notice.as_ref().map(|notice| {
        markup!(
            r#"<p class="notice" role="status" data-testid="notice">{}</p>"#,
            AttrValue::from(notice.clone())
        )
    });
    let link_menu = menu_pair.map(|pair| {
        html! {
            <LinkMenu key={pair.code()} ..LinkMenuProps {
                pair: pair.clone(),
                terminals: playground.terminals.clone(),
                on_action: on_action.clone(),
            } />
        }
    });
    let repl_panels = html! {
        <ReplPanels ..ReplPanelsProps {
            repl: playground.repl.clone(),
            logs: Shared(playground.logs.clone()),
            lag: Shared(playground.lag.clone()),
            now_us: playground.panels_at_us,
            start_us: playground.clock.start_us,
            selected: selection.segment,
            detail: segment_detail,
            on_action: on_action.clone(),
        } />
    };
    markup!(
        r#"<header class="masthead">
            <h1>Redis Replication Playground</h1>
            <p class="tagline">{}</p>
        </header>{}{}{}
        <div class="workspace">
            <section class="network" aria-labelledby="network-heading">
                <h2 id="network-heading">Network</h2>
                <div class="network-body">
                    <div class="topology-wrap">{}</div>{}
                </div>
            </section>{}{}{}
        </div>"#,
        TAGLINE,
        time_controls(
            &playground.clock,
            playground.seed,
            &seed_field,
            &rerender,
            &on_action
        ),
        timeline_bar(playground.clock, &playground.markers, &on_action),
        notice,
        topology(
            &playground.view,
            &playground.repl,
            &playground.terminals,
            &pairs,
            playground.clock.now_us,
            selection.link,
            &on_action
        ),
        network_list(
            &playground.view,
            &playground.repl,
            &playground.terminals,
            &pairs,
            &on_action
        ),
        link_menu,
        consoles(&playground.terminals, selection.console, &on_action),
        repl_panels,
    )
}
