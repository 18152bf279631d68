//! `WAIT`: block until enough replicas acknowledged the caller's writes.

use crate::engine::client::BlockedWait;
use crate::engine::command::{args, Ctx};
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// WAIT numreplicas timeout
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    if ctx.state.repl.is_replica() {
        return Frame::error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.");
    }
    let [_, replicas, timeout_ms] = args::exactly(args);
    let Some(replicas) = parse_i64(replicas) else {
        return Frame::error("ERR value is not an integer or out of range");
    };
    let Some(timeout_ms) = parse_i64(timeout_ms) else {
        return Frame::error("ERR timeout is not an integer or out of range");
    };
    if timeout_ms < 0 {
        return Frame::error("ERR timeout is negative");
    }
    let offset = ctx.client_ref().write_offset;
    let acknowledged = acknowledged_replicas(ctx, offset);
    if acknowledged >= replicas || ctx.client_ref().in_transaction() {
        return Frame::Integer(acknowledged);
    }
    let deadline = (timeout_ms > 0).then(|| ctx.now.add_millis(timeout_ms as u64));
    ctx.client().blocked_wait = Some(BlockedWait {
        replicas: replicas.max(0) as u64,
        offset,
        deadline,
    });
    ctx.state.repl.waiting_acks.push(ctx.conn);
    ctx.state.repl.getack_requested = true;
    ctx.reply_suppressed = true;
    Frame::Null
}

/// Online replicas that acknowledged `offset` (Redis's `replicationCountAcksByOffset`).
pub(crate) fn acknowledged_replicas(ctx: &Ctx, offset: u64) -> i64 {
    crate::engine::replication::acknowledged_replicas(ctx.state, ctx.clients, offset)
}
