//! `SELECT index`: switch the connection to another database.

use crate::engine::command::{args, Ctx};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SELECT index
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, index] = args::exactly(args);
    let index = match args::integer(index) {
        Ok(index) => index,
        Err(_) => return Frame::error(args::NOT_AN_INTEGER),
    };
    match usize::try_from(index) {
        Ok(index) if index < ctx.state.keyspace.len() => {
            ctx.client().db = index;
            Frame::ok()
        }
        _ => Frame::error("ERR DB index is out of range"),
    }
}
