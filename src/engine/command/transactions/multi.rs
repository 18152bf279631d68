//! `MULTI`: start queueing commands for EXEC.

use crate::engine::client::Transaction;
use crate::engine::command::Ctx;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// MULTI
/// ```
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    if ctx.client_ref().in_transaction() {
        return Frame::error("ERR MULTI calls can not be nested");
    }
    ctx.client().transaction = Some(Transaction::default());
    Frame::ok()
}
