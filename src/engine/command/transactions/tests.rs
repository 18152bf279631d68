//! MULTI/EXEC/DISCARD/WATCH/UNWATCH behaviour, as checked against Redis 7.0.15.

use crate::engine::command::test_support::TestNode;
use crate::engine::command::Ctx;
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::propagate::PropagatedCommand;
use crate::engine::resp::Frame;
use crate::engine::ConnId;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn queued() -> Frame {
    Frame::Simple("QUEUED".into())
}

/// Another client's write to `key` in db 0, as a write command would do it.
fn write_key(node: &mut TestNode, key: &str) {
    let value = Value::String(StringValue::new(b"v".to_vec()));
    node.state.keyspace.db_mut(0).insert(key.as_bytes(), value);
    node.state.signal_modified_key(0, key.as_bytes());
}

/// Puts `key` in db 0 with a TTL of `ttl_ms`.
fn write_volatile_key(node: &mut TestNode, key: &str, ttl_ms: u64) {
    write_key(node, key);
    let at = node.now.as_millis() + ttl_ms;
    node.state
        .keyspace
        .db_mut(0)
        .set_expire(key.as_bytes(), Some(at));
}

/// A read of `key` by client 1, deleting it if expired (lazy expiry).
fn read_key(node: &mut TestNode, key: &str) {
    let mut ctx = Ctx::new(node.now, &mut node.state, &mut node.clients, ConnId(1));
    ctx.lookup_read(key.as_bytes());
}

fn argv(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

#[test]
fn exec_runs_every_command_even_after_one_fails() {
    let mut node = TestNode::new();
    assert_eq!(node.run("MULTI"), Frame::ok());
    assert_eq!(node.run("PING"), queued());
    assert_eq!(node.run("SELECT 99"), queued());
    assert_eq!(node.run("ECHO x"), queued());
    assert_eq!(
        node.run("EXEC"),
        Frame::Array(vec![
            Frame::Simple("PONG".into()),
            Frame::error("ERR DB index is out of range"),
            Frame::bulk("x"),
        ])
    );
}

#[test]
fn nested_multi_and_watch_inside_multi_are_refused_without_dooming_it() {
    let mut node = TestNode::new();
    node.run("MULTI");
    assert_eq!(
        node.run("MULTI"),
        Frame::error("ERR MULTI calls can not be nested")
    );
    assert_eq!(
        node.run("WATCH k"),
        Frame::error("ERR WATCH inside MULTI is not allowed")
    );
    assert_eq!(node.run("UNWATCH"), queued());
    assert_eq!(node.run("EXEC"), Frame::Array(vec![Frame::ok()]));
}

#[test]
fn exec_and_discard_without_multi_are_errors() {
    let mut node = TestNode::new();
    assert_eq!(node.run("EXEC"), Frame::error("ERR EXEC without MULTI"));
    assert_eq!(
        node.run("DISCARD"),
        Frame::error("ERR DISCARD without MULTI")
    );
}

#[test]
fn exec_refused_by_arity_discards_the_transaction_even_outside_multi() {
    let mut node = TestNode::new();
    let abort =
        "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command";
    assert_eq!(node.run("EXEC x"), Frame::error(abort));
    node.run("MULTI");
    node.run("PING");
    assert_eq!(node.run("EXEC x"), Frame::error(abort));
    assert_eq!(node.run("EXEC"), Frame::error("ERR EXEC without MULTI"));
    assert_eq!(node.state.stats.commands["exec"].rejected_calls, 2);
}

#[test]
fn discard_with_arguments_dooms_the_transaction() {
    let mut node = TestNode::new();
    node.run("MULTI");
    assert_eq!(
        node.run("DISCARD x"),
        Frame::error("ERR wrong number of arguments for 'discard' command")
    );
    assert_eq!(
        node.run("EXEC"),
        Frame::error("EXECABORT Transaction discarded because of previous errors.")
    );
}

#[test]
fn watch_after_any_write_makes_exec_reply_nil() {
    let mut node = TestNode::new();
    assert_eq!(node.run("WATCH k"), Frame::ok());
    write_key(&mut node, "k");
    node.run("MULTI");
    node.run("PING");
    assert_eq!(node.run("EXEC"), Frame::NullArray);
    // EXEC unwatched everything: the next transaction runs.
    write_key(&mut node, "k");
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));
}

#[test]
fn watch_is_per_database() {
    let mut node = TestNode::new();
    node.run("SELECT 1");
    node.run("WATCH k");
    write_key(&mut node, "k");
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));
}

