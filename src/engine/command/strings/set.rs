//! `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]`, and the shared core of
//! SETNX, SETEX and PSETEX (Redis's `setGenericCommand`).

use super::{option, parse_options, OptionsOf};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{StringValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
///   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
/// ```
///
/// Replies `+OK`, or nil when NX/XX prevented the write; with GET, the old value (or nil)
/// either way. Propagated as `SET key value PXAT <abs-ms>` when it sets an expiry, without its
/// GET arguments otherwise; not at all when NX/XX prevented it.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let ([_, key, value], _) = args::at_least(args);
    let options = match parse_options(args, OptionsOf::Set) {
        Ok(options) => options,
        Err(reply) => return reply,
    };
    set_generic(
        ctx,
        args,
        SetCall {
            key,
            value,
            flags: options.flags,
            expire: options.expire,
            command: "set",
            ok_reply: Frame::ok(),
            abort_reply: Frame::Null,
        },
    )
}

/// One SET-like write, as `setGenericCommand`'s parameters.
pub(super) struct SetCall<'a> {
    /// The key.
    pub key: &'a [u8],
    /// The new value.
    pub value: &'a [u8],
    /// [`option`] bits: NX, XX, GET, KEEPTTL, and which kind of expiry `expire` is.
    pub flags: u32,
    /// The expiry argument, if any.
    pub expire: Option<&'a [u8]>,
    /// The command's name in `invalid expire time` errors.
    pub command: &'static str,
    /// The reply when the value was set (without GET).
    pub ok_reply: Frame,
    /// The reply when NX/XX prevented the write (without GET).
    pub abort_reply: Frame,
}

