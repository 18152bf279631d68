//! Benchmark: the engine's own collections, which trade speed for the page's size, beside the
//! standard library's: `engine::sort` (one merge sort on positions, compiled once) against
//! `slice::sort`, and `StableMap` (the keyspace's hash table, iterated in a stable hash order)
//! against `std::collections::HashMap`, each on 1 000 000 keys like `key:<n>`.
//! A benchmark, not a test: nothing is asserted about speed.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

use replication_playground::engine::keyspace::StableMap;
use replication_playground::engine::sort;

const KEYS: u64 = 1_000_000;

fn main() {
    let keys: Vec<Vec<u8>> = (0..KEYS)
        .map(|n| {
            format!(
                "key:{}",
                n.wrapping_mul(0x9e37_79b9_7f4a_7c15) % 10_000_000_000
            )
            .into_bytes()
        })
        .collect();
    println!("collections, {KEYS} keys like key:<n>");
    sorts(&keys);
    maps(&keys);
}

fn sorts(keys: &[Vec<u8>]) {
    let mut ours = keys.to_vec();
    let ours_ms = timed(|| sort::sort(&mut ours));
    let mut std_sorted = keys.to_vec();
    let std_ms = timed(|| std_sorted.sort());
    assert_eq!(ours, std_sorted);
    println!("  sort               engine::sort {ours_ms:.0} ms, slice::sort {std_ms:.0} ms");
}

fn maps(keys: &[Vec<u8>]) {
    let mut ours = StableMap::default();
    let mut theirs = HashMap::new();
    let insert = (
        timed(|| {
            for (key, n) in keys.iter().zip(0u64..) {
                black_box(ours.insert(key, n));
            }
        }),
        timed(|| {
            for (key, n) in keys.iter().zip(0u64..) {
                black_box(theirs.insert(key.clone(), n));
            }
        }),
    );
    let get = (
        timed(|| keys.iter().for_each(|key| _ = black_box(ours.get(key)))),
        timed(|| keys.iter().for_each(|key| _ = black_box(theirs.get(key)))),
    );
    let iterate = (
        timed(|| _ = black_box(ours.iter().map(|(_, n)| *n).sum::<u64>())),
        timed(|| _ = black_box(theirs.values().sum::<u64>())),
    );
    let remove = (
        timed(|| keys.iter().for_each(|key| _ = black_box(ours.remove(key)))),
        timed(|| {
            keys.iter()
                .for_each(|key| _ = black_box(theirs.remove(key)))
        }),
    );
    for (what, (ours_ms, std_ms)) in [
        ("insert", insert),
        ("get", get),
        ("iterate", iterate),
        ("remove", remove),
    ] {
        println!("  {what:<18} StableMap {ours_ms:.0} ms, HashMap {std_ms:.0} ms");
    }
}

fn timed(work: impl FnOnce()) -> f64 {
    let started = Instant::now();
    work();
    started.elapsed().as_secs_f64() * 1000.0
}
