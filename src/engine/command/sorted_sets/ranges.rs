//! Score and lexicographic intervals (`(1.5`, `-inf`, `[a`, `-`, `+`) and the score arguments
//! of ZADD/ZINCRBY, parsed exactly as Redis 7.0 parses them.

use std::cmp::Ordering;
use std::ops::Bound;

use crate::engine::command::args::{self, index_range};
use crate::engine::command::strtod::strtod;
use crate::engine::keyspace::{Members, SortedSetValue};
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
    pub fn members<'z>(&self, zset: &'z SortedSetValue) -> Members<'z> {
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
        match arg {
            [b'+', ..] if alone => Some(LexBound::Highest),
            [b'-', ..] if alone => Some(LexBound::Lowest),
            [b'[', bound @ ..] => Some(LexBound::Included(bound.to_vec())),
            [b'(', bound @ ..] => Some(LexBound::Excluded(bound.to_vec())),
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

    /// Whether `member` is not past the end of the range a walk (`reverse`d or not) reaches
    /// last: below max going up, above min going down.
    fn before_far_end(&self, member: &[u8], reverse: bool) -> bool {
        if reverse {
            self.above_min(member)
        } else {
            self.below_max(member)
        }
    }

    /// The members from the first in range up (from the last in range down when `reverse`), as
    /// a listpack walk finds them (`zzlFirstInLexRange`, `zzlLastInLexRange`): what follows is
    /// not checked, so walkers stop at [`before_far_end`]. Lex ranges assume equal scores; with
    /// mixed scores this is what Redis's listpack does.
    ///
    /// [`before_far_end`]: LexRange::before_far_end
    fn walk<'z>(&self, zset: &'z SortedSetValue, reverse: bool) -> Members<'z> {
        let mut members = directed(zset.iter(), reverse);
        if !self.overlaps(zset) {
            members.stop();
            return members;
        }
        let reached_near_end = |member: &[u8]| {
            if reverse {
                self.below_max(member)
            } else {
                self.above_min(member)
            }
        };
        loop {
            let mut ahead = members.clone();
            match ahead.next() {
                Some((member, _)) if !reached_near_end(member) => members = ahead,
                Some((member, _)) if self.before_far_end(member, reverse) => return members,
                _ => {
                    members.stop();
                    return members;
                }
            }
        }
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

/// `members` lowest score first, or highest first when `reverse`.
fn directed(members: Members, reverse: bool) -> Members {
    if reverse {
        members.reversed()
    } else {
        members
    }
}

/// A range of members by rank, score or lexicographic interval, parsed (Redis parses it before
/// it looks the key up).
pub(super) enum Interval {
    /// Ranks `start..=stop`, negative ones counting from the highest score.
    Rank(i64, i64),
    /// A score interval.
    Score(ScoreRange),
    /// A lexicographic interval.
    Lex(LexRange),
}

impl Interval {
    /// The members in the interval, lowest score first (highest first when `reverse`), after
    /// skipping `offset` of them unchecked and at most `count`: ZRANGE's LIMIT, which Redis only
    /// takes with score and lex intervals (rank intervals ignore both).
    pub fn walk<'z, 'r>(
        &'r self,
        zset: &'z SortedSetValue,
        reverse: bool,
        offset: usize,
        count: usize,
    ) -> RangedWalk<'z, 'r> {
        let (members, skip, take, lex) = match self {
            &Interval::Rank(start, stop) => {
                let ranks = index_range(start, stop, zset.len()).unwrap_or(0..0);
                let (skip, take) = (ranks.start, ranks.len());
                (directed(zset.iter(), reverse), skip, take, None)
            }
            Interval::Score(range) => (directed(range.members(zset), reverse), offset, count, None),
            Interval::Lex(range) => (range.walk(zset, reverse), offset, count, Some(range)),
        };
        RangedWalk {
            members,
            skip,
            take,
            lex,
            reverse,
        }
    }
}

/// The walk [`Interval::walk`] describes, as one iterator.
pub(super) struct RangedWalk<'z, 'r> {
    members: Members<'z>,
    /// Members still to skip, unchecked.
    skip: usize,
    /// Members still to return at most.
    take: usize,
    /// A lexicographic interval whose far end stops the walk.
    lex: Option<&'r LexRange>,
    reverse: bool,
}

impl<'z> Iterator for RangedWalk<'z, '_> {
    type Item = (&'z [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        while self.skip > 0 {
            self.skip -= 1;
            self.members.next()?;
        }
        if self.take == 0 {
            return None;
        }
        let (member, score) = self.members.next()?;
        if self
            .lex
            .is_some_and(|range| !range.before_far_end(member, self.reverse))
        {
            self.take = 0;
            return None;
        }
        self.take -= 1;
        Some((member, score))
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
