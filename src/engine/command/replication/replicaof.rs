//! `REPLICAOF` and its old name `SLAVEOF`.

use crate::engine::client::ClientKind;
use crate::engine::command::{args, Ctx};
use crate::engine::log::LogLevel;
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// REPLICAOF host port
/// REPLICAOF NO ONE
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    if ctx.state.repl.failover != crate::engine::replication::FailoverState::None {
        return Frame::error("ERR REPLICAOF not allowed while failing over.");
    }
    let [_, host, port] = args::exactly(args);
    if host.eq_ignore_ascii_case(b"no") && port.eq_ignore_ascii_case(b"one") {
        if ctx.state.repl.is_replica() {
            ctx.replication().unset_master();
            let id = ctx.client_ref().id;
            ctx.state.log(
                LogLevel::Notice,
                format!("MASTER MODE enabled (user request from 'id={id}')"),
            );
        }
        return Frame::ok();
    }
    if ctx.client_ref().kind == ClientKind::Replica {
        return Frame::error("ERR Command is not valid when client is a replica.");
    }
    let port = match parse_i64(port) {
        Some(port @ 0..=65535) => port as u16,
        _ => return Frame::error("ERR Invalid master port"),
    };
    let host = String::from_utf8_lossy(host).into_owned();
    if !ctx.replication().set_master(&host, port) {
        ctx.state.log(
            LogLevel::Notice,
            "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.",
        );
        return Frame::Simple("OK Already connected to specified master".into());
    }
    let id = ctx.client_ref().id;
    ctx.state.log(
        LogLevel::Notice,
        format!("REPLICAOF {host}:{port} enabled (user request from 'id={id}')"),
    );
    Frame::ok()
}
