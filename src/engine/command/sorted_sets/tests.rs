//! Unit tests of the sorted-set commands through the command pipeline: replies, propagation,
//! WATCH signalling, expiry and encodings. Byte-exactness against redis-server is covered by
//! tests/diff/sorted_sets.redis.

use crate::engine::command::test_support::TestNode;
use crate::engine::resp::Frame;
use crate::engine::ConnId;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn bulks(items: &[&str]) -> Frame {
    Frame::Array(items.iter().map(|item| Frame::bulk(*item)).collect())
}

fn error(message: &str) -> Frame {
    Frame::error(message)
}

/// What was propagated since the last call, one string per command, units flattened.
fn propagated(node: &mut TestNode) -> Vec<String> {
    node.take_propagated()
        .into_iter()
        .flatten()
        .map(|command| {
            let words: Vec<_> = command
                .argv
                .iter()
                .map(|arg| String::from_utf8_lossy(arg).into_owned())
                .collect();
            words.join(" ")
        })
        .collect()
}

fn encoding(node: &TestNode, key: &str) -> &'static str {
    node.state
        .keyspace
        .db(0)
        .lookup(key.as_bytes())
        .map_or("none", |entry| entry.value.encoding())
}

#[test]
fn zadd_new_members_reply_the_count_added_or_changed_with_ch() {
    let mut node = TestNode::new();
    assert_eq!(node.run("ZADD z 1 a 2 b"), Frame::Integer(2));
    assert_eq!(node.run("ZADD z 3 a"), Frame::Integer(0));
    assert_eq!(node.run("ZADD z CH 4 a 5 c"), Frame::Integer(2));
    assert_eq!(node.run("ZRANGE z 0 -1"), bulks(&["b", "a", "c"]));
}

#[test]
fn zadd_option_conflicts_are_checked_after_the_pair_count() {
    let mut node = TestNode::new();
    assert_eq!(node.run("ZADD z nx xx 1"), error("ERR syntax error"));
    assert_eq!(
        node.run("ZADD z nx xx 1 a"),
        error("ERR XX and NX options at the same time are not compatible")
    );
    assert_eq!(
        node.run("ZADD z gt lt 1 a"),
        error("ERR GT, LT, and/or NX options at the same time are not compatible")
    );
    assert_eq!(
        node.run("ZADD z incr 1 a 2 b"),
        error("ERR INCR option supports a single increment-element pair")
    );
    assert_eq!(
        node.run("ZADD z 1 a x b"),
        error("ERR value is not a valid float")
    );
    assert_eq!(node.run("ZCARD z"), Frame::Integer(0), "nothing was added");
}

#[test]
fn zadd_gt_lt_xx_nx_decide_per_member() {
    let mut node = TestNode::new();
    node.run("ZADD z 5 a");
    assert_eq!(
        node.run("ZADD z GT CH 4 a 1 b"),
        Frame::Integer(1),
        "b is new"
    );
    assert_eq!(node.run("ZSCORE z a"), Frame::bulk("5"));
    assert_eq!(node.run("ZADD z LT CH 4 a"), Frame::Integer(1));
    assert_eq!(node.run("ZADD z XX 9 a 9 c"), Frame::Integer(0));
    assert_eq!(node.run("ZSCORE z c"), Frame::Null);
    assert_eq!(node.run("ZADD z NX 1 a 1 d"), Frame::Integer(1));
    assert_eq!(node.run("ZSCORE z a"), Frame::bulk("9"));
}

#[test]
fn zadd_incr_replies_the_new_score_or_nil_when_skipped() {
    let mut node = TestNode::new();
    assert_eq!(node.run("ZADD z INCR 1.5 a"), Frame::bulk("1.5"));
    assert_eq!(
        node.run("ZADD z INCR 0.1 a"),
        Frame::bulk("1.6000000000000001")
    );
    assert_eq!(node.run("ZADD z INCR NX 1 a"), Frame::Null);
    assert_eq!(node.run("ZADD z INCR GT -1 a"), Frame::Null);
    assert_eq!(node.run("ZADD nokey INCR XX 1 a"), Frame::Null);
}

