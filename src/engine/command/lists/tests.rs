//! Behaviour of the list commands, replies and propagation, as checked against Redis 7.0.15.

use super::element_index;
use crate::engine::command::test_support::TestNode;
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const WRONG_TYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

fn bulks(items: &[&str]) -> Frame {
    Frame::Array(items.iter().map(|item| Frame::bulk(*item)).collect())
}

fn ints(items: &[i64]) -> Frame {
    Frame::Array(items.iter().copied().map(Frame::Integer).collect())
}

fn err(message: &str) -> Frame {
    Frame::error(message)
}

/// What the node propagated since the last call, one string per command, units flattened.
fn propagated(node: &mut TestNode) -> Vec<String> {
    node.take_propagated()
        .concat()
        .iter()
        .map(|command| {
            let words: Vec<_> = command
                .argv
                .iter()
                .map(|arg| String::from_utf8_lossy(arg))
                .collect();
            words.join(" ")
        })
        .collect()
}

/// A node holding the string `s` and the list `l` = a b c, with nothing propagated yet.
fn node_with_list() -> TestNode {
    let mut node = TestNode::new();
    node.state
        .keyspace
        .db_mut(0)
        .insert(b"s", Value::String(StringValue::new(b"x".to_vec())));
    assert_eq!(node.run("RPUSH l a b c"), Frame::Integer(3));
    node.take_propagated();
    node
}

#[test]
fn element_index_counts_negative_indexes_from_the_tail() {
    assert_eq!(element_index(0, 3), Some(0));
    assert_eq!(element_index(-1, 3), Some(2));
    assert_eq!(element_index(-3, 3), Some(0));
    assert_eq!(element_index(-4, 3), None);
    assert_eq!(element_index(3, 3), None);
    assert_eq!(element_index(i64::MIN, 3), None);
    assert_eq!(element_index(i64::MAX, 3), None);
}

#[test]
fn push_lpush_reverses_its_arguments_and_propagates_as_sent() {
    let mut node = TestNode::new();
    assert_eq!(node.run("LPUSH l a b c"), Frame::Integer(3));
    assert_eq!(node.run("RPUSH l d"), Frame::Integer(4));
    assert_eq!(node.run("LRANGE l 0 -1"), bulks(&["c", "b", "a", "d"]));
    assert_eq!(propagated(&mut node), ["LPUSH l a b c", "RPUSH l d"]);
    assert_eq!(node.state.dirty, 4);
}

#[test]
fn push_x_variants_touch_only_existing_lists() {
    let mut node = node_with_list();
    assert_eq!(node.run("LPUSHX missing a b"), Frame::Integer(0));
    assert_eq!(node.run("RPUSHX missing a"), Frame::Integer(0));
    assert_eq!(node.run("LLEN missing"), Frame::Integer(0));
    assert_eq!(propagated(&mut node), Vec::<String>::new());
    assert_eq!(node.run("LPUSHX l z y"), Frame::Integer(5));
    assert_eq!(node.run("RPUSHX l d"), Frame::Integer(6));
    assert_eq!(
        node.run("LRANGE l 0 -1"),
        bulks(&["y", "z", "a", "b", "c", "d"])
    );
    assert_eq!(node.run("LPUSHX s a"), err(WRONG_TYPE));
    assert_eq!(node.run("RPUSH s a"), err(WRONG_TYPE));
}

#[test]
fn pop_of_a_missing_key_is_nil_bulk_or_nil_array_and_propagates_nothing() {
    let mut node = TestNode::new();
    assert_eq!(node.run("LPOP missing"), Frame::Null);
    assert_eq!(node.run("RPOP missing 0"), Frame::NullArray);
    assert_eq!(node.run("LPOP missing 3"), Frame::NullArray);
    assert_eq!(propagated(&mut node), Vec::<String>::new());
}

#[test]
fn pop_count_is_checked_before_the_key() {
    let mut node = node_with_list();
    let not_positive = err("ERR value is out of range, must be positive");
    assert_eq!(node.run("LPOP s -1"), not_positive);
    assert_eq!(node.run("LPOP missing abc"), not_positive);
    assert_eq!(node.run("RPOP l 9223372036854775808"), not_positive);
    assert_eq!(node.run("LPOP s 0"), err(WRONG_TYPE));
    assert_eq!(
        node.run("LPOP l 1 2"),
        err("ERR wrong number of arguments for 'lpop' command")
    );
}

