//! The Yew app (wasm32 only).
//!
//! - [`state`]: the one reducer ([`state::Playground`]) every change goes through.
//! - [`world`]: the simulation with its timeline, the consoles and the clock settings; the
//!   reducer and the JS API only call its methods.
//! - [`terminal`]: one console's transcript, shown as it was at any point in time.
//! - [`redis_cli`]: redis-cli's prompt, repeat prefix, help, hints and completion.
//! - [`links`]: links in words (states, presets, sizes).
//! - [`numbers`]: numbers as text and the little maths the page needs, without float formatting
//!   or `libm` (they would weigh on the download).
//! - [`svg`]: SVG elements several drawings use.
//! - [`template`]: markup templates, the views' elements as data ([`markup!`](crate::markup)).
//! - [`app`]: the root component: owns the reducer and the clock, hands plain data and
//!   callbacks down, installs `window.playground` ([`crate::web_api`]).
//! - [`hooks`]: the animation-frame clock and document events.
//! - [`components`]: one component (or view function) per file, taking plain data and `on_*`
//!   callbacks.
//! - [`panic_banner`]: turns a Rust panic into a visible error instead of a silently dead page.

pub mod app;
pub mod components;
pub mod hooks;
pub mod links;
pub mod numbers;
pub mod panic_banner;
pub mod redis_cli;
pub mod state;
pub mod svg;
pub mod template;
pub mod terminal;
pub mod world;

/// Mounts the app into `<main id="app">` (or `<body>` if the page has none).
pub fn start() {
    panic_banner::install();
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
