//! The simulator benchmark in headless Chromium: `sim::benchmark`'s workload (the one
//! `benches/sim.rs` times natively), timed with the browser's clock. Ignored in the normal test
//! run (a benchmark, not a test: it asserts nothing about speed); run it with
//! `scripts/bench sim-browser`.
#![cfg(target_arch = "wasm32")]

use replication_playground::sim::benchmark::{one_virtual_hour, Layout};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "benchmark: run with scripts/bench sim-browser"]
fn simulator_speed_in_the_browser() {
    for layout in [Layout::Standalone, Layout::Replicated] {
        run(layout);
    }
}

fn run(layout: Layout) {
    let started_ms = js_sys::Date::now();
    let sim = one_virtual_hour(layout);
    let wall_s = (js_sys::Date::now() - started_ms) / 1000.0;
    console_log!(
        "simulator in Chromium ({layout:?}): 1 virtual hour in {wall_s:.3} s ({:.2} virtual hours/s), {} events ({:.0} events/s)",
        1.0 / wall_s,
        sim.steps(),
        sim.steps() as f64 / wall_s
    );
}
