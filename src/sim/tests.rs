//! Connections a node opens itself: a replica reaching its master after a client's
//! `REPLICAOF 10.0.0.<n> 6379`. Each test proves one behaviour of the simulated network under
//! those connections, with the invariant checker run after every step.

use super::trace::TraceKind;
use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The one-way latency of the node-to-node links in these tests (clients sit on their node's
/// machine: no latency).
const LATENCY_MS: u64 = 5;

/// Two nodes on 5 ms links, no client.
fn two_nodes() -> Sim {
    Sim::new(SimConfig {
        node_count: 2,
        link: LinkConfig {
            latency_ms: LATENCY_MS,
            ..LinkConfig::SAME_HOST
        },
        seed: 42,
        ..SimConfig::default()
    })
}

/// Runs until `millis` of virtual time have passed, checking invariants after every step.
fn run_checked(sim: &mut Sim, millis: u64) {
    let until = sim.now().add_millis(millis);
    while sim.next_event_at().is_some_and(|at| at <= until) {
        sim.step();
        if let Err(violation) = checker::check(sim) {
            panic!("{violation}");
        }
    }
    sim.run_until(until);
}

fn words(line: &str) -> Vec<Vec<u8>> {
    line.split(' ')
        .map(|word| word.as_bytes().to_vec())
        .collect()
}

/// A new client of `node` sends `lines`; they run now (clients have no latency), the replies
/// stay with the client.
fn send(sim: &mut Sim, node: u8, lines: &[&str]) -> ClientId {
    let client = sim.add_client(NodeId(node)).unwrap();
    for line in lines {
        sim.client_send(client, &words(line)).unwrap();
    }
    run_checked(sim, 0);
    client
}

/// Node `node` becomes a replica of `host`:`port` now, so it opens a connection there at once.
fn replicaof(sim: &mut Sim, node: u8, host: &str, port: u16) {
    let client = send(sim, node, &[&format!("REPLICAOF {host} {port}")]);
    assert_eq!(sim.take_replies(client), vec![Frame::ok()]);
}

/// The connection `node` uses to reach its master, once made.
fn master_link(sim: &Sim, node: u8) -> Option<(ConnId, SocketId)> {
    let conn = sim.node(NodeId(node))?.state().repl.master.as_ref()?.conn?;
    Some((conn, sim.node_socket(NodeId(node), conn)?))
}

/// The node-to-node connections `node` holds (its clients' connections left out).
fn node_links(sim: &Sim, node: u8) -> usize {
    sim.nodes[&NodeId(node)]
        .sockets
        .values()
        .filter_map(|socket| sim.network().connections.get(socket))
        .filter(|connection| {
            matches!(connection.initiator.host(), Host::Node(_))
                && matches!(connection.acceptor.host(), Host::Node(_))
        })
        .count()
}

/// Node 1 made its connection to its master, node 2 (one round trip on the link).
fn connected_pair() -> Sim {
    let mut sim = two_nodes();
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 2 * LATENCY_MS);
    assert!(master_link(&sim, 1).is_some(), "connected");
    sim
}

/// The connect failures recorded so far: (from, to, address, reason).
fn connect_failures(sim: &Sim) -> Vec<(Host, Option<NodeId>, String, String)> {
    sim.trace()
        .events()
        .filter_map(|event| match &event.kind {
            TraceKind::ConnectFailed {
                from,
                to,
                address,
                reason,
            } => Some((*from, *to, address.clone(), reason.clone())),
            _ => None,
        })
        .collect()
}

/// Node 1's one failure, from node 1 to `to` at `address`, for `reason`.
fn failure(
    to: Option<u8>,
    address: &str,
    reason: &str,
) -> Vec<(Host, Option<NodeId>, String, String)> {
    vec![(
        Host::Node(NodeId(1)),
        to.map(NodeId),
        address.into(),
        reason.into(),
    )]
}

/// Node `node`'s log lines so far.
fn log_lines(sim: &Sim, node: u8) -> Vec<String> {
    sim.trace()
        .events()
        .filter_map(|event| match &event.kind {
            TraceKind::Log { node: n, line } if *n == NodeId(node) => Some(line.message.clone()),
            _ => None,
        })
        .collect()
}

/// The replies a new client of `node` gets to `command`, once it has run.
fn ask(sim: &mut Sim, node: u8, command: &str) -> Vec<Frame> {
    let client = send(sim, node, &[command]);
    run_checked(sim, 100);
    sim.take_replies(client)
}

