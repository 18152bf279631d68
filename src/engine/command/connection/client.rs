//! `CLIENT ID | SETNAME | GETNAME | INFO | LIST | NO-EVICT | GETREDIR | TRACKINGINFO | HELP`: the
//! connection's own identity, and the list of connections as Redis 7.0.15 prints it. KILL lives
//! in `client_kill.rs`. Client-side caching (CLIENT TRACKING) is not implemented, so GETREDIR and
//! TRACKINGINFO always describe tracking as off.
//!
//! CLIENT LIST's values describe the simulated connection: `fd` is the driver's connection
//! number, `qbuf` the bytes still waiting to be parsed, `argv-mem`/`multi-mem` the bytes of the
//! running and queued commands; the engine keeps no reply buffers (replies go out at once), so
//! `rbs`, `rbp`, `obl`, `oll` and `omem` are 0.

use std::fmt::Write;

use crate::engine::client::{Client, ClientKind};
use crate::engine::command::{args, error_with_user_text, Ctx};
use crate::engine::resp::Frame;

/// A client type, as CLIENT LIST TYPE and CLIENT KILL TYPE name them (`getClientTypeByName`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ClientType {
    Normal,
    Replica,
    PubSub,
    Master,
}

impl ClientType {
    /// `normal`, `slave`/`replica`, `pubsub` or `master`, in any case; otherwise Redis's error.
    pub(super) fn parse(name: &[u8]) -> Result<ClientType, Frame> {
        match name.to_ascii_lowercase().as_slice() {
            b"normal" => Ok(ClientType::Normal),
            b"slave" | b"replica" => Ok(ClientType::Replica),
            b"pubsub" => Ok(ClientType::PubSub),
            b"master" => Ok(ClientType::Master),
            _ => {
                let mut message = b"ERR Unknown client type '".to_vec();
                message.extend_from_slice(name);
                message.push(b'\'');
                Err(error_with_user_text(message))
            }
        }
    }

    /// The type of `client` (Redis's `getClientType`).
    pub(super) fn of(client: &Client) -> ClientType {
        match client.kind {
            ClientKind::Master => ClientType::Master,
            ClientKind::Replica => ClientType::Replica,
            ClientKind::Normal if subscriptions(client) != (0, 0, 0) => ClientType::PubSub,
            ClientKind::Normal => ClientType::Normal,
        }
    }
}

/// Channels, patterns and shard channels `client` subscribes to (CLIENT LIST's `sub=`, `psub=`,
/// `ssub=`; any of them makes the client type `pubsub` and adds the `P` flag).
fn subscriptions(client: &Client) -> (usize, usize, usize) {
    let subscriptions = &client.subscriptions;
    (
        subscriptions.channels.len(),
        subscriptions.patterns.len(),
        subscriptions.shard_channels.len(),
    )
}

/// Bytes of an argument vector, as Redis's `argv_len_sum` counts them.
fn argv_bytes(argv: &[Vec<u8>]) -> usize {
    argv.iter().map(Vec::len).sum()
}

