//! The few fixed textual forms of dates and instants the product reads and writes (T1), by hand.
//!
//! chrono's general `strftime` formatter and parser are not used: they cost the browser's first
//! load about 40 KB of WebAssembly for the handful of shapes below.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use std::fmt::Write;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Reads `text` left to right; every reader returns `None` on the first byte out of shape.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        let mut value = 0u32;
        for b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.at = end;
        Some(value)
    }

    fn byte(&mut self, allowed: &[u8]) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        if allowed.contains(&b) {
            self.at += 1;
            Some(b)
        } else {
            None
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn date(&mut self) -> Option<NaiveDate> {
        let year = self.digits(4)?;
        self.byte(b"-")?;
        let month = self.digits(2)?;
        self.byte(b"-")?;
        let day = self.digits(2)?;
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    }

    /// `HH:MM`, then `:SS` and a fraction of up to nine digits when `seconds` allows or requires
    /// them. A second of 60 is a leap second, as RFC 3339 allows.
    fn time(&mut self, seconds: Seconds) -> Option<NaiveTime> {
        let hour = self.digits(2)?;
        self.byte(b":")?;
        let minute = self.digits(2)?;
        let (second, nanos) = match (seconds, self.peek()) {
            (Seconds::Required, _) | (Seconds::Optional, Some(b':')) => {
                self.byte(b":")?;
                let second = self.digits(2)?;
                (second, self.fraction()?)
            }
            _ => (0, 0),
        };
        let (second, nanos) = if second == 60 {
            (59, nanos + 1_000_000_000)
        } else {
            (second, nanos)
        };
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }

    /// `.d…` as nanoseconds (digits past the ninth are ignored, as chrono does), or 0 when absent.
    fn fraction(&mut self) -> Option<u32> {
        if self.byte(b".").is_none() {
            return Some(0);
        }
        let mut nanos = 0u32;
        let mut count = 0u32;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            if count < 9 {
                nanos = nanos * 10 + u32::from(b - b'0');
            }
            count += 1;
            self.at += 1;
        }
        if count == 0 {
            return None;
        }
        Some(nanos * 10u32.pow(9u32.saturating_sub(count)))
    }

    /// `Z` or `±HH:MM`.
    fn offset(&mut self) -> Option<FixedOffset> {
        if self.byte(b"Zz").is_some() {
            return FixedOffset::east_opt(0);
        }
        let sign = if self.byte(b"+-")? == b'-' { -1 } else { 1 };
        let hours = self.digits(2)?;
        self.byte(b":")?;
        let minutes = self.digits(2)?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        FixedOffset::east_opt(sign * i32::try_from(hours * 3600 + minutes * 60).ok()?)
    }
}

#[derive(Clone, Copy)]
enum Seconds {
    Required,
    Optional,
}

/// T1: a calendar date, exactly `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut cursor = Cursor::new(text);
    let date = cursor.date()?;
    cursor.done().then_some(date)
}

/// T1: an RFC 3339 instant — `YYYY-MM-DDTHH:MM:SS`, an optional fraction, and `Z` or `±HH:MM`
/// (`t` or a space may separate date and time, as RFC 3339 permits).
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    let mut cursor = Cursor::new(text);
    let date = cursor.date()?;
    cursor.byte(b"Tt ")?;
    let time = cursor.time(Seconds::Required)?;
    let offset = cursor.offset()?;
    if !cursor.done() {
        return None;
    }
    let local = NaiveDateTime::new(date, time);
    local.checked_sub_offset(offset).map(|utc| utc.and_utc())
}

/// A wall-clock date and time without an offset: `YYYY-MM-DDTHH:MM`, optionally with seconds
/// and a fraction (what a `datetime-local` field gives, or an instant whose offset was forgotten).
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let mut cursor = Cursor::new(text);
    let date = cursor.date()?;
    cursor.byte(b"Tt ")?;
    let time = cursor.time(Seconds::Optional)?;
    cursor.done().then(|| NaiveDateTime::new(date, time))
}

