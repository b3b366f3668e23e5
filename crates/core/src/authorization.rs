//! Who may do what: the letter (L1–L3), work authorization (W1, W2) and job access (J1–J4).

use serde::Serialize;

use crate::case::{Coop1101, Program, Student};
use crate::reasons::{Reason, Reasons};
use crate::regime::Regime;
use crate::status::DocumentState;

/// L: may the student request the letter?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterEligibility {
    /// L1 and L2 hold (staff still review every request).
    pub eligible: bool,
    /// L1, L2 reasons.
    pub reasons: Reasons,
    /// L3 warning.
    pub warnings: Reasons,
}

/// L1–L3.
pub fn letter(student: &Student, study_permit: DocumentState) -> LetterEligibility {
    let mut reasons = Reasons::NONE;
    reasons.add_if(!student.coop_program, Reason::NotInCoopProgram);
    reasons.add_if(
        student.coop1101 == Coop1101::None,
        Reason::Coop1101NotRegistered,
    );
    let mut warnings = Reasons::NONE;
    warnings.add_if(!study_permit.is_in_force(), Reason::StudyPermitNotValid);
    LetterEligibility {
        eligible: reasons.is_empty(),
        reasons,
        warnings,
    }
}

/// What authorizes the placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Basis {
    /// W1: a verified co-op work permit or approval letter.
    CoopWorkPermit,
    /// W2: the study permit (G2 only).
    StudyPermit,
}

/// W: is the student authorized to work in a placement?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkAuthorization {
    /// W1 or W2 holds.
    pub authorized: bool,
    /// Which one.
    pub basis: Option<Basis>,
    /// Why not, when not.
    pub reasons: Reasons,
}

/// The documents' facts that W reads.
#[derive(Debug, Clone, Copy)]
pub struct DocumentsOnFile {
    /// The co-op work permit's (or approval letter's) state.
    pub coop_state: DocumentState,
    /// S8: staff verified it.
    pub coop_verified: bool,
    /// The study permit's state.
    pub study_state: DocumentState,
    /// S8: staff verified it.
    pub study_verified: bool,
    /// W2c: it carries an on-campus work condition.
    pub on_campus_work: bool,
}

/// W1, W2.
pub fn work_authorization(
    regime: Regime,
    student: &Student,
    program: Option<&Program>,
    docs: DocumentsOnFile,
) -> WorkAuthorization {
    if docs.coop_verified && docs.coop_state.is_in_force() {
        return WorkAuthorization {
            authorized: true,
            basis: Some(Basis::CoopWorkPermit),
            reasons: Reasons::NONE,
        };
    }
    let reasons = match regime {
        Regime::CoopWorkPermit => {
            let mut reasons = Reasons::NONE;
            reasons.add(coop_permit_reason(docs.coop_state));
            reasons
        }
        Regime::StudyPermitPlacement => {
            let w2 = study_permit_placement(student, program, &docs);
            if w2.is_empty() {
                return WorkAuthorization {
                    authorized: true,
                    basis: Some(Basis::StudyPermit),
                    reasons: Reasons::NONE,
                };
            }
            w2
        }
    };
    WorkAuthorization {
        authorized: false,
        basis: None,
        reasons,
    }
}

/// Under G1, the one reason a co-op work permit in this state does not authorize work.
fn coop_permit_reason(state: DocumentState) -> Reason {
    match state {
        DocumentState::None => Reason::NoCoopWorkPermit,
        DocumentState::Valid | DocumentState::ExpiringSoon | DocumentState::Maintained => {
            Reason::CoopWorkPermitUnverified
        }
        DocumentState::Restoration => Reason::CoopWorkPermitRestoration,
        DocumentState::Refused => Reason::CoopWorkPermitRefused,
        DocumentState::Expired
        | DocumentState::OutOfStatus
        | DocumentState::AwaitingNewDocument
        | DocumentState::LeftCanada => Reason::CoopWorkPermitExpired,
    }
}

