//! The text of a live countdown to an instant, ticked once a second by whoever shows it (the
//! self-check's page, the app's deadline card).

use chrono::{DateTime, Utc};

/// "12 days 03:04:05 left", or that the moment has passed.
pub fn remaining(deadline: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = deadline.signed_duration_since(now).num_seconds();
    if left <= 0 {
        return "The deadline has passed.".to_owned();
    }
    let (days, rest) = (left / 86_400, left % 86_400);
    let clock = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    match days {
        0 => format!("{clock} left"),
        1 => format!("1 day {clock} left"),
        n => format!("{n} days {clock} left"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn formats_days_and_clock() {
        let deadline = at("2026-12-16T00:00:00Z");
        assert_eq!(
            remaining(deadline, at("2026-12-15T23:59:59Z")),
            "00:00:01 left"
        );
        assert_eq!(
            remaining(deadline, at("2026-12-14T20:56:55Z")),
            "1 day 03:03:05 left"
        );
        assert_eq!(
            remaining(deadline, at("2026-12-01T00:00:00Z")),
            "15 days 00:00:00 left"
        );
        assert_eq!(remaining(deadline, deadline), "The deadline has passed.");
    }
}