#[test]
fn zincrby_to_nan_is_refused_and_changes_nothing() {
    let mut node = TestNode::new();
    node.run("ZADD z inf a");
    node.take_propagated();
    assert_eq!(
        node.run("ZINCRBY z -inf a"),
        error("ERR resulting score is not a number (NaN)")
    );
    assert_eq!(node.run("ZSCORE z a"), Frame::bulk("inf"));
    assert!(propagated(&mut node).is_empty());
}

#[test]
fn zincrby_parses_zadd_option_words() {
    let mut node = TestNode::new();
    assert_eq!(node.run("ZINCRBY z nx a"), error("ERR syntax error"));
    assert_eq!(
        node.run("ZINCRBY z abc a"),
        error("ERR value is not a valid float")
    );
}

#[test]
fn negative_zero_keeps_its_sign_only_in_a_skiplist() {
    let mut node = TestNode::new();
    node.state.config.zset_listpack.entries_max = 1;
    assert_eq!(
        node.run("ZADD z INCR -0 a"),
        Frame::bulk("-0"),
        "reply before storing"
    );
    assert_eq!(
        node.run("ZSCORE z a"),
        Frame::bulk("0"),
        "a listpack stores 0"
    );
    node.run("ZADD z -0 b");
    assert_eq!(encoding(&node, "z"), "skiplist");
    assert_eq!(node.run("ZSCORE z b"), Frame::bulk("-0"));
    assert_eq!(
        node.run("ZADD z 0 b"),
        Frame::Integer(0),
        "0 equals -0: no update"
    );
    assert_eq!(node.run("ZSCORE z b"), Frame::bulk("-0"));
}

#[test]
fn encoding_converts_on_size_and_never_back() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a");
    assert_eq!(encoding(&node, "z"), "listpack");
    node.run(&format!("ZADD z 2 {}", "x".repeat(64)));
    assert_eq!(encoding(&node, "z"), "listpack");
    node.run(&format!("ZADD z XX 2 {}", "y".repeat(65)));
    assert_eq!(encoding(&node, "z"), "listpack", "XX added nothing");
    node.run(&format!("ZADD z 3 {}", "y".repeat(65)));
    assert_eq!(encoding(&node, "z"), "skiplist");
    node.run(&format!("ZREM z {}", "y".repeat(65)));
    assert_eq!(encoding(&node, "z"), "skiplist");
}

#[test]
fn zrem_deletes_the_emptied_key_and_counts_each_removal() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a 2 b");
    node.take_propagated();
    assert_eq!(node.run("ZREM z a nope a"), Frame::Integer(1));
    assert_eq!(node.run("ZREM z nope"), Frame::Integer(0));
    assert_eq!(node.run("ZREM z b"), Frame::Integer(1));
    assert!(node.state.keyspace.db(0).lookup(b"z").is_none());
    assert_eq!(propagated(&mut node), ["ZREM z a nope a", "ZREM z b"]);
    assert_eq!(
        node.state.keyspace.used_bytes(),
        0,
        "memory accounting back to zero"
    );
}

#[test]
fn no_op_writes_propagate_nothing() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a");
    node.take_propagated();
    for command in [
        "ZADD z 1 a",
        "ZADD z XX 1 b",
        "ZADD z GT 0 a",
        "ZINCRBY z 0 a",
        "ZREM z b",
        "ZPOPMIN z 0",
        "ZPOPMIN nokey",
        "ZREMRANGEBYSCORE z 5 6",
        "ZREMRANGEBYRANK z 3 4",
        "ZREMRANGEBYLEX z (a +",
        "ZRANGESTORE dst z 5 6",
    ] {
        node.run(command);
        assert!(propagated(&mut node).is_empty(), "{command}");
    }
}

