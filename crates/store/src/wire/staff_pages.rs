//! What the co-op office's pages show, worded on the server: the overview's counts, the letter
//! and document queues, the student list, a student's whole file, the history, an import.

use coop_api::documents::ReviewItem;
use coop_api::letters::QueuedLetterLine;
use coop_api::staff::{
    CountLine, FileApplication, FileDocument, FileLetterRequest, FileWorkTerm, HistoryLine,
    ImportLineView, ImportSummary, Overview, OverviewCount, OverviewCounts, ReminderLine,
    StateCell, StudentFileView, StudentRow,
};
use coop_core::datetime_text::{date_words, datetime_words};
use coop_core::explain;
use coop_core::reminders::ReminderState;

use crate::entity::{audit_event, letter_request, program, reminder, student};
use crate::service::documents::Queued;
use crate::service::import;
use crate::service::letters::QueuedRequest;
use crate::service::overview::Office;
use crate::service::records::Records;
use crate::service::student_list::{Counts, Listed};

/// The overview: what waits for review, and each count with the list it opens.
pub fn overview(office: &Office) -> OverviewCounts {
    OverviewCounts {
        letters_waiting: office.letters_waiting,
        documents_waiting: office.documents_waiting,
        students: count_lines(&office.students)
            .into_iter()
            .map(|(label, query, count)| CountLine {
                label: label.to_owned(),
                link: format!("/home?view=students&{query}"),
                count,
            })
            .collect(),
    }
}

/// The overview for the API: each count with the filters of `GET /api/v1/students` it totals.
pub fn overview_api(office: &Office) -> Overview {
    Overview {
        letters_waiting: office.letters_waiting,
        documents_waiting: office.documents_waiting,
        counts: count_lines(&office.students)
            .into_iter()
            .map(|(label, query, count)| OverviewCount {
                label: label.to_owned(),
                filters: query.to_owned(),
                count,
            })
            .collect(),
    }
}

/// Each count in the order shown: its label (citing its rule), the list's query string, the count.
fn count_lines(c: &Counts) -> Vec<(&'static str, &'static str, u64)> {
    let row = |label, query, count| (label, query, count);
    vec![
        row("All students", "", c.students),
        row(
            "Cleared for co-op jobs (J)",
            "job_access=cleared",
            c.cleared,
        ),
        row("Not cleared (J)", "job_access=not_cleared", c.not_cleared),
        row(
            "A document expiring within 30 days (T6)",
            "expiring_within_days=30&sort=expiry",
            c.expiring_30,
        ),
        row(
            "A document expiring within 60 days (T6)",
            "expiring_within_days=60&sort=expiry",
            c.expiring_60,
        ),
        row(
            "A document expiring within 90 days (V3)",
            "expiring_within_days=90&sort=expiry",
            c.expiring_90,
        ),
        row(
            "On maintained status (M1)",
            "state=maintained",
            c.maintained,
        ),
        row("In restoration (M2)", "state=restoration", c.restoration),
        row("Out of status (M2)", "state=out_of_status", c.out_of_status),
        row(
            "Study permit ends before a work term (V2)",
            "extend_study_permit=true",
            c.study_permit_ends_before_work,
        ),
        row(
            "No on-campus work condition (W2c)",
            "reason=no_on_campus_work_condition",
            c.no_on_campus_condition,
        ),
        row(
            "In a program that does not qualify (W2f)",
            "reason=program_not_eligible",
            c.program_not_eligible,
        ),
        row(
            "Program not on file (W2f not decided)",
            "program=not_on_file",
            c.program_not_on_file,
        ),
    ]
}

/// "3 days", "5 hours".
fn waited(hours: i64) -> String {
    match hours {
        h if h >= 48 => format!("{} days", h / 24),
        1 => "1 hour".to_owned(),
        h if h > 0 => format!("{h} hours"),
        _ => "less than an hour".to_owned(),
    }
}

/// A letter request in the queue, with why its student is not eligible or not cleared.
pub fn queued_letter(q: &QueuedRequest, now: chrono::DateTime<chrono::Utc>) -> QueuedLetterLine {
    let e = &q.evaluation;
    let mut reasons: Vec<String> = e
        .letter
        .reasons
        .iter()
        .chain(e.job_access.reasons.iter())
        .map(|r| explain::reason(r).text.to_owned())
        .collect();
    reasons.dedup();
    QueuedLetterLine {
        id: q.request.id,
        student_id: q.student.id,
        student: format!("{} ({})", q.student.name, q.student.student_number),
        requested: datetime_words(&q.request.requested_at) + " UTC",
        waiting: waited((now - q.request.requested_at).num_hours()),
        first_term_start: q
            .request
            .first_term_start
            .map(date_words)
            .unwrap_or_default(),
        extending_study_permit: q.request.extending_study_permit,
        eligible: e.letter.eligible,
        cleared: e.job_access.cleared,
        letter_name: explain::letter_name(e.regime).to_owned(),
        reasons,
    }
}

