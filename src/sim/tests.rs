//! Connections a node opens itself (a replica reaching its master), driven through
//! `Sim::connect_from_node`, which carries out a node's `Output::Connect` (the engine does not
//! issue one by itself yet): each test proves one behaviour, with the invariant checker run after
//! every step.

use super::trace::TraceKind;
use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The first number of a node's outbound range: what its first connect is called.
const OUTBOUND: ConnId = ConnId(ConnId::OUTBOUND_FIRST);
/// The one-way latency of the node-to-node links in these tests.
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

/// The connection node `node` holds as `conn`, if any.
fn socket_of(sim: &Sim, node: u8, conn: ConnId) -> Option<SocketId> {
    sim.node_socket(NodeId(node), conn)
}

/// Node 1's first outbound connection to node 2, made (a round trip on the link).
fn connected_pair() -> Sim {
    let mut sim = two_nodes();
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 2 * LATENCY_MS);
    assert!(socket_of(&sim, 1, OUTBOUND).is_some(), "connected");
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

/// The replies a new client of `node` gets to `command`, once it has run.
fn ask(sim: &mut Sim, node: u8, command: &[&str]) -> Vec<Frame> {
    let client = sim.add_client(NodeId(node)).unwrap();
    let args: Vec<Vec<u8>> = command
        .iter()
        .map(|word| word.as_bytes().to_vec())
        .collect();
    sim.client_send(client, &args).unwrap();
    run_checked(sim, 100);
    sim.take_replies(client)
}

/// A connect to an up node takes one round trip, then both nodes hold the same connection, and
/// the trace shows node 1's outbound end opening it.
#[test]
fn a_connect_to_an_up_node_is_made_after_one_round_trip() {
    let mut sim = two_nodes();
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 2 * LATENCY_MS - 1);
    assert_eq!(
        socket_of(&sim, 1, OUTBOUND),
        None,
        "the answer is on its way"
    );
    run_checked(&mut sim, 1);
    let socket = socket_of(&sim, 1, OUTBOUND).expect("the initiator is connected");
    let connection = &sim.network().connections[&socket];
    assert_eq!(
        connection.initiator,
        Endpoint::Node {
            node: NodeId(1),
            conn: OUTBOUND
        }
    );
    let Endpoint::Node { node, conn } = connection.acceptor else {
        panic!("a node accepted");
    };
    assert_eq!((node, socket_of(&sim, 2, conn)), (NodeId(2), Some(socket)));
    assert!(sim.trace().events().any(|event| matches!(
        event.kind,
        TraceKind::Opened { socket: opened, .. } if opened == socket
    )));
}

/// Bytes cross a node-to-node connection both ways, each way after the link's latency.
#[test]
fn bytes_flow_both_ways_between_connected_nodes() {
    let mut sim = connected_pair();
    let socket = socket_of(&sim, 1, OUTBOUND).unwrap();
    let initiator = Endpoint::Node {
        node: NodeId(1),
        conn: OUTBOUND,
    };
    let commands_run = |sim: &Sim| {
        sim.node(NodeId(2))
            .unwrap()
            .state()
            .stats
            .commands_processed
    };
    // Node 2 answers an empty array, which node 1 (no replica side yet) reads as an empty
    // request, so the exchange ends there.
    sim.write(socket, initiator, b"KEYS *\r\n", false);
    run_checked(&mut sim, LATENCY_MS - 1);
    assert_eq!(commands_run(&sim), 0, "the request is on the link");
    run_checked(&mut sim, 1);
    assert_eq!(commands_run(&sim), 1, "node 2 ran it");
    let received = |sim: &Sim| sim.node(NodeId(1)).unwrap().state().stats.net_input_bytes;
    run_checked(&mut sim, LATENCY_MS - 1);
    assert_eq!(received(&sim), 0, "the reply is on the link");
    run_checked(&mut sim, 1);
    assert_eq!(
        received(&sim),
        b"*0\r\n".len() as u64,
        "node 1 got the reply"
    );
}