/// "15 Dec 2026".
pub fn date_words(d: NaiveDate) -> String {
    let mut out = String::with_capacity(12);
    let _ = write!(out, "{} {} {}", d.day(), month_abbr(d), d.year());
    out
}

/// "Tue 15 Dec 2026, 17:30" — a wall-clock time in whatever zone `at` is in.
pub fn datetime_words<Tz: chrono::TimeZone>(at: &DateTime<Tz>) -> String {
    let local = at.naive_local();
    let weekday = WEEKDAYS
        .get(local.weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or("");
    let mut out = String::with_capacity(24);
    let _ = write!(
        out,
        "{weekday} {}, {:02}:{:02}",
        date_words(local.date()),
        local.hour(),
        local.minute()
    );
    out
}

/// "2026-12-15T17:30:00Z": an instant to the second, in UTC.
pub fn utc_seconds(at: &DateTime<Utc>) -> String {
    let mut out = String::with_capacity(20);
    write_naive(&mut out, &at.naive_utc());
    out.push('Z');
    out
}

/// "2026-12-15T17:30:00.123456Z": an instant to the microsecond, in UTC (the log's time stamps,
/// as `tracing_subscriber` writes them).
pub fn utc_micros(at: &DateTime<Utc>) -> String {
    let mut out = String::with_capacity(27);
    let naive = at.naive_utc();
    write_naive(&mut out, &naive);
    out.push('.');
    let micros = naive.nanosecond() % 1_000_000_000 / 1_000;
    push_two(&mut out, micros / 10_000);
    push_two(&mut out, micros / 100 % 100);
    push_two(&mut out, micros % 100);
    out.push('Z');
    out
}

/// "2026-12-15T10:30:00-07:00": an instant to the second, with its offset.
pub fn offset_seconds(at: &DateTime<FixedOffset>) -> String {
    let mut out = String::with_capacity(25);
    write_naive(&mut out, &at.naive_local());
    let seconds = at.offset().local_minus_utc();
    out.push(if seconds < 0 { '-' } else { '+' });
    let minutes = seconds.unsigned_abs() / 60;
    push_two(&mut out, minutes / 60);
    out.push(':');
    push_two(&mut out, minutes % 60);
    out
}

/// "2026-12-15": a date as `Serialize for NaiveDate` writes it, for `serialize_with`. Written
/// digit by digit: every answer of the rules carries several dates, and going through
/// `core::fmt` made them a tenth of `POST /api/v1/check`'s instructions (BENCHMARKS.md).
pub fn serialize_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    let mut out = String::with_capacity(10);
    if !push_date(&mut out, *d) {
        return serde::Serialize::serialize(d, s);
    }
    s.serialize_str(&out)
}

/// [`serialize_date`] for an optional date (`null` when absent).
pub fn serialize_optional_date<S: serde::Serializer>(
    d: &Option<NaiveDate>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => serialize_date(d, s),
        None => s.serialize_none(),
    }
}

fn write_naive(out: &mut String, at: &NaiveDateTime) {
    if !push_date(out, at.date()) {
        let _ = write!(out, "{:04}-{:02}-{:02}", at.year(), at.month(), at.day());
    }
    out.push('T');
    push_two(out, at.hour());
    out.push(':');
    push_two(out, at.minute());
    out.push(':');
    // A leap second (nanosecond ≥ 1e9) is written as :60.
    push_two(out, at.second() + at.nanosecond() / 1_000_000_000);
}

/// `YYYY-MM-DD` for years 0 to 9999 (false, and nothing written, for any other year: the
/// callers fall back to chrono's and `core::fmt`'s signed forms).
fn push_date(out: &mut String, d: NaiveDate) -> bool {
    let Ok(year) = u32::try_from(d.year()) else {
        return false;
    };
    if year > 9999 {
        return false;
    }
    push_two(out, year / 100);
    push_two(out, year % 100);
    out.push('-');
    push_two(out, d.month());
    out.push('-');
    push_two(out, d.day());
    true
}

