//! Stored records as the API shows them: each model turned into its coop-api wire type, here
//! beside the store so no handler builds an answer by hand. Codes stored as text are read back
//! as coop-core's enums; one that does not read is a corrupt row, reported, never guessed.

use coop_api::accounts::{AdminUser, Role, SessionUser, Token};
use coop_api::applications::Application;
use coop_api::audit::AuditEvent;
use coop_api::documents::{Document, FindingLine, QueuedDocument, StudentRef};
use coop_api::letters::{LetterRequest, QueuedLetterRequest};
use coop_api::reminders::{Reminder, ReminderState};
use coop_api::students::{
    DocumentStanding, ListedStudent, Standing, StudentFields, StudentRecord, WorkTerm,
};
use serde::de::DeserializeOwned;

use crate::entity::{
    api_token, application, audit_event, document, letter_request, reminder, student,
    student_standing, user, work_term,
};
use crate::service::ServiceError;
use crate::service::documents::Queued;
use crate::service::letters::QueuedRequest;
use crate::service::student_list::Listed;
use crate::service::tokens;

/// A code column read back as its enum (every code enum is serde's snake_case of its name).
pub fn code<T: DeserializeOwned>(column: &'static str, text: &str) -> Result<T, ServiceError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        ServiceError::Internal(format!("stored {column} {text:?} is not a known code"))
    })
}

/// The record's fields: what the audit log keeps of it, and (with its id) what the API shows.
pub fn student_fields(model: &student::Model) -> Result<StudentFields, ServiceError> {
    Ok(StudentFields {
        student_number: model.student_number.clone(),
        email: model.email.clone(),
        name: model.name.clone(),
        program: model.program.clone(),
        coop_program: model.coop_program,
        coop1101: code("student.coop1101", &model.coop1101)?,
        continuance_met: model.continuance_met,
        full_time: model.full_time,
        level: code("student.level", &model.level)?,
        placement_letter: model.placement_letter,
        zone: model.zone.clone(),
        notes: Some(model.notes.clone()),
        version: model.version,
    })
}

impl TryFrom<&student::Model> for StudentRecord {
    type Error = ServiceError;
    fn try_from(model: &student::Model) -> Result<StudentRecord, ServiceError> {
        Ok(StudentRecord {
            id: model.id,
            fields: student_fields(model)?,
        })
    }
}

