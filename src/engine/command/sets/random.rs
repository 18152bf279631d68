//! Random picks shared by SPOP, SRANDMEMBER and HRANDFIELD: indexes into a collection drawn from
//! the node's PRNG, with allocations bounded by the collection's size or by
//! [`REPEATED_PICKS_MAX`], never by a user's count alone.

use crate::engine::prng::Prng;
use crate::engine::resp::Frame;

/// The most picks a reply with repeats (a negative count) may hold. Redis 7.0 would stream all
/// of `|count|` into the client's output buffer, exhausting memory for counts in the billions;
/// a playground node refuses such counts instead of trying.
const REPEATED_PICKS_MAX: u64 = 1 << 20;

/// The reply to a negative count beyond [`REPEATED_PICKS_MAX`] (not a Redis error: Redis runs
/// out of memory instead).
fn too_many_picks() -> Frame {
    Frame::error(format!(
        "ERR count is out of range: this server returns at most {REPEATED_PICKS_MAX} repeated elements"
    ))
}

/// `count` indexes below `len`, drawn independently (repeats allowed); `len` > 0 and `count`
/// at most [`REPEATED_PICKS_MAX`].
fn repeated_indexes(prng: &mut Prng, len: usize, count: u64) -> Vec<usize> {
    (0..count.min(REPEATED_PICKS_MAX))
        .map(|_| prng.below(len as u64) as usize)
        .collect()
}

/// `count` distinct indexes below `len` (`count` ≤ `len`) in the order drawn: the first steps of
/// a Fisher-Yates shuffle.
pub(in crate::engine::command) fn distinct_indexes(
    prng: &mut Prng,
    len: usize,
    count: usize,
) -> Vec<usize> {
    let mut indexes: Vec<usize> = (0..len).collect();
    let count = count.min(len);
    for position in 0..count {
        let chosen = position + prng.below((len - position) as u64) as usize;
        indexes.swap(position, chosen);
    }
    indexes.truncate(count);
    indexes
}

/// What SRANDMEMBER and HRANDFIELD with a count pick from a collection (Redis's
/// `srandmemberWithCountCommand` and `hrandfieldWithCountCommand`): nothing for 0; `|count|`
/// independent picks, repeats allowed, for a negative count (or 1); every item, in the
/// collection's order, when a positive count covers them all; else `count` distinct items in the
/// order drawn. `items` lists the collection in its order and runs only when picks are needed.
/// Refuses more than [`REPEATED_PICKS_MAX`] repeated picks.
pub(in crate::engine::command) fn pick_with_count<T: Clone>(
    prng: &mut Prng,
    count: i64,
    items: impl FnOnce() -> Vec<T>,
) -> Result<Vec<T>, Frame> {
    let magnitude = count.unsigned_abs();
    if count == 0 {
        return Ok(Vec::new());
    }
    if count < 0 || count == 1 {
        if magnitude > REPEATED_PICKS_MAX {
            return Err(too_many_picks());
        }
        let items = items();
        let picks = repeated_indexes(prng, items.len(), magnitude);
        return Ok(at_indexes(&items, picks));
    }
    let items = items();
    if magnitude >= items.len() as u64 {
        return Ok(items);
    }
    let picks = distinct_indexes(prng, items.len(), magnitude as usize);
    Ok(at_indexes(&items, picks))
}

/// The items at `indexes`, in that order.
pub(super) fn at_indexes<T: Clone>(items: &[T], indexes: Vec<usize>) -> Vec<T> {
    let mut picked = Vec::with_capacity(indexes.len());
    for index in indexes {
        picked.extend(items.get(index).cloned());
    }
    picked
}

/// The count argument of SRANDMEMBER and HRANDFIELD (`getRangeLongFromObjectOrReply` between
/// -LONG_MAX and LONG_MAX).
pub(in crate::engine::command) fn parse_signed_count(arg: &[u8]) -> Result<i64, Frame> {
    let count = crate::engine::command::args::integer(arg)?;
    if count == i64::MIN {
        return Err(Frame::error(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn distinct_indexes_never_repeat_and_stay_in_range() {
        let mut prng = Prng::from_seed(3);
        for count in 0..=10 {
            let mut picked = distinct_indexes(&mut prng, 10, count);
            assert_eq!(picked.len(), count);
            picked.sort_unstable();
            picked.dedup();
            assert_eq!(picked.len(), count);
            assert!(picked.iter().all(|&index| index < 10));
        }
    }

    #[test]
    fn repeated_indexes_are_capped() {
        let mut prng = Prng::from_seed(3);
        assert_eq!(repeated_indexes(&mut prng, 2, 5).len(), 5);
        assert_eq!(
            repeated_indexes(&mut prng, 1, u64::MAX).len() as u64,
            REPEATED_PICKS_MAX
        );
    }
}
