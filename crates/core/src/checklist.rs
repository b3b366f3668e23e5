//! The guide's steps for one student, in order, each with where it stands — what a student's
//! home page lists so they see at a glance what is done and what is next.

use serde::Serialize;

use crate::case::{Case, Coop1101};
use crate::evaluation::Evaluation;
use crate::regime::Regime;
use crate::status::DocumentState;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    /// Done on the student's side; the co-op office or IRCC has to act.
    Waiting,
    ToDo,
    /// Not needed now (e.g. no document to extend).
    NotNeeded,
}

impl StepState {
    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Waiting => "waiting",
            StepState::ToDo => "to_do",
            StepState::NotNeeded => "not_needed",
        }
    }

    /// In words, for the list.
    pub const fn words(self) -> &'static str {
        match self {
            StepState::Done => "Done",
            StepState::Waiting => "Waiting",
            StepState::ToDo => "To do",
            StepState::NotNeeded => "Not needed now",
        }
    }
}

/// One step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The step, citing its rules.
    pub text: &'static str,
    pub state: StepState,
}

/// What the office's records add to the case: whether a letter request is waiting for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OfficeRecords {
    pub letter_requested: bool,
}

fn done_if(done: bool) -> StepState {
    if done {
        StepState::Done
    } else {
        StepState::ToDo
    }
}

/// The steps for `case`, whose evaluation is `e`.
pub fn steps(case: &Case, e: &Evaluation, office: OfficeRecords) -> Vec<Step> {
    let student = &case.student;
    let letter = if student.placement_letter {
        StepState::Done
    } else if office.letter_requested {
        StepState::Waiting
    } else {
        StepState::ToDo
    };
    let authorization = match e.regime {
        Regime::CoopWorkPermit => Step {
            text: "Hold a co-op work permit (or IRCC approval letter) for the placement (W1).",
            state: if e.coop_work_permit.state.is_in_force() {
                StepState::Done
            } else if e.coop_work_permit.application_pending {
                StepState::Waiting
            } else {
                StepState::ToDo
            },
        },
        Regime::StudyPermitPlacement => Step {
            text: "Your study permit allows on-campus work (W2c), and you study full time (W2e).",
            state: done_if(
                student.full_time && case.study_permit.is_some_and(|sp| sp.on_campus_work),
            ),
        },
    };
    let documents = [&e.study_permit, &e.coop_work_permit];
    let reported = if documents.iter().any(|d| d.application_pending) {
        StepState::Done
    } else if documents.iter().any(|d| {
        matches!(
            d.state,
            DocumentState::ExpiringSoon | DocumentState::Expired
        )
    }) {
        StepState::ToDo
    } else {
        StepState::NotNeeded
    };
    // The document that authorizes the placement under the regime in force.
    let on_file = match e.regime {
        Regime::CoopWorkPermit => case.coop_work_permit.map(|d| d.verified),
        Regime::StudyPermitPlacement => case.study_permit.map(|d| d.verified),
    };
    vec![
        Step {
            text: "Be in the Co-op program (L1).",
            state: done_if(student.coop_program),
        },
        Step {
            text: "Register in or complete COOP 1101 (L2).",
            state: done_if(student.coop1101 != Coop1101::None),
        },
        Step {
            text: "Get the co-op letter from the co-op office (L).",
            state: letter,
        },
        authorization,
        Step {
            text: "Apply to IRCC to extend a document before it expires, and report it here (T4, M1).",
            state: reported,
        },
        Step {
            text: "Submit the document to the co-op office (S1).",
            state: done_if(on_file.is_some()),
        },
        Step {
            text: "The co-op office verifies it (S8).",
            state: match on_file {
                Some(true) => StepState::Done,
                Some(false) => StepState::Waiting,
                None => StepState::ToDo,
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Student, StudyPermit};
    use crate::evaluate;
    use chrono::{DateTime, NaiveDate};

    fn case() -> Case {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc();
        Case::new(now, Student::new(true, Coop1101::Registered, true))
    }

    fn states(case: &Case, office: OfficeRecords) -> Vec<StepState> {
        steps(case, &evaluate(case), office)
            .iter()
            .map(|s| s.state)
            .collect()
    }

    #[test]
    fn a_new_student_under_g2_has_everything_ahead() {
        use StepState::*;
        assert_eq!(
            states(&case(), OfficeRecords::default()),
            [Done, Done, ToDo, ToDo, NotNeeded, ToDo, ToDo]
        );
        assert_eq!(
            states(
                &case(),
                OfficeRecords {
                    letter_requested: true
                }
            )[2],
            Waiting
        );
    }

    #[test]
    fn a_submitted_study_permit_waits_for_verification_and_its_extension_is_due() {
        use StepState::*;
        let mut c = case();
        c.student.placement_letter = true;
        c.student.full_time = true;
        c.study_permit = Some(StudyPermit {
            expires: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            verified: false,
            on_campus_work: true,
        });
        assert_eq!(
            states(&c, OfficeRecords::default()),
            [Done, Done, Done, Done, ToDo, Done, Waiting]
        );
        let verified = StudyPermit {
            verified: true,
            ..c.study_permit.unwrap()
        };
        c.study_permit = Some(verified);
        assert_eq!(states(&c, OfficeRecords::default())[6], Done);
    }

    #[test]
    fn every_step_cites_a_rule() {
        for step in steps(&case(), &evaluate(&case()), OfficeRecords::default()) {
            assert!(
                step.text.ends_with(").") && step.text.contains('('),
                "{}",
                step.text
            );
        }
    }
}
