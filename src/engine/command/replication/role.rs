//! `ROLE`.

use crate::engine::command::Ctx;
use crate::engine::replication::{replica_ip, ReplicaSyncState};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// ROLE
/// ```
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    let repl = &ctx.state.repl;
    match repl.master.as_ref() {
        None => {
            let replicas = repl
                .replicas
                .iter()
                .filter_map(|conn| ctx.clients.get(conn).map(|client| (conn, client)))
                .filter_map(|(&conn, client)| {
                    let link = client.replica_link.as_ref()?;
                    (link.state == Some(ReplicaSyncState::Online)).then_some((conn, link))
                })
                .map(|(conn, link)| {
                    let addr = ctx.clients.get(&conn).map(replica_ip).unwrap_or_default();
                    Frame::Array(vec![
                        Frame::bulk(addr),
                        Frame::bulk(link.listening_port.to_string()),
                        Frame::bulk(link.ack_offset.to_string()),
                    ])
                })
                .collect();
            Frame::Array(vec![
                Frame::bulk("master"),
                Frame::Integer(repl.master_repl_offset as i64),
                Frame::Array(replicas),
            ])
        }
        Some(link) => {
            let offset = if repl.link_is_up() {
                link.reploff as i64
            } else {
                -1
            };
            Frame::Array(vec![
                Frame::bulk("slave"),
                Frame::bulk(link.host.clone()),
                Frame::Integer(i64::from(link.port)),
                Frame::bulk(link.state.role_name()),
                Frame::Integer(offset),
            ])
        }
    }
}
