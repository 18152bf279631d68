//! Differential tests against Rust's own conversions (`str::parse::<f64>`, `{:.Ne}`, `{:.N}`),
//! which round correctly as glibc does: the same bits and the same text for many deterministic
//! pseudo-random inputs, ties and extremes included.

use super::*;
use crate::engine::prng::Prng;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A finite double from random bits: every exponent is as likely, subnormals included.
fn random_double(prng: &mut Prng) -> f64 {
    loop {
        let value = f64::from_bits(prng.next_u64());
        if value.is_finite() {
            return value;
        }
    }
}

/// A double of a kind that parsing and printing find hard, or a plain random one.
fn interesting_double(prng: &mut Prng) -> f64 {
    match prng.below(6) {
        // Subnormals and the smallest normals.
        0 => f64::from_bits(prng.below(1 << 53)),
        // The largest values.
        1 => f64::from_bits(f64::MAX.to_bits() - prng.below(1 << 20)),
        // Few binary digits after the point: printing them hits exact ties.
        2 => prng.below(1 << 40) as f64 / (1u64 << prng.below(12)) as f64,
        // Integers and near-integers around 2^53.
        3 => (prng.below(1 << 55) as f64) * if prng.below(2) == 0 { 1.0 } else { -1.0 },
        // Everyday scores.
        4 => (prng.next_f64() * 2000.0 - 1000.0) * 10f64.powi(prng.below(7) as i32 - 3),
        _ => random_double(prng),
    }
}

/// The exact decimal digits of mantissa × 2^exponent and the power of ten they are scaled by.
fn exact_decimal(mantissa: u128, exponent: i64) -> (String, i64) {
    let mut big = BigUint::from_u64((mantissa >> 64) as u64).shl(64);
    big = big.add(&BigUint::from_u64(mantissa as u64));
    let scale = if exponent >= 0 {
        big = big.shl(exponent as u64);
        0
    } else {
        big.mul_pow5(exponent.unsigned_abs() as u32);
        exponent
    };
    (String::from_utf8(big.to_decimal()).expect("ASCII"), scale)
}

/// A positive decimal integer minus one.
fn decremented(digits: &str) -> String {
    let mut bytes = digits.as_bytes().to_vec();
    for digit in bytes.iter_mut().rev() {
        if *digit == b'0' {
            *digit = b'9';
        } else {
            *digit -= 1;
            break;
        }
    }
    String::from_utf8(bytes).expect("ASCII")
}

/// What `strtod` reads from `text`, as bits.
fn strtod_bits(text: &str) -> u64 {
    crate::engine::command::strtod::strtod(text.as_bytes())
        .value
        .to_bits()
}

fn assert_parses_like_std(text: &str) {
    let expected = text
        .parse::<f64>()
        .unwrap_or_else(|_| panic!("std parses {text:?}"));
    assert_eq!(strtod_bits(text), expected.to_bits(), "{text}");
}

#[test]
fn printed_doubles_parse_back_like_std() {
    let mut prng = Prng::from_seed(1);
    for _ in 0..6000 {
        let value = interesting_double(&mut prng);
        let digits = prng.below(25) as usize;
        assert_parses_like_std(&format!("{value:.digits$e}"));
        if value.abs() < 1e30 {
            assert_parses_like_std(&format!("{value:.digits$}"));
        }
        assert_parses_like_std(&format!("{value}"));
    }
}

#[test]
fn random_digit_strings_parse_like_std() {
    let mut prng = Prng::from_seed(2);
    for _ in 0..10_000 {
        let length_max = if prng.below(8) == 0 { 60 } else { 20 };
        let length = 1 + prng.below(length_max);
        let mut text: String = (0..length)
            .map(|_| char::from(b'0' + prng.below(10) as u8))
            .collect();
        if prng.below(2) == 0 {
            text.insert(prng.below(length + 1) as usize, '.');
        }
        if prng.below(3) > 0 {
            let exponent = prng.below(700) as i64 - 350;
            text.push_str(&format!("e{exponent}"));
        }
        if text.starts_with('.') && text[1..].starts_with(|c: char| !c.is_ascii_digit()) {
            continue;
        }
        assert_parses_like_std(&text);
    }
}

#[test]
fn halfway_points_parse_like_std() {
    let mut prng = Prng::from_seed(3);
    for round in 0..1000 {
        let value = interesting_double(&mut prng).abs();
        if value == f64::MAX {
            continue;
        }
        let finite = Finite::from_double(value).expect("finite");
        // Halfway to the next double up: (2m + 1) × 2^(e - 1); hundreds of digits when small.
        let (digits, scale) =
            exact_decimal(2 * u128::from(finite.mantissa) + 1, finite.exponent - 1);
        let exponent = scale;
        assert_parses_like_std(&format!("{digits}e{exponent}"));
        // A hair above and below: past the 800 digits kept, the tail still decides.
        let padding = if round % 4 == 0 { 900 } else { 3 };
        let zeros = "0".repeat(padding);
        let padded = exponent - padding as i64 - 1;
        assert_parses_like_std(&format!("{digits}{zeros}1e{padded}"));
        let nines = "9".repeat(padding + 1);
        assert_parses_like_std(&format!("{}{nines}e{padded}", decremented(&digits)));
    }
}

