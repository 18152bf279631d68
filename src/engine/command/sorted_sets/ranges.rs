//! Score and lexicographic intervals (`(1.5`, `-inf`, `[a`, `-`, `+`) and the score arguments
//! of ZADD/ZINCRBY, parsed exactly as Redis 7.0 parses them.

use std::cmp::Ordering;
use std::ops::Bound;

use crate::engine::command::args;
use crate::engine::command::strtod::strtod;
use crate::engine::keyspace::SortedSetValue;
use crate::engine::resp::Frame;

/// `-ERR min or max is not a float`.
const NOT_A_FLOAT_RANGE: &str = "ERR min or max is not a float";
/// `-ERR min or max not valid string range item`.
const NOT_A_LEX_RANGE: &str = "ERR min or max not valid string range item";

/// A score argument: a float as every command reads one ([`args::float`]).
pub(super) fn score(arg: &[u8]) -> Result<f64, Frame> {
    args::float(arg)
}

/// A score interval: `min` and `max` are `Included` or `Excluded` (never `Unbounded`: `-inf`
/// and `+inf` are ordinary bounds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ScoreRange {
    /// The lower end.
    pub min: Bound<f64>,
    /// The upper end.
    pub max: Bound<f64>,
}

impl ScoreRange {
    /// Redis's `zslParseRange`. It is laxer than [`score`]: the argument is a C string (it ends
    /// at a NUL byte), `strtod` may skip leading blanks, an empty bound is 0, and out-of-range
    /// numbers become ±inf or 0.
    pub fn parse(min: &[u8], max: &[u8]) -> Result<ScoreRange, Frame> {
        match (score_bound(min), score_bound(max)) {
            (Some(min), Some(max)) => Ok(ScoreRange { min, max }),
            _ => Err(Frame::error(NOT_A_FLOAT_RANGE)),
        }
    }

    /// Members in the range, lowest score first.
    pub fn members<'z>(
        &self,
        zset: &'z SortedSetValue,
    ) -> impl DoubleEndedIterator<Item = (&'z [u8], f64)> {
        zset.range_by_score(self.min, self.max)
    }
}

fn score_bound(arg: &[u8]) -> Option<Bound<f64>> {
    let text = args::c_string(arg);
    let (number, exclusive) = match text.strip_prefix(b"(") {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let parsed = strtod(number);
    if parsed.consumed != number.len() || parsed.value.is_nan() {
        return None;
    }
    Some(if exclusive {
        Bound::Excluded(parsed.value)
    } else {
        Bound::Included(parsed.value)
    })
}

/// One end of a lexicographic interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum LexBound {
    /// `-`: below every string.
    Lowest,
    /// `+`: above every string.
    Highest,
    /// `[member`.
    Included(Vec<u8>),
    /// `(member`.
    Excluded(Vec<u8>),
}

impl LexBound {
    /// `zslParseLexRangeItem`: `+` and `-` alone (the argument is a C string there, so a NUL
    /// may follow), or `[`/`(` and the rest of the argument (binary-safe).
    fn parse(arg: &[u8]) -> Option<LexBound> {
        let alone = arg.get(1).is_none_or(|&b| b == 0);
        match arg.first() {
            Some(b'+') if alone => Some(LexBound::Highest),
            Some(b'-') if alone => Some(LexBound::Lowest),
            Some(b'[') => Some(LexBound::Included(arg[1..].to_vec())),
            Some(b'(') => Some(LexBound::Excluded(arg[1..].to_vec())),
            _ => None,
        }
    }

    /// `-` and `+` are exclusive, like Redis's shared min/max strings.
    fn exclusive(&self) -> bool {
        !matches!(self, LexBound::Included(_))
    }

    /// `sdscmplex`: where a member (or another bound) stands relative to this bound.
    fn compare_member(&self, member: &[u8]) -> Ordering {
        match self {
            LexBound::Lowest => Ordering::Greater,
            LexBound::Highest => Ordering::Less,
            LexBound::Included(bound) | LexBound::Excluded(bound) => member.cmp(bound),
        }
    }
}

/// A lexicographic interval (`zlexrangespec`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct LexRange {
    min: LexBound,
    max: LexBound,
}

impl LexRange {
    /// `zslParseLexRange`.
    pub fn parse(min: &[u8], max: &[u8]) -> Result<LexRange, Frame> {
        match (LexBound::parse(min), LexBound::parse(max)) {
            (Some(min), Some(max)) => Ok(LexRange { min, max }),
            _ => Err(Frame::error(NOT_A_LEX_RANGE)),
        }
    }

    /// `zslLexValueGteMin`.
    pub fn above_min(&self, member: &[u8]) -> bool {
        match self.min.compare_member(member) {
            Ordering::Greater => true,
            Ordering::Equal => !self.min.exclusive(),
            Ordering::Less => false,
        }
    }

