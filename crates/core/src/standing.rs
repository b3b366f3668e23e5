//! A student's standing: the few facts of an evaluation that staff count and filter students by
//! (J, G3, each document's state, V2, the J reasons), and how long they hold.
//!
//! An evaluation depends on the records and on the student's today (T2) — nothing finer than a
//! day. `standing_until` finds the first later day on which the standing differs by evaluating
//! each day ahead, so a stored standing can be trusted until then without the store knowing
//! any rule's dates.

use chrono::{NaiveDate, NaiveTime};

use crate::case::Case;
use crate::evaluation::{Evaluation, evaluate};
use crate::reasons::Reasons;
use crate::regime::Regime;
use crate::status::DocumentState;

/// What a staff list shows and filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// J.
    pub cleared: bool,
    /// G3.
    pub regime: Regime,
    /// The study permit's state (T3, M1–M5, V3).
    pub study_permit: DocumentState,
    /// The co-op work permit's (or approval letter's) state.
    pub coop_work_permit: DocumentState,
    /// V2: the study permit ends before a planned work term does.
    pub extend_study_permit: bool,
    /// J1, J2, the W reasons, J4.
    pub reasons: Reasons,
}

impl Standing {
    /// The standing an evaluation gives.
    pub fn of(e: &Evaluation) -> Standing {
        Standing {
            cleared: e.job_access.cleared,
            regime: e.regime,
            study_permit: e.study_permit.state,
            coop_work_permit: e.coop_work_permit.state,
            extend_study_permit: e.extend_study_permit,
            reasons: e.job_access.reasons,
        }
    }

    /// Whether either document is in `state`.
    pub fn has_document_in(&self, state: DocumentState) -> bool {
        self.study_permit == state || self.coop_work_permit == state
    }
}

/// The evaluation of `case` today, its standing, and the first later day (in the student's
/// zone) on which the standing may differ — at most `horizon_days` ahead, so that a stored
/// standing is re-checked at least that often.
pub fn standing_until(case: &Case, horizon_days: u32) -> (Evaluation, Standing, NaiveDate) {
    let evaluation = evaluate(case);
    let standing = Standing::of(&evaluation);
    let today = evaluation.today;
    let mut probe = case.clone();
    for ahead in 1..=horizon_days {
        let Some(day) = today.checked_add_days(chrono::Days::new(u64::from(ahead))) else {
            return (evaluation, standing, today);
        };
        // Noon is never skipped or repeated by a clock change.
        let Some(noon) = case
            .zone
            .instant_at(day.and_time(NaiveTime::MIN) + chrono::Duration::hours(12))
        else {
            return (evaluation, standing, day);
        };
        probe.now = noon;
        if Standing::of(&evaluate(&probe)) != standing {
            return (evaluation, standing, day);
        }
    }
    let until = today
        .checked_add_days(chrono::Days::new(u64::from(horizon_days) + 1))
        .unwrap_or(today);
    (evaluation, standing, until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Coop1101, Student, StudyPermit, WorkTerm};
    use chrono::{DateTime, Utc};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn case(now: &str, expires: &str) -> Case {
        let mut student = Student::new(true, Coop1101::Completed, true);
        student.full_time = true;
        student.placement_letter = true;
        let mut case = Case::new(at(now), student);
        case.study_permit = Some(StudyPermit {
            expires: d(expires),
            verified: true,
            on_campus_work: true,
        });
        case
    }

    #[test]
    fn the_standing_holds_until_the_permit_turns_expiring_soon() {
        // 91 days left on 2026-11-27 (Vancouver): expiring soon (90 days) from 2026-11-28.
        let (_, standing, until) = standing_until(&case("2026-11-27T20:00:00Z", "2027-02-26"), 400);
        assert_eq!(standing.study_permit, DocumentState::Valid);
        assert_eq!(until, d("2026-11-28"));
    }

    #[test]
    fn expiry_ends_the_standing_the_day_after_the_expiry_date() {
        let (_, standing, until) = standing_until(&case("2026-11-27T20:00:00Z", "2026-12-10"), 400);
        assert_eq!(standing.study_permit, DocumentState::ExpiringSoon);
        assert!(standing.cleared);
        assert_eq!(until, d("2026-12-11"));
    }

    #[test]
    fn nothing_changes_within_the_horizon_means_the_horizon() {
        let (_, _, until) = standing_until(&case("2026-11-27T20:00:00Z", "2030-01-01"), 30);
        assert_eq!(until, d("2026-12-28"));
    }

    /// Every day before `until` gives the same standing as today, and `until` a different one
    /// (unless it is the horizon), over many cases and days.
    #[test]
    fn the_standing_is_constant_before_until_and_changes_on_it() {
        let starts = [
            "2026-01-15T08:00:00Z",
            "2026-03-20T07:30:00Z",
            "2026-11-01T09:00:00Z",
        ];
        let expiries = [
            "2026-02-01",
            "2026-04-01",
            "2026-06-30",
            "2026-12-31",
            "2027-03-01",
        ];
        for now in starts {
            for expires in expiries {
                let mut c = case(now, expires);
                c.work_terms = vec![WorkTerm::new(d("2026-05-04"), d("2026-08-28")).unwrap()];
                let (_, standing, until) = standing_until(&c, 120);
                let today = c.zone.today(c.now);
                let mut day = today;
                while day < until {
                    let mut probe = c.clone();
                    probe.now = c
                        .zone
                        .instant_at(day.and_hms_opt(23, 59, 0).unwrap())
                        .unwrap();
                    assert_eq!(
                        Standing::of(&evaluate(&probe)),
                        standing,
                        "{now} {expires} on {day}"
                    );
                    day = day.succ_opt().unwrap();
                }
                if until < today + chrono::Days::new(121) {
                    let mut probe = c.clone();
                    probe.now = c
                        .zone
                        .instant_at(until.and_hms_opt(0, 0, 1).unwrap())
                        .unwrap();
                    assert_ne!(
                        Standing::of(&evaluate(&probe)),
                        standing,
                        "{now} {expires} on {until}"
                    );
                }
            }
        }
    }
}
