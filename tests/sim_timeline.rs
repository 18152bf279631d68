//! Time travel, specified: going back reproduces the past exactly, going forward again replays to
//! the same present, and acting in the past discards the old future.

use replication_playground::engine::resp::Frame;
use replication_playground::sim::network::{Host, LinkConfig, NodeId};
use replication_playground::sim::timeline::{SimInput, Timeline};
use replication_playground::sim::{ClientId, Fault, Sim, SimConfig};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn command(client: ClientId, line: &str) -> SimInput {
    SimInput::Command {
        client,
        args: line.split(' ').map(|w| w.as_bytes().to_vec()).collect(),
    }
}

/// A timeline with one jittery node link and a client, running ECHOs every 100 ms for 10 s, with
/// a partition from 3 s to 4 s. Returns it and the trace hash after each second.
fn recorded_run() -> (Timeline, ClientId, Vec<u64>) {
    let link = LinkConfig {
        latency_ms: 4,
        jitter_ms: 9,
        ..LinkConfig::SAME_HOST
    };
    let sim = Sim::new(SimConfig {
        node_count: 2,
        client_link: link,
        seed: 99,
        ..SimConfig::default()
    });
    let mut timeline = Timeline::new(sim, 500);
    timeline
        .apply(SimInput::AddClient { node: NodeId(1) })
        .unwrap();
    let client = ClientId(1);
    let start = timeline.sim().now();
    let mut hashes = Vec::new();
    for tick in 1..=100u64 {
        timeline
            .apply(command(client, &format!("ECHO tick-{tick}")))
            .unwrap();
        if tick == 30 {
            timeline
                .apply(SimInput::Fault(Fault::Partition(
                    Host::Client(client),
                    Host::Node(NodeId(1)),
                )))
                .unwrap();
        }
        if tick == 40 {
            timeline
                .apply(SimInput::Fault(Fault::Heal(
                    Host::Client(client),
                    Host::Node(NodeId(1)),
                )))
                .unwrap();
        }
        timeline.advance_to(start.add_millis(tick * 100));
        if tick % 10 == 0 {
            hashes.push(timeline.sim().trace().hash());
        }
    }
    (timeline, client, hashes)
}

/// Scrubbing back to any second gives exactly the state the run had then.
#[test]
fn scrubbing_back_reproduces_the_past_exactly() {
    let (mut timeline, _, hashes) = recorded_run();
    let start = timeline.horizon().0;
    for (second, expected) in hashes.iter().enumerate().rev() {
        timeline.scrub_to(start.add_millis((second as u64 + 1) * 1000));
        assert_eq!(
            timeline.sim().trace().hash(),
            *expected,
            "state at {}s",
            second + 1
        );
    }
}

/// After going back, going forward again replays to the same present.
#[test]
fn scrubbing_forward_again_returns_to_the_same_present() {
    let (mut timeline, _, hashes) = recorded_run();
    let (start, present) = timeline.horizon();
    timeline.scrub_to(start.add_millis(2_500));
    assert!(timeline.in_the_past());
    timeline.scrub_to(present);
    assert!(!timeline.in_the_past());
    assert_eq!(timeline.sim().trace().hash(), *hashes.last().unwrap());
}

/// Acting in the past forks: the old future is gone and the new one follows from the action.
#[test]
fn acting_in_the_past_discards_the_old_future() {
    let (mut timeline, client, _) = recorded_run();
    let (start, present) = timeline.horizon();
    timeline.scrub_to(start.add_millis(2_000));
    timeline.apply(command(client, "ECHO forked")).unwrap();
    assert_eq!(
        timeline.horizon().1,
        start.add_millis(2_000),
        "the later history was discarded"
    );
    timeline.advance_to(start.add_millis(2_100));
    let mut replies: Vec<Frame> = Vec::new();
    let sim = timeline.sim().clone();
    let mut sim = sim;
    replies.extend(sim.take_replies(client));
    assert_eq!(replies.last(), Some(&Frame::bulk("forked")));
    assert!(timeline.sim().now() < present);
}

/// The horizon is stated and never exceeded: scrubbing beyond it clamps.
#[test]
fn scrubbing_outside_the_horizon_clamps_to_it() {
    let (mut timeline, _, _) = recorded_run();
    let (start, present) = timeline.horizon();
    timeline.scrub_to(start.add_millis(1_000_000));
    assert_eq!(timeline.sim().now(), present);
    timeline.scrub_to(start);
    assert_eq!(timeline.sim().now(), start);
}

/// At the present, `settle` runs what is already due (a same-host reply) without moving time, and
/// a reader that never takes replies can count them; in the past it changes nothing.
#[test]
fn settle_runs_what_is_due_now_and_replies_are_counted() {
    let mut sim = Sim::new(SimConfig {
        node_count: 1,
        seed: 5,
        ..SimConfig::default()
    });
    let client = sim.add_client(NodeId(1)).unwrap();
    let (id, state) = sim.clients().next().unwrap();
    assert_eq!(id, client);
    assert!(state.is_connecting() && !state.is_connected());
    let mut timeline = Timeline::new(sim, 500);
    let start = timeline.sim().now();
    timeline.settle();
    timeline.apply(command(client, "PING")).unwrap();
    timeline.settle();
    assert_eq!(timeline.sim().now(), start, "time did not move");
    let (_, state) = timeline.sim().clients().next().unwrap();
    assert!(state.is_connected());
    assert_eq!(state.replies_received, 1);
    assert_eq!(state.replies.back(), Some(&Frame::Simple("PONG".into())));
    timeline.advance_to(start.add_millis(1_000));
    timeline.apply(command(client, "PING")).unwrap();
    timeline.scrub_to(start.add_millis(500));
    let steps = timeline.sim().steps();
    timeline.settle();
    assert_eq!(timeline.sim().steps(), steps, "the past is left to replay");
    assert_eq!(
        replication_playground::sim::node_addr(NodeId(7)),
        "10.0.0.7:6379"
    );
}
