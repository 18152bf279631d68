//! Transactions: MULTI, EXEC, DISCARD (and the WATCH bookkeeping they share).

mod discard;
mod exec;
mod multi;

use super::flags::{FAST, NOT_QUEUED};
use super::{CommandSpec, Ctx};

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("discard", 1, FAST | NOT_QUEUED, discard::execute),
    CommandSpec::new("exec", 1, NOT_QUEUED, exec::execute),
    CommandSpec::new("multi", 1, FAST | NOT_QUEUED, multi::execute),
];

/// Forgets every key the caller WATCHes.
fn unwatch_all(ctx: &mut Ctx) {
    ctx.state.unwatch_all(ctx.conn);
}
