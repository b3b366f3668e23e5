//! Planning the next work term (P1–P3) and the validity cap (V1, V2).

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::{ProcessingMonths, StudyPermit, WorkTerm};
use crate::regime::Regime;
use crate::time;

/// What the next work term asks of the student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Planning {
    /// The next work term's first day.
    #[serde(serialize_with = "crate::datetime_text::serialize_date")]
    pub term_start: NaiveDate,
    /// G1: a co-op work permit must be applied for; G2: none is needed.
    pub permit_needed: bool,
    /// P2: apply by this date to hold the permit at the start (G1 only).
    #[serde(serialize_with = "crate::datetime_text::serialize_optional_date")]
    pub apply_by: Option<NaiveDate>,
    /// P2: applying today, the earliest expected decision (G1 only).
    #[serde(serialize_with = "crate::datetime_text::serialize_optional_date")]
    pub decision_earliest: Option<NaiveDate>,
    /// P2: applying today, the latest expected decision (G1 only).
    #[serde(serialize_with = "crate::datetime_text::serialize_optional_date")]
    pub decision_latest: Option<NaiveDate>,
    /// P3: today is after `apply_by`.
    pub late_for_work_term: bool,
}

/// P2, P3 for the next work term (earliest start on or after today), or `None` without one.
pub fn plan(
    regime: Regime,
    work_terms: &[WorkTerm],
    processing: ProcessingMonths,
    today: NaiveDate,
) -> Option<Planning> {
    let term_start = work_terms
        .iter()
        .map(|term| term.start)
        .filter(|start| *start >= today)
        .min()?;
    Some(match regime {
        Regime::CoopWorkPermit => {
            let apply_by = time::sub_months(term_start, processing.max());
            Planning {
                term_start,
                permit_needed: true,
                apply_by: Some(apply_by),
                decision_earliest: Some(time::add_months(today, processing.min())),
                decision_latest: Some(time::add_months(today, processing.max())),
                late_for_work_term: today > apply_by,
            }
        }
        Regime::StudyPermitPlacement => Planning {
            term_start,
            permit_needed: false,
            apply_by: None,
            decision_earliest: None,
            decision_latest: None,
            late_for_work_term: false,
        },
    })
}

/// V2: the study permit ends before the last day of a current or future work term.
pub fn study_permit_ends_before_work(
    study_permit: Option<&StudyPermit>,
    work_terms: &[WorkTerm],
    today: NaiveDate,
) -> bool {
    let Some(permit) = study_permit else {
        return false;
    };
    work_terms
        .iter()
        .map(|term| term.end)
        .filter(|end| *end >= today)
        .max()
        .is_some_and(|last_end| permit.expires < last_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn term(start: &str, end: &str) -> WorkTerm {
        WorkTerm {
            start: date(start),
            end: date(end),
        }
    }

    #[test]
    fn g1_plans_the_next_term_only() {
        let terms = [
            term("2026-09-08", "2026-12-18"),
            term("2027-05-04", "2027-08-20"),
        ];
        let plan = plan(
            Regime::CoopWorkPermit,
            &terms,
            ProcessingMonths::DEFAULT,
            date("2026-10-01"),
        )
        .unwrap();
        assert_eq!(plan.term_start, date("2027-05-04"));
        assert_eq!(plan.apply_by, Some(date("2026-12-04")));
        assert_eq!(plan.decision_earliest, Some(date("2027-01-01")));
        assert_eq!(plan.decision_latest, Some(date("2027-03-01")));
        assert!(!plan.late_for_work_term);
    }

    #[test]
    fn g2_needs_no_permit_and_past_terms_plan_nothing() {
        let terms = [term("2027-01-04", "2027-04-23")];
        let today = date("2026-10-01");
        let g2 = plan(
            Regime::StudyPermitPlacement,
            &terms,
            ProcessingMonths::DEFAULT,
            today,
        )
        .unwrap();
        assert!(!g2.permit_needed && g2.apply_by.is_none() && !g2.late_for_work_term);
        assert!(
            plan(
                Regime::CoopWorkPermit,
                &terms,
                ProcessingMonths::DEFAULT,
                date("2027-01-05")
            )
            .is_none()
        );
    }

    #[test]
    fn v2_only_counts_terms_not_yet_over() {
        let permit = StudyPermit {
            expires: date("2026-11-30"),
            verified: true,
            on_campus_work: true,
        };
        let terms = [term("2026-09-08", "2026-12-18")];
        assert!(study_permit_ends_before_work(
            Some(&permit),
            &terms,
            date("2026-03-02")
        ));
        assert!(!study_permit_ends_before_work(
            Some(&permit),
            &terms,
            date("2026-12-19")
        ));
        assert!(!study_permit_ends_before_work(
            None,
            &terms,
            date("2026-03-02")
        ));
    }
}
