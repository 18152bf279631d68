//! `SYNC` and `PSYNC`: a connection asks to become our replica.

use crate::engine::client::ClientKind;
use crate::engine::command::Ctx;
use crate::engine::log::LogLevel;
use crate::engine::replication::{FailoverState, ReplicaLink};
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// SYNC
/// PSYNC replicationid offset [FAILOVER]
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    if ctx.client_ref().kind == ClientKind::Replica {
        // Already a replica: ignored, without a reply.
        ctx.reply_suppressed = true;
        return Frame::Null;
    }
    // PSYNC replid offset [FAILOVER]; SYNC takes no arguments.
    let psync = match args {
        [_, replid, offset, options @ ..] => Some((replid, offset, options)),
        _ => None,
    };
    if let Some((replid, _, [option, ..])) = psync {
        if option.eq_ignore_ascii_case(b"failover") {
            ctx.state.log(
                LogLevel::Warning,
                format!(
                    "Failover request received for replid {}.",
                    String::from_utf8_lossy(replid)
                ),
            );
            if !ctx.state.repl.is_replica() {
                return Frame::error("ERR PSYNC FAILOVER can't be sent to a master.");
            }
            if *replid != ctx.state.repl.replid.as_bytes() {
                return Frame::error("ERR PSYNC FAILOVER replid must match my replid.");
            }
            ctx.replication().unset_master();
            let id = ctx.client_ref().id;
            ctx.state.log(
                LogLevel::Notice,
                format!("MASTER MODE enabled (failover request from 'id={id}')"),
            );
        }
    }
    if ctx.state.repl.failover != FailoverState::None {
        return Frame::error("NOMASTERLINK Can't SYNC while failing over");
    }
    if ctx.state.repl.is_replica() && !ctx.state.repl.link_is_up() {
        return Frame::error("NOMASTERLINK Can't SYNC while not connected with my master");
    }
    if ctx.caller_has_pending_output {
        return Frame::error("ERR SYNC and PSYNC are invalid with pending output");
    }
    let wants_filtered = ctx
        .client_ref()
        .replica_link
        .as_ref()
        .is_some_and(|link| link.rdb_without_data && !link.capa_eof);
    if wants_filtered {
        return Frame::error("ERR Filtered replica requires EOF capability");
    }
    let request = if let Some((replid, offset, _)) = psync {
        let Some(offset) = parse_i64(offset) else {
            let addr = ctx.client_ref().peer.addr.clone();
            ctx.state.log(
                LogLevel::Warning,
                format!("Replica {addr} asks for synchronization but with a wrong offset"),
            );
            return Frame::error("ERR value is not an integer or out of range");
        };
        Some((String::from_utf8_lossy(replid).into_owned(), offset))
    } else {
        None
    };
    let now = ctx.now;
    let conn = ctx.conn;
    ctx.client()
        .replica_link
        .get_or_insert_with(|| ReplicaLink::new(now));
    let addr = ctx.replication().replica_addr(conn);
    ctx.state.log(
        LogLevel::Notice,
        format!("Replica {addr} asks for synchronization"),
    );
    ctx.reply_suppressed = true;
    let request = request
        .as_ref()
        .map(|(replid, offset)| (replid.as_str(), *offset));
    ctx.replication().sync(conn, request);
    Frame::Null
}
