//! A reminder as staff's `/api/v1/reminders` shows it.

use coop_api::documents::StudentRef;
use coop_api::reminders::{Reminder, ReminderState};

use crate::entity::{reminder, student};

/// A reminder and (while the record exists) its student.
pub fn reminder(r: &reminder::Model, s: Option<&student::Model>) -> Reminder {
    let delivered = r.state == ReminderState::Sent;
    Reminder {
        id: r.id,
        student: s.map(StudentRef::from),
        for_document: r.for_document,
        due_on: r.due_on,
        days_before: r.days_before,
        expires: r.expires,
        state: r.state,
        sent_at: r.sent_at.filter(|_| delivered),
        channels: if delivered {
            r.channels
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        } else {
            Vec::new()
        },
        sent_to: r.sent_to.clone(),
        attempts: r.attempts,
        last_error: r.last_error.clone(),
        resends: r.resends,
        resent_at: r.resent_at,
        resent_by: r.resent_by,
    }
}
