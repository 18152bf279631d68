//! Pub/sub behaviour, as checked against Redis 7.0.15.

use crate::engine::client::{Client, Peer};
use crate::engine::command::test_support::TestNode;
use crate::engine::command::{process, Ctx};
use crate::engine::propagate::PropagatedCommand;
use crate::engine::resp::{split_args, Frame};
use crate::engine::ConnId;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn bulk(text: &str) -> Frame {
    Frame::bulk(text)
}

fn push(words: &[&str], count: Option<i64>) -> Frame {
    let mut items: Vec<Frame> = words.iter().map(|w| bulk(w)).collect();
    if let Some(count) = count {
        items.push(Frame::Integer(count));
    }
    Frame::Array(items)
}

/// A node with clients 1 and 2.
fn two_clients() -> TestNode {
    let mut node = TestNode::new();
    node.clients.insert(
        ConnId(2),
        Box::new(Client::new(2, ConnId(2), Peer::default(), node.now, true)),
    );
    node
}

/// Runs `line` as `conn` and returns everything it wrote to `conn`, in order.
fn run_as(node: &mut TestNode, conn: u32, line: &str) -> Vec<Frame> {
    let args = split_args(line.as_bytes()).expect("balanced quotes");
    let conn = ConnId(conn);
    let mut ctx = Ctx::new(node.now, &mut node.state, &mut node.clients, conn);
    let reply = process(&mut ctx, &args);
    let client = node.clients.get_mut(&conn).expect("client");
    let mut written = std::mem::take(&mut client.preceding_replies);
    written.push(reply);
    written
}

/// Messages queued for `conn`, in order, and forgets them.
fn pushed_to(node: &mut TestNode, conn: u32) -> Vec<Frame> {
    let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut node.state.pending_pushes)
        .into_iter()
        .partition(|(to, _)| *to == ConnId(conn));
    node.state.pending_pushes = others;
    mine.into_iter().map(|(_, frame)| frame).collect()
}

#[test]
fn subscribe_confirms_each_channel_with_the_running_count() {
    let mut node = two_clients();
    assert_eq!(
        run_as(&mut node, 1, "SUBSCRIBE a b a"),
        vec![
            push(&["subscribe", "a"], Some(1)),
            push(&["subscribe", "b"], Some(2)),
            push(&["subscribe", "a"], Some(2)),
        ]
    );
    assert_eq!(
        run_as(&mut node, 1, "PSUBSCRIBE h?llo"),
        vec![push(&["psubscribe", "h?llo"], Some(3))]
    );
    // Shard channels count on their own.
    assert_eq!(
        run_as(&mut node, 1, "SSUBSCRIBE s"),
        vec![push(&["ssubscribe", "s"], Some(1))]
    );
}

#[test]
fn publish_delivers_message_then_pmessage_and_counts_deliveries() {
    let mut node = two_clients();
    run_as(&mut node, 1, "SUBSCRIBE news");
    run_as(&mut node, 1, "PSUBSCRIBE n*");
    assert_eq!(
        run_as(&mut node, 2, "PUBLISH news hi"),
        vec![Frame::Integer(2)]
    );
    assert_eq!(
        pushed_to(&mut node, 1),
        vec![
            push(&["message", "news", "hi"], None),
            push(&["pmessage", "n*", "news", "hi"], None),
        ]
    );
    assert_eq!(
        run_as(&mut node, 2, "PUBLISH other hi"),
        vec![Frame::Integer(0)]
    );
    assert!(pushed_to(&mut node, 1).is_empty());
}

#[test]
fn publish_is_propagated_even_without_receivers() {
    let mut node = two_clients();
    run_as(&mut node, 2, "PUBLISH c m");
    let argv = ["PUBLISH", "c", "m"]
        .map(|w| w.as_bytes().to_vec())
        .to_vec();
    assert_eq!(
        node.take_propagated(),
        vec![vec![PropagatedCommand::in_db(0, argv)]]
    );
    assert_eq!(node.state.dirty, 0);
}

#[test]
fn spublish_reaches_shard_subscribers_only() {
    let mut node = two_clients();
    run_as(&mut node, 1, "SUBSCRIBE c");
    run_as(&mut node, 1, "PSUBSCRIBE *");
    run_as(&mut node, 1, "SSUBSCRIBE c");
    assert_eq!(
        run_as(&mut node, 2, "SPUBLISH c m"),
        vec![Frame::Integer(1)]
    );
    assert_eq!(
        pushed_to(&mut node, 1),
        vec![push(&["smessage", "c", "m"], None)]
    );
}

