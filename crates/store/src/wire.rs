//! Stored records as the API shows them: each model turned into its coop-api wire type, here
//! beside the store so no handler builds an answer by hand. The columns are coop-core's own
//! types, so every conversion is total.

use coop_api::accounts::{AdminUser, SessionUser, Token};
use coop_api::applications::Application;
use coop_api::audit::AuditEvent;
use coop_api::documents::{Document, FindingLine, QueuedDocument, StudentRef};
use coop_api::letters::{LetterRequest, QueuedLetterRequest};
use coop_api::reminders::{Reminder, ReminderState};
use coop_api::students::{DocumentStanding, ListedStudent, Standing, StudentRecord, WorkTerm};

use crate::entity::{
    api_token, application, audit_event, document, letter_request, reminder, student,
    student_standing, user, work_term,
};
use crate::service::documents::Queued;
use crate::service::letters::QueuedRequest;
use crate::service::snapshots;
use crate::service::student_list::Listed;
use crate::service::tokens;

impl From<&student::Model> for StudentRecord {
    fn from(model: &student::Model) -> StudentRecord {
        StudentRecord {
            id: model.id,
            fields: snapshots::student(model),
        }
    }
}

impl From<&student_standing::Model> for Standing {
    fn from(s: &student_standing::Model) -> Standing {
        Standing {
            cleared: s.cleared,
            regime: s.regime,
            study_permit: DocumentStanding {
                state: s.study_state,
                expires: s.study_expires,
            },
            coop_work_permit: DocumentStanding {
                state: s.coop_state,
                expires: s.coop_expires,
            },
            extend_study_permit: s.extend_study_permit,
            reasons: s.reasons,
        }
    }
}

impl From<&Listed> for ListedStudent {
    fn from(listed: &Listed) -> ListedStudent {
        ListedStudent {
            record: (&listed.student).into(),
            standing: (&listed.standing).into(),
        }
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

impl From<&document::Model> for Document {
    fn from(model: &document::Model) -> Document {
        Document {
            id: model.id,
            kind: model.kind,
            number: model.number.clone(),
            uci: model.uci.clone(),
            issued_on: model.issued_on,
            expires_on: model.expires_on,
            on_campus_work: model.on_campus_work,
            status: model.status,
            reason: model.reason.clone(),
            submitted_at: model.submitted_at,
            decided_at: model.decided_at,
            file: model
                .file_id
                .map(|_| format!("/api/v1/me/documents/{}/file", model.id)),
        }
    }
}

impl From<&Queued> for QueuedDocument {
    fn from(q: &Queued) -> QueuedDocument {
        QueuedDocument {
            document: (&q.document).into(),
            student: (&q.student).into(),
            findings: q.findings.iter().map(FindingLine::with_severity).collect(),
        }
    }
}

impl From<&letter_request::Model> for LetterRequest {
    fn from(model: &letter_request::Model) -> LetterRequest {
        LetterRequest {
            id: model.id,
            status: model.status,
            first_term_start: model.first_term_start,
            extending_study_permit: model.extending_study_permit,
            privacy_notice: model.notice_version.clone(),
            requested_at: model.requested_at,
            decided_at: model.decided_at,
            reason: model.reason.clone(),
            letter: model
                .letter_file_id
                .map(|_| format!("/api/v1/me/letter-requests/{}/letter.pdf", model.id)),
        }
    }
}

/// A queued request as staff see it, `now` giving its waiting time.
pub fn queued_letter_request(
    q: &QueuedRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> QueuedLetterRequest {
    QueuedLetterRequest {
        request: (&q.request).into(),
        waiting_hours: (now - q.request.requested_at).num_hours(),
        student: (&q.student).into(),
        evaluation: q.evaluation.clone().into(),
    }
}

impl From<&application::Model> for Application {
    fn from(a: &application::Model) -> Application {
        Application {
            id: a.id,
            for_document: a.for_document,
            submitted_at: a.submitted_at,
            application_number: a.application_number.clone(),
            decision: a.decision,
        }
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

impl From<&user::Model> for AdminUser {
    fn from(model: &user::Model) -> AdminUser {
        AdminUser {
            id: model.id,
            email: model.email.clone(),
            name: model.name.clone(),
            role: model.role,
            student_id: model.student_id,
            disabled: model.disabled_at.is_some(),
        }
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
