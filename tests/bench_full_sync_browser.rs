//! The in-process full-sync benchmark in headless Chromium: `sim::benchmark::full_sync`'s two
//! engine nodes back to back (the run `benches/full_sync.rs` times natively), a million keys,
//! timed with the browser's clock. Ignored in the normal test run (a benchmark, not a test: it
//! asserts nothing about speed); run it with `scripts/bench full-sync-browser`.
#![cfg(target_arch = "wasm32")]

use replication_playground::sim::benchmark::full_sync::{FullSyncPair, KEYS};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Syncs measured (each with a fresh replica of the same master).
const ROUNDS: usize = 3;

fn seconds_since(started_ms: f64) -> f64 {
    (js_sys::Date::now() - started_ms) / 1000.0
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with scripts/bench full-sync-browser"]
fn full_sync_in_the_browser() {
    let started_ms = js_sys::Date::now();
    let mut pair = FullSyncPair::populated(KEYS);
    console_log!(
        "full sync in Chromium: {KEYS} keys populated in {:.3} s",
        seconds_since(started_ms)
    );
    let mut syncs = Vec::new();
    for round in 0..ROUNDS {
        if round > 0 {
            pair.next_replica();
        }
        let started_ms = js_sys::Date::now();
        let synced = pair.sync();
        syncs.push(seconds_since(started_ms));
        assert!(synced, "the replica did not sync");
    }
    let started_ms = js_sys::Date::now();
    let rdb = pair.encode_master();
    let encode_s = seconds_since(started_ms);
    let started_ms = js_sys::Date::now();
    let loaded = pair.decode(&rdb).expect("the engine loads its own RDB");
    let decode_s = seconds_since(started_ms);
    assert_eq!(loaded.key_count() as u64, KEYS);
    syncs.sort_by(f64::total_cmp);
    console_log!(
        "full sync in Chromium: whole sync {:.3} s median ({:.3}–{:.3} over {ROUNDS} runs); RDB encode alone {encode_s:.3} s, load alone {decode_s:.3} s; {} RDB bytes",
        syncs[ROUNDS / 2],
        syncs[0],
        syncs[ROUNDS - 1],
        rdb.len()
    );
}
