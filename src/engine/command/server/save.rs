//! `SAVE`, and [`snapshot`]: the one place where the node takes an RDB snapshot.
//!
//! HOOK: the engine does not write RDB files yet; that arrives with the replication work, which
//! needs the same snapshot for full resyncs. Until then [`snapshot`] keeps Redis's bookkeeping
//! (LASTSAVE, `rdb_changes_since_last_save`, `rdb_saves`, `rdb_last_save_time`) and produces no
//! file: the RDB encoder and the driver's "write this file" output plug in there.

use crate::engine::command::Ctx;
use crate::engine::log::LogLevel;
use crate::engine::rdb::{self, AuxFields, SaveOptions};
use crate::engine::resp::Frame;

/// Takes a snapshot of the dataset at `now` (Redis's `rdbSave`; BGSAVE's child also ends here,
/// since the simulated fork finishes at once). On success the changes since the last save are
/// forgotten and LASTSAVE moves.
pub(super) fn snapshot(ctx: &mut Ctx) {
    let now = ctx.now;
    let replication = ctx.replication().save_info();
    let state = &mut *ctx.state;
    let aux = AuxFields {
        ctime_secs: now.as_secs() as i64,
        used_mem_bytes: state.keyspace.used_bytes() as u64,
        replication,
        aof_base: false,
    };
    let rdb = rdb::encode(&state.keyspace, &aux, SaveOptions::default());
    state.log(
        LogLevel::Notice,
        format!("Dataset saved to disk ({} bytes)", rdb.len()),
    );
    state.pending_snapshots.push(rdb);
    state.persistence.last_save_at = now;
    state.persistence.dirty_at_last_save = state.dirty;
    state.persistence.last_bgsave_ok = true;
    state.stats.rdb_saves += 1;
}

/// # Format
///
/// ```text
/// SAVE
/// ```
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    snapshot(ctx);
    Frame::ok()
}

#[cfg(test)]
mod tests {
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn save_moves_lastsave_and_forgets_the_changes_without_propagating() {
        let mut node = TestNode::new();
        assert_eq!(node.run("LASTSAVE"), Frame::Integer(1_700_000_000));
        node.now = node.now.add_millis(5_000);
        node.state.dirty += 3;
        assert_eq!(node.run("SAVE"), Frame::ok());
        assert_eq!(node.run("LASTSAVE"), Frame::Integer(1_700_000_005));
        assert_eq!(node.state.persistence.dirty_at_last_save, node.state.dirty);
        assert_eq!(node.state.stats.rdb_saves, 1);
        assert!(node.take_propagated().is_empty());
    }
}
