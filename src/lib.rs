//! Redis 7.0 master/replica replication, byte-exact, running in a web page.
//!
//! # Layout
//!
//! The dependency direction is `ui` → `sim`/`cli` → `engine` and `server` → `engine`; `engine`
//! depends on nothing of ours.
//!
//! - [`engine`]: one Redis 7.0 server as a pure, sans-IO state machine (no clock, socket, thread
//!   or OS randomness inside), so the same code runs in the browser and natively. Its small
//!   utilities serve the simulator too: virtual time, the PRNG, and the sorted-vector maps and
//!   sets ([`engine::vec_map`]) used instead of B-trees for small collections.
//! - [`cli`]: what redis-cli does on the client side: splitting typed lines and formatting
//!   replies (the page's consoles use it).
//! - [`sim`]: several nodes, their clients and a simulated network in deterministic virtual time:
//!   TCP-like links with latency, bandwidth and faults, a bounded trace, time travel, invariant
//!   checkers and swarm runs.
//! - `server` (native only): `playground-server`, one node served over real TCP with a mio event
//!   loop, configured like redis-server; binaries in `src/bin/` (`playground-server`, `swarm`).
//! - `web_api` (wasm32 only): `window.playground`, the page's JavaScript handle (the only module
//!   that knows `JsValue`).
//! - `ui` (wasm32 only): the Yew app mounted by the `replication-playground` binary, which Trunk
//!   builds from `www/index.html`.

pub mod cli;
pub mod engine;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
pub mod sim;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web_api;

// Every wasm32 test of this crate runs in headless Chromium, not Node.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