impl TryFrom<&student_standing::Model> for Standing {
    type Error = ServiceError;
    fn try_from(s: &student_standing::Model) -> Result<Standing, ServiceError> {
        Ok(Standing {
            cleared: s.cleared,
            regime: code("standing.regime", &s.regime)?,
            study_permit: DocumentStanding {
                state: code("standing.study_state", &s.study_state)?,
                expires: s.study_expires,
            },
            coop_work_permit: DocumentStanding {
                state: code("standing.coop_state", &s.coop_state)?,
                expires: s.coop_expires,
            },
            extend_study_permit: s.extend_study_permit,
            reasons: s
                .reasons
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
}

impl TryFrom<&Listed> for ListedStudent {
    type Error = ServiceError;
    fn try_from(listed: &Listed) -> Result<ListedStudent, ServiceError> {
        Ok(ListedStudent {
            record: (&listed.student).try_into()?,
            standing: (&listed.standing).try_into()?,
        })
    }
}

impl From<&student::Model> for StudentRef {
    fn from(s: &student::Model) -> StudentRef {
        StudentRef {
            id: s.id,
            name: s.name.clone(),
            student_number: s.student_number.clone(),
        }
    }
}

impl TryFrom<&document::Model> for Document {
    type Error = ServiceError;
    fn try_from(model: &document::Model) -> Result<Document, ServiceError> {
        Ok(Document {
            id: model.id,
            kind: code("document.kind", &model.kind)?,
            number: model.number.clone(),
            uci: model.uci.clone(),
            issued_on: model.issued_on,
            expires_on: model.expires_on,
            on_campus_work: model.on_campus_work,
            status: code("document.status", &model.status)?,
            reason: model.reason.clone(),
            submitted_at: model.submitted_at,
            decided_at: model.decided_at,
            file: model
                .file_id
                .map(|_| format!("/api/v1/me/documents/{}/file", model.id)),
        })
    }
}

impl TryFrom<&Queued> for QueuedDocument {
    type Error = ServiceError;
    fn try_from(q: &Queued) -> Result<QueuedDocument, ServiceError> {
        Ok(QueuedDocument {
            document: (&q.document).try_into()?,
            student: (&q.student).into(),
            findings: q.findings.iter().map(FindingLine::with_severity).collect(),
        })
    }
}

impl TryFrom<&letter_request::Model> for LetterRequest {
    type Error = ServiceError;
    fn try_from(model: &letter_request::Model) -> Result<LetterRequest, ServiceError> {
        Ok(LetterRequest {
            id: model.id,
            status: code("letter_request.status", &model.status)?,
            first_term_start: model.first_term_start,
            extending_study_permit: model.extending_study_permit,
            privacy_notice: model.notice_version.clone(),
            requested_at: model.requested_at,
            decided_at: model.decided_at,
            reason: model.reason.clone(),
            letter: model
                .letter_file_id
                .map(|_| format!("/api/v1/me/letter-requests/{}/letter.pdf", model.id)),
        })
    }
}

/// A queued request as staff see it, `now` giving its waiting time.
pub fn queued_letter_request(
    q: &QueuedRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<QueuedLetterRequest, ServiceError> {
    Ok(QueuedLetterRequest {
        request: (&q.request).try_into()?,
        waiting_hours: (now - q.request.requested_at).num_hours(),
        student: (&q.student).try_into()?,
        evaluation: q.evaluation.clone().into(),
    })
}

impl TryFrom<&application::Model> for Application {
    type Error = ServiceError;
    fn try_from(a: &application::Model) -> Result<Application, ServiceError> {
        Ok(Application {
            id: a.id,
            for_document: code("application.for_document", &a.for_document)?,
            submitted_at: a.submitted_at,
            application_number: a.application_number.clone(),
            decision: code("application.decision", &a.decision)?,
        })
    }
}

impl From<&work_term::Model> for WorkTerm {
    fn from(t: &work_term::Model) -> WorkTerm {
        WorkTerm {
            id: t.id,
            start: t.start_on,
            end: t.end_on,
            employer: t.employer.clone(),
        }
    }
}

impl From<&audit_event::Model> for AuditEvent {
    fn from(e: &audit_event::Model) -> AuditEvent {
        AuditEvent {
            id: e.id,
            at: e.at,
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            before: e.before.clone(),
            after: e.after.clone(),
        }
    }
}

/// A reminder and (while the record exists) its student.
pub fn reminder(r: &reminder::Model, s: Option<&student::Model>) -> Result<Reminder, ServiceError> {
    let delivered = r.sent_at.is_some() && r.channels != "superseded";
    Ok(Reminder {
        id: r.id,
        student: s.map(StudentRef::from),
        for_document: code("reminder.for_document", &r.for_document)?,
        due_on: r.due_on,
        days_before: r.days_before,
        expires: r.expires,
        state: if delivered {
            ReminderState::Sent
        } else if r.sent_at.is_some() {
            ReminderState::Superseded
        } else {
            ReminderState::Pending
        },
        sent_at: r.sent_at.filter(|_| delivered),
        channels: if delivered {
            r.channels.split(',').map(str::to_owned).collect()
        } else {
            Vec::new()
        },
        sent_to: r.sent_to.clone(),
        attempts: r.attempts,
        last_error: r.last_error.clone(),
        resends: r.resends,
        resent_at: r.resent_at,
        resent_by: r.resent_by,
    })
}

impl TryFrom<&user::Model> for AdminUser {
    type Error = ServiceError;
    fn try_from(model: &user::Model) -> Result<AdminUser, ServiceError> {
        Ok(AdminUser {
            id: model.id,
            email: model.email.clone(),
            name: model.name.clone(),
            role: Role::from_code(&model.role).ok_or_else(|| {
                ServiceError::Internal(format!("stored user.role {:?} is not a role", model.role))
            })?,
            student_id: model.student_id,
            disabled: model.disabled_at.is_some(),
        })
    }
}

impl From<&api_token::Model> for Token {
    fn from(model: &api_token::Model) -> Token {
        let expires_at = tokens::expires_at(model);
        Token {
            id: model.id,
            user_id: model.user_id,
            name: model.name.clone(),
            created_at: model.created_at,
            last_used_at: model.last_used_at,
            revoked: model.revoked_at.is_some(),
            expires_at,
            expired: expires_at <= chrono::Utc::now(),
        }
    }
}

impl From<&crate::service::access::CurrentUser> for SessionUser {
    fn from(user: &crate::service::access::CurrentUser) -> SessionUser {
        SessionUser {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
        }
    }
}

impl From<&crate::service::privacy::PrivacyNotice> for coop_api::letters::PrivacyNotice {
    fn from(notice: &crate::service::privacy::PrivacyNotice) -> coop_api::letters::PrivacyNotice {
        use crate::service::privacy::PrivacyNotice;
        coop_api::letters::PrivacyNotice {
            version: notice.version(),
            purpose: PrivacyNotice::PURPOSE.to_owned(),
            authority: PrivacyNotice::AUTHORITY.to_owned(),
            contact: coop_api::letters::NoticeContact {
                title: notice.contact.title.clone(),
                address: notice.contact.address.clone(),
                phone: notice.contact.phone.clone(),
            },
        }
    }
}