#[test]
fn writes_propagate_as_given() {
    let mut node = TestNode::new();
    for command in [
        "ZADD z INCR 5 a",
        "ZINCRBY z 1 a",
        "ZADD z 1 b 2 c",
        "ZPOPMAX z 10",
        "ZADD z 1 a",
        "ZRANGESTORE dst z 0 -1",
        "ZRANGESTORE dst z 5 6",
    ] {
        node.run(command);
        assert_eq!(propagated(&mut node), [command]);
    }
}

#[test]
fn writing_an_expired_key_propagates_its_deletion_first() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a");
    let expires_at = node.now.as_millis() + 50;
    node.state
        .keyspace
        .db_mut(0)
        .set_expire(b"z", Some(expires_at));
    node.now = node.now.add_millis(100);
    node.take_propagated();
    assert_eq!(node.run("ZINCRBY z 1 a"), Frame::bulk("1"));
    let units = node.take_propagated();
    assert_eq!(units.len(), 1, "one execution unit, wrapped in MULTI/EXEC");
    let commands: Vec<_> = units[0].iter().map(|c| c.argv.clone()).collect();
    assert_eq!(
        commands,
        [
            vec![b"MULTI".to_vec()],
            vec![b"DEL".to_vec(), b"z".to_vec()],
            vec![
                b"ZINCRBY".to_vec(),
                b"z".to_vec(),
                b"1".to_vec(),
                b"a".to_vec()
            ],
            vec![b"EXEC".to_vec()],
        ]
    );
}

#[test]
fn modifications_signal_watchers_and_no_ops_do_not() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a");
    let watcher = ConnId(7);
    node.state.watch_key(watcher, 0, b"z", 0);
    node.run("ZADD z 1 a");
    node.run("ZREM z nope");
    node.run("ZPOPMIN z 0");
    node.run("ZINCRBY z 0 a");
    assert!(!node.state.dirty_watchers.contains(&watcher));
    node.run("ZINCRBY z 1 a");
    assert!(node.state.dirty_watchers.contains(&watcher));
}

#[test]
fn zpopmin_count_is_bounded_by_the_set_not_the_argument() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a 2 b 3 c");
    assert_eq!(
        node.run("ZPOPMAX z 9223372036854775807"),
        bulks(&["c", "3", "b", "2", "a", "1"])
    );
    assert_eq!(node.run("ZPOPMIN z"), Frame::Array(vec![]));
    assert_eq!(
        node.run("ZPOPMIN z -1"),
        error("ERR value is out of range, must be positive")
    );
    assert_eq!(node.run("ZPOPMIN z 1 2"), error("ERR syntax error"));
}

#[test]
fn zrange_limits_never_allocate_from_the_arguments() {
    let mut node = TestNode::new();
    node.run("ZADD z 1 a 2 b 3 c");
    assert_eq!(
        node.run("ZRANGE z -inf +inf BYSCORE LIMIT 1 9223372036854775807"),
        bulks(&["b", "c"])
    );
    assert_eq!(
        node.run("ZRANGE z 0 9223372036854775807"),
        bulks(&["a", "b", "c"])
    );
    assert_eq!(
        node.run("ZRANGE z -9223372036854775808 -9223372036854775808"),
        Frame::Array(vec![])
    );
    assert_eq!(
        node.run("ZRANGE z - + BYLEX LIMIT -1 5"),
        Frame::Array(vec![]),
        "a negative offset walks off the end"
    );
    assert_eq!(
        node.run("ZREVRANGEBYSCORE z +inf -inf LIMIT 0 -1 WITHSCORES"),
        bulks(&["c", "3", "b", "2", "a", "1"])
    );
}

