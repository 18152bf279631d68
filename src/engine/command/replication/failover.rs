//! `FAILOVER`: hand the master role to a replica once it has caught up.

use crate::engine::command::{args, Ctx};
use crate::engine::log::LogLevel;
use crate::engine::replication::{Failover, FailoverState, ReplicaSyncState};
use crate::engine::resp::{parse_i64, Frame};

/// # Format
///
/// ```text
/// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]
/// ```
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_], mut options) = args::at_least(args);
    if matches!(options, [abort] if abort.eq_ignore_ascii_case(b"abort")) {
        if ctx.state.repl.failover == FailoverState::None {
            return Frame::error("ERR No failover in progress.");
        }
        ctx.replication()
            .abort_failover("Failover manually aborted");
        return Frame::ok();
    }
    let mut timeout_ms = 0;
    let mut force = false;
    let mut target: Option<(String, i64)> = None;
    while let [option, rest @ ..] = options {
        match rest {
            [value, rest @ ..] if option.eq_ignore_ascii_case(b"timeout") && timeout_ms == 0 => {
                let Some(value) = parse_i64(value) else {
                    return Frame::error("ERR value is not an integer or out of range");
                };
                if value <= 0 {
                    return Frame::error("ERR FAILOVER timeout must be greater than 0");
                }
                timeout_ms = value;
                options = rest;
            }
            [host, port, rest @ ..] if option.eq_ignore_ascii_case(b"to") && target.is_none() => {
                let Some(port) = parse_i64(port) else {
                    return Frame::error("ERR value is not an integer or out of range");
                };
                target = Some((String::from_utf8_lossy(host).into_owned(), port));
                options = rest;
            }
            _ if option.eq_ignore_ascii_case(b"force") && !force => {
                force = true;
                options = rest;
            }
            _ => return args::syntax_error(),
        }
    }
    if ctx.state.repl.failover != FailoverState::None {
        return Frame::error("ERR FAILOVER already in progress.");
    }
    if ctx.state.repl.is_replica() {
        return Frame::error("ERR FAILOVER is not valid when server is a replica.");
    }
    if ctx.state.repl.replicas.is_empty() {
        return Frame::error("ERR FAILOVER requires connected replicas.");
    }
    if force && (timeout_ms == 0 || target.is_none()) {
        return Frame::error(
            "ERR FAILOVER with force option requires both a timeout and target HOST and IP.",
        );
    }
    let target = match target {
        Some((host, port)) => {
            let Some(conn) = ctx.replication().find_replica(&host, port) else {
                return Frame::error("ERR FAILOVER target HOST and PORT is not a replica.");
            };
            let online = ctx
                .clients
                .get(&conn)
                .and_then(|client| client.replica_link.as_ref())
                .is_some_and(|link| link.state == Some(ReplicaSyncState::Online));
            if !online {
                return Frame::error("ERR FAILOVER target replica is not online.");
            }
            ctx.state.log(
                LogLevel::Notice,
                format!("FAILOVER requested to {host}:{port}."),
            );
            Some((host, port as u16))
        }
        None => {
            ctx.state
                .log(LogLevel::Notice, "FAILOVER requested to any replica.");
            None
        }
    };
    let deadline = (timeout_ms > 0).then(|| ctx.now.add_millis(timeout_ms as u64));
    ctx.state.repl.failover = FailoverState::WaitingForSync(Failover {
        target,
        force,
        deadline,
    });
    Frame::ok()
}
