//! Staff approve a letter request: the letter is made as a PDF from the student's record, their
//! program in the catalogue and the institution's details, with a verification code, stored
//! (encrypted) beside the request, and the placement letter recorded on the student's record
//! (W2d) — and a student or staff read the issued letter.

use chrono::{DateTime, NaiveDate, Utc};
use coop_core::letter_request::LetterRequestAction;
use coop_core::reasons::Reason;
use coop_core::regime::Regime;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use super::request::snapshot;
use super::review::{open, reviewer_of};
use crate::entity::letter_request::{self, IssuedLetter};
use crate::service::ServiceError;
use crate::service::audit::Actor;
use crate::service::files;
use crate::service::notices;
use crate::service::passwords::random_token;
use crate::service::records;
use crate::service::sessions::id_of;
use crate::service::student_facts;
use crate::service::students;
use crate::service::templates;
use crate::settings::LetterIssuing;
use crate::vault::Vault;

pub use coop_letter::Institution;

/// A letter's verification code: 128 random bits (22 characters, URL-safe).
const CODE_BYTES: usize = 16;

/// Staff approve a pending request: the letter is made from the student's record, their program
/// in the catalogue, their work terms and the institution's configured details, in the wording
/// of the regime in force today (G3), with a verification code and address, and issued
/// (`issue`). Refused while the student no longer meets L1–L2, under G2 while their program fails
/// W2f (422 `not_eligible`, `program_not_eligible`), while the institution's details are not
/// configured, and while the record lacks what the letter states (the program in the catalogue,
/// a required placement, a current or upcoming work term).
pub async fn approve(
    db: &sea_orm::DatabaseConnection,
    issuing: &LetterIssuing,
    request_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    let request = letter_request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    request
        .status
        .after(LetterRequestAction::Approve)
        .map_err(ServiceError::not_allowed)?;
    let institution = issuing.institution.as_ref().ok_or_else(|| {
        ServiceError::State(
            "The institution's details for the letter are not configured; the operator sets them (--institution-name, --institution-address, --dli-number, --letter-signatory-name, --letter-signatory-title)."
                .to_owned(),
        )
    })?;
    let student = students::get(db, request.student_id).await?;
    let on_file = records::load(db, student.id).await?;
    let evaluation = coop_core::evaluate(&records::case_of(&student, &on_file, now));
    if !evaluation.letter.eligible {
        return Err(ServiceError::NotEligible {
            reasons: evaluation.letter.reasons.iter().collect(),
        });
    }
    let program = on_file.program.as_ref().ok_or_else(|| {
        ServiceError::State(
            "The student's program is not in the catalogue, and the letter states its length and the share that is work (W2f): set the program on the student's page first."
                .to_owned(),
        )
    })?;
    let program_facts = program.facts();
    // G2: the letter is the school's statement that the placement is required by an eligible
    // program (W2f).
    if evaluation.regime == Regime::StudyPermitPlacement
        && !coop_core::authorization::program_eligible(&program_facts)
    {
        return Err(ServiceError::NotEligible {
            reasons: vec![Reason::ProgramNotEligible],
        });
    }
    if !program_facts.placement_required {
        return Err(ServiceError::State(format!(
            "In the catalogue, a work placement is not required in {} ({}), and the letter states that it is: correct the program first.",
            program.name, program.code
        )));
    }
    let work_terms: Vec<(NaiveDate, NaiveDate)> = on_file
        .work_terms
        .iter()
        .filter(|t| t.end_on >= evaluation.today)
        .map(|t| (t.start_on, t.end_on))
        .collect();
    let code = random_token(CODE_BYTES)?;
    let facts = coop_letter::LetterFacts {
        date: coop_core::time::Zone::default().today(now),
        regime: evaluation.regime,
        student_name: student.name.clone(),
        student_number: student.student_number.clone(),
        program: program.name.clone(),
        program_months: program_facts.months,
        work_months: program_facts.work_months,
        full_time: student.full_time,
        work_terms: work_terms.clone(),
        verification: coop_letter::Verification {
            url: verify_url(&issuing.site, &code),
            code: code.clone(),
        },
    };
    let pdf = coop_letter::render(institution, &facts).map_err(|e| match e {
        coop_letter::LetterError::Missing { field: "work terms" } => ServiceError::State(
            "The student has no current or upcoming work term on file, and the letter states its dates; the student adds it on their record page (P)."
                .to_owned(),
        ),
        coop_letter::LetterError::Missing { field } => ServiceError::State(format!(
            "The student's {field} is not on file, and the letter states it; set it on the student's page first."
        )),
        coop_letter::LetterError::Unprintable { field, chars } => ServiceError::State(format!(
            "The {field} has characters the letter's font cannot print ({chars}); correct the record or issue this letter by hand."
        )),
        coop_letter::LetterError::Pdf(message) => ServiceError::Internal(message),
    })?;
    let (Some(first), Some(last)) = (work_terms.first(), work_terms.last()) else {
        return Err(ServiceError::Internal(
            "a rendered letter has its work terms".to_owned(),
        ));
    };
    let stated = Stated {
        code,
        letter: IssuedLetter {
            institution: institution.name.clone(),
            student_name: facts.student_name.clone(),
            program: facts.program.clone(),
            work_term_start: first.0,
            work_term_end: last.1,
            issued_on: facts.date,
        },
    };
    issue(db, issuing, request_id, &pdf, Some(stated), actor, now).await
}

