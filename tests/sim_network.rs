//! Scenario tests of the simulated network: each proves one behaviour a user relies on, on a
//! fixed seed, with the invariant checker run after every step.

use replication_playground::engine::resp::Frame;
use replication_playground::sim::trace::{TraceKind, TraceQuery};
use replication_playground::sim::{
    checker, ClientId, Fault, Host, LinkConfig, NodeId, Path, Sim, SimConfig,
};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn args(line: &str) -> Vec<Vec<u8>> {
    line.split(' ')
        .map(|word| word.as_bytes().to_vec())
        .collect()
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

/// One node, no client yet.
fn one_node_sim(client_link: LinkConfig, seed: u64) -> Sim {
    Sim::new(SimConfig {
        node_count: 1,
        client_link,
        seed,
        ..SimConfig::default()
    })
}

/// One node and a client that has completed its handshake.
fn one_node(link: LinkConfig) -> (Sim, ClientId) {
    let mut sim = one_node_sim(link, 42);
    let client = sim.add_client(NodeId(1)).unwrap();
    while !sim.client_connected(client) {
        assert!(sim.step(), "the handshake needs events");
    }
    (sim, client)
}

/// Connecting takes a round trip (the SYN, then the node's answer); a command's reply then comes
/// back after one more round trip, not before.
#[test]
fn a_reply_arrives_after_one_round_trip() {
    let link = LinkConfig {
        latency_ms: 5,
        ..LinkConfig::SAME_HOST
    };
    let config = SimConfig {
        node_count: 1,
        client_link: link,
        seed: 42,
        ..SimConfig::default()
    };
    let mut sim = Sim::new(config);
    let client = sim.add_client(NodeId(1)).unwrap();
    run_checked(&mut sim, 9);
    assert!(
        !sim.client_connected(client),
        "the handshake takes a round trip"
    );
    run_checked(&mut sim, 1);
    assert!(sim.client_connected(client));
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 9);
    assert!(sim.take_replies(client).is_empty(), "no reply before 10 ms");
    run_checked(&mut sim, 1);
    assert_eq!(sim.take_replies(client), vec![Frame::Simple("PONG".into())]);
}

/// Jitter delays segments differently, but a stream still arrives in order, whole.
#[test]
fn jitter_never_reorders_a_stream() {
    let link = LinkConfig {
        latency_ms: 2,
        jitter_ms: 40,
        ..LinkConfig::SAME_HOST
    };
    let (mut sim, client) = one_node(link);
    for i in 0..200 {
        sim.client_send(client, &args(&format!("ECHO message-{i}")))
            .unwrap();
    }
    run_checked(&mut sim, 1_000);
    let expected: Vec<Frame> = (0..200)
        .map(|i| Frame::bulk(format!("message-{i}")))
        .collect();
    assert_eq!(sim.take_replies(client), expected);
}

/// A slow link takes as long as the bytes need: 100 KB at 10 KB/s arrive after about 10 s.
#[test]
fn bandwidth_limits_how_fast_bytes_arrive() {
    let link = LinkConfig {
        bandwidth_bytes_per_s: Some(10_000),
        ..LinkConfig::SAME_HOST
    };
    let (mut sim, client) = one_node(link);
    let big = "x".repeat(50_000);
    sim.client_send(client, &args(&format!("ECHO {big}")))
        .unwrap();
    run_checked(&mut sim, 9_000);
    assert!(
        sim.take_replies(client).is_empty(),
        "100 KB cannot cross a 10 KB/s link in 9 s"
    );
    run_checked(&mut sim, 2_000);
    assert_eq!(sim.take_replies(client), vec![Frame::bulk(big)]);
}

/// During a partition bytes silently stop; when it heals they flow again (TCP retransmits).
#[test]
fn a_partition_stops_bytes_until_healed() {
    let (mut sim, client) = one_node(LinkConfig::LAN);
    let (a, b) = (Host::Client(client), Host::Node(NodeId(1)));
    sim.apply_fault(Fault::Partition(a, b));
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 60_000);
    assert!(sim.take_replies(client).is_empty());
    assert!(
        sim.network().in_flight_bytes(Path {
            source: a,
            target: b
        }) > 0,
        "the request waits on the link"
    );
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 100);
    assert_eq!(sim.take_replies(client), vec![Frame::Simple("PONG".into())]);
}

