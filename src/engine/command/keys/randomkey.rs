//! `RANDOMKEY`: a random key.

use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// RANDOMKEY
/// ```
///
/// Replies with a random key, or nil if the database is empty. A drawn key whose TTL has passed is
/// deleted (its `DEL` propagates on its own, never wrapped) and another is drawn.
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    // Every draw either returns or deletes a key, so this many draws always suffice; the bound
    // only makes termination obvious.
    let db = ctx.db_index();
    let draws_max = ctx.db().len() + 1;
    for _ in 0..draws_max {
        let Some(key) = ctx
            .state
            .keyspace
            .db(db)
            .random_key(&mut ctx.state.prng)
            .map(<[u8]>::to_vec)
        else {
            return Frame::Null;
        };
        if !ctx.expire_if_needed(&key) {
            return Frame::Bulk(key);
        }
    }
    Frame::Null
}