#[test]
fn zrange_option_errors_come_before_the_key_lookup() {
    let mut node = TestNode::new();
    assert_eq!(
        node.run("ZRANGE z 0 1 LIMIT 0 1"),
        error(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
        )
    );
    assert_eq!(node.run("ZRANGE z 0 1 LIMIT 0 -1"), Frame::Array(vec![]));
    assert_eq!(
        node.run("ZRANGEBYLEX z - + WITHSCORES"),
        error("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
    );
    assert_eq!(
        node.run("ZRANGEBYSCORE z 0 1 BYSCORE"),
        error("ERR syntax error")
    );
    assert_eq!(
        node.run("ZRANGESTORE d z 0 1 WITHSCORES"),
        error("ERR syntax error")
    );
    assert_eq!(
        node.run("ZCOUNT z a 1"),
        error("ERR min or max is not a float")
    );
    assert_eq!(
        node.run("ZLEXCOUNT z a +"),
        error("ERR min or max not valid string range item")
    );
}

#[test]
fn zrangestore_replaces_the_destination_and_drops_its_ttl() {
    let mut node = TestNode::new();
    node.run("ZADD src 1 a 2 b 3 c");
    node.run("ZADD dst 9 z");
    let expires_at = node.now.as_millis() + 100_000;
    node.state
        .keyspace
        .db_mut(0)
        .set_expire(b"dst", Some(expires_at));
    assert_eq!(
        node.run("ZRANGESTORE dst src 3 1 BYSCORE REV LIMIT 1 5"),
        Frame::Integer(2)
    );
    assert_eq!(
        node.run("ZRANGE dst 0 -1 WITHSCORES"),
        bulks(&["a", "1", "b", "2"])
    );
    let entry = node.state.keyspace.db(0).lookup(b"dst");
    assert_eq!(entry.and_then(|entry| entry.expires_at_ms()), None);
    assert_eq!(node.run("ZRANGESTORE dst src 10 20"), Frame::Integer(0));
    assert!(node.state.keyspace.db(0).lookup(b"dst").is_none());
}

#[test]
fn lex_ranges_walk_like_a_listpack() {
    let mut node = TestNode::new();
    node.run("ZADD z 0 a 0 b 0 c 0 d");
    assert_eq!(node.run("ZRANGEBYLEX z (a [c"), bulks(&["b", "c"]));
    assert_eq!(node.run("ZREVRANGEBYLEX z + (b LIMIT 1 1"), bulks(&["c"]));
    assert_eq!(node.run("ZLEXCOUNT z - +"), Frame::Integer(4));
    assert_eq!(node.run("ZREMRANGEBYLEX z [b (d"), Frame::Integer(2));
    node.run("ZADD mixed 1 b 2 a 3 d 4 c");
    assert_eq!(node.run("ZRANGEBYLEX mixed [b [c"), bulks(&["b", "a"]));
}

#[test]
fn ranks_count_from_either_end() {
    let mut node = TestNode::new();
    node.run("ZADD z 10 a 20 b 20 bb 30 c");
    assert_eq!(node.run("ZRANK z bb"), Frame::Integer(2));
    assert_eq!(node.run("ZREVRANK z bb"), Frame::Integer(1));
    assert_eq!(node.run("ZRANK z nope"), Frame::Null);
    assert_eq!(node.run("ZREMRANGEBYRANK z -2 -1"), Frame::Integer(2));
    assert_eq!(node.run("ZRANGE z 0 -1"), bulks(&["a", "b"]));
}

#[test]
fn wrong_type_is_reported_after_argument_checks() {
    let mut node = TestNode::new();
    node.state.keyspace.db_mut(0).insert(
        b"s",
        crate::engine::keyspace::Value::String(crate::engine::keyspace::StringValue::new(
            b"v".to_vec(),
        )),
    );
    let wrong_type = error("WRONGTYPE Operation against a key holding the wrong kind of value");
    for command in [
        "ZADD s 1 a",
        "ZSCORE s a",
        "ZRANGE s 0 1",
        "ZPOPMIN s",
        "ZRANGESTORE d s 0 1",
    ] {
        assert_eq!(node.run(command), wrong_type, "{command}");
    }
    assert_eq!(
        node.run("ZADD s x a"),
        error("ERR value is not a valid float")
    );
    assert_eq!(
        node.run("ZRANGESTORE s nokey 0 1"),
        Frame::Integer(0),
        "dst is not type-checked"
    );
}
