//! The node's log: what redis-server would write to its log file, as data. The engine never
//! writes anywhere; drivers print the lines (`playground-server`) or trace them (the simulator,
//! whose page shows a per-node log pane). Wording is ours; levels and layout are Redis's.

use super::time::Instant;

/// Redis's log levels, with the marker each prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum LogLevel {
    /// `.`
    Debug,
    /// `-`
    Verbose,
    /// `*`
    Notice,
    /// `#`
    Warning,
}

impl LogLevel {
    /// The character Redis prints for the level.
    pub fn marker(self) -> char {
        match self {
            LogLevel::Debug => '.',
            LogLevel::Verbose => '-',
            LogLevel::Notice => '*',
            LogLevel::Warning => '#',
        }
    }
}

/// One log line.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct LogLine {
    /// How important it is.
    pub level: LogLevel,
    /// What happened.
    pub message: String,
}

/// The line as redis-server writes it: `<pid>:<role> <day> <Mon> <year> <hh:mm:ss.mmm> <marker>
/// <message>`, with `role` `M` (master), `S` (replica) or `C` (a child process).
pub fn format_log_line(pid: u32, role: char, at: Instant, line: &LogLine) -> String {
    // Three letters per month.
    const MONTHS: &str = "JanFebMarAprMayJunJulAugSepOctNovDec";
    let millis = at.as_millis();
    let days = (millis / 86_400_000) as i64;
    let (year, month, day) = civil_from_days(days);
    let in_day = millis % 86_400_000;
    let (hours, minutes, seconds, ms) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!(
        "{pid}:{role} {day:02} {} {year} {hours:02}:{minutes:02}:{seconds:02}.{ms:03} {} {}",
        MONTHS
            .get(month as usize * 3 - 3..month as usize * 3)
            .unwrap_or("???"),
        line.level.marker(),
        line.message
    )
}

/// Year, month (1–12) and day (1–31) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), so formatting needs no clock or time zone database.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn lines_are_laid_out_as_redis_writes_them() {
        let line = LogLine {
            level: LogLevel::Notice,
            message: "DB saved on disk".into(),
        };
        // 2026-11-21T08:14:26.123Z
        let at = Instant::from_millis(1_795_248_866_123);
        assert_eq!(
            format_log_line(42, 'M', at, &line),
            "42:M 21 Nov 2026 08:14:26.123 * DB saved on disk"
        );
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
