//! `FLUSHDB` and `FLUSHALL`: empty the selected database, or all of them.
//!
//! Both always propagate, even when there was nothing to delete (Redis forces their
//! propagation; replication.tcl "FLUSHDB / FLUSHALL should replicate"). ASYNC and SYNC behave the
//! same here: the engine frees memory at once either way. WATCHers are told before the data goes,
//! through `NodeState::signal_flushed_db` (Redis 7.0's `touchAllWatchedKeysInDb`, which only
//! fails watchers of keys that exist at that moment).

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

use super::save::snapshot;

/// Accepts no option, `ASYNC` or `SYNC` (Redis's `getFlushCommandFlags`).
fn check_options(args: &[Vec<u8>]) -> Result<(), Frame> {
    match args {
        [_] => Ok(()),
        [_, option]
            if option.eq_ignore_ascii_case(b"async") || option.eq_ignore_ascii_case(b"sync") =>
        {
            Ok(())
        }
        _ => Err(args::syntax_error()),
    }
}

/// # Format
///
/// ```text
/// FLUSHDB [ASYNC | SYNC]
/// ```
pub(super) fn execute_flushdb(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    if let Err(reply) = check_options(args) {
        return reply;
    }
    let index = ctx.db_index();
    ctx.state.signal_flushed_db(Some(index));
    let removed = ctx.db().len() as u64;
    ctx.db().clear();
    if removed > 0 {
        ctx.add_dirty(removed);
    } else {
        // Nothing changed, yet replicas must see it (Redis's forceCommandPropagation).
        ctx.also_propagate(args.to_vec());
    }
    Frame::ok()
}

/// # Format
///
/// ```text
/// FLUSHALL [ASYNC | SYNC]
/// ```
///
/// With `save` points configured, Redis also takes a snapshot of the now empty dataset.
pub(super) fn execute_flushall(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    if let Err(reply) = check_options(args) {
        return reply;
    }
    ctx.state.signal_flushed_db(None);
    let removed = ctx.state.keyspace.key_count() as u64;
    ctx.state.keyspace.clear();
    ctx.add_dirty(removed);
    if !ctx.state.config.save.is_empty() {
        snapshot(ctx);
    }
    // Redis's `server.dirty++`: counted even when empty, which also makes it propagate.
    ctx.add_dirty(1);
    Frame::ok()
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::keyspace::{StringValue, Value};
    use crate::engine::propagate::PropagatedCommand;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|word| word.as_bytes().to_vec()).collect()
    }

    fn put(node: &mut TestNode, db: usize, key: &str) {
        let value = Value::String(StringValue::new(b"v".to_vec()));
        node.state.keyspace.db_mut(db).insert(key.as_bytes(), value);
    }

    #[test]
    fn flushdb_empties_only_the_selected_database_and_propagates() {
        let mut node = TestNode::new();
        put(&mut node, 0, "a");
        put(&mut node, 1, "b");
        assert_eq!(node.run("FLUSHDB ASYNC"), Frame::ok());
        assert_eq!(node.state.keyspace.key_count(), 1);
        assert_eq!(
            node.take_propagated(),
            vec![vec![PropagatedCommand::in_db(
                0,
                argv(&["FLUSHDB", "ASYNC"])
            )]]
        );
    }

    #[test]
    fn flushdb_and_flushall_propagate_even_when_empty() {
        let mut node = TestNode::new();
        node.run("SELECT 2");
        assert_eq!(node.run("FLUSHDB"), Frame::ok());
        assert_eq!(node.run("flushall sync"), Frame::ok());
        assert_eq!(
            node.take_propagated(),
            vec![
                vec![PropagatedCommand::in_db(2, argv(&["FLUSHDB"]))],
                vec![PropagatedCommand::in_db(2, argv(&["flushall", "sync"]))],
            ]
        );
    }

    #[test]
    fn flush_options_other_than_async_or_sync_are_syntax_errors() {
        let mut node = TestNode::new();
        for line in [
            "FLUSHDB foo",
            "FLUSHDB ASYNC SYNC",
            "FLUSHALL x",
            "FLUSHALL SYNC x",
        ] {
            assert_eq!(node.run(line), Frame::error("ERR syntax error"), "{line}");
        }
        assert!(node.take_propagated().is_empty());
    }

    #[test]
    fn flushall_with_save_points_snapshots_then_counts_one_change() {
        let mut node = TestNode::new();
        put(&mut node, 0, "a");
        put(&mut node, 3, "b");
        node.run("FLUSHALL");
        let persistence = &node.state.persistence;
        assert_eq!(node.state.dirty - persistence.dirty_at_last_save, 1);
        assert_eq!(node.state.stats.rdb_saves, 1);
        node.run("CONFIG SET save \"\"");
        put(&mut node, 0, "a");
        node.run("FLUSHALL");
        assert_eq!(
            node.state.dirty - node.state.persistence.dirty_at_last_save,
            3
        );
    }
}