/// The acceptor sees the initiator's address with an ephemeral port, and its own address as
/// the one dialled.
#[test]
fn the_acceptor_sees_the_initiators_address() {
    let mut sim = connected_pair();
    let [Frame::Bulk(list)] = &ask(&mut sim, 2, &["CLIENT", "LIST"])[..] else {
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
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 2 * LATENCY_MS - 1);
    assert_eq!(connect_failures(&sim), vec![]);
    run_checked(&mut sim, 1);
    assert_eq!(
        connect_failures(&sim),
        failure(Some(2), "10.0.0.2:6379", "Connection refused")
    );
    assert_eq!(socket_of(&sim, 1, OUTBOUND), None);
}

/// A port nothing listens on is refused after a round trip, and the node accepts nothing.
#[test]
fn a_wrong_port_is_refused() {
    let mut sim = two_nodes();
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", 6380);
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
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, 60_000);
    assert_eq!(socket_of(&sim, 1, OUTBOUND), None);
    assert_eq!(connect_failures(&sim), vec![], "still trying");
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 2 * LATENCY_MS);
    assert!(socket_of(&sim, 1, OUTBOUND).is_some());
}

/// A partition that outlasts the OS's retries times the connect out at 127 s.
#[test]
fn a_partition_that_lasts_times_the_connect_out() {
    let mut sim = two_nodes();
    sim.apply_fault(Fault::Partition(
        Host::Node(NodeId(1)),
        Host::Node(NodeId(2)),
    ));
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
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
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.9", NODE_PORT);
    run_checked(&mut sim, CONNECT_TIMEOUT_MS - 1);
    assert_eq!(connect_failures(&sim), vec![]);
    run_checked(&mut sim, 1);
    assert_eq!(
        connect_failures(&sim),
        failure(None, "10.0.0.9:6379", "Connection timed out")
    );
}

/// A host name the network does not know fails as the next event, not while the node's
/// outputs are being drained, and without time passing.
#[test]
fn an_unknown_host_name_fails_at_once() {
    let mut sim = two_nodes();
    let start = sim.now();
    sim.connect_from_node(NodeId(1), OUTBOUND, "master.example", NODE_PORT);
    assert_eq!(connect_failures(&sim), vec![], "not re-entrantly");
    assert!(sim.step());
    assert_eq!(sim.now(), start);
    assert_eq!(
        connect_failures(&sim),
        failure(None, "master.example:6379", "Name or service not known")
    );
}

/// `localhost` is the node itself: it connects to its own port, over loopback addresses.
#[test]
fn localhost_is_the_node_itself() {
    let mut sim = two_nodes();
    sim.connect_from_node(NodeId(1), OUTBOUND, "localhost", NODE_PORT);
    run_checked(&mut sim, 0);
    assert!(
        socket_of(&sim, 1, OUTBOUND).is_some(),
        "no latency on loopback"
    );
    let list = ask(&mut sim, 1, &["CLIENT", "LIST"]);
    let [Frame::Bulk(list)] = &list[..] else {
        panic!("CLIENT LIST answers one bulk string");
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
    let socket = socket_of(&sim, 1, OUTBOUND).unwrap();
    sim.apply_fault(Fault::Sever(Host::Node(NodeId(1)), Host::Node(NodeId(2))));
    assert_eq!(socket_of(&sim, 1, OUTBOUND), None);
    assert!(!sim.network().connections.contains_key(&socket));
    for node in [1, 2] {
        assert_eq!(sim.node(NodeId(node)).unwrap().connected_clients(), 0);
    }
}

/// A crashed acceptor's machine closes the connection: the initiator sees it close after the
/// link's latency.
#[test]
fn a_crashed_acceptor_closes_the_initiators_connection() {
    let mut sim = connected_pair();
    sim.apply_fault(Fault::Crash(NodeId(2)));
    run_checked(&mut sim, LATENCY_MS - 1);
    assert!(
        socket_of(&sim, 1, OUTBOUND).is_some(),
        "the FIN is on its way"
    );
    run_checked(&mut sim, 1);
    assert_eq!(socket_of(&sim, 1, OUTBOUND), None);
    assert_eq!(sim.node(NodeId(1)).unwrap().connected_clients(), 0);
}

/// Removing the acceptor resets the connection at the initiator at once.
#[test]
fn removing_the_acceptor_resets_the_connection() {
    let mut sim = connected_pair();
    sim.remove_node(NodeId(2)).unwrap();
    assert_eq!(socket_of(&sim, 1, OUTBOUND), None);
    assert_eq!(sim.network().connections.len(), 0);
}

/// A crashed initiator's connect in progress is dropped: what the acceptor accepted is reset,
/// and no answer reaches the restarted node.
#[test]
fn a_crashed_initiators_connect_in_progress_is_dropped() {
    let mut sim = two_nodes();
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, LATENCY_MS);
    assert_eq!(
        sim.node(NodeId(2)).unwrap().connected_clients(),
        1,
        "accepted"
    );
    sim.apply_fault(Fault::Crash(NodeId(1)));
    assert_eq!(sim.node(NodeId(2)).unwrap().connected_clients(), 0, "reset");
    sim.apply_fault(Fault::Restart(NodeId(1)));
    run_checked(&mut sim, CONNECT_TIMEOUT_MS);
    assert_eq!(socket_of(&sim, 1, OUTBOUND), None);
    assert_eq!(connect_failures(&sim), vec![]);
    assert_eq!(sim.network().connections.len(), 0);
}