/// One CLIENT LIST line, newline included (Redis's `catClientInfoString`). `running` is the
/// command being executed when `client` is the caller.
pub(super) fn info_line(ctx: &Ctx, client: &Client, running: Option<&[Vec<u8>]>) -> String {
    let now = ctx.now;
    let mut flags = String::new();
    match client.kind {
        ClientKind::Replica => flags.push('S'),
        ClientKind::Master => flags.push('M'),
        ClientKind::Normal => {}
    }
    let (channels, patterns, shard_channels) = subscriptions(client);
    if (channels, patterns, shard_channels) != (0, 0, 0) {
        flags.push('P');
    }
    if client.in_transaction() {
        flags.push('x');
    }
    if ctx.state.dirty_watchers.contains(&client.conn) {
        flags.push('d');
    }
    if client.close_after_reply {
        flags.push('c');
    }
    if client.no_evict {
        flags.push('e');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let (multi, multi_bytes) = match &client.transaction {
        Some(transaction) => (
            transaction.queued.len() as i64,
            transaction.queued.iter().map(|argv| argv_bytes(argv)).sum(),
        ),
        None => (-1, 0),
    };
    let query_bytes = client.decoder.buffered_bytes();
    let argv_mem = running.map_or(0, argv_bytes);
    let mut line = String::new();
    let _ = writeln!(
        line,
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={flags} db={} sub={channels} \
         psub={patterns} ssub={shard_channels} multi={multi} qbuf={query_bytes} qbuf-free=0 \
         argv-mem={argv_mem} multi-mem={multi_bytes} rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem={} \
         events=r cmd={} user=default redir=-1 resp=2",
        client.id,
        client.peer.addr,
        client.peer.local_addr,
        client.conn.0,
        String::from_utf8_lossy(client.name.as_deref().unwrap_or_default()),
        now.as_secs().saturating_sub(client.created_at.as_secs()),
        now.as_secs()
            .saturating_sub(client.last_interaction_at.as_secs()),
        client.db,
        query_bytes + argv_mem + multi_bytes,
        client.last_command,
    );
    line
}

/// Every client, in CLIENT ID order (Redis's list of clients is in connection order).
pub(super) fn clients_by_id<'a>(ctx: &'a Ctx) -> Vec<&'a Client> {
    let mut clients: Vec<&Client> = ctx.clients.values().map(|client| &**client).collect();
    crate::engine::sort::sort_by_key(&mut clients, |client| client.id);
    clients
}

/// # Format
///
/// ```text
/// CLIENT ID
/// ```
pub(super) fn execute_id(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::Integer(i64::try_from(ctx.client_ref().id).unwrap_or(i64::MAX))
}

/// # Format
///
/// ```text
/// CLIENT SETNAME connection-name
/// ```
///
/// An empty name removes the name; otherwise only printable ASCII without spaces is allowed,
/// so that CLIENT LIST stays splittable on spaces.
pub(super) fn execute_setname(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, _, name] = args::exactly(args);
    match set_name(ctx, name) {
        Ok(()) => Frame::ok(),
        Err(reply) => reply,
    }
}

/// Names the calling connection (CLIENT SETNAME, HELLO SETNAME): an empty name removes it, and
/// only printable ASCII without spaces is allowed (Redis's `validateClientName`).
pub(super) fn set_name(ctx: &mut Ctx, name: &[u8]) -> Result<(), Frame> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(Frame::error(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    ctx.client().name = (!name.is_empty()).then(|| name.to_vec());
    Ok(())
}

/// # Format
///
/// ```text
/// CLIENT GETNAME
/// ```
pub(super) fn execute_getname(ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    match &ctx.client_ref().name {
        Some(name) => Frame::bulk(name.clone()),
        None => Frame::Null,
    }
}

/// # Format
///
/// ```text
/// CLIENT INFO
/// ```
pub(super) fn execute_info(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let line = info_line(ctx, ctx.client_ref(), Some(args));
    Frame::bulk(line)
}

/// # Format
///
/// ```text
/// CLIENT LIST [TYPE NORMAL | MASTER | REPLICA | PUBSUB]
/// CLIENT LIST ID client-id [client-id ...]
/// ```
///
/// With IDs, the clients come in argument order, once per mention.
pub(super) fn execute_list(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let caller = ctx.conn;
    let line_of = |client: &Client| {
        let running = (client.conn == caller).then_some(args);
        info_line(ctx, client, running)
    };
    let mut listing = String::new();
    match args::at_least::<2>(args).1 {
        [] => {
            for client in clients_by_id(ctx) {
                listing.push_str(&line_of(client));
            }
        }
        [filter, wanted] if filter.eq_ignore_ascii_case(b"type") => {
            let wanted = match ClientType::parse(wanted) {
                Ok(wanted) => wanted,
                Err(reply) => return reply,
            };
            for client in clients_by_id(ctx) {
                if ClientType::of(client) == wanted {
                    listing.push_str(&line_of(client));
                }
            }
        }
        [filter, ids @ ..] if !ids.is_empty() && filter.eq_ignore_ascii_case(b"id") => {
            let mut parsed = Vec::with_capacity(ids.len());
            for id in ids {
                match args::integer(id) {
                    Ok(id) => parsed.push(id),
                    Err(_) => return Frame::error("ERR Invalid client ID"),
                }
            }
            for id in parsed {
                let found = ctx.clients.values().find(|client| client.id as i64 == id);
                if let Some(client) = found {
                    listing.push_str(&line_of(client));
                }
            }
        }
        _ => return args::syntax_error(),
    }
    Frame::bulk(listing)
}

/// # Format
///
/// ```text
/// CLIENT NO-EVICT ON|OFF
/// ```
pub(super) fn execute_no_evict(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, _, mode] = args::exactly(args);
    let on = if mode.eq_ignore_ascii_case(b"on") {
        true
    } else if mode.eq_ignore_ascii_case(b"off") {
        false
    } else {
        return args::syntax_error();
    };
    ctx.client().no_evict = on;
    Frame::ok()
}

