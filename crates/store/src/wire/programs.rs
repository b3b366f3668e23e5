//! The programs catalogue and letter verification as the API shows them, and the API's program
//! bodies as the services take them.

use coop_api::letters::{LetterVerification, VerificationStatus, WorkTermDates};
use coop_api::programs::{ProgramChange, ProgramEntry, ProgramLine};
use coop_core::case::Program;

use crate::entity::program;
use crate::service::letters::Verified;
use crate::service::programs::{ProgramInput, ProgramPatch};

impl From<&program::Model> for ProgramEntry {
    fn from(p: &program::Model) -> ProgramEntry {
        let facts = p.facts();
        ProgramEntry {
            code: p.code.clone(),
            name: p.name.clone(),
            credential: facts.credential,
            months: facts.months,
            work_months: facts.work_months,
            placement_required: facts.placement_required,
            language_or_preparatory: facts.language_or_preparatory,
        }
    }
}

impl From<ProgramEntry> for ProgramInput {
    fn from(e: ProgramEntry) -> ProgramInput {
        ProgramInput {
            code: e.code,
            name: e.name,
            facts: Program {
                credential: e.credential,
                months: e.months,
                work_months: e.work_months,
                placement_required: e.placement_required,
                language_or_preparatory: e.language_or_preparatory,
            },
        }
    }
}

impl From<ProgramChange> for ProgramPatch {
    fn from(c: ProgramChange) -> ProgramPatch {
        ProgramPatch {
            name: c.name,
            credential: c.credential,
            months: c.months,
            work_months: c.work_months,
            placement_required: c.placement_required,
            language_or_preparatory: c.language_or_preparatory,
        }
    }
}

/// A program as staff's page lists it: whether it meets W2f, why not, and its students.
pub fn program_line(p: &program::Model, students: u64) -> ProgramLine {
    let facts = p.facts();
    ProgramLine {
        entry: p.into(),
        eligible: coop_core::authorization::program_eligible(&facts),
        why_not: coop_core::programs::why_not_eligible(&facts),
        students,
    }
}

/// What the catalogue says of a program, in a sentence citing W2f.
pub fn program_facts(p: &program::Model) -> String {
    let facts = p.facts();
    let share = format!(
        "{}: {} months, {} of them work placement",
        p.name, facts.months, facts.work_months
    );
    if coop_core::authorization::program_eligible(&facts) {
        format!("{share}; it meets W2f.")
    } else {
        format!(
            "{share}; it does not meet W2f: {}.",
            coop_core::programs::why_not_eligible(&facts).join("; ")
        )
    }
}

impl From<&Verified> for LetterVerification {
    fn from(v: &Verified) -> LetterVerification {
        LetterVerification {
            status: if v.revoked_at.is_some() {
                VerificationStatus::Revoked
            } else {
                VerificationStatus::Valid
            },
            institution: v.letter.institution.clone(),
            student_name: v.letter.student_name.clone(),
            program: v.letter.program.clone(),
            work_term: WorkTermDates {
                start: v.letter.work_term_start,
                end: v.letter.work_term_end,
            },
            issued_on: v.letter.issued_on,
            revoked_on: v
                .revoked_at
                .map(|at| coop_core::time::Zone::default().today(at)),
        }
    }
}
