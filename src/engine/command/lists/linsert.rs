//! `LINSERT`: insert an element next to the first occurrence of a pivot.

use super::record_change;
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LINSERT key BEFORE|AFTER pivot element
/// ```
///
/// Replies with the new length, `:-1` if the pivot is not in the list, `:0` for a missing key.
/// BEFORE/AFTER is checked before the key is looked up.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let [_, key, place, pivot, element] = args::exactly(args);
    let after = if place.eq_ignore_ascii_case(b"after") {
        true
    } else if place.eq_ignore_ascii_case(b"before") {
        false
    } else {
        return args::syntax_error();
    };
    let inserted = ctx.modify(key, |list: &mut ListValue| {
        let at = list.iter().position(|existing| existing == pivot)?;
        list.insert(at + usize::from(after), element.clone());
        Some(list.len())
    });
    match inserted {
        Err(reply) => reply,
        Ok(None) => Frame::Integer(0),
        Ok(Some(None)) => Frame::Integer(-1),
        Ok(Some(Some(len))) => {
            record_change(ctx, key, 1);
            Frame::Integer(len as i64)
        }
    }
}