/// Validates the expiry, honours GET, NX and XX, stores the value and its TTL, and arranges
/// Redis's propagation rewrites.
pub(super) fn set_generic(ctx: &mut Ctx, args: &[Vec<u8>], call: SetCall) -> Frame {
    let SetCall { key, flags, .. } = call;
    let expire_at_ms = match call.expire {
        Some(argument) => match super::expire_at_ms(ctx, flags, argument, call.command) {
            Ok(at_ms) => Some(at_ms),
            Err(reply) => return reply,
        },
        None => None,
    };
    let with_get = flags & option::GET != 0;
    // Redis looks the key up for GET (a read: counts a hit or miss) and then for writing; the
    // first lookup already expired it, so one answer serves both.
    let found = if with_get {
        match ctx.read::<StringValue>(key) {
            Ok(found) => found.is_some(),
            Err(reply) => return reply,
        }
    } else if flags & (option::NX | option::XX) != 0 {
        ctx.key_exists(key)
    } else {
        // Nothing depends on existence; `store` does the write lookup (and lazy expiry).
        false
    };
    if (flags & option::NX != 0 && found) || (flags & option::XX != 0 && !found) {
        if with_get {
            return super::peek_reply(ctx, key);
        }
        return call.abort_reply;
    }

    let value = Value::String(StringValue::new(call.value.to_vec()));
    let old = super::store(ctx, key, value, flags & option::KEEPTTL != 0);
    ctx.signal_modified_key(key);
    ctx.add_dirty(1);
    if let Some(at_ms) = expire_at_ms {
        ctx.db().set_expire(key, Some(at_ms as u64));
        ctx.rewrite_argv(vec![
            b"SET".to_vec(),
            key.to_vec(),
            call.value.to_vec(),
            b"PXAT".to_vec(),
            super::integer_arg(at_ms),
        ]);
    } else if with_get {
        // SET key value: GET can only come after them.
        let (name_key_value, options) = args::at_least::<3>(args);
        let mut without_get = name_key_value.to_vec();
        for option in options {
            if !args::option_is(option, "get") {
                without_get.push(option.clone());
            }
        }
        ctx.rewrite_argv(without_get);
    }
    if !with_get {
        return call.ok_reply;
    }
    super::old_value_reply(old)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{
        bulk, encoding, err, expires_at, node_with, propagated, put_list, WRONG_TYPE,
    };
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    use crate::engine::time::Instant;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const NOW: u64 = 1_700_000_000_000;

    #[test]
    fn set_plain_stores_the_value_and_propagates_as_sent() {
        let mut node = TestNode::new();
        assert_eq!(node.run("set k v"), Frame::ok());
        assert_eq!(node.run("GET k"), bulk("v"));
        assert_eq!(propagated(&mut node), ["set k v"]);
        assert_eq!(node.state.dirty, 1);
    }

    #[test]
    fn set_every_expiry_form_propagates_as_pxat_absolute() {
        let mut node = TestNode::new();
        for (line, at) in [
            ("SET k v EX 100", NOW + 100_000),
            ("SET k v px 2500", NOW + 2500),
            ("SET k v EXAT 1800000000", 1_800_000_000_000),
            ("SET k v PXAT 1800000000123", 1_800_000_000_123),
            ("SET k v XX EX 10 GET", NOW + 10_000),
        ] {
            node.run(line);
            assert_eq!(expires_at(&node, "k"), Some(at), "{line}");
            assert_eq!(propagated(&mut node), [format!("SET k v PXAT {at}")]);
        }
    }

    #[test]
    fn set_without_keepttl_clears_the_ttl_and_keepttl_keeps_it() {
        let mut node = node_with(&["SET k v EX 100"]);
        node.run("SET k v2 KEEPTTL");
        assert_eq!(expires_at(&node, "k"), Some(NOW + 100_000));
        assert_eq!(propagated(&mut node), ["SET k v2 KEEPTTL"]);
        node.run("SET k v3");
        assert_eq!(expires_at(&node, "k"), None);
    }

    #[test]
    fn set_nx_xx_that_do_not_apply_reply_nil_and_propagate_nothing() {
        let mut node = node_with(&["SET k v"]);
        assert_eq!(node.run("SET k v2 NX"), Frame::Null);
        assert_eq!(node.run("SET missing v XX EX 10"), Frame::Null);
        assert_eq!(node.run("GET k"), bulk("v"));
        assert!(propagated(&mut node).is_empty());
        assert_eq!(node.run("SET k v2 XX"), Frame::ok());
        assert_eq!(node.run("SET other v NX NX"), Frame::ok());
    }

    #[test]
    fn set_get_replies_the_old_value_and_propagates_without_get() {
        let mut node = node_with(&["SET k old"]);
        assert_eq!(node.run("SET k new get GET"), bulk("old"));
        assert_eq!(propagated(&mut node), ["SET k new"]);
        assert_eq!(node.run("SET fresh v KEEPTTL gEt"), Frame::Null);
        assert_eq!(propagated(&mut node), ["SET fresh v KEEPTTL"]);
        // With NX on an existing key: the old value, nothing written or propagated.
        assert_eq!(node.run("SET k other NX GET"), bulk("new"));
        assert_eq!(node.run("GET k"), bulk("new"));
        assert!(propagated(&mut node).is_empty());
    }

    #[test]
    fn set_get_on_another_type_is_refused_before_writing() {
        let mut node = TestNode::new();
        put_list(&mut node, "l");
        assert_eq!(node.run("SET l v GET"), err(WRONG_TYPE));
        assert_eq!(node.run("SET l v NX GET"), err(WRONG_TYPE));
        // The expiry is validated first.
        assert_eq!(
            node.run("SET l v EX 0 GET"),
            err("ERR invalid expire time in 'set' command")
        );
        assert_eq!(node.run("SET l v"), Frame::ok());
    }

    #[test]
    fn set_option_conflicts_are_syntax_errors() {
        let mut node = TestNode::new();
        for line in [
            "SET k v NX XX",
            "SET k v XX NX",
            "SET k v EX 10 PX 10",
            "SET k v EX 10 KEEPTTL",
            "SET k v KEEPTTL PXAT 10",
            "SET k v EX",
            "SET k v PERSIST",
            "SET k v foo",
        ] {
            assert_eq!(node.run(line), err("ERR syntax error"), "{line}");
        }
        // A repeated expiry is allowed: the last one wins.
        assert_eq!(node.run("SET k v EX 10 EX 20"), Frame::ok());
        assert_eq!(expires_at(&node, "k"), Some(NOW + 20_000));
    }

    #[test]
    fn set_invalid_expiry_times_are_refused() {
        let mut node = TestNode::new();
        for line in [
            "SET k v EX 0",
            "SET k v EX -1",
            "SET k v PX 0",
            "SET k v EXAT 0",
            "SET k v PXAT -5",
            "SET k v EX 9223372036854775",
            "SET k v PX 9223372036854775807",
            "SET k v EXAT 9223372036854776",
        ] {
            assert_eq!(
                node.run(line),
                err("ERR invalid expire time in 'set' command"),
                "{line}"
            );
        }
        assert_eq!(
            node.run("SET k v EX 1.5"),
            err("ERR value is not an integer or out of range")
        );
        assert_eq!(node.run("SET k v EXAT 9223372036854775"), Frame::ok());
        assert_eq!(node.run("SET k v PXAT 9223372036854775807"), Frame::ok());
        assert_eq!(node.state.keyspace.db(0).len(), 1);
    }

    #[test]
    fn set_on_an_expired_key_propagates_its_deletion_first() {
        let mut node = node_with(&["SET k v PX 10"]);
        node.now = Instant::from_millis(NOW + 11); // past the TTL: Redis expires when now > when
        assert_eq!(node.run("SET k v2 NX"), Frame::ok());
        assert_eq!(
            propagated(&mut node),
            ["MULTI | DEL k | SET k v2 NX | EXEC"]
        );
        node.run("SET k v PX 10");
        node.take_propagated();
        node.now = Instant::from_millis(NOW + 22);
        assert_eq!(node.run("SET k v2 XX"), Frame::Null);
        assert_eq!(propagated(&mut node), ["DEL k"]);
    }

    #[test]
    fn set_in_the_past_stores_a_key_that_is_already_expired() {
        let mut node = TestNode::new();
        assert_eq!(node.run("SET k v EXAT 1"), Frame::ok());
        assert_eq!(propagated(&mut node), ["SET k v PXAT 1000"]);
        assert_eq!(node.run("GET k"), Frame::Null);
        assert_eq!(propagated(&mut node), ["DEL k"]);
    }

    #[test]
    fn set_values_get_redis_encodings() {
        let mut node = TestNode::new();
        for (value, expected) in [
            ("123", "int"),
            ("-9223372036854775808", "int"),
            ("99999999999999999999", "embstr"),
            ("01", "embstr"),
            ("1.5", "embstr"),
            (&"a".repeat(44), "embstr"),
            (&"a".repeat(45), "raw"),
        ] {
            node.run(&format!("SET k {value}"));
            assert_eq!(encoding(&node, "k"), expected, "{value}");
        }
    }

    #[test]
    fn setnx_replies_one_or_zero() {
        let mut node = TestNode::new();
        assert_eq!(node.run("SETNX k 5"), Frame::Integer(1));
        assert_eq!(node.run("SETNX k 6"), Frame::Integer(0));
        assert_eq!(node.run("GET k"), bulk("5"));
        assert_eq!(encoding(&node, "k"), "int");
        assert_eq!(propagated(&mut node), ["SETNX k 5"]);
    }

    #[test]
    fn setex_and_psetex_propagate_as_set_pxat() {
        let mut node = TestNode::new();
        assert_eq!(node.run("SETEX k 10 v"), Frame::ok());
        assert_eq!(node.run("PSETEX p 1500 w"), Frame::ok());
        assert_eq!(
            propagated(&mut node),
            [
                format!("SET k v PXAT {}", NOW + 10_000),
                format!("SET p w PXAT {}", NOW + 1500)
            ]
        );
        assert_eq!(
            node.run("SETEX k 0 v"),
            err("ERR invalid expire time in 'setex' command")
        );
        assert_eq!(
            node.run("PSETEX k -1 v"),
            err("ERR invalid expire time in 'psetex' command")
        );
        assert_eq!(
            node.run("SETEX k 9223372036854775807 v"),
            err("ERR invalid expire time in 'setex' command")
        );
        assert_eq!(
            node.run("SETEX k x v"),
            err("ERR value is not an integer or out of range")
        );
    }
}
