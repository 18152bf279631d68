//! `SMOVE source destination member`: moves a member from one set to another.

use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::SetValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// SMOVE source destination member
/// ```
///
/// Replies 1 if the member was moved, 0 if it was not in the source.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, source, destination, member] = args::exactly(args);
    // Redis looks both keys up for writing before it checks either's type; a missing source
    // answers 0 whatever the destination holds.
    let source_has_member = ctx
        .read_for_write::<SetValue>(source)
        .map(|set| set.map(|set| set.contains(member)));
    let destination_checked = ctx.read_for_write::<SetValue>(destination).map(|_| ());
    let source_has_member = match (source_has_member, destination_checked) {
        (Ok(None), _) => return Frame::Integer(0),
        (Err(reply), _) | (_, Err(reply)) => return reply,
        (Ok(Some(has_member)), Ok(())) => has_member,
    };
    // One key: nothing moves, the reply says whether the member is there.
    if source == destination || !source_has_member {
        return Frame::Integer(i64::from(source_has_member));
    }
    // The source goes with its last member.
    if let Err(reply) = ctx.modify(source, |set: &mut SetValue| set.remove(member)) {
        return reply;
    }
    let intset_max = ctx.state.config.set_max_intset_entries;
    let added = ctx.modify_or_create(destination, |set: &mut SetValue| {
        set.insert(member, intset_max)
    });
    let added = match added {
        Ok(added) => added,
        Err(reply) => return reply,
    };
    ctx.signal_modified_key(source);
    ctx.add_dirty(1);
    // Redis touches the destination only when the member was new there.
    if added {
        ctx.signal_modified_key(destination);
        ctx.add_dirty(1);
    }
    Frame::Integer(1)
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