/// W2a–W2f: the reasons the study permit does not authorize the placement (empty when it does).
fn study_permit_placement(
    student: &Student,
    program: Option<&Program>,
    docs: &DocumentsOnFile,
) -> Reasons {
    let mut reasons = Reasons::NONE;
    reasons.add_if(!docs.study_state.is_in_force(), Reason::StudyPermitNotValid);
    reasons.add_if(!docs.study_verified, Reason::StudyPermitUnverified);
    reasons.add_if(!docs.on_campus_work, Reason::NoOnCampusWorkCondition);
    reasons.add_if(!student.placement_letter, Reason::NoPlacementLetter);
    reasons.add_if(!student.full_time, Reason::NotFullTime);
    reasons.add_if(
        !program.is_none_or(program_eligible),
        Reason::ProgramNotEligible,
    );
    reasons
}

/// W2f: a credential, 6 months or more, placement required, not language or preparatory,
/// and work at most 50% of the program.
pub fn program_eligible(program: &Program) -> bool {
    program.credential
        && program.months >= 6
        && program.placement_required
        && !program.language_or_preparatory
        && u64::from(program.work_months) * 2 <= u64::from(program.months)
}

/// J: cleared for co-op jobs?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobAccess {
    /// J1–J4 all hold.
    pub cleared: bool,
    /// J1, J2, the W reasons, J4 — in that order, without duplicates.
    pub reasons: Reasons,
}

/// J1–J4.
pub fn job_access(
    student: &Student,
    work: &WorkAuthorization,
    study_permit: DocumentState,
) -> JobAccess {
    let mut reasons = Reasons::NONE;
    reasons.add_if(!student.coop_program, Reason::NotInCoopProgram);
    reasons.add_if(!student.continuance_met, Reason::ContinuanceNotMet);
    reasons.extend(work.reasons);
    reasons.add_if(!study_permit.is_in_force(), Reason::StudyPermitNotValid);
    JobAccess {
        cleared: reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(
        credential: bool,
        months: u32,
        work_months: u32,
        required: bool,
        lang: bool,
    ) -> Program {
        Program {
            credential,
            months,
            work_months,
            placement_required: required,
            language_or_preparatory: lang,
        }
    }

    #[test]
    fn w2f_program_eligibility() {
        assert!(program_eligible(&program(true, 16, 8, true, false)));
        assert!(!program_eligible(&program(true, 16, 9, true, false)));
        assert!(program_eligible(&program(true, 6, 3, true, false)));
        assert!(!program_eligible(&program(true, 5, 1, true, false)));
        assert!(!program_eligible(&program(false, 48, 12, true, false)));
        assert!(!program_eligible(&program(true, 48, 12, false, false)));
        assert!(!program_eligible(&program(true, 48, 12, true, true)));
        assert!(program_eligible(&program(
            true,
            u32::MAX,
            u32::MAX / 2,
            true,
            false
        )));
    }

    #[test]
    fn g1_reason_follows_the_permit_state() {
        use DocumentState::*;
        let cases = [
            (None, Reason::NoCoopWorkPermit),
            (Valid, Reason::CoopWorkPermitUnverified),
            (Maintained, Reason::CoopWorkPermitUnverified),
            (Expired, Reason::CoopWorkPermitExpired),
            (LeftCanada, Reason::CoopWorkPermitExpired),
            (AwaitingNewDocument, Reason::CoopWorkPermitExpired),
            (OutOfStatus, Reason::CoopWorkPermitExpired),
            (Restoration, Reason::CoopWorkPermitRestoration),
            (Refused, Reason::CoopWorkPermitRefused),
        ];
        for (state, want) in cases {
            assert_eq!(coop_permit_reason(state), want, "{state:?}");
        }
    }

    #[test]
    fn a_verified_coop_permit_authorizes_under_both_regimes() {
        let student = Student::new(true, Coop1101::Registered, true);
        let docs = DocumentsOnFile {
            coop_state: DocumentState::Maintained,
            coop_verified: true,
            study_state: DocumentState::None,
            study_verified: false,
            on_campus_work: false,
        };
        for regime in [Regime::CoopWorkPermit, Regime::StudyPermitPlacement] {
            let w = work_authorization(regime, &student, None, docs);
            assert_eq!(w.basis, Some(Basis::CoopWorkPermit));
        }
    }
}
