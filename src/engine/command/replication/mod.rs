//! Replication commands: REPLICAOF (SLAVEOF), SYNC, PSYNC, REPLCONF, WAIT, ROLE, FAILOVER.
//!
//! They decide and reply; the byte work (snapshots, the stream, the master link) is in
//! [`crate::engine::replication::ops`] and the node.

mod failover;
mod replconf;
mod replicaof;
mod role;
mod sync;
mod wait;

pub(crate) use role::role_reply;

use super::flags::{ADMIN, FAST, NO_MULTI};
use super::CommandSpec;

/// This family's rows of the command table.
pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("failover", -1, ADMIN, failover::execute),
    CommandSpec::new("psync", -3, ADMIN | NO_MULTI, sync::execute),
    CommandSpec::new("replconf", -1, ADMIN, replconf::execute),
    CommandSpec::new("replicaof", 3, ADMIN, replicaof::execute),
    CommandSpec::new("role", 1, FAST, role::execute),
    CommandSpec::new("slaveof", 3, ADMIN, replicaof::execute),
    CommandSpec::new("sync", 1, ADMIN | NO_MULTI, sync::execute),
    CommandSpec::new("wait", 3, 0, wait::execute),
];
