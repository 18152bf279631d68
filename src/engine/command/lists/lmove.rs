//! `LMOVE`, `RPOPLPUSH`: pop an element from one list and push it onto another (or the same).

use super::{push_elements, record_change, End};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
/// ```
///
/// Pops from the first given end of `source`, pushes at the second end of `destination` and
/// replies with the element; nil if `source` is missing. LEFT/RIGHT are checked first.
pub(super) fn lmove(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, source, destination, from, to] = args::exactly(args);
    let ends = End::parse(from).and_then(|from| Ok((from, End::parse(to)?)));
    match ends {
        Ok((from, to)) => move_element(ctx, source, destination, from, to),
        Err(reply) => reply,
    }
}

/// # Format
///
/// ```text
/// RPOPLPUSH source destination
/// ```
///
/// `LMOVE source destination RIGHT LEFT`.
pub(super) fn rpoplpush(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, source, destination] = args::exactly(args);
    move_element(ctx, source, destination, End::Tail, End::Head)
}

/// Redis's `lmoveGenericCommand`: the source is looked up first (missing: nil, and the
/// destination is not even looked at), then the destination's type is checked before anything
/// moves. With one key, the element rotates inside the list, which never becomes empty, so the
/// key keeps its TTL.
fn move_element(ctx: &mut Ctx, source: &[u8], destination: &[u8], from: End, to: End) -> Frame {
    match ctx.read_for_write::<ListValue>(source) {
        Err(reply) => return reply,
        Ok(None) => return Frame::Null,
        Ok(Some(_)) => {}
    }
    if let Err(reply) = ctx.read_for_write::<ListValue>(destination) {
        return reply;
    }
    let same_key = source == destination;
    let popped = ctx.modify(source, |list: &mut ListValue| {
        let element = from.pop(list)?;
        if same_key {
            to.push(list, element.clone());
        }
        Some(element)
    });
    let Ok(Some(Some(element))) = popped else {
        // Unreachable: the source was just found to be a list, and lists are never empty.
        return Frame::Null;
    };
    if !same_key {
        if let Err(reply) =
            push_elements(ctx, destination, to, std::slice::from_ref(&element), true)
        {
            return reply;
        }
        ctx.signal_modified_key(destination);
    }
    record_change(ctx, source, 1);
    Frame::Bulk(element)
}
