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
            let mut replicas = Vec::new();
            for client in repl.replicas.iter().filter_map(|conn| clients.get(conn)) {
                let Some(link) = client.replica_link.as_ref() else {
                    continue;
                };
                if link.state == Some(ReplicaSyncState::Online) {
                    replicas.push(Frame::Array(vec![
                        Frame::bulk(replica_ip(client)),
                        Frame::bulk(link.listening_port.to_string()),
                        Frame::bulk(link.ack_offset.to_string()),
                    ]));
                }
            }
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
