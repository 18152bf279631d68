//! [`TreeSet`]: the engine's one B-tree type, and the order-preserving encodings that let every
//! ordered collection use it.
//!
//! A sorted set's members, the expiry index, a client's channels and the WATCH table must stay
//! in order with O(log n) inserts and removals at any size (one ZADD, SUBSCRIBE or WATCH can
//! name 100 000 entries, where a sorted vector's shifting inserts take seconds). A B-tree does
//! that, but each key type compiles its own copy of the standard library's B-tree (several KB of
//! WebAssembly each). So they all share one key type, [`TreeKey`]: two numbers, then bytes.
//! Each collection maps its own key onto it so that the tuple order is the order it needs (a
//! score becomes [`ordered_f64`]), and maps entries back on the way out. The numbers stay inline
//! in the tree's nodes: most comparisons never reach the bytes on the heap.

use std::collections::btree_set::Range;
use std::collections::BTreeSet;
use std::ops::Bound;

/// Two numbers and a byte string, compared in that order.
pub type TreeKey = (u64, u64, Box<[u8]>);

/// A B-tree set of [`TreeKey`]s.
pub type TreeSet = BTreeSet<TreeKey>;

/// A [`TreeKey`] from its parts.
pub fn tree_key(first: u64, second: u64, bytes: &[u8]) -> TreeKey {
    (first, second, bytes.into())
}

/// A [`TreeKey`] ordered by `number`, then by `bytes`. The bytes' first 8 go in the middle too,
/// as a big-endian number (zero-padded): that orders like the bytes wherever they differ there,
/// and it decides most comparisons between equal numbers inside the tree's nodes, without a trip
/// to the heap.
pub fn number_then_bytes(number: u64, bytes: &[u8]) -> TreeKey {
    let mut head = [0; 8];
    let head_len = bytes.len().min(8);
    head[..head_len].copy_from_slice(&bytes[..head_len]);
    tree_key(number, u64::from_be_bytes(head), bytes)
}

/// The entries of `tree` between two bounds, in order; empty (rather than a panic) when the
/// bounds leave nothing between them. The one range query over a [`TreeSet`], so the standard
/// library compiles it once.
pub fn range<'t>(
    tree: &'t TreeSet,
    lower: Bound<&TreeKey>,
    upper: Bound<&TreeKey>,
) -> Range<'t, TreeKey> {
    if bounds_cross(lower, upper) {
        // `BTreeSet::range` panics on crossed bounds; x..x is empty and allowed.
        let nothing = &(0, 0, Box::default());
        return tree.range((Bound::Included(nothing), Bound::Excluded(nothing)));
    }
    tree.range((lower, upper))
}

/// Every entry of `tree`, in order: [`range`] unbounded, so that walks share its code.
pub fn all(tree: &TreeSet) -> Range<'_, TreeKey> {
    range(tree, Bound::Unbounded, Bound::Unbounded)
}

/// Whether a lower and an upper bound leave nothing between them.
fn bounds_cross(lower: Bound<&TreeKey>, upper: Bound<&TreeKey>) -> bool {
    match (lower, upper) {
        (Bound::Included(low), Bound::Included(high)) => low > high,
        (Bound::Included(low), Bound::Excluded(high))
        | (Bound::Excluded(low), Bound::Included(high))
        | (Bound::Excluded(low), Bound::Excluded(high)) => low >= high,
        _ => false,
    }
}

/// A score (never NaN) as a number in the same order, -0 as 0: Redis orders them as equal, so
/// the sign of a zero is lost (sorted sets keep it elsewhere). Positive numbers get the sign bit
/// set, so they follow the negative ones; a negative number's bits are all flipped, so the larger
/// magnitude comes first.
pub fn ordered_f64(score: f64) -> u64 {
    let bits = if score == 0.0 { 0 } else { score.to_bits() };
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The score [`ordered_f64`] made `ordered` from (a zero comes back as +0).
pub fn f64_from_ordered(ordered: u64) -> f64 {
    let bits = if ordered >> 63 == 1 {
        ordered & !(1 << 63)
    } else {
        !ordered
    };
    f64::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn scores_map_to_numbers_in_the_same_order_and_back() {
        let scores = [
            f64::NEG_INFINITY,
            -f64::MAX,
            -1.5,
            -f64::MIN_POSITIVE,
            -5e-324,
            0.0,
            5e-324,
            f64::MIN_POSITIVE,
            1.0,
            1.5,
            f64::MAX,
            f64::INFINITY,
        ];
        for pair in scores.windows(2) {
            assert!(ordered_f64(pair[0]) < ordered_f64(pair[1]), "{pair:?}");
        }
        for score in scores {
            assert_eq!(f64_from_ordered(ordered_f64(score)), score);
        }
        assert_eq!(ordered_f64(-0.0), ordered_f64(0.0));
        assert!(f64_from_ordered(ordered_f64(-0.0)).is_sign_positive());
    }

    #[test]
    fn number_then_bytes_orders_by_the_number_then_the_bytes() {
        let keys = [
            (0, ""),
            (0, "\0"),
            (0, "a"),
            (0, "a\0"),
            (0, "a\0\0\0\0\0\0\0\0"),
            (0, "a\0\0\0\0\0\0\0\x01"),
            (0, "a\x01"),
            (0, "abcdefgh"),
            (0, "abcdefgh\0"),
            (0, "abcdefghi"),
            (0, "b"),
            (1, ""),
        ]
        .map(|(number, bytes)| number_then_bytes(number, bytes.as_bytes()));
        for pair in keys.windows(2) {
            assert!(pair[0] < pair[1], "{pair:?}");
        }
    }

    #[test]
    fn ranges_are_empty_when_bounds_cross() {
        let tree: TreeSet = [(1, 0, "a"), (1, 0, "b"), (1, 1, ""), (2, 0, "")]
            .map(|(first, second, bytes)| tree_key(first, second, bytes.as_bytes()))
            .into();
        let found = |lower: Bound<(u64, u64, &str)>, upper: Bound<(u64, u64, &str)>| {
            let key = |(first, second, bytes): (u64, u64, &str)| {
                tree_key(first, second, bytes.as_bytes())
            };
            let (lower, upper) = (lower.map(key), upper.map(key));
            range(&tree, lower.as_ref(), upper.as_ref()).count()
        };
        use Bound::{Excluded, Included, Unbounded};
        assert_eq!(found(Included((1, 0, "b")), Unbounded), 3);
        assert_eq!(found(Excluded((1, 0, "a")), Excluded((2, 0, ""))), 2);
        assert_eq!(found(Included((2, 0, "")), Included((1, 0, ""))), 0);
        assert_eq!(found(Excluded((1, 1, "")), Excluded((1, 1, ""))), 0);
        assert_eq!(found(Excluded((1, 1, "")), Included((1, 1, ""))), 0);
    }
}
