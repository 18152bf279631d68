//! Time as the engine sees it: always handed in by the driver, never read from a clock.
//!
//! Our own type rather than `std::time::Instant`, which cannot be constructed from a number (the
//! simulator needs virtual time) and panics on `wasm32-unknown-unknown`.

/// A point in time: microseconds since the Unix epoch.
///
/// Wall-clock based because Redis mixes both kinds of time in its interface (`EXPIREAT`, `TIME`,
/// `LASTSAVE`); a driver hands in a clock that never goes backwards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Instant(u64);

impl Instant {
    /// The instant `micros` microseconds after the epoch.
    pub const fn from_micros(micros: u64) -> Instant {
        Instant(micros)
    }

    /// The instant `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: u64) -> Instant {
        Instant(millis.saturating_mul(1000))
    }

    /// Microseconds since the epoch.
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Milliseconds since the epoch (Redis's `mstime()`).
    pub const fn as_millis(self) -> u64 {
        self.0 / 1000
    }

    /// Whole seconds since the epoch (Redis's `unixtime`).
    pub const fn as_secs(self) -> u64 {
        self.0 / 1_000_000
    }

    /// This instant moved `millis` milliseconds later.
    pub const fn add_millis(self, millis: u64) -> Instant {
        Instant(self.0.saturating_add(millis.saturating_mul(1000)))
    }

    /// Milliseconds from `earlier` to `self`, zero if `earlier` is later.
    pub const fn millis_since(self, earlier: Instant) -> u64 {
        self.0.saturating_sub(earlier.0) / 1000
    }
}
