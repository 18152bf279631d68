//! `GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]`: reply with a string and change its TTL.

use super::{option, parse_options, OptionsOf};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::StringValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///   PXAT unix-time-milliseconds | PERSIST]
/// ```
///
/// Replies with the value (nil if missing, before the expiry is even validated). Never
/// propagated as is: a new TTL goes out as `PEXPIREAT key <abs-ms>`, an EXAT/PXAT already past
/// deletes the key and goes out as `DEL key` (`UNLINK` with `lazyfree-lazy-expire`), a PERSIST
/// that removed a TTL as `PERSIST key`; anything else changes nothing.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let options = match parse_options(args, OptionsOf::Getex) {
        Ok(options) => options,
        Err(reply) => return reply,
    };
    let ([_, key], _) = args::at_least(args);
    let reply = match ctx.read::<StringValue>(key) {
        Err(reply) => return reply,
        Ok(None) => return Frame::Null,
        Ok(Some(string)) => Frame::Bulk(string.bytes().to_vec()),
    };
    let flags = options.flags;
    let expire_at_ms = match options.expire {
        Some(argument) => match super::expire_at_ms(ctx, flags, argument, "getex") {
            Ok(at_ms) => Some(at_ms),
            Err(reply) => return reply,
        },
        None => None,
    };
    let absolute = flags & (option::EXAT | option::PXAT) != 0;
    match expire_at_ms {
        // Redis's checkAlreadyExpired; a replica sets the past TTL instead and waits for its
        // master's DEL.
        Some(at_ms) if absolute && at_ms as u64 <= ctx.now_ms() && !ctx.state.repl.is_replica() => {
            ctx.delete_already_expired(key);
        }
        Some(at_ms) => {
            ctx.db().set_expire(key, Some(at_ms as u64));
            ctx.rewrite_argv(vec![
                b"PEXPIREAT".to_vec(),
                key.clone(),
                super::integer_arg(at_ms),
            ]);
            ctx.signal_modified_key(key);
            ctx.add_dirty(1);
        }
        None if flags & option::PERSIST != 0 => {
            let had_ttl = ctx
                .db()
                .lookup(key)
                .is_some_and(|entry| entry.expires_at_ms().is_some());
            if had_ttl {
                ctx.db().set_expire(key, None);
                ctx.signal_modified_key(key);
                ctx.rewrite_argv(vec![b"PERSIST".to_vec(), key.clone()]);
                ctx.add_dirty(1);
            }
        }
        None => {}
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulk, err, expires_at, node_with, propagated, put_list, WRONG_TYPE};
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const NOW: u64 = 1_700_000_000_000;

    #[test]
    fn getex_new_ttls_propagate_as_pexpireat() {
        let mut node = node_with(&["SET k v"]);
        for (line, at) in [
            ("GETEX k EX 10", NOW + 10_000),
            ("GETEX k px 10", NOW + 10),
            ("GETEX k EXAT 1800000000", 1_800_000_000_000),
            ("GETEX k PXAT 1800000000001", 1_800_000_000_001),
        ] {
            assert_eq!(node.run(line), bulk("v"));
            assert_eq!(expires_at(&node, "k"), Some(at));
            assert_eq!(propagated(&mut node), [format!("PEXPIREAT k {at}")]);
        }
    }

    #[test]
    fn getex_persist_propagates_only_when_a_ttl_was_removed() {
        let mut node = node_with(&["SET k v EX 100"]);
        assert_eq!(node.run("GETEX k PERSIST"), bulk("v"));
        assert_eq!(node.run("GETEX k persist"), bulk("v"));
        assert_eq!(node.run("GETEX k"), bulk("v"));
        assert_eq!(expires_at(&node, "k"), None);
        assert_eq!(propagated(&mut node), ["PERSIST k"]);
    }

    #[test]
    fn getex_with_a_past_absolute_time_deletes_and_propagates_del() {
        let mut node = node_with(&["SET k v"]);
        assert_eq!(node.run("GETEX k PXAT 1"), bulk("v"));
        assert_eq!(node.state.keyspace.db(0).len(), 0);
        assert_eq!(propagated(&mut node), ["DEL k"]);
        node.run("SET k v");
        node.state.config.lazyfree_lazy_expire = true;
        node.take_propagated();
        node.run(&format!("GETEX k EXAT {}", NOW / 1000));
        assert_eq!(propagated(&mut node), ["UNLINK k"]);
    }

    #[test]
    fn getex_checks_options_then_the_key_then_the_time() {
        let mut node = node_with(&["SET k v"]);
        put_list(&mut node, "l");
        assert_eq!(node.run("GETEX missing FOO"), err("ERR syntax error"));
        assert_eq!(node.run("GETEX missing EX 0"), Frame::Null);
        assert_eq!(node.run("GETEX l EX 0"), err(WRONG_TYPE));
        assert_eq!(
            node.run("GETEX k EX 0"),
            err("ERR invalid expire time in 'getex' command")
        );
        assert_eq!(
            node.run("GETEX k EX x"),
            err("ERR value is not an integer or out of range")
        );
        for line in [
            "GETEX k PERSIST EX 10",
            "GETEX k EX 10 PERSIST",
            "GETEX k EX 10 PX 10",
            "GETEX k KEEPTTL",
            "GETEX k NX",
            "GETEX k GET",
            "GETEX k EX",
        ] {
            assert_eq!(node.run(line), err("ERR syntax error"), "{line}");
        }
        assert!(propagated(&mut node).is_empty());
    }
}