/// A connect to an up node takes one round trip, then both nodes hold the same connection, and
/// the trace shows the replica's outbound end opening it.
#[test]
fn a_connect_to_an_up_node_is_made_after_one_round_trip() {
    let mut sim = two_nodes();
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 2 * LATENCY_MS - 1);
    assert_eq!(master_link(&sim, 1), None, "the answer is on its way");
    run_checked(&mut sim, 1);
    let (conn, socket) = master_link(&sim, 1).expect("the initiator is connected");
    assert!(conn.is_outbound());
    let connection = &sim.network().connections[&socket];
    assert_eq!(
        connection.initiator,
        Endpoint::Node {
            node: NodeId(1),
            conn
        }
    );
    let Endpoint::Node { node, conn } = connection.acceptor else {
        panic!("a node accepted");
    };
    assert_eq!(
        (node, sim.node_socket(NodeId(2), conn)),
        (NodeId(2), Some(socket))
    );
    assert!(sim.trace().events().any(|event| matches!(
        event.kind,
        TraceKind::Opened { socket: opened, .. } if opened == socket
    )));
}

/// Bytes cross a node-to-node connection both ways, each way after the link's latency: the
/// replica's handshake PING reaches the master 5 ms after the connect, its `+PONG` comes back
/// 5 ms later.
#[test]
fn bytes_flow_both_ways_between_connected_nodes() {
    let mut sim = connected_pair();
    let commands_run = |sim: &Sim| {
        sim.node(NodeId(2))
            .unwrap()
            .state()
            .stats
            .commands_processed
    };
    run_checked(&mut sim, LATENCY_MS - 1);
    assert_eq!(commands_run(&sim), 0, "the PING is on the link");
    run_checked(&mut sim, 1);
    assert_eq!(commands_run(&sim), 1, "node 2 ran it");
    let received = |sim: &Sim| {
        sim.node(NodeId(1))
            .unwrap()
            .state()
            .stats
            .net_repl_input_bytes
    };
    run_checked(&mut sim, LATENCY_MS - 1);
    assert_eq!(received(&sim), 0, "the reply is on the link");
    run_checked(&mut sim, 1);
    assert!(
        received(&sim) >= b"+PONG\r\n".len() as u64,
        "node 1 got the reply"
    );
}

/// The acceptor sees the initiator's address with an ephemeral port, and its own address as
/// the one dialled.
#[test]
fn the_acceptor_sees_the_initiators_address() {
    let mut sim = connected_pair();
    let [Frame::Bulk(list)] = &ask(&mut sim, 2, "CLIENT LIST")[..] else {
        panic!("CLIENT LIST answers one bulk string");
    };
    let list = String::from_utf8_lossy(list);
    assert!(
        list.contains("addr=10.0.0.1:40000 laddr=10.0.0.2:6379"),
        "{list}"
    );
}

/// A connect to a crashed node is refused after a round trip (its machine answers the SYN with
/// a reset).
#[test]
fn a_connect_to_a_crashed_node_is_refused() {
    let mut sim = two_nodes();
    sim.apply_fault(Fault::Crash(NodeId(2)));
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 2 * LATENCY_MS - 1);
    assert_eq!(connect_failures(&sim), vec![]);
    run_checked(&mut sim, 1);
    assert_eq!(
        connect_failures(&sim),
        failure(Some(2), "10.0.0.2:6379", "Connection refused")
    );
    assert_eq!(master_link(&sim, 1), None);
}

/// A port nothing listens on is refused after a round trip, and the node accepts nothing.
#[test]
fn a_wrong_port_is_refused() {
    let mut sim = two_nodes();
    replicaof(&mut sim, 1, "10.0.0.2", 6380);
    run_checked(&mut sim, 2 * LATENCY_MS);
    assert_eq!(
        connect_failures(&sim),
        failure(Some(2), "10.0.0.2:6380", "Connection refused")
    );
    assert_eq!(sim.node(NodeId(2)).unwrap().connected_clients(), 0);
}

