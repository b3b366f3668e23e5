//! A student's co-op status as their home page shows it, and the next T4 deadline worded for a
//! person: the body of the `my_status` server function, and the deadline card the self-check
//! builds in the browser from the same words.

use coop_core::Evaluation;
use coop_core::datetime_text::{datetime_words, utc_seconds};
use coop_core::explain::date;
use coop_core::reasons::Reason;
use coop_core::time::Zone;
use serde::{Deserialize, Serialize};

/// One reason a rule refuses, with the action that fixes it, citing its rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonLine {
    pub code: Reason,
    pub text: String,
    pub action: String,
}

impl From<Reason> for ReasonLine {
    fn from(reason: Reason) -> ReasonLine {
        let x = coop_core::explain::reason(reason);
        ReasonLine {
            code: reason,
            text: x.text.to_owned(),
            action: x.action.to_owned(),
        }
    }
}

/// One document's state in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentStateLine {
    /// "Study permit".
    pub name: String,
    pub state: coop_core::status::DocumentState,
    pub text: String,
}

/// One of the guide's steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLine {
    /// The step's state code.
    pub state: String,
    /// The state in words.
    pub words: String,
    /// The step, citing its rules.
    pub text: String,
}

/// A student's status as their home page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentStatus {
    pub name: String,
    pub cleared: bool,
    /// The regime in force, in a sentence (G3).
    pub regime: String,
    pub reasons: Vec<ReasonLine>,
    pub documents: Vec<DocumentStateLine>,
    pub steps: Vec<StepLine>,
    /// The next T4 deadline, worded in the student's zone.
    pub deadline: Option<DeadlineText>,
    /// R1, in words.
    pub reminders: Vec<String>,
}

/// Everything the deadline card says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineText {
    pub title: String,
    pub intro: String,
    /// Your time, Vancouver time, UTC.
    pub times: Vec<String>,
    /// The instant, RFC 3339 in UTC, for the countdown.
    pub deadline_utc: String,
    pub recommended: String,
}

impl DeadlineText {
    /// The next T4 deadline of an evaluation for a student in `zone`, if a document is still
    /// before its expiry.
    pub fn next(e: &Evaluation, zone: &Zone) -> Option<DeadlineText> {
        let (which, status) = e.next_deadline()?;
        let x = status.expiry?;
        let name = which.words();
        let wall_clock = |zone: &Zone| datetime_words(&zone.local(x.deadline_utc));
        Some(DeadlineText {
            title: format!("Deadline to keep your {name}"),
            intro: format!(
                "To keep maintained status, submit your application to extend your {name} to IRCC before midnight UTC at the end of {} (T4, M1):",
                date(x.expires),
            ),
            times: vec![
                format!("Your time ({}): before {}", zone.name(), wall_clock(zone)),
                format!("Vancouver time: before {}", wall_clock(&Zone::vancouver())),
                format!("UTC: before {}", datetime_words(&x.deadline_utc)),
            ],
            deadline_utc: utc_seconds(&x.deadline_utc),
            recommended: format!(
                "IRCC advises applying at least 30 days before expiry: by {} (P4).",
                date(x.recommended_by)
            ),
        })
    }
}

/// R1: each reminder date of an evaluation in words, in date order.
pub fn reminder_lines(e: &Evaluation) -> Vec<String> {
    e.reminders
        .iter()
        .map(|r| {
            let when = match r.days_before {
                0 => "on the day it expires".to_owned(),
                1 => "1 day before".to_owned(),
                n => format!("{n} days before"),
            };
            format!(
                "{}: {} your {} expires",
                date(r.on),
                when,
                r.for_document.words()
            )
        })
        .collect()
}
