//! R1: the reminder dates before a document expires.

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::DocumentFor;
use crate::status::DocumentStatus;
use crate::time;

/// R1: days before the expiry date D on which a reminder is due (0 is D itself, with the T4 time).
pub const REMINDER_DAYS_BEFORE: [u32; 8] = [120, 90, 60, 30, 14, 7, 1, 0];

/// One reminder date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Reminder {
    /// The document it is about.
    #[serde(rename = "for")]
    pub for_document: DocumentFor,
    /// The day it is due.
    pub on: NaiveDate,
    /// D minus `on`.
    pub days_before: u32,
}

/// R1: for each document valid or expiring soon with no pending application, the reminder dates
/// from today on, sorted by date and then by document (co-op work permit first).
pub fn reminders(documents: &[(DocumentFor, &DocumentStatus)], today: NaiveDate) -> Vec<Reminder> {
    let mut due = Vec::new();
    for (which, status) in documents {
        let Some(expiry) = status.expiry else {
            continue;
        };
        if !status.state.is_before_expiry() || status.application_pending {
            continue;
        }
        for days_before in REMINDER_DAYS_BEFORE {
            let on = time::sub_days(expiry.expires, days_before);
            if on >= today {
                due.push(Reminder {
                    on,
                    for_document: *which,
                    days_before,
                });
            }
        }
    }
    due.sort_unstable_by_key(|r| (r.on, r.for_document));
    due
}