/// # Format
///
/// ```text
/// CLIENT GETREDIR
/// ```
///
/// -1: tracking is off, so there is no redirection.
pub(super) fn execute_getredir(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::Integer(-1)
}

/// # Format
///
/// ```text
/// CLIENT TRACKINGINFO
/// ```
pub(super) fn execute_trackinginfo(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    Frame::Array(vec![
        Frame::bulk("flags"),
        Frame::Array(vec![Frame::bulk("off")]),
        Frame::bulk("redirect"),
        Frame::Integer(-1),
        Frame::bulk("prefixes"),
        Frame::Array(vec![]),
    ])
}

/// # Format
///
/// ```text
/// CLIENT HELP
/// ```
pub(super) fn execute_help(_ctx: &mut Ctx, _args: &[Vec<u8>]) -> Frame {
    crate::engine::command::server::help_reply(
        "client",
        concat!(
            "CACHING (YES|NO)\n",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.\n",
            "GETREDIR\n",
            "    Return the client ID we are redirecting to when tracking is enabled.\n",
            "GETNAME\n",
            "    Return the name of the current connection.\n",
            "ID\n",
            "    Return the ID of the current connection.\n",
            "INFO\n",
            "    Return information about the current client connection.\n",
            "KILL <ip:port>\n",
            "    Kill connection made from <ip:port>.\n",
            "KILL <option> <value> [<option> <value> [...]]\n",
            "    Kill connections. Options are:\n",
            "    * ADDR (<ip:port>|<unixsocket>:0)\n",
            "      Kill connections made from the specified address\n",
            "    * LADDR (<ip:port>|<unixsocket>:0)\n",
            "      Kill connections made to specified local address\n",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)\n",
            "      Kill connections by type.\n",
            "    * USER <username>\n",
            "      Kill connections authenticated by <username>.\n",
            "    * SKIPME (YES|NO)\n",
            "      Skip killing current connection (default: yes).\n",
            "LIST [options ...]\n",
            "    Return information about client connections. Options:\n",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)\n",
            "      Return clients of specified type.\n",
            "UNPAUSE\n",
            "    Stop the current client pause, resuming traffic.\n",
            "PAUSE <timeout> [WRITE|ALL]\n",
            "    Suspend all, or just write, clients for <timeout> milliseconds.\n",
            "REPLY (ON|OFF|SKIP)\n",
            "    Control the replies sent to the current connection.\n",
            "SETNAME <name>\n",
            "    Assign the name <name> to the current connection.\n",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]\n",
            "    Unblock the specified blocked client.\n",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]\n",
            "         [OPTIN] [OPTOUT] [NOLOOP]\n",
            "    Control server assisted client side caching.\n",
            "TRACKINGINFO\n",
            "    Report tracking status for the current connection.\n",
            "NO-EVICT (ON|OFF)\n",
            "    Protect current client connection from eviction.\n",
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::engine::client::{Client, Peer};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::command::Ctx;
    use crate::engine::resp::Frame;
    use crate::engine::ConnId;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn text(frame: Frame) -> String {
        match frame {
            Frame::Bulk(bytes) => String::from_utf8(bytes).unwrap(),
            other => panic!("bulk expected, got {other:?}"),
        }
    }

    fn node_with_peer() -> TestNode {
        let mut node = TestNode::new();
        let client = node.clients.get_mut(&ConnId(1)).unwrap();
        client.peer = Peer {
            addr: "127.0.0.1:50000".into(),
            local_addr: "127.0.0.1:6379".into(),
        };
        node
    }

    #[test]
    fn client_setname_validates_and_empty_clears() {
        let mut node = TestNode::new();
        assert_eq!(node.run("CLIENT GETNAME"), Frame::Null);
        for bad in ["\"a b\"", "\"a\\nb\"", "\"\\xff\""] {
            assert_eq!(
                node.run(&format!("CLIENT SETNAME {bad}")),
                Frame::error(
                    "ERR Client names cannot contain spaces, newlines or special characters."
                )
            );
        }
        assert_eq!(node.run("CLIENT SETNAME my-name"), Frame::ok());
        assert_eq!(node.run("CLIENT GETNAME"), Frame::bulk("my-name"));
        assert_eq!(node.run("CLIENT SETNAME \"\""), Frame::ok());
        assert_eq!(node.run("CLIENT GETNAME"), Frame::Null);
    }

    #[test]
    fn client_info_has_redis_7_0_fields_in_order() {
        let mut node = node_with_peer();
        node.run("CLIENT SETNAME me");
        node.now = node.now.add_millis(3_000);
        assert_eq!(
            text(node.run("CLIENT INFO")),
            "id=1 addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=1 name=me age=3 idle=3 flags=N \
             db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=10 multi-mem=0 rbs=0 \
             rbp=0 obl=0 oll=0 omem=0 tot-mem=10 events=r cmd=client|info user=default redir=-1 \
             resp=2\n"
        );
    }

    #[test]
    fn client_list_filters_by_type_and_id() {
        let mut node = node_with_peer();
        let other = Client::new(7, ConnId(2), Peer::default(), node.now, true);
        node.clients.insert(ConnId(2), Box::new(other));
        let listing = text(node.run("CLIENT LIST"));
        let ids: Vec<&str> = listing
            .lines()
            .map(|line| line.split(' ').next().unwrap())
            .collect();
        assert_eq!(ids, ["id=1", "id=7"]);
        assert_eq!(text(node.run("CLIENT LIST TYPE master")), "");
        assert_eq!(text(node.run("CLIENT LIST TYPE NORMAL")).lines().count(), 2);
        let by_id = text(node.run("CLIENT LIST ID 7 99 7"));
        assert_eq!(by_id.lines().count(), 2);
        assert!(by_id.starts_with("id=7 "));
        assert_eq!(
            node.run("CLIENT LIST ID x"),
            Frame::error("ERR Invalid client ID")
        );
        assert_eq!(
            node.run("CLIENT LIST TYPE foo"),
            Frame::error("ERR Unknown client type 'foo'")
        );
        for bad in [
            "CLIENT LIST TYPE",
            "CLIENT LIST ID",
            "CLIENT LIST foo",
            "CLIENT LIST TYPE normal ID 1",
        ] {
            assert_eq!(node.run(bad), Frame::error("ERR syntax error"), "{bad}");
        }
    }

    #[test]
    fn client_no_evict_shows_as_flag_e() {
        let mut node = node_with_peer();
        assert_eq!(
            node.run("CLIENT NO-EVICT maybe"),
            Frame::error("ERR syntax error")
        );
        assert_eq!(node.run("CLIENT NO-EVICT on"), Frame::ok());
        assert!(text(node.run("CLIENT INFO")).contains(" flags=e "));
        assert_eq!(node.run("CLIENT NO-EVICT OFF"), Frame::ok());
        assert!(text(node.run("CLIENT INFO")).contains(" flags=N "));
    }

    #[test]
    fn client_list_shows_multi_state() {
        let mut node = node_with_peer();
        node.run("MULTI");
        node.run("ECHO abc");
        let ctx = Ctx::new(node.now, &mut node.state, &mut node.clients, ConnId(1));
        let line = super::info_line(&ctx, &ctx.clients[&ConnId(1)], None);
        assert!(line.contains(" flags=x "), "{line}");
        assert!(line.contains(" multi=1 "), "{line}");
        assert!(line.contains(" multi-mem=7 "), "{line}");
    }
}