/// Across a partition the SYN waits (the OS retries); once healed, the connect is made.
#[test]
fn a_partition_healed_in_time_lets_the_connect_through() {
    let mut sim = two_nodes();
    let (a, b) = (Host::Node(NodeId(1)), Host::Node(NodeId(2)));
    sim.apply_fault(Fault::Partition(a, b));
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    // Well inside the replica's own 60 s repl-timeout, which would start a new attempt.
    run_checked(&mut sim, 30_000);
    assert_eq!(master_link(&sim, 1), None);
    assert_eq!(connect_failures(&sim), vec![], "still trying");
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 2 * LATENCY_MS);
    assert!(master_link(&sim, 1).is_some());
}

/// A partition that outlasts the OS's retries times the connect out at 127 s (the replica's
/// repl-timeout is raised so that it does not give up first).
#[test]
fn a_partition_that_lasts_times_the_connect_out() {
    let mut sim = two_nodes();
    sim.apply_fault(Fault::Partition(
        Host::Node(NodeId(1)),
        Host::Node(NodeId(2)),
    ));
    send(
        &mut sim,
        1,
        &["CONFIG SET repl-timeout 300", "REPLICAOF 10.0.0.2 6379"],
    );
    run_checked(&mut sim, CONNECT_TIMEOUT_MS - 1);
    assert_eq!(connect_failures(&sim), vec![]);
    run_checked(&mut sim, 1);
    assert_eq!(
        connect_failures(&sim),
        failure(Some(2), "10.0.0.2:6379", "Connection timed out")
    );
}

/// An address of no node's machine never answers: the connect times out at 127 s.
#[test]
fn an_address_nobody_has_times_out() {
    let mut sim = two_nodes();
    send(
        &mut sim,
        1,
        &["CONFIG SET repl-timeout 300", "REPLICAOF 10.0.0.9 6379"],
    );
    run_checked(&mut sim, CONNECT_TIMEOUT_MS - 1);
    assert_eq!(connect_failures(&sim), vec![]);
    run_checked(&mut sim, 1);
    assert_eq!(
        connect_failures(&sim),
        failure(None, "10.0.0.9:6379", "Connection timed out")
    );
}

/// A host name the network does not know fails as a later event, not while the node's outputs
/// are being drained, and without time passing.
#[test]
fn an_unknown_host_name_fails_at_once() {
    let mut sim = two_nodes();
    let start = sim.now();
    let client = sim.add_client(NodeId(1)).unwrap();
    sim.client_send(client, &words("REPLICAOF master.example 6379"))
        .unwrap();
    let connecting = |sim: &Sim| {
        sim.node(NodeId(1)).unwrap().state().repl.link_state()
            == Some(crate::engine::replication::LinkState::Connecting)
    };
    while !connecting(&sim) {
        assert!(sim.step(), "the REPLICAOF needs events");
    }
    assert_eq!(connect_failures(&sim), vec![], "not re-entrantly");
    run_checked(&mut sim, 0);
    assert_eq!(sim.now(), start);
    assert_eq!(
        connect_failures(&sim),
        failure(None, "master.example:6379", "Name or service not known")
    );
}

/// `localhost` is the node itself: it connects to its own port, over loopback addresses, with
/// no latency.
#[test]
fn localhost_is_the_node_itself() {
    let mut sim = two_nodes();
    let client = sim.add_client(NodeId(1)).unwrap();
    sim.client_send(client, &words("REPLICAOF localhost 6379"))
        .unwrap();
    let start = sim.now();
    while master_link(&sim, 1).is_none() {
        assert!(sim.step(), "the connect needs events");
    }
    assert_eq!(sim.now(), start, "no latency on loopback");
    // Ask at once: the node's handshake with itself fails soon (a replica whose link is down
    // serves no PSYNC), closing the connection.
    sim.client_send(client, &words("CLIENT LIST")).unwrap();
    run_checked(&mut sim, 0);
    let replies = sim.take_replies(client);
    let [_, Frame::Bulk(list)] = &replies[..] else {
        panic!("+OK, then CLIENT LIST's bulk string: {replies:?}");
    };
    let list = String::from_utf8_lossy(list);
    assert!(
        list.contains("addr=127.0.0.1:40000 laddr=127.0.0.1:6379"),
        "{list}"
    );
}

/// Severing the two nodes resets their connection at both ends at once.
#[test]
fn sever_resets_a_node_to_node_connection_at_both_ends() {
    let mut sim = connected_pair();
    let (conn, socket) = master_link(&sim, 1).unwrap();
    sim.apply_fault(Fault::Sever(Host::Node(NodeId(1)), Host::Node(NodeId(2))));
    assert_eq!(sim.node_socket(NodeId(1), conn), None);
    assert!(!sim.network().connections.contains_key(&socket));
    for node in [1, 2] {
        assert_eq!(node_links(&sim, node), 0, "node {node}");
    }
    assert_eq!(sim.node(NodeId(2)).unwrap().connected_clients(), 0);
}

