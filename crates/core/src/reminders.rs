//! R1: the reminder dates before a document expires.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::case::DocumentFor;
use crate::status::DocumentStatus;
use crate::time;

/// R1: days before the expiry date D on which a reminder is due (0 is D itself, with the T4 time).
pub const REMINDER_DAYS_BEFORE: [u32; 8] = [120, 90, 60, 30, 14, 7, 1, 0];

/// R1's reach: the furthest before an expiry date a reminder is ever due.
pub fn reach_days() -> u32 {
    REMINDER_DAYS_BEFORE.into_iter().max().unwrap_or(0)
}

/// The expiry dates a reminder pass at UTC day `utc_today` must look at, first and last: every
/// zone's today is within a day of UTC's, so a day more each side, and a reminder is due at
/// most [`reach_days`] before its date.
pub fn expiries_in_reach(utc_today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        time::sub_days(utc_today, 2),
        time::add_days(utc_today, reach_days() + 2),
    )
}

/// One reminder date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReminderDate))]
pub struct Reminder {
    /// The document it is about.
    #[serde(rename = "for")]
    pub for_document: DocumentFor,
    /// The day it is due.
    #[serde(serialize_with = "crate::datetime_text::serialize_date")]
    pub on: NaiveDate,
    /// D minus `on`.
    pub days_before: u32,
}

/// Where one R1 reminder is (R2: each is delivered once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
pub enum ReminderState {
    /// Claimed, not delivered yet.
    Pending,
    /// Delivered.
    Sent,
    /// Never sent: a later reminder of the same document made it moot.
    Superseded,
}

impl ReminderState {
    /// Every state.
    pub const ALL: [ReminderState; 3] = [
        ReminderState::Pending,
        ReminderState::Sent,
        ReminderState::Superseded,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ReminderState::Pending => "pending",
            ReminderState::Sent => "sent",
            ReminderState::Superseded => "superseded",
        }
    }
}

/// Why R1 sends no reminders about a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReminded {
    /// An application to extend it is pending (M1).
    ApplicationPending,
    /// It has expired, or there is none.
    NotBeforeExpiry,
}

/// R1: whether a document gets reminders — valid or expiring soon, with no pending application.
pub fn reminded_status(status: &DocumentStatus) -> Result<(), NotReminded> {
    if status.application_pending {
        Err(NotReminded::ApplicationPending)
    } else if !status.state.is_before_expiry() {
        Err(NotReminded::NotBeforeExpiry)
    } else {
        Ok(())
    }
}

/// R1's documents: valid or expiring soon with no pending application, each with its expiry.
fn reminded<'a>(
    documents: &'a [(DocumentFor, &DocumentStatus)],
) -> impl Iterator<Item = (DocumentFor, NaiveDate)> + 'a {
    documents
        .iter()
        .filter(|(_, s)| reminded_status(s).is_ok())
        .filter_map(|(which, s)| s.expiry.map(|x| (*which, x.expires)))
}

/// R1: for each document valid or expiring soon with no pending application, the reminder dates
/// from today on, sorted by date and then by document (co-op work permit first).
pub fn reminders(documents: &[(DocumentFor, &DocumentStatus)], today: NaiveDate) -> Vec<Reminder> {
    let mut due = Vec::new();
    for (which, expires) in reminded(documents) {
        for days_before in REMINDER_DAYS_BEFORE {
            let on = time::sub_days(expires, days_before);
            if on >= today {
                due.push(Reminder {
                    on,
                    for_document: which,
                    days_before,
                });
            }
        }
    }
    due.sort_unstable_by_key(|r| (r.on, r.for_document));
    due
}

/// R1 with R2's catch-up: for each document valid or expiring soon with no pending application,
/// the most recent reminder date on or before today — the one to deliver now. Earlier dates
/// that passed unsent (the server was down) are not returned: a student never gets a burst of
/// stale reminders, only the one that says where they stand today.
pub fn latest_due(documents: &[(DocumentFor, &DocumentStatus)], today: NaiveDate) -> Vec<Reminder> {
    reminded(documents)
        .filter_map(|(which, expires)| {
            // REMINDER_DAYS_BEFORE runs from the earliest date to D: the last one not after today.
            REMINDER_DAYS_BEFORE
                .iter()
                .rev()
                .map(|days_before| (*days_before, time::sub_days(expires, *days_before)))
                .find(|(_, on)| *on <= today)
                .map(|(days_before, on)| Reminder {
                    for_document: which,
                    on,
                    days_before,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{DocumentState, DocumentStatus, Expiry};
    use chrono::{DateTime, FixedOffset, Utc};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn status(expires: &str, state: DocumentState, pending: bool) -> DocumentStatus {
        let expires = d(expires);
        DocumentStatus {
            state,
            expiry: Some(Expiry {
                expires,
                days_left: 0,
                deadline_utc: DateTime::<Utc>::MIN_UTC,
                deadline_local: DateTime::<FixedOffset>::MIN_UTC.fixed_offset(),
                recommended_by: expires,
            }),
            application_pending: pending,
        }
    }

    #[test]
    fn only_the_latest_passed_date_is_due() {
        let s = status("2027-03-01", DocumentState::ExpiringSoon, false);
        let docs = [(DocumentFor::StudyPermit, &s)];
        // D-120 is 2026-11-01, D-90 2026-12-01: on 2026-12-10 only D-90 is due.
        let due = latest_due(&docs, d("2026-12-10"));
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].on, due[0].days_before), (d("2026-12-01"), 90));
        assert_eq!(latest_due(&docs, d("2027-03-01"))[0].days_before, 0);
        // Before D-120 nothing is due.
        assert!(latest_due(&docs, d("2026-10-31")).is_empty());
    }

    #[test]
    fn a_pending_application_or_an_expired_document_gets_none() {
        let pending = status("2027-03-01", DocumentState::ExpiringSoon, true);
        let expired = status("2026-11-01", DocumentState::Expired, false);
        let docs = [
            (DocumentFor::StudyPermit, &pending),
            (DocumentFor::CoopWorkPermit, &expired),
        ];
        assert!(latest_due(&docs, d("2026-12-10")).is_empty());
    }

    #[test]
    fn a_pass_looks_at_every_expiry_a_reminder_can_be_due_for() {
        assert_eq!(reach_days(), 120);
        let (first, last) = expiries_in_reach(d("2026-12-10"));
        assert_eq!((first, last), (d("2026-12-08"), d("2027-04-11")));
        // The last expiry in reach has its first reminder two days out: zones ahead of UTC.
        assert_eq!(time::sub_days(last, reach_days()), d("2026-12-12"));
    }
}