#[test]
fn pop_with_count_zero_replies_empty_and_changes_nothing() {
    let mut node = node_with_list();
    assert_eq!(node.run("LPOP l 0"), Frame::Array(vec![]));
    assert_eq!(node.run("LLEN l"), Frame::Integer(3));
    assert_eq!(propagated(&mut node), Vec::<String>::new());
}

#[test]
fn pop_with_a_huge_count_empties_and_deletes_the_list() {
    let mut node = node_with_list();
    assert_eq!(node.run("RPOP l 1"), bulks(&["c"]));
    assert_eq!(node.run("RPOP l 9223372036854775807"), bulks(&["b", "a"]));
    assert!(node.state.keyspace.db(0).lookup(b"l").is_none());
    assert_eq!(node.run("RPOP l"), Frame::Null);
    assert_eq!(
        propagated(&mut node),
        ["RPOP l 1", "RPOP l 9223372036854775807"]
    );
    assert_eq!(node.state.dirty, 3 + 3);
}

#[test]
fn pop_without_count_replies_with_a_bulk() {
    let mut node = node_with_list();
    assert_eq!(node.run("LPOP l"), Frame::bulk("a"));
    assert_eq!(node.run("RPOP l"), Frame::bulk("c"));
    assert_eq!(node.run("LPOP s"), err(WRONG_TYPE));
    assert_eq!(propagated(&mut node), ["LPOP l", "RPOP l"]);
}

