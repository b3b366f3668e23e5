//! What a student's own pages show, worded on the server (which holds every zone's rules): the
//! status, the letter section, the documents, the applications, the record and the messages.

use coop_api::applications::ApplicationLine;
use coop_api::documents::{DocumentLine, DocumentsPage};
use coop_api::letters::{LetterPage, LetterRequestLine, PrivacyNotice};
use coop_api::notices::NoticeLine;
use coop_api::record::{FactLine, OwnRecord, TermLine};
use coop_api::status::{DeadlineText, DocumentStateLine, ReasonLine, StepLine, StudentStatus};
use coop_core::case::Case;
use coop_core::datetime_text::{date_words, datetime_words};
use coop_core::explain;
use coop_core::review::ReviewStatus;
use coop_core::validation::DocumentKind;
use coop_core::{Evaluation, checklist};

use crate::entity::{application, document, letter_request, notice, student};
use crate::service::records::Records;

/// The student's status: J and its reasons, the guide's steps, the next deadline, R1.
pub fn status(
    model: &student::Model,
    case: &Case,
    e: &Evaluation,
    letter_requested: bool,
) -> StudentStatus {
    let steps = checklist::steps(case, e, checklist::OfficeRecords { letter_requested })
        .into_iter()
        .map(|s| StepLine {
            state: s.state.code().to_owned(),
            words: s.state.words().to_owned(),
            text: s.text.to_owned(),
        })
        .collect();
    StudentStatus {
        name: model.name.clone(),
        cleared: e.job_access.cleared,
        regime: explain::regime(e.regime).to_owned(),
        reasons: e.job_access.reasons.iter().map(ReasonLine::from).collect(),
        documents: vec![
            DocumentStateLine {
                name: "Study permit".to_owned(),
                state: e.study_permit.state,
                text: explain::document(&e.study_permit),
            },
            DocumentStateLine {
                name: "Co-op work permit".to_owned(),
                state: e.coop_work_permit.state,
                text: explain::document(&e.coop_work_permit),
            },
        ],
        steps,
        deadline: DeadlineText::next(e, &case.zone),
        reminders: coop_api::status::reminder_lines(e),
    }
}

/// One of the student's letter requests.
pub fn letter_request(model: &letter_request::Model) -> LetterRequestLine {
    LetterRequestLine {
        id: model.id,
        status: model.status,
        status_text: model.status.describe().to_owned(),
        first_term_start: model.first_term_start.map(date_words),
        extending_study_permit: model.extending_study_permit,
        requested_on: date_words(model.requested_at.date_naive()),
        reason: model
            .revoked_reason
            .clone()
            .or_else(|| model.reason.clone()),
        has_letter: model.letter_file_id.is_some(),
    }
}

/// The letter section: the notice, whether L1–L2 hold (and L3's warnings), the requests.
pub fn letter_page(
    notice: PrivacyNotice,
    acknowledged: bool,
    e: &Evaluation,
    requests: &[letter_request::Model],
) -> LetterPage {
    LetterPage {
        notice,
        acknowledged,
        letter_name: explain::letter_name(e.regime).to_owned(),
        letter_use: explain::letter_use(e.regime).to_owned(),
        eligible: e.letter.eligible,
        reasons: e.letter.reasons.iter().map(ReasonLine::from).collect(),
        warnings: e.letter.warnings.iter().map(ReasonLine::from).collect(),
        requests: requests.iter().map(letter_request).collect(),
    }
}

/// One of the student's documents.
pub fn document(model: &document::Model) -> DocumentLine {
    DocumentLine {
        id: model.id,
        kind: model.kind,
        kind_words: match model.kind {
            DocumentKind::StudyPermit => "Study permit",
            DocumentKind::CoopWorkPermit => "Co-op work permit",
            DocumentKind::ApprovalLetter => "IRCC approval letter",
        }
        .to_owned(),
        number: model.number.clone(),
        expires_on: date_words(model.expires_on),
        status: model.status,
        status_text: match model.status {
            ReviewStatus::Submitted => "Waiting for the co-op office to verify it (S8).",
            ReviewStatus::Verified => "Verified by the co-op office (S8).",
            ReviewStatus::Rejected => "Not accepted by the co-op office (S8).",
            ReviewStatus::Withdrawn => "You withdrew it.",
        }
        .to_owned(),
        reason: model.reason.clone(),
        has_file: model.file_id.is_some(),
    }
}

/// The documents section: the student's today and study permit (for S5, S6 in the browser).
pub fn documents_page(case: &Case, documents: &[document::Model]) -> DocumentsPage {
    DocumentsPage {
        today: case.zone.today(case.now).to_string(),
        study_permit_expires: case.study_permit.map(|sp| sp.expires.to_string()),
        items: documents.iter().map(document).collect(),
    }
}

/// One application the student reported.
pub fn application(a: &application::Model) -> ApplicationLine {
    ApplicationLine {
        id: a.id,
        for_document: a.for_document.words().to_owned(),
        submitted_utc: datetime_words(&a.submitted_at) + " UTC",
        number: a.application_number.clone(),
        decision: a.decision,
    }
}

/// The student's record: the facts staff keep, the zone, the planned work terms.
pub fn my_record(model: &student::Model, on_file: &Records) -> OwnRecord {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let fact = |fact: &str, value: String| FactLine {
        fact: fact.to_owned(),
        value,
    };
    OwnRecord {
        facts: vec![
            fact("In the Co-op program (L1)", yes_no(model.coop_program)),
            fact("COOP 1101 (L2)", model.coop1101.code().to_owned()),
            fact(
                "Continuance requirements met (J2)",
                yes_no(model.continuance_met),
            ),
            fact("Full-time (W2e)", yes_no(model.full_time)),
            fact(
                "Placement letter issued (W2d)",
                yes_no(model.placement_letter),
            ),
            fact(
                "In the institution's programs (W2f)",
                on_file.program.as_ref().map_or_else(
                    || "not on file yet: the co-op office sets it".to_owned(),
                    super::programs::program_facts,
                ),
            ),
        ],
        student_number: model.student_number.clone(),
        program: model.program.clone(),
        zone: model.zone.clone(),
        work_terms: on_file
            .work_terms
            .iter()
            .map(|t| TermLine {
                id: t.id,
                start: t.start_on.to_string(),
                end: t.end_on.to_string(),
                employer: t.employer.clone(),
            })
            .collect(),
    }
}

/// One message in the app.
pub fn notice(n: &notice::Model) -> NoticeLine {
    NoticeLine {
        id: n.id,
        kind: n.kind.clone(),
        title: n.title.clone(),
        body: n.body.clone(),
        when: datetime_words(&n.created_at) + " UTC",
        read: n.read_at.is_some(),
    }
}
