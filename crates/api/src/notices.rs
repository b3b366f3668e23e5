//! The messages a user reads in the app (R1 reminders, the office's decisions, a late report).

use serde::{Deserialize, Serialize};

/// One message, newest first in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub id: i64,
    /// `reminder`, `letter_approved`, `letter_rejected`, `document_verified`,
    /// `document_rejected`, `application_late`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// When, in words (UTC).
    pub when: String,
    pub read: bool,
}
