//! Eviction: what `maxmemory-policy` does when the dataset is over `maxmemory` (Redis's
//! `performEvictions`, run before every command while a limit is set).
//!
//! Victims by policy: `volatile-ttl` takes the key closest to expiring; `allkeys-random` and
//! `volatile-random` a random key (among those with a TTL for the volatile ones). Access times and
//! frequencies are not tracked yet, so the LRU and LFU policies also pick at random among their
//! candidates — a documented deviation. Every eviction is propagated as `DEL`, counted in
//! `evicted_keys`, and fails the EXEC of clients WATCHing the key.

use super::config::MaxmemoryPolicy;
use super::propagate::{ExecutionUnit, PropagatedCommand};
use super::state::NodeState;

/// Evicts until the dataset fits `maxmemory` or the policy finds nothing more to evict; returns
/// whether it fits.
pub fn evict_until_under_limit(state: &mut NodeState) -> bool {
    let limit = state.config.maxmemory_bytes;
    if limit == 0 {
        return true;
    }
    while state.keyspace.used_bytes() as u64 > limit {
        let Some((db, key)) = pick_victim(state) else {
            return false;
        };
        state.keyspace.db_mut(db).remove(&key);
        state.stats.evicted_keys += 1;
        state.signal_modified_key(db, &key);
        if state.propagation_needed() {
            let mut unit = ExecutionUnit::default();
            unit.push(PropagatedCommand::in_db(db, vec![b"DEL".to_vec(), key]));
            state.propagated.extend(unit.finish());
        }
    }
    true
}

/// The next key to evict under the configured policy, with its database.
fn pick_victim(state: &mut NodeState) -> Option<(usize, Vec<u8>)> {
    let policy = state.config.maxmemory_policy;
    let volatile = matches!(
        policy,
        MaxmemoryPolicy::VolatileLru
            | MaxmemoryPolicy::VolatileLfu
            | MaxmemoryPolicy::VolatileRandom
            | MaxmemoryPolicy::VolatileTtl
    );
    if policy == MaxmemoryPolicy::NoEviction {
        return None;
    }
    if policy == MaxmemoryPolicy::VolatileTtl {
        return state
            .keyspace
            .iter()
            .filter_map(|(index, db)| {
                db.soonest_expiring()
                    .map(|(at, key)| (at, index, key.to_vec()))
            })
            .min()
            .map(|(_, index, key)| (index, key));
    }
    let candidates: Vec<usize> = state
        .keyspace
        .iter()
        .filter(|(_, db)| {
            if volatile {
                db.expires_len() > 0
            } else {
                !db.is_empty()
            }
        })
        .map(|(index, _)| index)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let index = candidates[state.prng.below(candidates.len() as u64) as usize];
    let NodeState { keyspace, prng, .. } = state;
    let db = keyspace.db(index);
    let key = if volatile {
        db.random_expiring_key(prng)
    } else {
        db.random_key(prng)
    };
    key.map(|key| (index, key.to_vec()))
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn fill(node: &mut TestNode, keys: usize, ttl: bool) {
        for i in 0..keys {
            let line = if ttl {
                format!("SET key:{i} {} EX {}", "v".repeat(100), 1000 + i)
            } else {
                format!("SET key:{i} {}", "v".repeat(100))
            };
            assert_eq!(node.run(&line), Frame::ok());
        }
    }

    #[test]
    fn noeviction_refuses_writes_and_keeps_every_key() {
        let mut node = TestNode::new();
        fill(&mut node, 50, false);
        node.run("CONFIG SET maxmemory 4000");
        assert!(node.run("SET one-more v").is_error());
        assert_eq!(node.run("DBSIZE"), Frame::Integer(50));
        assert_eq!(node.state.stats.evicted_keys, 0);
    }

    #[test]
    fn allkeys_random_evicts_until_the_dataset_fits() {
        let mut node = TestNode::new();
        fill(&mut node, 50, false);
        node.run("CONFIG SET maxmemory-policy allkeys-random");
        node.run("CONFIG SET maxmemory 4000");
        node.take_propagated();
        assert_eq!(node.run("SET one-more v"), Frame::ok());
        assert!(node.state.keyspace.used_bytes() as u64 <= 4000 + 200);
        let evicted = node.state.stats.evicted_keys;
        assert!(evicted > 0);
        let dels = node
            .take_propagated()
            .concat()
            .iter()
            .filter(|command| command.argv[0] == b"DEL")
            .count();
        assert_eq!(dels as u64, evicted, "every eviction is propagated as DEL");
    }

    #[test]
    fn volatile_ttl_evicts_the_keys_closest_to_expiring_first() {
        let mut node = TestNode::new();
        fill(&mut node, 50, true);
        node.run("SET no-ttl v");
        node.run("CONFIG SET maxmemory-policy volatile-ttl");
        node.run("CONFIG SET maxmemory 5000");
        node.run("PING");
        assert_eq!(
            node.run("EXISTS key:0"),
            Frame::Integer(0),
            "the soonest key went first"
        );
        assert_eq!(node.run("EXISTS key:49"), Frame::Integer(1));
        assert_eq!(
            node.run("EXISTS no-ttl"),
            Frame::Integer(1),
            "keys without a TTL are never candidates"
        );
    }
}
