//! What the audit log keeps of each change: one typed snapshot per kind of change, so a field
//! renamed here is renamed everywhere that writes it, and the log's shapes are listed in one
//! place. Each serializes to the JSON object `audit_event.before`/`after` holds.

use coop_api::students::StudentFields;
use coop_core::case::{Decision, DocumentFor};
use coop_core::letter_request::LetterRequestStatus;
use coop_core::review::ReviewStatus;
use coop_core::roles::Role;
use coop_core::validation::DocumentKind;
use serde::Serialize;

use crate::entity::student;

/// A student record's fields: what the audit log keeps of the record (and, with its id, what
/// the API shows of it).
pub fn student(model: &student::Model) -> StudentFields {
    StudentFields {
        student_number: model.student_number.clone(),
        email: model.email.clone(),
        name: model.name.clone(),
        program: model.program.clone(),
        program_code: model.program_code.clone(),
        coop_program: model.coop_program,
        coop1101: model.coop1101,
        continuance_met: model.continuance_met,
        full_time: model.full_time,
        level: model.level,
        placement_letter: model.placement_letter,
        zone: model.zone.clone(),
        notes: Some(model.notes.clone()),
        version: model.version,
    }
}

/// A program of the catalogue (`program.create`, `program.update`).
pub fn program(model: &crate::entity::program::Model) -> coop_api::programs::ProgramEntry {
    let facts = model.facts();
    coop_api::programs::ProgramEntry {
        code: model.code.clone(),
        name: model.name.clone(),
        credential: facts.credential,
        months: facts.months,
        work_months: facts.work_months,
        placement_required: facts.placement_required,
        language_or_preparatory: facts.language_or_preparatory,
    }
}

/// A snapshot as the audit row stores it.
pub fn json<T: Serialize>(snapshot: &T) -> serde_json::Value {
    // These types hold only strings, numbers, booleans and options: serializing cannot fail.
    serde_json::to_value(snapshot).unwrap_or(serde_json::Value::Null)
}

/// A document put on file by staff or the demo (`document.add`).
#[derive(Debug, Serialize)]
pub struct DocumentAdded {
    pub document_id: i64,
    pub kind: DocumentKind,
    pub expires_on: String,
    pub on_campus_work: bool,
    pub status: ReviewStatus,
}

/// A document a student submitted (`document.submit`), with the validators' warnings.
#[derive(Debug, Serialize)]
pub struct DocumentSubmitted<'a> {
    pub document_id: i64,
    pub kind: DocumentKind,
    pub number: &'a str,
    pub expires_on: String,
    pub on_campus_work: bool,
    pub status: ReviewStatus,
    pub file_id: i64,
    pub warnings: Vec<&'static str>,
}

/// A document's review status (before a withdrawal or a decision, and after a withdrawal).
#[derive(Debug, Serialize)]
pub struct DocumentStatus {
    pub document_id: i64,
    pub status: ReviewStatus,
}

/// A document after staff decided (`document.verify`, `document.reject`): the reason given.
#[derive(Debug, Serialize)]
pub struct DocumentDecided<'a> {
    pub document_id: i64,
    pub status: ReviewStatus,
    pub reason: Option<&'a str>,
}

/// A document's stored file (F2), and why it went when it did.
#[derive(Debug, Serialize)]
pub struct DocumentFile {
    pub document_id: i64,
    pub file_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// An application reported to IRCC (`application.report`).
#[derive(Debug, Serialize)]
pub struct ApplicationReported {
    pub application_id: i64,
    #[serde(rename = "for")]
    pub for_document: DocumentFor,
    pub submitted_at: String,
    pub decision: Decision,
}

/// An application's IRCC decision (`application.decide`).
#[derive(Debug, Serialize)]
pub struct ApplicationDecision {
    pub application_id: i64,
    pub decision: Decision,
}

/// A planned work term (`work_term.add`, `work_term.remove`).
#[derive(Debug, Serialize)]
pub struct WorkTerm {
    pub work_term_id: i64,
    pub start: String,
    pub end: String,
}

/// A letter request (every `letter_request.*`).
#[derive(Debug, Serialize)]
pub struct LetterRequest<'a> {
    pub letter_request_id: i64,
    pub status: LetterRequestStatus,
    pub first_term_start: Option<chrono::NaiveDate>,
    pub extending_study_permit: bool,
    pub notice_version: &'a str,
    pub reason: Option<&'a str>,
}

/// The collection notice a student acknowledged (`privacy_notice.acknowledge`).
#[derive(Debug, Serialize)]
pub struct NoticeAcknowledged<'a> {
    pub notice_version: &'a str,
}

/// Whether a student's reminders are paused, and why (`student.reminders_pause`).
#[derive(Debug, Serialize)]
pub struct RemindersPause<'a> {
    pub reminders_paused: bool,
    pub reason: Option<&'a str>,
}

/// A reminder sent again by hand (`reminder.resend`).
#[derive(Debug, Serialize)]
pub struct ReminderResent<'a> {
    pub reminder: i64,
    #[serde(rename = "for")]
    pub for_document: DocumentFor,
    pub due_on: chrono::NaiveDate,
    pub expires: chrono::NaiveDate,
    pub channels: String,
    /// The address e-mailed, when e-mail is configured.
    pub to: Option<&'a str>,
}

/// A failed sign-in: the count so far, and for an unknown address only its SHA-256.
#[derive(Debug, Serialize)]
pub struct SignInFailed {
    pub failures: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_sha256: Option<String>,
}

/// A user account (`user.create`, `user.disable`, …); never its password hash.
#[derive(Debug, Serialize)]
pub struct User<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub student_id: Option<i64>,
    pub disabled: bool,
}

/// How a session was opened, when not by password (`session.sign_in`).
#[derive(Debug, Serialize)]
pub struct SignedInVia {
    pub via: &'static str,
}

/// A single sign-on that matched no account (`session.sso_refused`): the address only as its
/// SHA-256.
#[derive(Debug, Serialize)]
pub struct SsoRefused {
    pub email_sha256: Option<String>,
    pub student_number_given: bool,
}

/// An invitation sent (`user.invite`): where to, and until when its link works.
#[derive(Debug, Serialize)]
pub struct Invitation<'a> {
    pub sent_to: Option<&'a str>,
    pub expires_at: Option<String>,
}

/// A password changed: only that it changed.
#[derive(Debug, Serialize)]
pub struct PasswordChanged {
    pub password: &'static str,
}

/// An API token created (never its secret).
#[derive(Debug, Serialize)]
pub struct TokenCreated<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub expires_at: String,
}

/// Whether a token is revoked.
#[derive(Debug, Serialize)]
pub struct TokenRevoked {
    pub revoked: bool,
}

/// How many students the demo generator made.
#[derive(Debug, Serialize)]
pub struct StudentCount {
    pub students: i64,
}
