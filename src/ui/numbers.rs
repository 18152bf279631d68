//! Numbers for the screen without the float formatting and `libm` code they would pull into the
//! page (`{:.1}` on an `f64` costs about 11 KB of WebAssembly, `sin`/`cos`/`powf` another 10 KB):
//! fixed-point text from integers, and the few functions the layout and the speed slider need,
//! accurate to far better than a pixel.

use std::f64::consts::{LN_10, PI, TAU};

/// `value` with one decimal (`-12.5`), rounded half up.
pub fn tenths(value: f64) -> String {
    fixed(value, 10, 1)
}

/// `value` with two decimals (`3.25`), rounded half up.
pub fn hundredths(value: f64) -> String {
    fixed(value, 100, 2)
}

fn fixed(value: f64, scale: i64, digits: usize) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let scaled = (value * scale as f64 + 0.5).floor() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let magnitude = scaled.unsigned_abs();
    let scale = scale.unsigned_abs();
    format!("{sign}{}.{:0digits$}", magnitude / scale, magnitude % scale)
}

/// `micros` as seconds with three decimals (`12.345 s`), or minutes and seconds from a minute.
pub fn seconds_words(micros: u64) -> String {
    let millis = micros / 1000;
    let (minutes, millis) = (millis / 60_000, millis % 60_000);
    let seconds = format!("{}.{:03} s", millis / 1000, millis % 1000);
    if minutes == 0 {
        seconds
    } else {
        format!("{minutes} min {seconds}")
    }
}

/// A count with its thousands grouped by a narrow no-break space (`1 204`, `2 047 000`), as
/// the page writes offsets and byte counts.
pub fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// `prefix-suffix`, for element ids and test ids (one function instead of a `format!` per
/// attribute: each of those costs the download a little).
pub fn dashed(prefix: &str, suffix: &dyn std::fmt::Display) -> String {
    format!("{prefix}-{suffix}")
}

/// Sorts a short list in place, stably, by `key` (insertion sort: the page sorts a handful of
/// consoles and links, and each use of the standard library's sort adds kilobytes).
pub fn sort_small_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    for end in 1..items.len() {
        let mut index = end;
        while index > 0 && key(&items[index - 1]) > key(&items[index]) {
            items.swap(index - 1, index);
            index -= 1;
        }
    }
}

/// Sine, by a Taylor series after reducing the angle to [-π, π] (error below 1e-6).
pub fn sin(angle: f64) -> f64 {
    // (`%` on floats would call fmod.)
    let mut x = angle - TAU * (angle / TAU + 0.5).floor();
    // sin(x) = sin(π - x) keeps the series on [-π/2, π/2], where it converges fast.
    if x > PI / 2.0 {
        x = PI - x;
    } else if x < -PI / 2.0 {
        x = -PI - x;
    }
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for n in 1..8 {
        term *= -x2 / ((2 * n) as f64 * (2 * n + 1) as f64);
        sum += term;
    }
    sum
}

/// Cosine, as the sine a quarter turn on.
pub fn cos(angle: f64) -> f64 {
    sin(angle + PI / 2.0)
}

/// 10 to the power `centi / 100` (the speed slider counts hundredths of a decade).
pub fn pow10_centi(centi: i32) -> f64 {
    let whole = centi.div_euclid(100);
    let fraction = f64::from(centi.rem_euclid(100)) / 100.0;
    // e^(fraction · ln 10) by its series: the argument is below 2.31, 30 terms are plenty.
    let x = fraction * LN_10;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..30 {
        term *= x / f64::from(n);
        sum += term;
    }
    let mut power = 1.0;
    for _ in 0..whole.unsigned_abs() {
        power *= 10.0;
    }
    if whole < 0 {
        sum / power
    } else {
        sum * power
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn fixed_point_text_rounds_like_printf() {
        assert_eq!(tenths(12.34), "12.3");
        assert_eq!(tenths(-0.26), "-0.3");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(hundredths(3.256), "3.26");
        assert_eq!(hundredths(0.01), "0.01");
        assert_eq!(seconds_words(12_345_678), "12.345 s");
        assert_eq!(seconds_words(61_000_000), "1 min 1.000 s");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(980), "980");
        assert_eq!(grouped(1204), "1\u{202f}204");
        assert_eq!(grouped(2_047_000), "2\u{202f}047\u{202f}000");
    }

    #[test]
    fn small_sort_is_stable() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_small_by_key(&mut items, |item| item.0);
        assert_eq!(items, [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn series_match_the_library_functions() {
        for step in -40..40 {
            let angle = f64::from(step) * 0.37;
            assert!((sin(angle) - angle.sin()).abs() < 1e-6, "sin {angle}");
            assert!((cos(angle) - angle.cos()).abs() < 1e-6, "cos {angle}");
        }
        for centi in [-200, -150, -1, 0, 37, 100, 250, 300] {
            let expected = 10f64.powf(f64::from(centi) / 100.0);
            assert!(
                (pow10_centi(centi) / expected - 1.0).abs() < 1e-9,
                "{centi}"
            );
        }
    }
}
