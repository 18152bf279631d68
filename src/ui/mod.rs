//! The Yew app (wasm32 only).
//!
//! - [`state`]: the one reducer ([`state::Playground`]) every change goes through.
//! - [`app`]: the root component: owns the reducer and hands plain data and callbacks down.
//! - [`components`]: one component per file, taking plain data and `on_*` callbacks.
//! - [`panic_banner`]: turns a Rust panic into a visible error instead of a silently dead page.

pub mod app;
pub mod components;
pub mod panic_banner;
pub mod state;

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
