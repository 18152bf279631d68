//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! The queueing itself happens in [`process`](super::process): inside MULTI every command but
//! EXEC, DISCARD, MULTI, WATCH, QUIT and RESET is checked and answered `+QUEUED`, and a command
//! refused while queueing dooms the transaction (`-EXECABORT` at EXEC). WATCH state lives in
//! [`NodeState`](crate::engine::state::NodeState) (`watched_keys`, `dirty_watchers`), where key
//! modifications, expiry and flushes reach it.

mod discard;
mod exec;
mod multi;
mod unwatch;
mod watch;

use super::flags::{FAST, NOT_QUEUED};
use super::{CommandSpec, Ctx};

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("discard", 1, FAST | NOT_QUEUED, discard::execute),
    CommandSpec::new("exec", 1, NOT_QUEUED, exec::execute),
    CommandSpec::new("multi", 1, FAST | NOT_QUEUED, multi::execute),
    CommandSpec::new("unwatch", 1, FAST, unwatch::execute),
    CommandSpec::new("watch", -2, FAST | NOT_QUEUED, watch::execute),
];

/// Leaves MULTI, dropping the queue, the "refused while queueing" and "watched key changed"
/// states and every WATCHed key (Redis's `discardTransaction`).
pub(super) fn discard_transaction(ctx: &mut Ctx) {
    ctx.client().transaction = None;
    let conn = ctx.conn;
    ctx.state.unwatch_all(conn);
}

#[cfg(test)]
mod tests;
