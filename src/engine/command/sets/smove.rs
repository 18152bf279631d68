//! `SMOVE source destination member`: moves a member from one set to another.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::{SetValue, Value};
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SMOVE source destination member
/// ```
///
/// Replies 1 if the member was moved, 0 if it was not in the source.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (source, destination, member) = (&args[1], &args[2], &args[3]);
    let source_is_set = is_set(ctx, source);
    let destination_is_set = is_set(ctx, destination);
    match (source_is_set, destination_is_set) {
        (None, _) => return Frame::Integer(0),
        (Some(false), _) | (_, Some(false)) => return args::wrong_type(),
        _ => {}
    }
    if source == destination {
        let present = ctx
            .db()
            .lookup(source)
            .is_some_and(|entry| matches!(&entry.value, Value::Set(set) if set.contains(member)));
        return Frame::Integer(i64::from(present));
    }
    let Some(source_empty) = remove_member(ctx, source, member) else {
        return Frame::Integer(0);
    };
    if source_empty {
        ctx.db().remove(source);
    }
    let intset_max = ctx.state.config.set_max_intset_entries;
    let existing = ctx
        .db()
        .lookup_mut(destination)
        .map(|mut entry| match &mut entry.value {
            Value::Set(set) => set.insert(member, intset_max),
            _ => false,
        });
    let added = existing.unwrap_or_else(|| {
        let mut set = SetValue::default();
        set.insert(member, intset_max);
        ctx.db().insert(destination, Value::Set(set));
        true
    });
    ctx.signal_modified_key(source);
    ctx.add_dirty(1);
    // Redis touches the destination only when the member was new there.
    if added {
        ctx.signal_modified_key(destination);
        ctx.add_dirty(1);
    }
    Frame::Integer(1)
}

/// Looks `key` up for writing: None if missing, else whether it holds a set.
fn is_set(ctx: &mut Ctx, key: &[u8]) -> Option<bool> {
    ctx.lookup_write(key)
        .map(|entry| matches!(entry.value, Value::Set(_)))
}

/// Removes `member` from the set at `key`: None if it was not there, else whether the set is
/// now empty.
fn remove_member(ctx: &mut Ctx, key: &[u8], member: &[u8]) -> Option<bool> {
    let mut entry = ctx.db().lookup_mut(key)?;
    let Value::Set(set) = &mut entry.value else {
        return None;
    };
    set.remove(member).then(|| set.is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bulks, string_key};
    use crate::engine::command::test_support::TestNode;
    use crate::engine::resp::Frame;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn smove_moves_creates_and_deletes() {
        let mut node = TestNode::new();
        node.run("SADD src 1 2");
        assert_eq!(node.run("SMOVE src dst 1"), Frame::Integer(1));
        assert_eq!(node.run("SMOVE src dst 1"), Frame::Integer(0));
        assert_eq!(node.run("SMOVE src dst 2"), Frame::Integer(1));
        assert_eq!(node.run("SMEMBERS dst"), bulks(&["1", "2"]));
        assert_eq!(node.run("SMEMBERS src"), bulks(&[]));
        assert!(node.state.keyspace.db(0).lookup(b"src").is_none());
    }

    #[test]
    fn smove_checks_types_only_once_the_source_exists() {
        let mut node = TestNode::new();
        string_key(&mut node, "str");
        assert_eq!(node.run("SMOVE nokey str a"), Frame::Integer(0));
        node.run("SADD s a");
        assert_eq!(
            node.run("SMOVE s str a"),
            Frame::error(crate::engine::command::args::WRONG_TYPE)
        );
        assert_eq!(node.run("SMOVE s s a"), Frame::Integer(1));
        assert_eq!(node.run("SMOVE s s b"), Frame::Integer(0));
    }
}