/// A crashed acceptor's machine closes the connection: the initiator sees it close after the
/// link's latency.
#[test]
fn a_crashed_acceptor_closes_the_initiators_connection() {
    let mut sim = connected_pair();
    let (conn, _) = master_link(&sim, 1).unwrap();
    sim.apply_fault(Fault::Crash(NodeId(2)));
    run_checked(&mut sim, LATENCY_MS - 1);
    assert!(
        sim.node_socket(NodeId(1), conn).is_some(),
        "the FIN is on its way"
    );
    run_checked(&mut sim, 1);
    assert_eq!(sim.node_socket(NodeId(1), conn), None);
    assert_eq!(node_links(&sim, 1), 0);
}

/// Removing the acceptor resets the connection at the initiator at once.
#[test]
fn removing_the_acceptor_resets_the_connection() {
    let mut sim = connected_pair();
    let (conn, socket) = master_link(&sim, 1).unwrap();
    sim.remove_node(NodeId(2)).unwrap();
    assert_eq!(sim.node_socket(NodeId(1), conn), None);
    assert!(!sim.network().connections.contains_key(&socket));
    assert_eq!(node_links(&sim, 1), 0);
}

/// A crashed initiator's connect in progress is dropped: what the acceptor accepted is reset,
/// and the answer reaches nobody; the restarted node connects anew at its first replication
/// cron (1 ms after it starts), on a new connection.
#[test]
fn a_crashed_initiators_connect_in_progress_is_dropped() {
    let mut sim = two_nodes();
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, LATENCY_MS);
    assert_eq!(
        sim.node(NodeId(2)).unwrap().connected_clients(),
        1,
        "accepted"
    );
    let accepted = sim.nodes[&NodeId(2)]
        .sockets
        .values()
        .copied()
        .next()
        .unwrap();
    sim.apply_fault(Fault::Crash(NodeId(1)));
    assert_eq!(sim.node(NodeId(2)).unwrap().connected_clients(), 0, "reset");
    sim.apply_fault(Fault::Restart(NodeId(1)));
    // The old answer would have arrived 5 ms from now, the new connect's comes at 11 ms.
    run_checked(&mut sim, 2 * LATENCY_MS);
    assert_eq!(master_link(&sim, 1), None, "the old answer reached nobody");
    assert_eq!(connect_failures(&sim), vec![]);
    run_checked(&mut sim, 1);
    let (_, socket) = master_link(&sim, 1).expect("its own new connect");
    assert_ne!(socket, accepted);
    assert!(!sim.network().connections.contains_key(&accepted));
}

/// A stopped node's saved config takes the role the node had when it stopped, whatever the
/// config said before, so it restarts in that role: a master stays a master, a replica stays
/// the replica of the same master.
#[test]
fn a_stopped_node_keeps_its_role_for_the_restart() {
    let mut sim = two_nodes();
    let stale = Some(("10.0.0.9".to_string(), NODE_PORT));
    sim.nodes.get_mut(&NodeId(1)).unwrap().config.replicaof = stale;
    sim.apply_fault(Fault::Crash(NodeId(1)));
    sim.apply_fault(Fault::Restart(NodeId(1)));
    let node = sim.node(NodeId(1)).unwrap();
    assert_eq!(node.state().config.replicaof, None);
    assert!(!node.state().repl.is_replica());

    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    sim.apply_fault(Fault::Crash(NodeId(1)));
    sim.apply_fault(Fault::Restart(NodeId(1)));
    let node = sim.node(NodeId(1)).unwrap();
    let master = Some(("10.0.0.2".to_string(), NODE_PORT));
    assert_eq!(node.state().config.replicaof, master);
    assert_eq!(node.replication_master(), master);
}