/// A one-way partition lets requests reach the node, but its replies wait.
#[test]
fn a_oneway_partition_blocks_one_direction_only() {
    let (mut sim, client) = one_node(LinkConfig::LAN);
    let (a, b) = (Host::Client(client), Host::Node(NodeId(1)));
    sim.apply_fault(Fault::PartitionOneway(b, a));
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 1_000);
    assert!(sim.take_replies(client).is_empty());
    assert_eq!(
        sim.node(NodeId(1))
            .unwrap()
            .state()
            .stats
            .commands_processed,
        1,
        "the node ran it"
    );
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 100);
    assert_eq!(sim.take_replies(client), vec![Frame::Simple("PONG".into())]);
}

/// Severing resets the connection at both ends at once; the next command reconnects.
#[test]
fn sever_resets_both_ends() {
    let (mut sim, client) = one_node(LinkConfig::LAN);
    run_checked(&mut sim, 10);
    assert_eq!(sim.node(NodeId(1)).unwrap().connected_clients(), 1);
    sim.apply_fault(Fault::Sever(Host::Client(client), Host::Node(NodeId(1))));
    assert_eq!(sim.node(NodeId(1)).unwrap().connected_clients(), 0);
    assert!(!sim.client_connected(client));
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 100);
    assert_eq!(sim.take_replies(client), vec![Frame::Simple("PONG".into())]);
}

/// A crashed node refuses connections; restarted without a disk it comes back empty.
#[test]
fn crash_refuses_and_restart_without_disk_comes_back_empty() {
    let (mut sim, client) = one_node(LinkConfig::LAN);
    sim.client_send(client, &args("SET k v")).unwrap();
    run_checked(&mut sim, 100);
    sim.take_replies(client);
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run_checked(&mut sim, 100);
    assert!(
        !sim.client_connected(client),
        "the client saw the connection close"
    );
    sim.client_send(client, &args("GET k")).unwrap();
    run_checked(&mut sim, 100);
    assert!(
        sim.take_replies(client).is_empty(),
        "nobody answers while the node is down"
    );
    sim.apply_fault(Fault::Restart(NodeId(1)));
    sim.client_send(client, &args("GET k")).unwrap();
    run_checked(&mut sim, 100);
    assert_eq!(sim.take_replies(client), vec![Frame::Null]);
}

/// A command typed before the connection is up waits for the handshake, as in redis-cli.
#[test]
fn commands_wait_for_the_handshake() {
    let link = LinkConfig {
        latency_ms: 20,
        ..LinkConfig::SAME_HOST
    };
    let mut sim = one_node_sim(link, 42);
    let client = sim.add_client(NodeId(1)).unwrap();
    sim.client_send(client, &args("ECHO early")).unwrap();
    run_checked(&mut sim, 79);
    assert!(sim.take_replies(client).is_empty());
    run_checked(&mut sim, 1);
    assert_eq!(sim.take_replies(client), vec![Frame::bulk("early")]);
}

/// Connecting to a crashed node is refused after one round trip, and the command is dropped.
#[test]
fn connecting_to_a_crashed_node_is_refused() {
    let mut sim = one_node_sim(SimConfig::default().client_link, 3);
    sim.apply_fault(Fault::Crash(NodeId(1)));
    let client = sim.add_client(NodeId(1)).unwrap();
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 100);
    assert!(!sim.client_connected(client));
    assert!(sim.take_replies(client).is_empty());
    assert_eq!(
        sim.client_connect_error(client).as_deref(),
        Some("Connection refused")
    );
}

/// Across a partition the SYN never arrives: the connect times out after the OS's retries.
#[test]
fn connecting_across_a_partition_times_out() {
    let mut sim = one_node_sim(SimConfig::default().client_link, 3);
    sim.apply_fault(Fault::Partition(
        Host::Client(ClientId(1)),
        Host::Node(NodeId(1)),
    ));
    let client = sim.add_client(NodeId(1)).unwrap();
    run_checked(&mut sim, 126_000);
    assert_eq!(sim.client_connect_error(client), None, "still trying");
    run_checked(&mut sim, 2_000);
    assert_eq!(
        sim.client_connect_error(client).as_deref(),
        Some("Connection timed out")
    );
}