/// Two digits of `n` (below 100).
fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn month_abbr(d: NaiveDate) -> &'static str {
    MONTHS.get(d.month0() as usize).copied().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_rfc3339(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|at| at.to_utc())
    }

    #[test]
    fn rfc3339_agrees_with_chrono() {
        for text in [
            "2026-08-31T23:30:00Z",
            "2026-08-31t23:30:00z",
            "2026-08-31 23:30:00Z",
            "2026-12-15T16:30:00-07:00",
            "2026-12-15T16:30:00+05:30",
            "2026-12-15T16:30:00.5Z",
            "2026-12-15T16:30:00.123456789+01:00",
            "2016-12-31T23:59:60Z",
            "2026-02-29T00:00:00Z",
            "2026-02-28T24:00:00Z",
            "2026-12-15T16:30Z",
            "2026-12-15T16:30:00",
            "2026-12-15T16:30:00+0700",
            "2026-12-15T16:30:00.Z",
            "2026-12-15T16:30:00.1234567890Z",
            "2026-12-15T16:30:00+24:00",
            "2026-12-15T16:30:00Z ",
            "26-12-15T16:30:00Z",
            "",
        ] {
            assert_eq!(parse_rfc3339(text), chrono_rfc3339(text), "{text:?}");
        }
    }

    #[test]
    fn dates_are_exactly_iso() {
        assert_eq!(
            parse_date("2026-12-15"),
            NaiveDate::from_ymd_opt(2026, 12, 15)
        );
        for bad in [
            "2026-2-15",
            "2026-02-30",
            "2026-12-15 ",
            "+2026-12-15",
            "2026/12/15",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn local_times_from_a_datetime_field() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok();
        assert_eq!(parse_local("2026-12-15T16:30"), at("2026-12-15T16:30:00"));
        assert_eq!(
            parse_local("2026-12-15T16:30:05"),
            at("2026-12-15T16:30:05")
        );
        assert_eq!(
            parse_local("2026-12-15 16:30:05.25"),
            at("2026-12-15T16:30:05.25")
        );
        assert_eq!(parse_local("2026-12-15T16:30Z"), None);
        assert_eq!(parse_local("2026-12-15T16"), None);
    }

    #[test]
    fn words_match_the_strftime_forms_they_replace() {
        let at = DateTime::parse_from_rfc3339("2026-03-08T09:05:00-07:00").unwrap();
        assert_eq!(
            datetime_words(&at),
            at.format("%a %-d %b %Y, %H:%M").to_string()
        );
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(date_words(d), d.format("%-d %b %Y").to_string());
        for text in [
            "2026-12-15T16:30:00-07:00",
            "2026-12-15T16:30:00+05:30",
            "1900-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T13:59:59-09:30",
            "2016-12-31T23:59:60Z",
        ] {
            let at = DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(
                offset_seconds(&at),
                at.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
            );
            let utc = at.to_utc();
            assert_eq!(
                utc_seconds(&utc),
                utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
            for nanos in [0, 1_000, 999_999_999, 123_456_789, 1_500_000_000] {
                let Some(at) = utc.with_nanosecond(nanos) else {
                    continue;
                };
                assert_eq!(
                    utc_micros(&at),
                    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
                );
            }
        }
    }

    #[test]
    fn dates_serialize_as_chrono_serializes_them() {
        #[derive(serde::Serialize)]
        struct Ours {
            #[serde(serialize_with = "serialize_date")]
            date: NaiveDate,
            #[serde(serialize_with = "serialize_optional_date")]
            maybe: Option<NaiveDate>,
        }
        #[derive(serde::Serialize)]
        struct Chrono {
            date: NaiveDate,
            maybe: Option<NaiveDate>,
        }
        let years = [-10_000, -1, 0, 1, 999, 1900, 2026, 9999, 10_000, 262_142];
        for year in years {
            for (month, day) in [(1, 1), (2, 28), (9, 30), (12, 31)] {
                let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
                for maybe in [Some(date), None] {
                    let ours = serde_json::to_string(&Ours { date, maybe }).unwrap();
                    let chrono = serde_json::to_string(&Chrono { date, maybe }).unwrap();
                    assert_eq!(ours, chrono);
                }
            }
        }
    }
}