#[test]
fn subscriber_mode_refuses_other_commands_and_pings_as_an_array() {
    let mut node = TestNode::new();
    node.run("SUBSCRIBE c");
    assert_eq!(node.run("PING"), push(&["pong", ""], None));
    assert_eq!(node.run("PING x"), push(&["pong", "x"], None));
    assert_eq!(
        node.run("ECHO x"),
        Frame::error(
            "ERR Can't execute 'echo': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
        )
    );
    // Existence and arity are checked first.
    assert_eq!(
        node.run("PING a b"),
        Frame::error("ERR wrong number of arguments for 'ping' command")
    );
    node.run("UNSUBSCRIBE");
    assert_eq!(node.run("PING"), Frame::Simple("PONG".into()));
}

#[test]
fn unsubscribe_without_arguments_answers_nil_when_nothing_is_subscribed() {
    let mut node = two_clients();
    assert_eq!(
        run_as(&mut node, 1, "UNSUBSCRIBE"),
        vec![Frame::Array(vec![
            bulk("unsubscribe"),
            Frame::Null,
            Frame::Integer(0)
        ])]
    );
    run_as(&mut node, 1, "PSUBSCRIBE b* a*");
    assert_eq!(
        run_as(&mut node, 1, "PUNSUBSCRIBE"),
        vec![
            push(&["punsubscribe", "b*"], Some(1)),
            push(&["punsubscribe", "a*"], Some(0)),
        ]
    );
}

#[test]
fn subscriber_mode_lasts_while_any_kind_of_subscription_remains() {
    let mut node = TestNode::new();
    node.run("SSUBSCRIBE s");
    node.run("SUBSCRIBE c");
    assert_eq!(
        node.run("UNSUBSCRIBE"),
        push(&["unsubscribe", "c"], Some(0))
    );
    assert_eq!(node.run("PING"), push(&["pong", ""], None));
    assert_eq!(
        node.run("SUNSUBSCRIBE s"),
        push(&["sunsubscribe", "s"], Some(0))
    );
    assert_eq!(node.run("PING"), Frame::Simple("PONG".into()));
}

#[test]
fn pubsub_introspection_counts_channels_subscribers_and_distinct_patterns() {
    let mut node = two_clients();
    run_as(&mut node, 1, "SUBSCRIBE a b");
    run_as(&mut node, 2, "SUBSCRIBE a");
    run_as(&mut node, 1, "PSUBSCRIBE p*");
    run_as(&mut node, 2, "PSUBSCRIBE p*");
    node.clients.insert(
        ConnId(3),
        Box::new(Client::new(3, ConnId(3), Peer::default(), node.now, true)),
    );
    assert_eq!(
        run_as(&mut node, 3, "PUBSUB NUMSUB a b c a"),
        vec![Frame::Array(vec![
            bulk("a"),
            Frame::Integer(2),
            bulk("b"),
            Frame::Integer(1),
            bulk("c"),
            Frame::Integer(0),
            bulk("a"),
            Frame::Integer(2),
        ])]
    );
    assert_eq!(
        run_as(&mut node, 3, "PUBSUB NUMPAT"),
        vec![Frame::Integer(1)]
    );
    assert_eq!(
        run_as(&mut node, 3, "PUBSUB CHANNELS"),
        vec![Frame::Array(vec![bulk("a"), bulk("b")])]
    );
    assert_eq!(
        run_as(&mut node, 3, "PUBSUB CHANNELS [b]"),
        vec![Frame::Array(vec![bulk("b")])]
    );
    assert_eq!(
        run_as(&mut node, 3, "pubsub channels a b"),
        vec![Frame::error(
            "ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP."
        )]
    );
}

#[test]
fn a_closing_client_no_longer_receives() {
    let mut node = two_clients();
    run_as(&mut node, 1, "SUBSCRIBE c");
    run_as(&mut node, 1, "QUIT");
    assert_eq!(run_as(&mut node, 2, "PUBLISH c m"), vec![Frame::Integer(0)]);
}

#[test]
fn subscribe_inside_exec_writes_every_confirmation_in_order() {
    let mut node = TestNode::new();
    node.run("MULTI");
    node.run("SUBSCRIBE a b");
    node.run("PUBLISH a m");
    // Redis writes `*2`, the two confirmations, the message to itself, then PUBLISH's `:1`.
    let reply = node.run("EXEC");
    let client = node.clients.get_mut(&ConnId(1)).expect("client");
    let mut written = std::mem::take(&mut client.preceding_replies);
    written.push(reply);
    let bytes: Vec<u8> = written.iter().flat_map(Frame::to_bytes).collect();
    let expected = "*2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n\
                    *3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n\
                    *3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n:1\r\n";
    assert_eq!(String::from_utf8_lossy(&bytes), expected);
}