/// A stopped node's saved config takes the role the node had when it stopped, whatever the
/// config said before, so it restarts in that role.
#[test]
fn a_stopped_node_keeps_its_role_for_the_restart() {
    let mut sim = two_nodes();
    let stale = Some(("10.0.0.9".to_string(), NODE_PORT));
    sim.nodes.get_mut(&NodeId(1)).unwrap().config.replicaof = stale;
    let role = sim.node(NodeId(1)).unwrap().replication_master();
    sim.apply_fault(Fault::Crash(NodeId(1)));
    sim.apply_fault(Fault::Restart(NodeId(1)));
    assert_eq!(sim.node(NodeId(1)).unwrap().state().config.replicaof, role);
}

/// What the acceptor sends waits for the handshake's answer, as TCP's SYN-ACK comes first: an
/// acceptor that crashes while its answer is held gives the initiator a connection that then
/// closes, never a close before the connection.
#[test]
fn the_acceptors_bytes_never_overtake_the_answer() {
    let mut sim = two_nodes();
    let (a, b) = (Host::Node(NodeId(1)), Host::Node(NodeId(2)));
    sim.apply_fault(Fault::PartitionOneway(b, a));
    sim.connect_from_node(NodeId(1), OUTBOUND, "10.0.0.2", NODE_PORT);
    run_checked(&mut sim, LATENCY_MS);
    assert_eq!(
        sim.node(NodeId(2)).unwrap().connected_clients(),
        1,
        "accepted"
    );
    sim.apply_fault(Fault::Crash(NodeId(2)));
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 2 * LATENCY_MS);
    let node = sim.node(NodeId(1)).unwrap();
    assert_eq!(node.state().stats.connections_received, 1, "connected");
    assert_eq!(node.connected_clients(), 0, "then closed");
    assert_eq!(connect_failures(&sim), vec![]);
}

/// A restarted node numbers its outbound connections afresh: bytes still on their way on the
/// connection its previous process had under that number reach nobody, not the new one.
#[test]
fn late_bytes_never_reach_a_new_connection_numbered_the_same() {
    let mut sim = connected_pair();
    let old_socket = socket_of(&sim, 1, OUTBOUND).unwrap();
    let Endpoint::Node { conn, .. } = sim.network().connections[&old_socket].acceptor else {
        panic!("a node accepted");
    };
    let node_2 = Endpoint::Node {
        node: NodeId(2),
        conn,
    };
    sim.write(old_socket, node_2, b"PING\r\n", false);
    sim.apply_fault(Fault::Crash(NodeId(1)));
    sim.apply_fault(Fault::Restart(NodeId(1)));
    sim.connect_from_node(NodeId(1), OUTBOUND, "localhost", NODE_PORT);
    run_checked(&mut sim, 0);
    let new_socket = socket_of(&sim, 1, OUTBOUND).expect("reconnected");
    assert_ne!(new_socket, old_socket);
    run_checked(&mut sim, 2 * LATENCY_MS);
    let stats = &sim.node(NodeId(1)).unwrap().state().stats;
    assert_eq!(stats.commands_processed, 0);
}