#[test]
fn lrange_clamps_huge_and_negative_ranges() {
    let mut node = node_with_list();
    assert_eq!(node.run("LRANGE l 0 9999999999"), bulks(&["a", "b", "c"]));
    assert_eq!(node.run("LRANGE l -2 -1"), bulks(&["b", "c"]));
    assert_eq!(node.run("LRANGE l 2 1"), bulks(&[]));
    assert_eq!(node.run("LRANGE l 5 10"), bulks(&[]));
    assert_eq!(node.run("LRANGE missing 0 -1"), bulks(&[]));
    assert_eq!(
        node.run("LRANGE s a 1"),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(node.run("LRANGE s 0 1"), err(WRONG_TYPE));
}

#[test]
fn lindex_looks_the_key_up_before_parsing_the_index() {
    let mut node = node_with_list();
    assert_eq!(node.run("LINDEX missing abc"), Frame::Null);
    assert_eq!(node.run("LINDEX s abc"), err(WRONG_TYPE));
    assert_eq!(
        node.run("LINDEX l abc"),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(node.run("LINDEX l -1"), Frame::bulk("c"));
    assert_eq!(node.run("LINDEX l -4"), Frame::Null);
    assert_eq!(node.run("LINDEX l 3"), Frame::Null);
}

#[test]
fn lset_replaces_in_range_and_names_each_failure() {
    let mut node = node_with_list();
    assert_eq!(node.run("LSET missing abc x"), err("ERR no such key"));
    assert_eq!(node.run("LSET s abc x"), err(WRONG_TYPE));
    assert_eq!(
        node.run("LSET l abc x"),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(node.run("LSET l 3 x"), err("ERR index out of range"));
    assert_eq!(node.run("LSET l -4 x"), err("ERR index out of range"));
    assert_eq!(node.run("LSET l -3 x"), Frame::ok());
    assert_eq!(node.run("LRANGE l 0 -1"), bulks(&["x", "b", "c"]));
    assert_eq!(propagated(&mut node), ["LSET l -3 x"]);
}

#[test]
fn lrem_counts_from_the_head_the_tail_or_removes_all() {
    let mut node = TestNode::new();
    node.run("RPUSH l a b a c a d a");
    assert_eq!(node.run("LREM l -2 a"), Frame::Integer(2));
    assert_eq!(node.run("LRANGE l 0 -1"), bulks(&["a", "b", "a", "c", "d"]));
    assert_eq!(node.run("LREM l 1 a"), Frame::Integer(1));
    assert_eq!(node.run("LRANGE l 0 -1"), bulks(&["b", "a", "c", "d"]));
    assert_eq!(node.run("LREM l 0 zz"), Frame::Integer(0));
    node.take_propagated();
    assert_eq!(node.run("LREM l 0 zz"), Frame::Integer(0));
    assert_eq!(propagated(&mut node), Vec::<String>::new());
}

#[test]
fn lrem_with_the_minimum_count_removes_every_match() {
    let mut node = TestNode::new();
    node.run("RPUSH l a b a c a");
    assert_eq!(node.run("LREM l -9223372036854775808 a"), Frame::Integer(3));
    assert_eq!(node.run("LREM l 9223372036854775807 b"), Frame::Integer(1));
    assert_eq!(node.run("LREM l 0 c"), Frame::Integer(1));
    assert!(node.state.keyspace.db(0).lookup(b"l").is_none());
}

#[test]
fn ltrim_deletes_an_emptied_list_and_propagates_only_removals() {
    let mut node = node_with_list();
    assert_eq!(node.run("LTRIM l 0 -1"), Frame::ok());
    assert_eq!(node.run("LTRIM missing 0 1"), Frame::ok());
    assert_eq!(propagated(&mut node), Vec::<String>::new());
    assert_eq!(node.run("LTRIM l 1 100"), Frame::ok());
    assert_eq!(node.run("LRANGE l 0 -1"), bulks(&["b", "c"]));
    assert_eq!(node.run("LTRIM l 5 6"), Frame::ok());
    assert!(node.state.keyspace.db(0).lookup(b"l").is_none());
    assert_eq!(propagated(&mut node), ["LTRIM l 1 100", "LTRIM l 5 6"]);
    assert_eq!(
        node.run("LTRIM s a 1"),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(node.run("LTRIM s 0 1"), err(WRONG_TYPE));
}

#[test]
fn linsert_finds_the_first_pivot_from_the_head() {
    let mut node = node_with_list();
    node.run("RPUSH l a");
    assert_eq!(node.run("LINSERT missing foo a x"), err("ERR syntax error"));
    assert_eq!(node.run("LINSERT missing before a x"), Frame::Integer(0));
    assert_eq!(node.run("LINSERT s before a x"), err(WRONG_TYPE));
    assert_eq!(node.run("LINSERT l before a x"), Frame::Integer(5));
    assert_eq!(node.run("LINSERT l AFTER a y"), Frame::Integer(6));
    assert_eq!(node.run("LINSERT l after zz y"), Frame::Integer(-1));
    assert_eq!(
        node.run("LRANGE l 0 -1"),
        bulks(&["x", "a", "y", "b", "c", "a"])
    );
}

#[test]
fn lpos_rank_count_and_maxlen_select_matches() {
    let mut node = TestNode::new();
    node.run("RPUSH l a b c a b c a");
    assert_eq!(node.run("LPOS l a"), Frame::Integer(0));
    assert_eq!(node.run("LPOS l a RANK 2"), Frame::Integer(3));
    assert_eq!(node.run("LPOS l a RANK -1"), Frame::Integer(6));
    assert_eq!(node.run("LPOS l a RANK -2 COUNT 0"), ints(&[3, 0]));
    assert_eq!(node.run("LPOS l a COUNT 0"), ints(&[0, 3, 6]));
    assert_eq!(node.run("LPOS l a COUNT 2 RANK 2"), ints(&[3, 6]));
    assert_eq!(node.run("LPOS l a MAXLEN 3 COUNT 0"), ints(&[0]));
    assert_eq!(node.run("LPOS l a MAXLEN 3 COUNT 0 RANK -1"), ints(&[6]));
    assert_eq!(node.run("LPOS l z"), Frame::Null);
    assert_eq!(node.run("LPOS l z COUNT 1"), ints(&[]));
    assert_eq!(node.run("LPOS l a RANK 5"), Frame::Null);
    assert_eq!(node.run("LPOS missing a"), Frame::Null);
    assert_eq!(node.run("LPOS missing a COUNT 0"), ints(&[]));
}

#[test]
fn lpos_minimum_rank_wraps_like_c_and_returns_every_match() {
    let mut node = TestNode::new();
    node.run("RPUSH l a b a c a d a");
    let min = "-9223372036854775808";
    assert_eq!(node.run(&format!("LPOS l a RANK {min}")), Frame::Integer(6));
    assert_eq!(
        node.run(&format!("LPOS l a RANK {min} COUNT 1")),
        ints(&[6, 4, 2, 0])
    );
    assert_eq!(
        node.run(&format!("LPOS l a RANK {min} COUNT 2 MAXLEN 4")),
        ints(&[6, 4])
    );
    assert_eq!(node.run("LPOS l a RANK 9223372036854775807"), Frame::Null);
}

#[test]
fn lpos_option_errors_come_before_the_key() {
    let mut node = node_with_list();
    let rank_zero = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                     second ... or use negative to start from the end of the list";
    assert_eq!(node.run("LPOS missing a RANK 0"), err(rank_zero));
    assert_eq!(node.run("LPOS s a RANK 0"), err(rank_zero));
    assert_eq!(
        node.run("LPOS l a RANK abc"),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        node.run("LPOS l a COUNT -1"),
        err("ERR COUNT can't be negative")
    );
    assert_eq!(
        node.run("LPOS l a COUNT x"),
        err("ERR COUNT can't be negative")
    );
    assert_eq!(
        node.run("LPOS l a MAXLEN -1"),
        err("ERR MAXLEN can't be negative")
    );
    assert_eq!(node.run("LPOS l a RANK"), err("ERR syntax error"));
    assert_eq!(node.run("LPOS l a FOO 1"), err("ERR syntax error"));
    assert_eq!(node.run("LPOS s a"), err(WRONG_TYPE));
}

#[test]
fn lmove_checks_ends_then_source_then_destination() {
    let mut node = node_with_list();
    assert_eq!(node.run("LMOVE missing d up left"), err("ERR syntax error"));
    assert_eq!(node.run("LMOVE l d left up"), err("ERR syntax error"));
    assert_eq!(node.run("LMOVE missing s left left"), Frame::Null);
    assert_eq!(node.run("LMOVE s missing left left"), err(WRONG_TYPE));
    assert_eq!(node.run("LMOVE l s left left"), err(WRONG_TYPE));
    assert_eq!(node.run("LLEN l"), Frame::Integer(3));
    assert_eq!(propagated(&mut node), Vec::<String>::new());
}

#[test]
fn lmove_moves_between_lists_and_deletes_an_emptied_source() {
    let mut node = node_with_list();
    assert_eq!(node.run("LMOVE l d LEFT right"), Frame::bulk("a"));
    assert_eq!(node.run("LMOVE l d right LEFT"), Frame::bulk("c"));
    assert_eq!(node.run("RPOPLPUSH l d"), Frame::bulk("b"));
    assert_eq!(node.run("LRANGE d 0 -1"), bulks(&["b", "c", "a"]));
    assert!(node.state.keyspace.db(0).lookup(b"l").is_none());
    assert_eq!(
        propagated(&mut node),
        [
            "LMOVE l d LEFT right",
            "LMOVE l d right LEFT",
            "RPOPLPUSH l d"
        ]
    );
}

#[test]
fn lmove_on_one_key_rotates_and_keeps_the_ttl() {
    let mut node = TestNode::new();
    node.run("RPUSH one x");
    let at = node.now.as_millis() + 10_000;
    node.state.keyspace.db_mut(0).set_expire(b"one", Some(at));
    assert_eq!(node.run("RPOPLPUSH one one"), Frame::bulk("x"));
    assert_eq!(node.run("LMOVE one one left right"), Frame::bulk("x"));
    let entry = node.state.keyspace.db(0).lookup(b"one").cloned();
    assert_eq!(entry.and_then(|entry| entry.expires_at_ms()), Some(at));
    node.run("RPUSH one y z");
    assert_eq!(node.run("RPOPLPUSH one one"), Frame::bulk("z"));
    assert_eq!(node.run("LRANGE one 0 -1"), bulks(&["z", "x", "y"]));
}

#[test]
fn lmpop_pops_from_the_first_list_and_propagates_a_pop_with_the_popped_count() {
    let mut node = node_with_list();
    assert_eq!(node.run("LMPOP 1 missing left"), Frame::NullArray);
    assert_eq!(
        node.run("LMPOP 2 missing l RIGHT COUNT 2"),
        Frame::Array(vec![Frame::bulk("l"), bulks(&["c", "b"])])
    );
    assert_eq!(
        node.run("LMPOP 2 missing l left count 10"),
        Frame::Array(vec![Frame::bulk("l"), bulks(&["a"])])
    );
    assert!(node.state.keyspace.db(0).lookup(b"l").is_none());
    assert_eq!(propagated(&mut node), ["RPOP l 2", "LPOP l 1"]);
    assert_eq!(node.run("LMPOP 2 missing s left"), err(WRONG_TYPE));
}

#[test]
fn lmpop_parsing_errors() {
    let mut node = node_with_list();
    let numkeys = err("ERR numkeys should be greater than 0");
    let count = err("ERR count should be greater than 0");
    assert_eq!(node.run("LMPOP 0 l left"), numkeys);
    assert_eq!(node.run("LMPOP abc l left"), numkeys);
    assert_eq!(node.run("LMPOP 2 l left"), err("ERR syntax error"));
    assert_eq!(
        node.run("LMPOP 9223372036854775807 l left"),
        err("ERR syntax error")
    );
    assert_eq!(node.run("LMPOP 1 l middle"), err("ERR syntax error"));
    assert_eq!(node.run("LMPOP 1 l left COUNT 0"), count);
    assert_eq!(node.run("LMPOP 1 l left COUNT -1"), count);
    assert_eq!(
        node.run("LMPOP 1 l left COUNT 1 COUNT 1"),
        err("ERR syntax error")
    );
    assert_eq!(node.run("LMPOP 1 l left COUNT"), err("ERR syntax error"));
    assert_eq!(node.run("LLEN l"), Frame::Integer(3));
}

#[test]
fn memory_is_given_back_when_lists_shrink_and_vanish() {
    let mut node = TestNode::new();
    node.run("RPUSH l aaaa bbbb cccc dddd eeee");
    node.run("LSET l 0 a-much-longer-value");
    node.run("LINSERT l after cccc zz");
    node.run("LREM l 0 bbbb");
    node.run("LTRIM l 1 -1");
    node.run("LMOVE l d left left");
    node.run("RPOP l 10");
    node.run("LPOP d");
    assert_eq!(node.state.keyspace.db(0).len(), 0);
    assert_eq!(node.state.keyspace.used_bytes(), 0);
}

/// Gives `l` a TTL and moves the clock to it, so the next access finds it expired.
fn expire_l(node: &mut TestNode) {
    let at = node.now.as_millis() + 100;
    node.state.keyspace.db_mut(0).set_expire(b"l", Some(at));
    // Just past the TTL: Redis expires a key when now > when.
    node.now = crate::engine::time::Instant::from_millis(at + 1);
}

#[test]
fn writes_on_an_expired_list_start_from_nothing_after_a_del() {
    let mut node = node_with_list();
    expire_l(&mut node);
    assert_eq!(node.run("LPUSH l a"), Frame::Integer(1));
    // As Redis 7.0.15 sends it: the lazy expiry and the write as one MULTI/EXEC unit.
    assert_eq!(
        propagated(&mut node),
        ["MULTI", "DEL l", "LPUSH l a", "EXEC"]
    );
}

#[test]
fn pops_of_an_expired_list_propagate_only_the_del() {
    let mut node = node_with_list();
    expire_l(&mut node);
    assert_eq!(node.run("LPOP l"), Frame::Null);
    assert_eq!(node.run("LPUSHX l a"), Frame::Integer(0));
    assert_eq!(propagated(&mut node), ["DEL l"]);
}

#[test]
fn binary_values_round_trip() {
    let mut node = TestNode::new();
    let args = vec![
        b"RPUSH".to_vec(),
        b"l".to_vec(),
        vec![0, 0xff, b'\r', b'\n'],
        vec![],
    ];
    assert_eq!(node.run_args(&args), Frame::Integer(2));
    assert_eq!(
        node.run("LRANGE l 0 -1"),
        Frame::Array(vec![
            Frame::Bulk(vec![0, 0xff, b'\r', b'\n']),
            Frame::bulk("")
        ])
    );
    assert_eq!(node.run("LPOS l \"\""), Frame::Integer(1));
}

/// Whether a command run by someone else would fail a WATCH on `l` (Redis's
/// `signalModifiedKey`), checked on a node whose only client watches `l`.
fn touches_watchers(command: &str) -> bool {
    let mut node = node_with_list();
    let conn = crate::engine::ConnId(1);
    node.state.watch_key(conn, 0, b"l", 0);
    node.run(command);
    node.state.dirty_watchers.contains(&conn)
}

#[test]
fn watch_is_touched_by_a_no_op_ltrim_but_not_by_failed_writes() {
    for command in ["LTRIM l 0 -1", "RPOPLPUSH l l", "LPUSHX l a", "RPOP l 1"] {
        assert!(touches_watchers(command), "{command}");
    }
    for command in [
        "LREM l 0 zz",
        "LINSERT l before zz q",
        "LSET l 9 x",
        "LPOP l 0",
        "LPOS l a",
        "LMOVE l s left left",
    ] {
        assert!(!touches_watchers(command), "{command}");
    }
}
