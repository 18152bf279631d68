//! `LMPOP`: pop elements from the first non-empty list of several.

use super::{bulk_array, record_change, End};
use crate::engine::command::{args, Ctx};
use crate::engine::keyspace::ListValue;
use crate::engine::resp::Frame;

/// # Format
///
/// ```text
/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
/// ```
///
/// Pops up to `count` (default 1) elements from the given end of the first key holding a list
/// and replies `[key, [elements...]]`; the nil array if every key is missing. A key of another
/// type met before that is `-WRONGTYPE`. Propagated as `LPOP|RPOP key <popped>`.
pub(super) fn execute(ctx: &mut Ctx, args: &[Vec<u8>]) -> Frame {
    let (keys, end, count) = match parse(args) {
        Ok(parsed) => parsed,
        Err(reply) => return reply,
    };
    for key in keys {
        let popped = match ctx.modify(key, |list: &mut ListValue| end.pop_many(list, count)) {
            Err(reply) => return reply,
            Ok(None) => continue,
            Ok(Some(popped)) => popped,
        };
        let command: &[u8] = match end {
            End::Head => b"LPOP",
            End::Tail => b"RPOP",
        };
        ctx.rewrite_argv(vec![
            command.to_vec(),
            key.clone(),
            popped.len().to_string().into_bytes(),
        ]);
        record_change(ctx, key, popped.len());
        return Frame::Array(vec![Frame::Bulk(key.clone()), bulk_array(&popped)]);
    }
    Frame::NullArray
}

/// The keys, the end and the count (`lmpopGenericCommand`'s parsing, in its order).
fn parse(args: &[Vec<u8>]) -> Result<(&[Vec<u8>], End, u64), Frame> {
    let ([_, numkeys], rest) = args::at_least(args);
    let numkeys = positive(numkeys, "ERR numkeys should be greater than 0")?;
    // A numkeys that leaves no end is a syntax error.
    let Some((keys, [end, options @ ..])) = usize::try_from(numkeys)
        .ok()
        .and_then(|numkeys| rest.split_at_checked(numkeys))
    else {
        return Err(args::syntax_error());
    };
    let end = End::parse(end)?;
    let mut count = None;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match options.next() {
            Some(value) if count.is_none() && option.eq_ignore_ascii_case(b"count") => {
                count = Some(positive(value, "ERR count should be greater than 0")?);
            }
            _ => return Err(args::syntax_error()),
        }
    }
    Ok((keys, end, count.unwrap_or(1)))
}

/// An integer of at least 1, else `message`.
fn positive(arg: &[u8], message: &str) -> Result<u64, Frame> {
    args::integer(arg)
        .ok()
        .and_then(|value| u64::try_from(value).ok())
        .filter(|&value| value > 0)
        .ok_or_else(|| Frame::error(message))
}
