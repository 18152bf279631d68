//! `CLIENT KILL`: close other connections (or this one), by address or by filters.

use crate::engine::command::{args, error_with_user_text, Ctx};
use crate::engine::resp::Frame;
use crate::engine::ConnId;

use super::client::{clients_by_id, ClientType};

/// Which connections to close; every set filter must match.
#[derive(Default)]
struct Filters {
    id: Option<u64>,
    addr: Option<Vec<u8>>,
    local_addr: Option<Vec<u8>>,
    client_type: Option<ClientType>,
    skip_me: bool,
}

/// # Format
///
/// ```text
/// CLIENT KILL ip:port
/// CLIENT KILL <filter> <value> [<filter> <value> ...]
///     filters: ID client-id | ADDR ip:port | LADDR ip:port
///              | TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB | USER username | SKIPME YES|NO
/// ```
///
/// The old form may kill the caller and answers OK or "No such client"; the filter form skips
/// the caller unless `SKIPME no` and answers the number of connections closed. The caller's
/// connection closes after this reply; others close at once.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (_, words) = args::at_least::<2>(args);
    let old_style = words.len() == 1;
    let filters = match words {
        [addr] => Filters {
            addr: Some(addr.clone()),
            ..Filters::default()
        },
        _ => match parse_filters(words) {
            Ok(filters) => filters,
            Err(reply) => return reply,
        },
    };

    let caller = ctx.conn;
    let mut doomed: Vec<ConnId> = Vec::new();
    for client in clients_by_id(ctx) {
        let selected = filters.id.is_none_or(|id| client.id == id)
            && filters
                .addr
                .as_ref()
                .is_none_or(|addr| client.peer.addr.as_bytes() == addr.as_slice())
            && filters
                .local_addr
                .as_ref()
                .is_none_or(|addr| client.peer.local_addr.as_bytes() == addr.as_slice())
            && filters
                .client_type
                .is_none_or(|wanted| ClientType::of(client) == wanted)
            && !(filters.skip_me && client.conn == caller)
            && !ctx.state.pending_kills.contains(&client.conn);
        if selected {
            doomed.push(client.conn);
        }
    }
    let killed = doomed.len();
    for conn in doomed {
        if conn == caller {
            ctx.client().close_after_reply = true;
        } else {
            ctx.state.pending_kills.push(conn);
        }
    }
    if !old_style {
        Frame::Integer(killed as i64)
    } else if killed == 0 {
        Frame::error("ERR No such client")
    } else {
        Frame::ok()
    }
}

/// Parses `<filter> <value>` pairs; the first bad one decides the error.
fn parse_filters(words: &[Vec<u8>]) -> Result<Filters, Frame> {
    let mut filters = Filters {
        skip_me: true,
        ..Filters::default()
    };
    let mut rest = words;
    while let [name, tail @ ..] = rest {
        let [value, tail @ ..] = tail else {
            return Err(args::syntax_error());
        };
        rest = tail;
        match name.to_ascii_lowercase().as_slice() {
            b"id" => match args::integer(value) {
                Ok(id) if id >= 1 => filters.id = Some(id as u64),
                _ => return Err(Frame::error("ERR client-id should be greater than 0")),
            },
            b"type" => filters.client_type = Some(ClientType::parse(value)?),
            b"addr" => filters.addr = Some(value.clone()),
            b"laddr" => filters.local_addr = Some(value.clone()),
            b"user" => {
                // `default` is the only user, and every connection is authenticated as it.
                if value.as_slice() != b"default" {
                    let mut message = b"ERR No such user '".to_vec();
                    message.extend_from_slice(value);
                    message.push(b'\'');
                    return Err(error_with_user_text(message));
                }
            }
            b"skipme" => {
                if value.eq_ignore_ascii_case(b"yes") {
                    filters.skip_me = true;
                } else if value.eq_ignore_ascii_case(b"no") {
                    filters.skip_me = false;
                } else {
                    return Err(args::syntax_error());
                }
            }
            _ => return Err(args::syntax_error()),
        }
    }
    Ok(filters)
}

#[cfg(test)]
mod tests {
    use crate::engine::client::{Client, ClientKind, Peer};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    use crate::engine::ConnId;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn node_with_three_clients() -> TestNode {
        let mut node = TestNode::new();
        node.clients.get_mut(&ConnId(1)).unwrap().peer = Peer {
            addr: "127.0.0.1:1001".into(),
            local_addr: "127.0.0.1:6379".into(),
        };
        for (id, conn, port, kind) in [
            (2, 2, 1002, ClientKind::Normal),
            (3, 3, 1003, ClientKind::Replica),
        ] {
            let peer = Peer {
                addr: format!("127.0.0.1:{port}"),
                local_addr: "127.0.0.1:6380".into(),
            };
            let mut client = Client::new(id, ConnId(conn), peer, node.now, true);
            client.kind = kind;
            node.clients.insert(ConnId(conn), Box::new(client));
        }
        node
    }

    #[test]
    fn client_kill_old_form_answers_ok_or_no_such_client() {
        let mut node = node_with_three_clients();
        assert_eq!(
            node.run("CLIENT KILL 1.2.3.4:5"),
            Frame::error("ERR No such client")
        );
        assert_eq!(
            node.run("CLIENT KILL ID"),
            Frame::error("ERR No such client")
        );
        assert_eq!(node.run("CLIENT KILL 127.0.0.1:1002"), Frame::ok());
        assert_eq!(node.state.pending_kills, vec![ConnId(2)]);
        assert_eq!(
            node.run("CLIENT KILL 127.0.0.1:1002"),
            Frame::error("ERR No such client")
        );
        assert_eq!(node.run("CLIENT KILL 127.0.0.1:1001"), Frame::ok());
        assert!(
            node.clients[&ConnId(1)].close_after_reply,
            "the old form may kill the caller"
        );
    }

    #[test]
    fn client_kill_filters_combine_and_skip_the_caller_by_default() {
        let mut node = node_with_three_clients();
        assert_eq!(
            node.run("CLIENT KILL LADDR 127.0.0.1:6380 TYPE slave"),
            Frame::Integer(1)
        );
        assert_eq!(node.state.pending_kills, vec![ConnId(3)]);
        assert_eq!(node.run("CLIENT KILL USER default"), Frame::Integer(1));
        assert_eq!(node.state.pending_kills, vec![ConnId(3), ConnId(2)]);
        assert!(!node.clients[&ConnId(1)].close_after_reply);
        assert_eq!(node.run("CLIENT KILL ID 1 SKIPME no"), Frame::Integer(1));
        assert!(node.clients[&ConnId(1)].close_after_reply);
    }

    #[test]
    fn client_kill_reports_bad_filters_like_redis() {
        let mut node = node_with_three_clients();
        for (line, error) in [
            ("CLIENT KILL ID x", "ERR client-id should be greater than 0"),
            ("CLIENT KILL ID 0", "ERR client-id should be greater than 0"),
            ("CLIENT KILL TYPE foo", "ERR Unknown client type 'foo'"),
            ("CLIENT KILL USER nobody", "ERR No such user 'nobody'"),
            ("CLIENT KILL SKIPME maybe", "ERR syntax error"),
            ("CLIENT KILL foo bar", "ERR syntax error"),
            ("CLIENT KILL ID 1 SKIPME", "ERR syntax error"),
            ("CLIENT KILL MAXAGE 10", "ERR syntax error"),
        ] {
            assert_eq!(node.run(line), Frame::error(error), "{line}");
        }
        assert_eq!(node.run("CLIENT KILL ID 999"), Frame::Integer(0));
        assert!(node.state.pending_kills.is_empty());
    }
}
