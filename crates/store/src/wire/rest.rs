//! The `/api/v1` bodies of stored records: each model as its coop-api type. The columns are
//! coop-core's own types, so every conversion is total.

use coop_api::applications::Application;
use coop_api::audit::AuditEvent;
use coop_api::documents::{Document, FindingLine, QueuedDocument, StudentRef};
use coop_api::letters::{LetterRequest, QueuedLetterRequest};
use coop_api::students::{DocumentStanding, ListedStudent, Standing, StudentRecord, WorkTerm};

use crate::entity::{
    application, audit_event, document, letter_request, student, student_standing, work_term,
};
use crate::service::documents::Queued;
use crate::service::letters::QueuedRequest;
use crate::service::snapshots;
use crate::service::student_list::Listed;

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
            revoked_at: model.revoked_at,
            revoked_reason: model.revoked_reason.clone(),
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