/// If the partition heals before the connect gives up, the connection is made.
#[test]
fn a_partition_healed_in_time_lets_the_connect_through() {
    let mut sim = one_node_sim(SimConfig::default().client_link, 3);
    let (a, b) = (Host::Client(ClientId(1)), Host::Node(NodeId(1)));
    sim.apply_fault(Fault::Partition(a, b));
    let client = sim.add_client(NodeId(1)).unwrap();
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 30_000);
    sim.apply_fault(Fault::Heal(a, b));
    run_checked(&mut sim, 100);
    assert!(sim.client_connected(client));
    assert_eq!(sim.take_replies(client), vec![Frame::Simple("PONG".into())]);
}

/// A node's disk holds its last snapshot: restarted with it, the node has exactly the data of
/// its last SAVE; restarted without it, nothing.
#[test]
fn restart_with_disk_loads_the_last_snapshot_and_without_it_nothing() {
    let (mut sim, client) = one_node(LinkConfig::LAN);
    for line in ["SET saved yes", "SAVE", "SET unsaved yes"] {
        sim.client_send(client, &args(line)).unwrap();
    }
    run_checked(&mut sim, 100);
    sim.take_replies(client);
    let logged: Vec<String> = sim
        .trace()
        .query(TraceQuery {
            node: Some(NodeId(1)),
            ..TraceQuery::default()
        })
        .into_iter()
        .filter_map(|event| match &event.kind {
            TraceKind::Log { line, .. } => Some(line.message.clone()),
            _ => None,
        })
        .collect();
    assert!(
        logged
            .iter()
            .any(|message| message.starts_with("Dataset saved to disk")),
        "{logged:?}"
    );
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run_checked(&mut sim, 100); // the client sees its connection close
    sim.apply_fault(Fault::Restart(NodeId(1)));
    for line in ["GET saved", "GET unsaved"] {
        sim.client_send(client, &args(line)).unwrap();
    }
    run_checked(&mut sim, 100);
    assert_eq!(
        sim.take_replies(client),
        vec![Frame::bulk("yes"), Frame::Null]
    );
    sim.apply_fault(Fault::Crash(NodeId(1)));
    run_checked(&mut sim, 100);
    sim.apply_fault(Fault::RestartWithoutDisk(NodeId(1)));
    sim.client_send(client, &args("DBSIZE")).unwrap();
    run_checked(&mut sim, 100);
    assert_eq!(sim.take_replies(client), vec![Frame::Integer(0)]);
}

/// A fault scheduled for later happens exactly then.
#[test]
fn scheduled_faults_happen_on_time() {
    let (mut sim, client) = one_node(LinkConfig::LAN);
    run_checked(&mut sim, 10);
    let (a, b) = (Host::Client(client), Host::Node(NodeId(1)));
    let at = sim.now().add_millis(500);
    sim.schedule_fault(at, Fault::Partition(a, b));
    run_checked(&mut sim, 499);
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 1);
    sim.client_send(client, &args("PING")).unwrap();
    run_checked(&mut sim, 1_000);
    assert_eq!(
        sim.take_replies(client).len(),
        0,
        "the partition at 500 ms caught both requests in flight"
    );
}

/// The same seed and the same inputs give the same trace; another seed, another one.
#[test]
fn the_trace_is_determined_by_the_seed() {
    let run = |seed: u64| {
        let link = LinkConfig {
            latency_ms: 3,
            jitter_ms: 7,
            ..LinkConfig::SAME_HOST
        };
        let mut sim = Sim::new(SimConfig {
            node_count: 2,
            client_link: link,
            seed,
            ..SimConfig::default()
        });
        let client = sim.add_client(NodeId(2)).unwrap();
        for i in 0..50 {
            sim.client_send(client, &args(&format!("ECHO {i}")))
                .unwrap();
        }
        run_checked(&mut sim, 2_000);
        sim.trace().hash()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}
