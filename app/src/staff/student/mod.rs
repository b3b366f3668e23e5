//! One student's whole file for staff: the record (the program facts staff edit here), the
//! evaluation now (J with reasons), documents, letter requests, IRCC applications, work terms
//! and the history of every change with its values before and after.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

mod page;
pub use page::*;

/// A document on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLine {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub expires: String,
    /// S8 review status.
    pub status: String,
    pub reason: String,
    pub file: Option<String>,
}

/// The program record as the form sends it (`record[program]`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramForm {
    pub program: String,
    pub coop_program: String,
    pub coop1101: String,
    pub continuance_met: String,
    pub full_time: String,
    pub level: String,
    #[serde(default)]
    pub notes: String,
}

/// A student's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentFileView {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub student_number: String,
    pub email: String,
    pub program: String,
    pub coop_program: bool,
    pub coop1101: String,
    pub continuance_met: bool,
    pub full_time: bool,
    pub level: String,
    pub placement_letter: bool,
    pub zone: String,
    pub notes: String,
    pub cleared: bool,
    pub regime: String,
    /// Each J reason with its action, citing its rule.
    pub reasons: Vec<String>,
    /// (document, state in words).
    pub document_states: Vec<(String, String)>,
    pub documents: Vec<DocumentLine>,
    /// (id, status, requested, reason, letter link).
    pub letter_requests: Vec<(i64, String, String, String, Option<String>)>,
    /// (for, submitted, decision).
    pub applications: Vec<(String, String, String)>,
    /// (start, end, employer).
    pub work_terms: Vec<(String, String, String)>,
    /// (when, who, what, changes), newest first.
    pub history: Vec<(String, String, String, String)>,
    /// Why staff paused this student's reminders, when they did.
    pub reminders_paused: Option<String>,
    /// R1 reminders, latest due first.
    pub reminders: Vec<ReminderLine>,
}

/// One R1 reminder as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderLine {
    pub id: i64,
    pub due: String,
    /// Which document, how many days before which expiry.
    pub about: String,
    /// Delivered when, how and to whom (and resends), or why not yet.
    pub how: String,
    /// Delivered, so staff may send it again.
    pub delivered: bool,
}

/// "field: before → after" for each field that differs between two snapshots.
#[cfg(feature = "ssr")]
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

/// Staff: a student's whole file.
#[server(prefix = "/api/app", endpoint = "student_file")]
pub async fn student_file(id: i64) -> Result<StudentFileView, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_core::datetime_text::{date_words, datetime_words};
    use coop_core::explain;
    use coop_store::service::access::require_staff;
    use coop_store::service::{audit, letters, records, students};

    let principal = principal().await;
    require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let db = store.db();
    let model = students::get(db, id).await.map_err(service_failure)?;
    let on_file = records::load(db, id).await.map_err(service_failure)?;
    let case = records::case_of(&model, &on_file, chrono::Utc::now());
    let e = coop_core::evaluate(&case);
    let requests = letters::list(db, id).await.map_err(service_failure)?;
    let mut history = audit::history(db, &format!("student:{id}"))
        .await
        .map_err(|e| service_failure(e.into()))?;
    history.reverse();
    let sent = coop_store::service::reminders::of_student(db, id)
        .await
        .map_err(service_failure)?;
    Ok(StudentFileView {
        reminders_paused: model
            .reminders_paused
            .then(|| model.reminders_paused_reason.clone().unwrap_or_default()),
        reminders: sent
            .iter()
            .map(|r| {
                let delivered = r.sent_at.is_some() && r.channels != "superseded";
                let mut how = match (&r.sent_at, &r.last_error) {
                    (Some(at), _) if !delivered => {
                        format!(
                            "not sent: a later reminder replaced it ({})",
                            datetime_words(at)
                        )
                    }
                    (Some(at), _) => format!(
                        "sent {} UTC, {}{}",
                        datetime_words(at),
                        r.channels.replace(',', " and ").replace('_', " "),
                        r.sent_to
                            .as_ref()
                            .map(|to| format!(" to {to}"))
                            .unwrap_or_default()
                    ),
                    (None, Some(error)) => {
                        format!("not delivered yet ({} attempts): {error}", r.attempts)
                    }
                    (None, None) => "waiting to be delivered".to_owned(),
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
                    delivered,
                }
            })
            .collect(),
        id,
        version: model.version,
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
        documents: on_file
            .documents
            .iter()
            .map(|d| DocumentLine {
                id: d.id,
                kind: d.kind.words().to_owned(),
                number: d.number.clone(),
                expires: date_words(d.expires_on),
                status: d.status.code().to_owned(),
                reason: d.reason.clone().unwrap_or_default(),
                file: d
                    .file_id
                    .map(|_| format!("/api/v1/me/documents/{}/file", d.id)),
            })
            .collect(),
        letter_requests: requests
            .iter()
            .map(|r| {
                (
                    r.id,
                    r.status.code().to_owned(),
                    datetime_words(&r.requested_at) + " UTC",
                    r.reason.clone().unwrap_or_default(),
                    r.letter_file_id
                        .map(|_| format!("/api/v1/me/letter-requests/{}/letter.pdf", r.id)),
                )
            })
            .collect(),
        applications: on_file
            .applications
            .iter()
            .map(|a| {
                (
                    a.for_document.words().to_owned(),
                    datetime_words(&a.submitted_at) + " UTC",
                    a.decision.code().to_owned(),
                )
            })
            .collect(),
        work_terms: on_file
            .work_terms
            .iter()
            .map(|t| {
                (
                    date_words(t.start_on),
                    date_words(t.end_on),
                    t.employer.clone().unwrap_or_default(),
                )
            })
            .collect(),
        history: history
            .iter()
            .map(|h| {
                (
                    datetime_words(&h.at) + " UTC",
                    h.actor.clone().unwrap_or_else(|| "anonymous".to_owned()),
                    h.action.clone(),
                    changes(h.before.as_ref(), h.after.as_ref()),
                )
            })
            .collect(),
        name: model.name,
        student_number: model.student_number,
        email: model.email,
        program: model.program,
        coop_program: model.coop_program,
        coop1101: model.coop1101.code().to_owned(),
        continuance_met: model.continuance_met,
        full_time: model.full_time,
        level: model.level.code().to_owned(),
        placement_letter: model.placement_letter,
        zone: model.zone,
        notes: model.notes,
    })
}