/// `<site>/verify/<code>`: the address a letter prints.
pub fn verify_url(site: &str, code: &str) -> String {
    format!("{}/verify/{code}", site.trim_end_matches('/'))
}

/// What an issued letter states and how it is verified.
#[derive(Debug, Clone)]
pub struct Stated {
    /// The verification code printed on the letter (stored only as its SHA-256).
    pub code: String,
    pub letter: IssuedLetter,
}

/// Staff approve a pending request and issue the letter (a PDF made by the caller, with what it
/// states): the request is approved with the letter stored (encrypted) beside it, the student's
/// `placement_letter` is set (W2d), and both are audited, in one transaction.
pub async fn issue(
    db: &sea_orm::DatabaseConnection,
    issuing: &LetterIssuing,
    request_id: i64,
    letter_pdf: &[u8],
    stated: Option<Stated>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<letter_request::Model, ServiceError> {
    let vault = &issuing.vault;
    if !letter_pdf.starts_with(b"%PDF-") {
        return Err(ServiceError::Internal(
            "an issued letter must be a PDF".to_owned(),
        ));
    }
    let (mut record, before, status) = open(db, request_id, LetterRequestAction::Approve).await?;
    let student_id = before.student_id;
    let stored = files::store(record.db(), vault, letter_pdf, "application/pdf", now).await?;
    let outcome = async {
        let mut active = before.clone().into_active_model();
        active.status = Set(status);
        active.decided_at = Set(Some(now));
        active.reviewer_id = Set(reviewer_of(actor));
        active.letter_file_id = Set(Some(stored.file.id));
        if let Some(stated) = stated {
            active.verify_code_hash = Set(Some(id_of(&stated.code)));
            active.issued = Set(Some(stated.letter));
        }
        let after = active.update(record.db()).await?;
        student_facts::set_placement_letter(&mut record, true);
        notices::notify_student(record.db(), student_id, &templates::letter_approved(), now)
            .await?;
        record.record(
            "letter_request.approve",
            Some(snapshot(&before)),
            Some(snapshot(&after)),
        );
        record.finish(actor, now).await?;
        Ok::<_, ServiceError>(after)
    }
    .await;
    if outcome.is_err() {
        files::forget(vault, stored.written.as_deref()).await;
    }
    outcome
}

/// The issued letter of a request (PDF bytes), if it is `student`'s (`None`: any student's, for
/// staff); `NotFound` until issued.
pub async fn letter_of(
    db: &impl ConnectionTrait,
    vault: &Vault,
    student: Option<i64>,
    request_id: i64,
) -> Result<Vec<u8>, ServiceError> {
    let mut find = letter_request::Entity::find_by_id(request_id);
    if let Some(student_id) = student {
        find = find.filter(letter_request::Column::StudentId.eq(student_id));
    }
    let request = find.one(db).await?.ok_or(ServiceError::NotFound)?;
    let file_id = request.letter_file_id.ok_or(ServiceError::NotFound)?;
    Ok(files::read(db, vault, file_id).await?.1)
}
