//! Deterministic generated cases, spread over every regime, state and reason, for benchmarks
//! and load tests. Pure: the same seed gives the same cases on every platform.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};

use crate::case::{
    Application, Case, Coop1101, CoopDocumentKind, CoopWorkPermit, Decision, DocumentFor, Level,
    ProcessingMonths, Program, Student, StudyPermit, WorkTerm,
};
use crate::regime::{Regime, RegimeChoice};
use crate::time::Zone;

/// A small, fast, seedable generator (SplitMix64); statistical quality is not needed here.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(usize::try_from(self.below(items.len() as u64)).unwrap_or(0))
    }

    fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        self.pick_ref(items).copied().unwrap_or(fallback)
    }
}

const ZONES: &[&str] = &[
    "America/Vancouver",
    "America/Vancouver",
    "America/Vancouver",
    "America/Toronto",
    "America/Edmonton",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Europe/London",
    "UTC",
];

fn day_offset(base: NaiveDate, days: i64) -> NaiveDate {
    let shifted = if days >= 0 {
        base.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        base.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    shifted.unwrap_or(base)
}

/// `n` cases around `now` (±2 years), from `seed`.
pub fn cases(seed: u64, n: usize, now: DateTime<Utc>) -> Vec<Case> {
    let zones: Vec<Zone> = ZONES.iter().filter_map(|z| Zone::named(z).ok()).collect();
    let mut rng = SplitMix::new(seed);
    (0..n).map(|_| one(&mut rng, &zones, now)).collect()
}

/// One case around `now`.
pub fn one(rng: &mut SplitMix, zones: &[Zone], now: DateTime<Utc>) -> Case {
    let spread = i64::try_from(rng.below(4 * 365)).unwrap_or(0) - 2 * 365;
    let now = now
        + TimeDelta::days(spread)
        + TimeDelta::seconds(i64::try_from(rng.below(86_400)).unwrap_or(0));
    let today = now.date_naive();
    let around = |rng: &mut SplitMix, back: i64, ahead: u64| {
        day_offset(today, i64::try_from(rng.below(ahead)).unwrap_or(0) - back)
    };
    let mut student = Student::new(
        rng.chance(92),
        rng.pick(
            &[Coop1101::None, Coop1101::Registered, Coop1101::Completed],
            Coop1101::None,
        ),
        rng.chance(85),
    );
    student.level = if rng.chance(5) {
        Level::Secondary
    } else {
        Level::PostSecondary
    };
    student.full_time = rng.chance(90);
    student.placement_letter = rng.chance(60);
    student.in_canada = rng.chance(95);
    let study_permit = rng.chance(95).then(|| StudyPermit {
        expires: around(rng, 200, 1200),
        verified: rng.chance(80),
        on_campus_work: rng.chance(75),
    });
    let coop_work_permit = rng.chance(50).then(|| CoopWorkPermit {
        kind: rng.pick(
            &[
                CoopDocumentKind::CoopWorkPermit,
                CoopDocumentKind::ApprovalLetter,
            ],
            CoopDocumentKind::CoopWorkPermit,
        ),
        expires: around(rng, 200, 900),
        verified: rng.chance(80),
    });
    let mut applications = Vec::new();
    for _ in 0..rng.below(3) {
        let for_document = rng.pick(
            &[DocumentFor::CoopWorkPermit, DocumentFor::StudyPermit],
            DocumentFor::StudyPermit,
        );
        let date = around(rng, 150, 160);
        let secs = i64::try_from(rng.below(86_400)).unwrap_or(0);
        applications.push(Application {
            for_document,
            submitted_at: date.and_time(NaiveTime::MIN).and_utc() + TimeDelta::seconds(secs),
            decision: rng.pick(
                &[
                    Decision::Pending,
                    Decision::Pending,
                    Decision::Approved,
                    Decision::Refused,
                ],
                Decision::Pending,
            ),
        });
    }
    let mut work_terms = Vec::new();
    for _ in 0..rng.below(3) {
        let start = around(rng, 120, 700);
        work_terms.push(WorkTerm {
            start,
            end: day_offset(start, 84 + i64::try_from(rng.below(30)).unwrap_or(0)),
        });
    }
    let program = rng.chance(20).then(|| Program {
        credential: rng.chance(90),
        months: u32::try_from(rng.below(48)).unwrap_or(0) + 4,
        work_months: u32::try_from(rng.below(16)).unwrap_or(0),
        placement_required: rng.chance(90),
        language_or_preparatory: rng.chance(5),
    });
    let regime = match rng.below(10) {
        0 => RegimeChoice::Pinned(Regime::CoopWorkPermit),
        1 => RegimeChoice::Pinned(Regime::StudyPermitPlacement),
        _ => RegimeChoice::Auto,
    };
    let min = u32::try_from(rng.below(4)).unwrap_or(0) + 2;
    let processing = ProcessingMonths::new(i64::from(min), i64::from(min + 2)).unwrap_or_default();
    Case {
        now,
        zone: rng.pick_ref(zones).cloned().unwrap_or_else(Zone::utc),
        regime,
        processing,
        student,
        program,
        study_permit,
        coop_work_permit,
        applications,
        work_terms,
    }
}

/// A digest (FNV-1a, 64 bits) of the contract JSON of every case's evaluation: two builds that
/// give the same digest over many generated cases decide identically on them.
pub fn fingerprint(cases: &[Case]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for case in cases {
        let json = serde_json::to_vec(&crate::evaluate(case)).unwrap_or_default();
        for byte in json.iter().chain(b"\n") {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reasons::Reason;
    use crate::status::DocumentState;
    use std::collections::HashSet;

    /// The benchmark and the wasm fingerprint are only meaningful if the generated cases reach
    /// every state and every reason.
    #[test]
    fn generated_cases_reach_every_state_and_reason() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc();
        let mut states = HashSet::new();
        let mut reasons = HashSet::new();
        let mut regimes = HashSet::new();
        for case in cases(20_261_127, 20_000, now) {
            let e = crate::evaluate(&case);
            states.insert(e.coop_work_permit.state);
            states.insert(e.study_permit.state);
            regimes.insert(e.regime);
            reasons.extend(e.job_access.reasons.iter());
            reasons.extend(e.letter.reasons.iter());
        }
        for state in DocumentState::ALL {
            assert!(states.contains(&state), "no generated case is {state:?}");
        }
        for reason in Reason::ALL {
            assert!(
                reasons.contains(reason),
                "no generated case gives {reason:?}"
            );
        }
        assert_eq!(regimes.len(), 2);
    }

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(cases(7, 100, now), cases(7, 100, now));
        assert_ne!(cases(7, 100, now), cases(8, 100, now));
    }
}
