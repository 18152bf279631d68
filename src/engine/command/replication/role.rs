//! `ROLE`.

use crate::engine::client::Clients;
use crate::engine::command::Ctx;
use crate::engine::replication::{replica_ip, ReplicaSyncState};
use crate::engine::resp::Frame;
use crate::engine::state::NodeState;

/// # Format
///
/// ```text
/// ROLE
/// ```
pub(super) fn execute(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    role_reply(ctx.state, ctx.clients)
}

/// ROLE's reply from the node's state alone (the UI shows it live without running a command).
pub(crate) fn role_reply(state: &NodeState, clients: &Clients) -> Frame {
    let repl = &state.repl;
    match repl.master.as_ref() {
        None => {
            let replicas = repl
                .replicas
                .iter()
                .filter_map(|conn| clients.get(conn).map(|client| (conn, client)))
                .filter_map(|(&conn, client)| {
                    let link = client.replica_link.as_ref()?;
                    (link.state == Some(ReplicaSyncState::Online)).then_some((conn, link))
                })
                .map(|(conn, link)| {
                    let addr = clients
                        .get(&conn)
                        .map(|client| replica_ip(client))
                        .unwrap_or_default();
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