    /// `zslLexValueLteMax`.
    pub fn below_max(&self, member: &[u8]) -> bool {
        match self.max.compare_member(member) {
            Ordering::Less => true,
            Ordering::Equal => !self.max.exclusive(),
            Ordering::Greater => false,
        }
    }

    /// Whether min > max, or they are equal and either end is exclusive.
    fn is_empty(&self) -> bool {
        let order = match (&self.min, &self.max) {
            (LexBound::Lowest, LexBound::Lowest) | (LexBound::Highest, LexBound::Highest) => {
                Ordering::Equal
            }
            (LexBound::Lowest, _) | (_, LexBound::Highest) => Ordering::Less,
            (LexBound::Highest, _) | (_, LexBound::Lowest) => Ordering::Greater,
            (
                LexBound::Included(min) | LexBound::Excluded(min),
                LexBound::Included(max) | LexBound::Excluded(max),
            ) => min.cmp(max),
        };
        order == Ordering::Greater
            || (order == Ordering::Equal && (self.min.exclusive() || self.max.exclusive()))
    }

    /// The members from the first in range, lowest score first, as a listpack walk finds them
    /// (`zzlFirstInLexRange`): what follows is not checked, so callers stop at [`below_max`].
    /// Lex ranges assume equal scores; with mixed scores this is what Redis's listpack does.
    ///
    /// [`below_max`]: LexRange::below_max
    pub fn walk_forward<'z>(
        &self,
        zset: &'z SortedSetValue,
    ) -> impl Iterator<Item = (&'z [u8], f64)> + 'z {
        let mut members = zset.iter().peekable();
        let overlaps = self.overlaps(zset);
        if overlaps {
            while members
                .next_if(|(member, _)| !self.above_min(member))
                .is_some()
            {}
        }
        let starts_in_range = overlaps
            && members
                .peek()
                .is_some_and(|(member, _)| self.below_max(member));
        members.take_while(move |_| starts_in_range)
    }

    /// The members from the last in range down, highest score first (`zzlLastInLexRange`):
    /// callers stop at [`above_min`](LexRange::above_min).
    pub fn walk_backward<'z>(
        &self,
        zset: &'z SortedSetValue,
    ) -> impl Iterator<Item = (&'z [u8], f64)> + 'z {
        let mut members = zset.iter().rev().peekable();
        let overlaps = self.overlaps(zset);
        if overlaps {
            while members
                .next_if(|(member, _)| !self.below_max(member))
                .is_some()
            {}
        }
        let starts_in_range = overlaps
            && members
                .peek()
                .is_some_and(|(member, _)| self.above_min(member));
        members.take_while(move |_| starts_in_range)
    }

    /// `zzlIsInLexRange`: the range is not empty, the last member is at or above min and the
    /// first at or below max.
    fn overlaps(&self, zset: &SortedSetValue) -> bool {
        let (Some((first, _)), Some((last, _))) = (zset.iter().next(), zset.iter().next_back())
        else {
            return false;
        };
        !self.is_empty() && self.above_min(last) && self.below_max(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn score_arguments_are_whole_strtod_numbers() {
        assert_eq!(score(b"1.5"), Ok(1.5));
        assert_eq!(score(b"0x10"), Ok(16.0));
        assert_eq!(score(b"-inf"), Ok(f64::NEG_INFINITY));
        for bad in [
            &b""[..],
            b" 1",
            b"1 ",
            b"nan",
            b"1e400",
            b"1e-400",
            b"1\x00",
            b"++1",
        ] {
            assert!(score(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn score_ranges_are_lax_c_strings() {
        let range = |min: &str, max: &str| ScoreRange::parse(min.as_bytes(), max.as_bytes());
        let expected = |min, max| Ok(ScoreRange { min, max });
        assert_eq!(
            range("(1", "5"),
            expected(Bound::Excluded(1.0), Bound::Included(5.0))
        );
        assert_eq!(
            range("", "("),
            expected(Bound::Included(0.0), Bound::Excluded(0.0))
        );
        assert_eq!(
            range(" 2", "1e999"),
            expected(Bound::Included(2.0), Bound::Included(f64::INFINITY))
        );
        assert_eq!(
            range("2\u{0}zz", "1"),
            expected(Bound::Included(2.0), Bound::Included(1.0))
        );
        for (min, max) in [
            ("nan", "1"),
            ("((1", "2"),
            ("[1", "2"),
            ("2 ", "3"),
            (" ", "1"),
        ] {
            assert!(range(min, max).is_err(), "{min} {max}");
        }
    }

    #[test]
    fn lex_bounds_need_a_prefix() {
        assert!(LexRange::parse(b"-", b"+").is_ok());
        assert!(LexRange::parse(b"+\x00x", b"[").is_ok());
        for (min, max) in [
            (&b"a"[..], &b"+"[..]),
            (b"", b"+"),
            (b"--", b"+"),
            (b"-", b"++"),
        ] {
            assert!(LexRange::parse(min, max).is_err());
        }
    }
}