#[test]
fn extreme_and_odd_decimals_parse_like_std() {
    let long_ones = "1".repeat(3000);
    let cases = [
        "0",
        "0.0",
        "000.000e999999",
        "1e-400",
        "1e400",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.797693134862315807e308",
        "179769313486231580793728971405301e276",
        "9007199254740993",
        "9007199254740992.5",
        "123456789012345678901234567890",
        "0.000000000000000000000001",
        "1e22",
        "1e23",
        "9999999999999999e22",
        "123456789e-27",
        "1234567890123456789e-27",
        "1e-28",
        "5e-324",
        "1e99999999999999999999",
        "1e-99999999999999999999",
        &long_ones,
    ];
    for text in cases {
        assert_parses_like_std(text);
    }
    let long_fraction = format!("0.{}", long_ones);
    assert_parses_like_std(&long_fraction);
    let long_zeros = format!("{}1e-300", "0".repeat(5000));
    assert_parses_like_std(&long_zeros);
}

#[test]
fn strtod_prefixes_parse_like_std() {
    // Random strings over strtod's alphabet: whatever prefix it takes, std reads the same number.
    let alphabet = b"0123456789..eE+- \tiInNfFaA";
    let mut prng = Prng::from_seed(4);
    for _ in 0..10_000 {
        let length = prng.below(12);
        let text: String = (0..length)
            .map(|_| char::from(alphabet[prng.below(alphabet.len() as u64) as usize]))
            .collect();
        let parsed = crate::engine::command::strtod::strtod(text.as_bytes());
        let taken = text[..parsed.consumed].trim_start_matches([' ', '\t']);
        if taken.is_empty() {
            assert_eq!(parsed.value.to_bits(), 0, "{text:?}");
            continue;
        }
        let expected: f64 = taken.parse().expect("std reads what strtod took");
        assert!(
            parsed.value.to_bits() == expected.to_bits()
                || parsed.value.is_nan() && expected.is_nan(),
            "{text:?}"
        );
    }
}

#[test]
fn hexadecimal_floats_round_like_their_decimal_expansions() {
    let mut prng = Prng::from_seed(5);
    for _ in 0..3000 {
        // Up to 20 hex digits (80 bits) scaled anywhere from below the subnormals to overflow.
        let digits = 1 + prng.below(20) as u32;
        let mantissa = u128::from(prng.next_u64()) << 16 | u128::from(prng.next_u64() >> 48);
        let mantissa = (mantissa >> (80 - 4 * digits)).max(1);
        let exponent = prng.below(2300) as i64 - 1250;
        let hex = format!("0x{mantissa:x}p{exponent}");
        let (decimal, scale) = exact_decimal(mantissa, exponent);
        let expected: f64 = format!("{decimal}e{scale}").parse().expect("std parses it");
        assert_eq!(strtod_bits(&hex), expected.to_bits(), "{hex}");
    }
    for value in (0..500).map(|_| random_double(&mut prng).abs()) {
        let finite = Finite::from_double(value).expect("finite");
        let hex = format!("0x{:x}p{}", finite.mantissa, finite.exponent);
        assert_eq!(strtod_bits(&hex), value.to_bits(), "{hex}");
    }
}

/// Rust's `{:.16e}` laid out as C's `%.17g` (the 17 digits are the same).
fn g17_from_std(value: f64) -> String {
    if !value.is_finite() || value == 0.0 {
        return g17_text(value);
    }
    let scientific = format!("{:.16e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').expect("exponent");
    let exponent: i32 = exponent.parse().expect("integer");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if value < 0.0 { "-" } else { "" };
    let trimmed = |text: &str| text.trim_end_matches('0').to_string();
    let dotted = |text: String| {
        if text.is_empty() {
            text
        } else {
            format!(".{text}")
        }
    };
    if (-4..17).contains(&exponent) {
        let (integer, fraction) = if exponent >= 0 {
            let split = exponent as usize + 1;
            (digits[..split].to_string(), digits[split..].to_string())
        } else {
            let zeros = "0".repeat((-exponent - 1) as usize);
            ("0".to_string(), format!("{zeros}{digits}"))
        };
        format!("{sign}{integer}{}", dotted(trimmed(&fraction)))
    } else {
        let rest = dotted(trimmed(&digits[1..]));
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{}{rest}e{exponent_sign}{:02}",
            &digits[..1],
            exponent.abs()
        )
    }
}

fn g17_text(value: f64) -> String {
    String::from_utf8(g17(value)).expect("ASCII")
}

#[test]
fn doubles_print_like_std() {
    let mut prng = Prng::from_seed(6);
    for _ in 0..6000 {
        let value = interesting_double(&mut prng);
        assert_eq!(g17_text(value), g17_from_std(value), "{value:e}");
        let decimals = [0, 1, 2, 3, 5, 17, 20][prng.below(7) as usize];
        assert_eq!(
            fixed(value, decimals),
            format!("{value:.decimals$}"),
            "{value:e}"
        );
    }
    for value in [
        0.0,
        -0.0,
        5e-324,
        f64::MAX,
        -f64::MAX,
        1e-4,
        1e-4f64.next_down(),
        1e17,
    ] {
        assert_eq!(g17_text(value), g17_from_std(value), "{value:e}");
        assert_eq!(fixed(value, 2), format!("{value:.2}"), "{value:e}");
    }
}

#[test]
fn exact_ties_print_like_std() {
    // m / 2^k has k digits after the point, the last a 5: printing one digit fewer is a tie.
    let mut prng = Prng::from_seed(7);
    for _ in 0..4000 {
        let places = 1 + prng.below(12) as usize;
        let value = (prng.below(1 << 40) | 1) as f64 / (1u64 << places) as f64;
        let decimals = places - 1;
        assert_eq!(
            fixed(value, decimals),
            format!("{value:.decimals$}"),
            "{value:e}"
        );
        assert_eq!(
            fixed(-value, decimals),
            format!("{:.decimals$}", -value),
            "{value:e}"
        );
        assert_eq!(g17_text(value), g17_from_std(value), "{value:e}");
    }
}
