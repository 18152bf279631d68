//! Conversions between binary floating point and decimal text that give exactly what glibc's
//! `strtod`, `strtold` and `printf` give, for `double` and for x86-64's 80-bit `long double`:
//! every result is correctly rounded, to nearest with ties to even.
//!
//! Rust's `str::parse::<f64>` and `{:e}`/`{:.N}` agree with glibc for `f64`, but they put about
//! 25 KB of code and tables (`core::num::dec2flt` and `flt2dec`) into the page. This module does
//! the same with one small big integer, and keeps the common cases quick: decimals of up to 19
//! significant digits with small exponents take one exact `f64` or `u128` operation.
//!
//! - `big_uint`: the big integer.
//! - `binary`: binary formats ([`DOUBLE`], [`LONG_DOUBLE`]) and rounding an exact value to one.
//! - `parse`: decimal to binary.
//! - `format`: binary to its exact decimal digits, as `%.Nf` and `%.17g` print them.

mod big_uint;
mod binary;
mod format;
mod parse;
#[cfg(test)]
mod tests;

pub(crate) use big_uint::BigUint;
pub(crate) use binary::{double, Finite, Rounded, DOUBLE, LONG_DOUBLE};
pub(crate) use format::{fixed, g17, write_fixed};
pub(crate) use parse::{decimal_to_binary, decimal_to_double};
