//! One evaluation of a case: every rule, in one pass, as one typed result.

use chrono::NaiveDate;
use serde::Serialize;

use crate::authorization::{
    self, DocumentsOnFile, JobAccess, LetterEligibility, WorkAuthorization,
};
use crate::case::{Case, DocumentFor};
use crate::planning::{self, Planning};
use crate::regime::Regime;
use crate::reminders::{self, Reminder};
use crate::status::{self, Day, DocumentStatus};

/// Everything the rules decide about a case (the result of `check-format.md`, less its `id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    /// T2: the date of `now` in the student's zone.
    #[serde(serialize_with = "crate::datetime_text::serialize_date")]
    pub today: NaiveDate,
    /// G3.
    pub regime: Regime,
    /// L.
    pub letter: LetterEligibility,
    /// The co-op work permit or approval letter.
    pub coop_work_permit: DocumentStatus,
    /// The study permit.
    pub study_permit: DocumentStatus,
    /// V1: no co-op work permit runs past the study permit.
    #[serde(serialize_with = "crate::datetime_text::serialize_optional_date")]
    pub max_permit_end: Option<NaiveDate>,
    /// V2.
    pub extend_study_permit: bool,
    /// V2 under G1: extend both documents together.
    pub extend_both: bool,
    /// P: the next work term, if any.
    pub planning: Option<Planning>,
    /// W.
    pub work_authorization: WorkAuthorization,
    /// J.
    pub job_access: JobAccess,
    /// R1.
    pub reminders: Vec<Reminder>,
}

impl Evaluation {
    /// The status of one of the two documents.
    pub fn document(&self, which: DocumentFor) -> &DocumentStatus {
        match which {
            DocumentFor::CoopWorkPermit => &self.coop_work_permit,
            DocumentFor::StudyPermit => &self.study_permit,
        }
    }

    /// The next T4 deadline: of the documents still before their expiry, the one expiring first
    /// (the co-op work permit first on a tie).
    pub fn next_deadline(&self) -> Option<(DocumentFor, &DocumentStatus)> {
        [
            (DocumentFor::CoopWorkPermit, &self.coop_work_permit),
            (DocumentFor::StudyPermit, &self.study_permit),
        ]
        .into_iter()
        .filter(|(_, s)| s.state.is_before_expiry())
        .filter_map(|(which, s)| s.expiry.map(|x| (x.deadline_utc, which, s)))
        .min_by_key(|(deadline, which, _)| (*deadline, *which))
        .map(|(_, which, s)| (which, s))
    }
}

/// Applies every rule to `case`. Pure: the same case always gives the same evaluation.
pub fn evaluate(case: &Case) -> Evaluation {
    let student = &case.student;
    let today = case.zone.today(case.now);
    let regime = case.regime.resolve(student.level, today);
    let day = Day {
        today,
        zone: &case.zone,
        in_canada: student.in_canada,
    };
    let coop_work_permit = status::document_status(
        DocumentFor::CoopWorkPermit,
        case.coop_work_permit.map(|p| p.expires),
        &case.applications,
        day,
    );
    let study_permit = status::document_status(
        DocumentFor::StudyPermit,
        case.study_permit.map(|p| p.expires),
        &case.applications,
        day,
    );
    let docs = DocumentsOnFile {
        coop_state: coop_work_permit.state,
        coop_verified: case.coop_work_permit.is_some_and(|p| p.verified),
        study_state: study_permit.state,
        study_verified: case.study_permit.is_some_and(|p| p.verified),
        on_campus_work: case.study_permit.is_some_and(|p| p.on_campus_work),
    };
    let work_authorization =
        authorization::work_authorization(regime, student, case.program.as_ref(), docs);
    let job_access = authorization::job_access(student, &work_authorization, study_permit.state);
    let extend_study_permit = planning::study_permit_ends_before_work(
        case.study_permit.as_ref(),
        &case.work_terms,
        today,
    );
    let reminders = reminders::reminders(
        &[
            (DocumentFor::CoopWorkPermit, &coop_work_permit),
            (DocumentFor::StudyPermit, &study_permit),
        ],
        today,
    );
    Evaluation {
        today,
        regime,
        letter: authorization::letter(student, study_permit.state),
        max_permit_end: case.study_permit.map(|p| p.expires),
        extend_study_permit,
        extend_both: extend_study_permit && regime == Regime::CoopWorkPermit,
        planning: planning::plan(regime, &case.work_terms, case.processing, today),
        coop_work_permit,
        study_permit,
        work_authorization,
        job_access,
        reminders,
    }
}