/// Staff pause a student's R1 reminders with a reason, or resume them (no reason).
#[server(prefix = "/api/app", endpoint = "pause_reminders")]
pub async fn pause_reminders(
    id: i64,
    #[server(default)] reason: Option<String>,
) -> Result<String, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;

    let principal = principal().await;
    let staff = require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    let after = coop_store::service::student_facts::set_reminders_paused(
        store.db(),
        id,
        reason.as_deref(),
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(if after.reminders_paused {
        "Reminders are paused for this student (R1).".to_owned()
    } else {
        "Reminders are on again for this student (R1).".to_owned()
    })
}

/// Staff send a delivered reminder again by hand (R2): e-mailed again when SMTP is
/// configured, a new message in the student's app, recorded in the history.
#[server(prefix = "/api/app", endpoint = "resend_reminder")]
pub async fn resend_reminder(id: i64) -> Result<String, ServerFnError> {
    use crate::account::server::{context, context_store, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;

    let principal = principal().await;
    let staff = require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let mail = context::<super::OfficeMail>()?;
    let row = coop_store::service::reminders::resend(
        store.db(),
        mail.mailer.as_deref(),
        id,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(match row.sent_to.filter(|_| mail.mailer.is_some()) {
        Some(to) => format!("Sent again: by e-mail to {to} and in the student's app (R2)."),
        None => "Sent again in the student's app (R2); no e-mail is configured.".to_owned(),
    })
}

/// Staff change the program record (`version` is the one the form showed).
#[server(prefix = "/api/app", endpoint = "update_student")]
pub async fn update_student(
    id: i64,
    #[server(default)] version: Option<i64>,
    record: ProgramForm,
) -> Result<String, ServerFnError> {
    use crate::account::server::{context_store, fail, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;

    use coop_store::service::student_facts::ProgramChange;
    use http::StatusCode;

    let principal = principal().await;
    let staff = require_staff(&principal).map_err(service_failure)?;
    let yes_no = |field: &str, value: &str| match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{field}: choose yes or no."),
        )),
    };
    let ProgramForm {
        program,
        coop_program,
        coop1101,
        continuance_met,
        full_time,
        level,
        notes,
    } = record;
    let change = ProgramChange {
        program: Some(program),
        coop_program: Some(yes_no("Co-op program", &coop_program)?),
        coop1101: Some(
            coop_core::case::Coop1101::from_code(&coop1101).ok_or_else(|| {
                fail(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "COOP 1101: choose none, registered or completed.",
                )
            })?,
        ),
        continuance_met: Some(yes_no("Continuance", &continuance_met)?),
        full_time: Some(yes_no("Full-time", &full_time)?),
        level: Some(coop_core::case::Level::from_code(&level).ok_or_else(|| {
            fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Level: choose post-secondary or secondary.",
            )
        })?),
        notes: Some(notes),
        expected_version: version,
    };
    let store = context_store()?;
    let after = coop_store::service::student_facts::update_program(
        store.db(),
        id,
        change,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(if Some(after.version) == version {
        "Nothing changed.".to_owned()
    } else {
        "Saved. The student's status was re-evaluated (J).".to_owned()
    })
}
