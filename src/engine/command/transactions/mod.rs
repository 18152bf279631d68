//! Transactions: MULTI, EXEC, DISCARD (and the WATCH bookkeeping they share).

mod discard;
mod exec;
mod multi;

use super::flags::{FAST, NOT_QUEUED};
use super::{CommandSpec, Ctx};

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "discard",
        arity: 1,
        flags: FAST | NOT_QUEUED,
        execute: discard::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "exec",
        arity: 1,
        flags: NOT_QUEUED,
        execute: exec::execute,
        subcommands: &[],
    },
    CommandSpec {
        name: "multi",
        arity: 1,
        flags: FAST | NOT_QUEUED,
        execute: multi::execute,
        subcommands: &[],
    },
];

/// Forgets every key the caller WATCHes.
fn unwatch_all(ctx: &mut Ctx) {
    ctx.state.unwatch_all(ctx.conn);
}
