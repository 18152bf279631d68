//! One stable sort for the whole crate, compiled once.
//!
//! Each `slice::sort*` call on a new element type or comparator compiles another copy of the
//! standard library's sort (about 3 KB of WebAssembly each, 30 KB for the page's ten). Here one
//! merge sort runs on `u32` positions with a comparator behind `&mut dyn FnMut`, so it is
//! compiled exactly once (and smaller than even one copy of the standard sort); each caller adds
//! only its comparator and the permutation that moves its elements into place. Comparisons go through one indirect call, which the sorts this crate
//! does (command tables, client lists, a few sets, inspection views) never notice.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal elements in their order (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` by `key`, keeping equal keys in their order (as `slice::sort_by_key` does).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order, keeping equal elements in their order (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The positions `0..len` in the order `compare` puts them, ties by position: a bottom-up merge
/// sort (stable by construction) on `u32`s, the crate's only sorting loop.
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let len = u32::try_from(len).expect("sorts fewer than 2^32 elements");
    let mut order: Vec<u32> = (0..len).collect();
    let mut merged = order.clone();
    let mut run_len = 1;
    while run_len < order.len() {
        for (pair, out) in order
            .chunks(2 * run_len)
            .zip(merged.chunks_mut(2 * run_len))
        {
            let (left, right) = pair.split_at(run_len.min(pair.len()));
            merge(left, right, out, compare);
        }
        std::mem::swap(&mut order, &mut merged);
        run_len *= 2;
    }
    order
}

/// Merges the sorted runs `left` and `right` into `out`, taking from `left` on ties.
fn merge(
    left: &[u32],
    right: &[u32],
    out: &mut [u32],
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    // Already in order (as input that is mostly sorted often is): one copy, no comparisons.
    if let (Some(&last), Some(&first)) = (left.last(), right.first()) {
        if compare(last as usize, first as usize) != Ordering::Greater {
            for (slot, &position) in out.iter_mut().zip(left.iter().chain(right)) {
                *slot = position;
            }
            return;
        }
    }
    let (mut left, mut right) = (left.iter().peekable(), right.iter().peekable());
    for slot in out {
        let take_left = match (left.peek(), right.peek()) {
            (Some(&&a), Some(&&b)) => compare(a as usize, b as usize) != Ordering::Greater,
            (left_next, _) => left_next.is_some(),
        };
        let next = if take_left { left.next() } else { right.next() };
        *slot = next.copied().unwrap_or_default();
    }
}

/// Rearranges `items` so that `items[i]` becomes the old `items[order[i]]`, by following each
/// cycle of the permutation with swaps (no copies, no `Clone`).
fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    for start in 0..items.len() {
        let mut current = start;
        // Every position visited is marked done by pointing it at itself.
        while let Some(entry) = order.get_mut(current) {
            let source = std::mem::replace(entry, current as u32) as usize;
            if source == start {
                break;
            }
            items.swap(current, source);
            current = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::prng::Prng;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut prng = Prng::from_seed(11);
        for len in 0..60 {
            let items: Vec<(u64, usize)> =
                (0..len).map(|index| (prng.next_u64() % 7, index)).collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |&(key, _)| key);
            let mut expected = items.clone();
            expected.sort_by_key(|&(key, _)| key);
            assert_eq!(ours, expected, "len {len}");
            let mut whole = items.clone();
            sort(&mut whole);
            let mut whole_expected = items;
            whole_expected.sort();
            assert_eq!(whole, whole_expected);
        }
    }

    #[test]
    fn long_runs_merge_stably() {
        let mut prng = Prng::from_seed(12);
        for len in [1000, 4097] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|index| (prng.next_u64() % 100, index))
                .collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
            let mut expected = items;
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            assert_eq!(ours, expected, "len {len}");
        }
    }

    #[test]
    fn moves_elements_without_cloning() {
        let mut names: Vec<String> = ["c", "a", "d", "b"].map(String::from).to_vec();
        sort(&mut names);
        assert_eq!(names, ["a", "b", "c", "d"]);
    }
}