/// A document waiting for review, with what the validators say about it now.
pub fn review_item(q: &Queued) -> ReviewItem {
    ReviewItem {
        id: q.document.id,
        student: format!("{} ({})", q.student.name, q.student.student_number),
        kind: q.document.kind.words().to_owned(),
        number: q.document.number.clone(),
        uci: q.document.uci.clone(),
        issued_on: q.document.issued_on.map(date_words),
        expires_on: date_words(q.document.expires_on),
        on_campus_work: q.document.on_campus_work,
        submitted: datetime_words(&q.document.submitted_at) + " UTC",
        has_file: q.document.file_id.is_some(),
        content_type: q.content_type.clone(),
        findings: q
            .findings
            .iter()
            .map(|f| (f.code.is_warning(), f.code.message().to_owned()))
            .collect(),
    }
}

/// One row of the student list.
pub fn student_row(l: &Listed) -> StudentRow {
    let date = |d: Option<chrono::NaiveDate>| d.map(date_words).unwrap_or_default();
    StudentRow {
        id: l.student.id,
        name: l.student.name.clone(),
        student_number: l.student.student_number.clone(),
        email: l.student.email.clone(),
        program_on_file: l.student.program_code.is_some(),
        cleared: l.standing.cleared,
        study_permit: StateCell {
            state: l.standing.study_state,
            expires: date(l.standing.study_expires),
        },
        coop_work_permit: StateCell {
            state: l.standing.coop_state,
            expires: date(l.standing.coop_expires),
        },
    }
}