/// What the acceptor sends waits for the handshake's answer, as TCP's SYN-ACK comes first: an
/// acceptor that crashes while its answer is held gives the initiator a connection that then
/// closes, never a close before the connection.
#[test]
fn the_acceptors_bytes_never_overtake_the_answer() {
    let mut sim = two_nodes();
    let (a, b) = (Host::Node(NodeId(1)), Host::Node(NodeId(2)));
    sim.apply_fault(Fault::PartitionOneway(b, a));
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, LATENCY_MS);
    assert_eq!(
        sim.node(NodeId(2)).unwrap().connected_clients(),
        1,
        "accepted"
    );
    sim.apply_fault(Fault::Crash(NodeId(2)));
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 2 * LATENCY_MS);
    let log = log_lines(&sim, 1);
    let connected = log
        .iter()
        .position(|line| line == "Non blocking connect for SYNC fired the event.")
        .expect("connected");
    let closed = log
        .iter()
        .position(|line| line == "Master closed the connection during the handshake")
        .expect("then closed");
    assert!(connected < closed);
    assert_eq!(node_links(&sim, 1), 0);
    assert_eq!(connect_failures(&sim), vec![]);
}

/// A restarted node numbers its outbound connections afresh: bytes still on their way on the
/// connection its previous process had under that number reach nobody, not the new one.
#[test]
fn late_bytes_never_reach_a_new_connection_numbered_the_same() {
    let mut sim = connected_pair();
    let (old_conn, old_socket) = master_link(&sim, 1).unwrap();
    let Endpoint::Node { conn, .. } = sim.network().connections[&old_socket].acceptor else {
        panic!("a node accepted");
    };
    // Node 2's late bytes take 3 s to arrive, and node 1's FIN (its crash) 10 s to reach node 2,
    // so the old connection still exists when they arrive; the restarted node 1 reconnects,
    // under the same number, long before.
    let slowly = |sim: &mut Sim, source: u8, target: u8, latency_ms: u64| {
        let path = Path {
            source: Host::Node(NodeId(source)),
            target: Host::Node(NodeId(target)),
        };
        let config = sim.network().direction(path).config;
        sim.set_link(
            path,
            LinkConfig {
                latency_ms,
                ..config
            },
        );
        config
    };
    let node_2 = Endpoint::Node {
        node: NodeId(2),
        conn,
    };
    let back = slowly(&mut sim, 2, 1, 3_000);
    sim.write(old_socket, node_2, b"-ERR late bytes\r\n", false);
    slowly(&mut sim, 2, 1, back.latency_ms);
    let forth = slowly(&mut sim, 1, 2, 10_000);
    sim.apply_fault(Fault::Crash(NodeId(1)));
    slowly(&mut sim, 1, 2, forth.latency_ms);
    sim.apply_fault(Fault::Restart(NodeId(1)));
    run_checked(&mut sim, 1_100);
    let (new_conn, new_socket) = master_link(&sim, 1).expect("reconnected at its cron");
    assert_eq!(new_conn, old_conn, "numbered the same");
    assert_ne!(new_socket, old_socket);
    run_checked(&mut sim, 2_000);
    assert!(
        sim.network().connections.contains_key(&old_socket),
        "the late bytes arrived while the old connection was open"
    );
    assert!(
        !log_lines(&sim, 1).iter().any(|line| line.contains("late")),
        "{:?}",
        log_lines(&sim, 1)
    );
    assert_eq!(master_link(&sim, 1).map(|(_, s)| s), Some(new_socket));
}

/// The trace follows a replica's role and its link through ROLE's states, once each, from the
/// REPLICAOF to the streaming link (a snapshot big enough to arrive in several segments), and
/// back to master on REPLICAOF NO ONE.
#[test]
fn the_trace_follows_roles_and_link_states() {
    let mut sim = two_nodes();
    let big = "x".repeat(100_000);
    send(&mut sim, 2, &[&format!("SET big {big}")]);
    replicaof(&mut sim, 1, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 10_000);
    send(&mut sim, 1, &["REPLICAOF NO ONE"]);
    let changes: Vec<(String, Option<String>)> = sim
        .trace()
        .events()
        .filter_map(|event| match &event.kind {
            TraceKind::Replication { node, role, link } if *node == NodeId(1) => {
                Some((role.clone(), link.clone()))
            }
            _ => None,
        })
        .collect();
    let replica = "replica of 10.0.0.2:6379".to_string();
    let expected: Vec<(String, Option<String>)> = ["connecting", "handshake", "sync", "connected"]
        .iter()
        .map(|state| (replica.clone(), Some(state.to_string())))
        .chain([("master".to_string(), None)])
        .collect();
    assert_eq!(changes, expected);
}