#[test]
fn unwatch_forgives_a_changed_key_but_discard_without_multi_does_not() {
    let mut node = TestNode::new();
    node.run("WATCH k");
    write_key(&mut node, "k");
    node.run("DISCARD");
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::NullArray);

    node.run("WATCH k");
    write_key(&mut node, "k");
    assert_eq!(node.run("UNWATCH"), Frame::ok());
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));
}

#[test]
fn watch_then_expiry_before_exec_makes_exec_reply_nil() {
    let mut node = TestNode::new();
    write_volatile_key(&mut node, "k", 100);
    node.run("WATCH k");
    node.now = node.now.add_millis(200);
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::NullArray);
}

#[test]
fn watch_of_an_already_expired_key_ignores_its_deletion() {
    let mut node = TestNode::new();
    write_volatile_key(&mut node, "k", 50);
    node.now = node.now.add_millis(100);
    node.run("WATCH k");
    read_key(&mut node, "k");
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));
}

#[test]
fn watch_of_an_already_expired_key_still_sees_it_recreated() {
    let mut node = TestNode::new();
    write_volatile_key(&mut node, "k", 50);
    node.now = node.now.add_millis(100);
    node.run("WATCH k");
    read_key(&mut node, "k");
    write_key(&mut node, "k");
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::NullArray);
}

#[test]
fn flush_fails_only_watchers_of_keys_that_exist() {
    let mut node = TestNode::new();
    node.run("WATCH missing");
    node.state.signal_flushed_db(None);
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));

    write_key(&mut node, "k");
    node.run("WATCH k");
    node.state.signal_flushed_db(Some(1));
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));

    node.run("WATCH k");
    node.state.signal_flushed_db(Some(0));
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::NullArray);
}

#[test]
fn flush_of_a_key_expired_when_watched_changes_nothing() {
    let mut node = TestNode::new();
    write_volatile_key(&mut node, "k", 50);
    node.now = node.now.add_millis(100);
    node.run("WATCH k");
    node.state.signal_flushed_db(None);
    node.state.keyspace.clear();
    node.run("MULTI");
    assert_eq!(node.run("EXEC"), Frame::Array(vec![]));
}

#[test]
fn exec_refused_for_memory_when_in_multi_dooms_the_transaction() {
    let mut node = TestNode::new();
    write_key(&mut node, "k");
    node.state.config.maxmemory_bytes = 1;
    let oom = Frame::error("OOM command not allowed when used memory > 'maxmemory'.");
    assert_eq!(node.run("MULTI"), Frame::ok());
    assert_eq!(node.run("PING"), oom);
    assert_eq!(node.run("WATCH k"), oom);
    assert_eq!(
        node.run("EXEC"),
        Frame::error("EXECABORT Transaction discarded because of previous errors.")
    );
    node.run("MULTI");
    assert_eq!(node.run("DISCARD"), Frame::ok());
}

#[test]
fn a_doomed_transaction_stores_nothing_more() {
    let mut node = TestNode::new();
    node.run("MULTI");
    node.run("PING");
    node.run("NOPE");
    assert_eq!(node.run("PING"), queued());
    let queued_count = node.clients[&ConnId(1)]
        .transaction
        .as_ref()
        .map(|t| t.queued.len());
    assert_eq!(queued_count, Some(1));
}

#[test]
fn exec_wraps_several_propagated_commands_but_not_one() {
    let mut node = TestNode::new();
    node.run("MULTI");
    node.run("PUBLISH a 1");
    node.run("EXEC");
    assert_eq!(
        node.take_propagated(),
        vec![vec![PropagatedCommand::in_db(
            0,
            argv(&["PUBLISH", "a", "1"])
        )]]
    );

    node.run("MULTI");
    node.run("PUBLISH a 1");
    node.run("SELECT 3");
    node.run("PUBLISH b 2");
    node.run("EXEC");
    let multi = PropagatedCommand::in_db(0, argv(&["MULTI"]));
    let exec = PropagatedCommand {
        db: None,
        argv: argv(&["EXEC"]),
    };
    assert_eq!(
        node.take_propagated(),
        vec![vec![
            multi,
            PropagatedCommand::in_db(0, argv(&["PUBLISH", "a", "1"])),
            PropagatedCommand::in_db(3, argv(&["PUBLISH", "b", "2"])),
            exec,
        ]]
    );
}

#[test]
fn empty_and_read_only_transactions_propagate_nothing() {
    let mut node = TestNode::new();
    node.run("MULTI");
    node.run("EXEC");
    node.run("MULTI");
    node.run("PING");
    node.run("EXEC");
    assert!(node.take_propagated().is_empty());
}
