//! The build date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock.
//! Converts Unix seconds to a civil UTC date without a date library.

/// A UTC date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildDate {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix: i64,
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

impl BuildDate {
    /// From `SOURCE_DATE_EPOCH` if it holds a number, else from the system clock.
    pub fn from_environment() -> Self {
        let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok());
        let now =
            || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        Self::from_unix(epoch.unwrap_or_else(now))
    }

    /// The date of `unix` seconds (clamped to years 1970–9999).
    pub fn from_unix(unix: i64) -> Self {
        let unix = unix.clamp(0, 253_402_300_799);
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        BuildDate {
            unix,
            year,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
        }
    }

    /// `2026-11-21T08:30:00Z`.
    pub fn iso8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `2026-11-21`.
    pub fn day_string(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (year, month, day).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_become_civil_dates() {
        assert_eq!(BuildDate::from_unix(0).iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(BuildDate::from_unix(951_782_400).day_string(), "2000-02-29");
        assert_eq!(BuildDate::from_unix(1_795_255_800).iso8601(), "2026-11-21T10:10:00Z");
    }
}