/// "field: before → after" for each field that differs between two snapshots.
pub fn changes(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| k.as_str() != "version" && b.get(*k) != a.get(*k))
        .map(|k| {
            if before.is_none() {
                format!("{k}: {}", text(a.get(k)))
            } else {
                format!("{k}: {} → {}", text(b.get(k)), text(a.get(k)))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One change in the history.
pub fn history_line(h: &audit_event::Model) -> HistoryLine {
    HistoryLine {
        when: datetime_words(&h.at) + " UTC",
        who: h.actor.clone().unwrap_or_else(|| "anonymous".to_owned()),
        what: h.action.clone(),
        changes: changes(h.before.as_ref(), h.after.as_ref()),
        subject: h.subject.clone(),
    }
}

/// One R1 reminder on a student's file: when it was delivered, how and to whom, or why not.
pub fn reminder_line(r: &reminder::Model) -> ReminderLine {
    let mut how = match (r.state, &r.sent_at, &r.last_error) {
        (ReminderState::Superseded, _, _) => "not sent: a later reminder replaced it".to_owned(),
        (ReminderState::Sent, Some(at), _) => format!(
            "sent {} UTC, {}{}",
            datetime_words(at),
            r.channels.replace(',', " and ").replace('_', " "),
            r.sent_to
                .as_ref()
                .map(|to| format!(" to {to}"))
                .unwrap_or_default()
        ),
        (_, _, Some(error)) => format!("not delivered yet ({} attempts): {error}", r.attempts),
        _ => "waiting to be delivered".to_owned(),
    };
    if let Some(at) = &r.resent_at {
        how.push_str(&format!(
            "; sent again by the office {} time{}, last {} UTC",
            r.resends,
            if r.resends == 1 { "" } else { "s" },
            datetime_words(at)
        ));
    }
    ReminderLine {
        id: r.id,
        due: date_words(r.due_on),
        about: format!(
            "{}, {} days before {}",
            r.for_document.words(),
            r.days_before,
            date_words(r.expires)
        ),
        how,
        delivered: r.state == ReminderState::Sent,
    }
}

/// What a student's file holds besides the record: for [`student_file`].
#[derive(Debug)]
pub struct FileParts<'a> {
    pub on_file: &'a Records,
    pub evaluation: &'a coop_core::Evaluation,
    pub requests: &'a [letter_request::Model],
    /// Oldest first (as the log keeps it).
    pub history: &'a [audit_event::Model],
    pub reminders: &'a [reminder::Model],
    /// The programs catalogue, by code.
    pub catalogue: &'a [program::Model],
    /// When a leaver's personal data may go (F2), when they left.
    pub removable_from: Option<chrono::DateTime<chrono::Utc>>,
}

/// A student's whole file, worded for staff.
pub fn student_file(model: &student::Model, parts: &FileParts<'_>) -> StudentFileView {
    let e = parts.evaluation;
    StudentFileView {
        id: model.id,
        version: model.version,
        name: model.name.clone(),
        student_number: model.student_number.clone(),
        email: model.email.clone(),
        program: model.program.clone(),
        program_code: model.program_code.clone(),
        program_facts: parts
            .on_file
            .program
            .as_ref()
            .map(super::programs::program_facts),
        programs: parts
            .catalogue
            .iter()
            .map(|p| (p.code.clone(), p.name.clone()))
            .collect(),
        coop_program: model.coop_program,
        coop1101: model.coop1101,
        continuance_met: model.continuance_met,
        full_time: model.full_time,
        level: model.level,
        placement_letter: model.placement_letter,
        zone: model.zone.clone(),
        notes: model.notes.clone(),
        cleared: e.job_access.cleared,
        regime: explain::regime(e.regime).to_owned(),
        reasons: e
            .job_access
            .reasons
            .iter()
            .map(|r| {
                let x = explain::reason(r);
                format!("{} {}", x.text, x.action)
            })
            .collect(),
        document_states: vec![
            (
                "Study permit".to_owned(),
                explain::document(&e.study_permit),
            ),
            (
                "Co-op work permit".to_owned(),
                explain::document(&e.coop_work_permit),
            ),
        ],
        documents: parts
            .on_file
            .documents
            .iter()
            .map(|d| FileDocument {
                id: d.id,
                kind: d.kind.words().to_owned(),
                number: d.number.clone(),
                expires: date_words(d.expires_on),
                status: d.status,
                reason: d.reason.clone().unwrap_or_default(),
                file: d
                    .file_id
                    .map(|_| format!("/api/v1/me/documents/{}/file", d.id)),
            })
            .collect(),
        letter_requests: parts
            .requests
            .iter()
            .map(|r| FileLetterRequest {
                id: r.id,
                status: r.status,
                requested: datetime_words(&r.requested_at) + " UTC",
                reason: r
                    .revoked_reason
                    .clone()
                    .or_else(|| r.reason.clone())
                    .unwrap_or_default(),
                letter: r
                    .letter_file_id
                    .map(|_| format!("/api/v1/me/letter-requests/{}/letter.pdf", r.id)),
            })
            .collect(),
        applications: parts
            .on_file
            .applications
            .iter()
            .map(|a| FileApplication {
                for_document: a.for_document.words().to_owned(),
                submitted: datetime_words(&a.submitted_at) + " UTC",
                decision: a.decision,
            })
            .collect(),
        work_terms: parts
            .on_file
            .work_terms
            .iter()
            .map(|t| FileWorkTerm {
                start: date_words(t.start_on),
                end: date_words(t.end_on),
                employer: t.employer.clone().unwrap_or_default(),
            })
            .collect(),
        history: parts.history.iter().rev().map(history_line).collect(),
        reminders_paused: model
            .reminders_paused
            .then(|| model.reminders_paused_reason.clone().unwrap_or_default()),
        reminders: parts.reminders.iter().map(reminder_line).collect(),
        left_on: model.left_on,
        leaving: leaving_words(model, parts.removable_from),
    }
}

/// A leaver's F2 status in a sentence.
fn leaving_words(
    model: &student::Model,
    removable_from: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<String> {
    let left = coop_core::datetime_text::date_words(model.left_on?);
    Some(match (model.personal_data_removed_at, removable_from) {
        (Some(removed), _) => format!(
            "Left on {left}. Their personal data was removed on {} UTC (F2, FIPPA s. 31).",
            coop_core::datetime_text::datetime_words(&removed)
        ),
        (None, Some(from)) => format!(
            "Left on {left}. Their personal data is removed from {} UTC: a year after the later of leaving and the last decision about them (F2, FIPPA s. 31).",
            coop_core::datetime_text::datetime_words(&from)
        ),
        (None, None) => format!("Left on {left}."),
    })
}

/// What an import did, or would do, worded.
pub fn import_summary(report: &import::Report) -> ImportSummary {
    ImportSummary {
        imported: report.imported,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        invalid: report.invalid,
        lines: report
            .lines
            .iter()
            .map(|l| ImportLineView {
                line: l.line,
                student_number: l.student_number.clone(),
                name: l.name.clone(),
                outcome: match l.outcome {
                    import::Outcome::Create => "new student",
                    import::Outcome::Update => "update",
                    import::Outcome::Unchanged => "no change",
                    import::Outcome::Invalid => "not imported",
                }
                .to_owned(),
                changes: l.changes.join(", "),
            })
            .collect(),
        errors: report.errors.clone(),
        invited: report.invited,
        invitation_problems: report.invitation_problems.clone(),
    }
}
