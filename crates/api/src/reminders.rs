//! R1 reminders, as staff see them.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::case::DocumentFor;
use serde::{Deserialize, Serialize};

use crate::documents::StudentRef;

/// Where a reminder is (coop-core's R2 states).
pub use coop_core::reminders::ReminderState;

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reminder {
    pub id: i64,
    /// Null once the student's record is gone.
    pub student: Option<StudentRef>,
    #[serde(rename = "for")]
    pub for_document: DocumentFor,
    pub due_on: NaiveDate,
    pub days_before: i32,
    pub expires: NaiveDate,
    pub state: ReminderState,
    #[serde(with = "crate::time_text::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub sent_at: Option<DateTime<Utc>>,
    /// `in_app`, `email`.
    pub channels: Vec<String>,
    pub sent_to: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub resends: i32,
    #[serde(with = "crate::time_text::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resent_at: Option<DateTime<Utc>>,
    pub resent_by: Option<i64>,
}
