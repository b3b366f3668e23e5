//! Invariants of the rules over generated inputs (proptest).
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "generators index small fixed tables; helpers fail loudly"
)]

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use proptest::prelude::*;
use serde_json::{Value, json};

use coop_core::case::{
    Application, Case, Coop1101, CoopDocumentKind, CoopWorkPermit, Decision, DocumentFor, Level,
    ProcessingMonths, Program, Student, StudyPermit, WorkTerm,
};
use coop_core::contract::{check_value, read_case};
use coop_core::reasons::Reason;
use coop_core::regime::{Regime, RegimeChoice};
use coop_core::status::DocumentState;
use coop_core::time::{self, Zone};
use coop_core::validation::{self, Code, DocumentForm, DocumentKind, FormContext};
use coop_core::{Evaluation, evaluate};

fn date_in(from: NaiveDate, days: u32) -> impl Strategy<Value = NaiveDate> {
    (0..days).prop_map(move |d| from + Days::new(u64::from(d)))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn any_date_1900_2200() -> impl Strategy<Value = NaiveDate> {
    date_in(ymd(1900, 1, 1), 110_000).prop_filter("to 2200", |d| d.year() <= 2200)
}

fn instant_near(base: NaiveDate, days: u32) -> impl Strategy<Value = DateTime<Utc>> {
    (date_in(base, days), 0..86_400i64)
        .prop_map(|(d, s)| d.and_time(NaiveTime::MIN).and_utc() + TimeDelta::seconds(s))
}

const ZONES: &[&str] = &[
    "America/Vancouver",
    "America/Toronto",
    "America/St_Johns",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "UTC",
];

prop_compose! {
    fn student()(coop_program in any::<bool>(), coop1101 in 0..3u8, continuance_met in any::<bool>(),
                 secondary in proptest::bool::weighted(0.1), full_time in any::<bool>(),
                 placement_letter in any::<bool>(), in_canada in proptest::bool::weighted(0.8)) -> Student {
        Student {
            coop_program,
            coop1101: [Coop1101::None, Coop1101::Registered, Coop1101::Completed][usize::from(coop1101)],
            continuance_met,
            level: if secondary { Level::Secondary } else { Level::PostSecondary },
            full_time,
            placement_letter,
            in_canada,
        }
    }
}

prop_compose! {
    fn application(base: NaiveDate)(doc in any::<bool>(), at in instant_near(base, 1500), decision in 0..3u8) -> Application {
        Application {
            for_document: if doc { DocumentFor::CoopWorkPermit } else { DocumentFor::StudyPermit },
            submitted_at: at,
            decision: [Decision::Pending, Decision::Approved, Decision::Refused][usize::from(decision)],
        }
    }
}

prop_compose! {
    fn work_term(base: NaiveDate)(start in date_in(base, 1500), len in 0..200u64) -> WorkTerm {
        WorkTerm { start, end: start + Days::new(len) }
    }
}

prop_compose! {
    fn program()(credential in any::<bool>(), months in 0..60u32, work_months in 0..40u32,
                 placement_required in any::<bool>(), language_or_preparatory in any::<bool>()) -> Program {
        Program { credential, months, work_months, placement_required, language_or_preparatory }
    }
}

prop_compose! {
    fn case()(
        now in instant_near(ymd(2024, 6, 1), 1300),
        zone in proptest::sample::select(ZONES),
        regime in 0..3u8,
        processing in (1..=24i64).prop_flat_map(|min| (Just(min), min..=24i64)),
        student in student(),
        program in proptest::option::of(program()),
        study in proptest::option::of((date_in(ymd(2024, 1, 1), 1800), any::<bool>(), any::<bool>())),
        coop in proptest::option::of((date_in(ymd(2024, 1, 1), 1800), any::<bool>(), any::<bool>())),
        applications in proptest::collection::vec(application(ymd(2024, 1, 1)), 0..4),
        work_terms in proptest::collection::vec(work_term(ymd(2024, 1, 1)), 0..4),
    ) -> Case {
        Case {
            now,
            zone: Zone::named(zone).unwrap(),
            regime: [RegimeChoice::Auto, RegimeChoice::Pinned(Regime::CoopWorkPermit),
                     RegimeChoice::Pinned(Regime::StudyPermitPlacement)][usize::from(regime)],
            processing: ProcessingMonths::new(processing.0, processing.1).unwrap(),
            student,
            program,
            study_permit: study.map(|(expires, verified, on_campus_work)| StudyPermit { expires, verified, on_campus_work }),
            coop_work_permit: coop.map(|(expires, verified, letter)| CoopWorkPermit {
                kind: if letter { CoopDocumentKind::ApprovalLetter } else { CoopDocumentKind::CoopWorkPermit },
                expires,
                verified,
            }),
            applications,
            work_terms,
        }
    }
}

fn in_rule_order(reasons: &[Reason]) -> bool {
    reasons.windows(2).all(|w| w[0] < w[1])
}

fn codes(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn check_invariants(case: &Case, e: &Evaluation) {
    // Determinism.
    assert_eq!(&evaluate(case), e);
    // Reason lists: rule order, no repeats (also in the JSON).
    for set in [
        e.letter.reasons,
        e.letter.warnings,
        e.work_authorization.reasons,
        e.job_access.reasons,
    ] {
        assert!(in_rule_order(&set.to_vec()));
    }
    let json = serde_json::to_value(e).unwrap();
    for path in [
        "/letter/reasons",
        "/work_authorization/reasons",
        "/job_access/reasons",
    ] {
        let list = codes(json.pointer(path).unwrap());
        let mut dedup = list.clone();
        dedup.dedup();
        assert_eq!(list, dedup, "{path} repeats a reason");
    }
    // J: literally J1, J2, then W's reasons, then J4, first occurrence kept.
    let mut want: Vec<Reason> = Vec::new();
    let mut push = |r: Reason| {
        if !want.contains(&r) {
            want.push(r);
        }
    };
    if !case.student.coop_program {
        push(Reason::NotInCoopProgram);
    }
    if !case.student.continuance_met {
        push(Reason::ContinuanceNotMet);
    }
    e.work_authorization.reasons.iter().for_each(&mut push);
    if !e.study_permit.state.is_in_force() {
        push(Reason::StudyPermitNotValid);
    }
    assert_eq!(e.job_access.reasons.to_vec(), want);
    assert_eq!(e.job_access.cleared, want.is_empty());
    assert_eq!(
        e.work_authorization.authorized,
        e.work_authorization.reasons.is_empty()
    );
    assert_eq!(
        e.work_authorization.authorized,
        e.work_authorization.basis.is_some()
    );
    // V1: max_permit_end is the study permit's expiry, never later.
    assert_eq!(e.max_permit_end, case.study_permit.map(|p| p.expires));
    // States agree with day counts (T3, T6, V3).
    for status in [&e.coop_work_permit, &e.study_permit] {
        match status.expiry {
            None => assert_eq!(status.state, DocumentState::None),
            Some(x) => {
                assert_eq!(
                    x.days_left >= 0,
                    status.state.is_before_expiry(),
                    "{status:?}"
                );
                assert_eq!(x.deadline_utc, time::deadline_utc(x.expires));
                assert_eq!(x.deadline_local, x.deadline_utc);
            }
        }
    }
    // R1: sorted, from today on, only for documents before expiry without a pending application.
    assert!(
        e.reminders
            .windows(2)
            .all(|w| (w[0].on, w[0].for_document) <= (w[1].on, w[1].for_document))
    );
    for r in &e.reminders {
        assert!(r.on >= e.today);
        let status = match r.for_document {
            DocumentFor::CoopWorkPermit => &e.coop_work_permit,
            DocumentFor::StudyPermit => &e.study_permit,
        };
        assert!(status.state.is_before_expiry() && !status.application_pending);
    }
    // P: under G2 no permit is needed; under G1 apply_by is before the term.
    if let Some(p) = e.planning {
        assert!(p.term_start >= e.today);
        assert_eq!(p.permit_needed, e.regime == Regime::CoopWorkPermit);
        assert!(p.apply_by.is_none_or(|a| a < p.term_start));
    }
    assert_eq!(e.today, case.zone.today(case.now));
}

proptest! {
    // No regression files: a failure prints its minimal input, which becomes a unit test.
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_invariants(case in case()) {
        let e = evaluate(&case);
        check_invariants(&case, &e);
    }

    /// T4, stated independently: timely exactly when the UTC date of submission is on or before D.
    #[test]
    fn timely_is_before_midnight_utc_after_expiry(d in any_date_1900_2200(), secs in -3 * 86_400i64..3 * 86_400) {
        let at = d.and_time(NaiveTime::MIN).and_utc() + TimeDelta::seconds(secs);
        prop_assert_eq!(time::is_timely(at, d), at.date_naive() <= d);
        prop_assert!(time::deadline_utc(d) > d.and_hms_opt(23, 59, 59).unwrap().and_utc());
    }

    /// BC stays on UTC-7 from 2026-03-08: the deadline is 17:00 on D in Vancouver, every D.
    #[test]
    fn vancouver_deadline_is_1700_local(d in date_in(ymd(2026, 3, 8), 365 * 150)) {
        let local = Zone::vancouver().local(time::deadline_utc(d));
        prop_assert_eq!(local.date_naive(), d);
        prop_assert_eq!((local.hour(), local.minute(), local.second()), (17, 0, 0));
    }

    /// T5: never panics, lands in the right month, and clamps the day.
    #[test]
    fn month_arithmetic(d in any_date_1900_2200(), months in 0..=24u32) {
        let back = time::sub_months(d, months);
        let ahead = time::add_months(d, months);
        let months_i = i32::try_from(months).unwrap();
        let index = |x: NaiveDate| x.year() * 12 + i32::try_from(x.month0()).unwrap();
        prop_assert_eq!(index(d) - index(back), months_i);
        prop_assert_eq!(index(ahead) - index(d), months_i);
        for x in [back, ahead] {
            let last = (28..=31).rev().find(|day| NaiveDate::from_ymd_opt(x.year(), x.month(), *day).is_some()).unwrap();
            prop_assert_eq!(x.day(), d.day().min(last));
        }
    }

    /// S5 and V1: a co-op work permit past the study permit is always flagged.
    #[test]
    fn permit_past_study_permit_is_flagged(sp in date_in(ymd(2026, 1, 1), 2000), extra in -500i64..500) {
        let expires = if extra >= 0 { sp + Days::new(extra.unsigned_abs()) } else { sp - Days::new(extra.unsigned_abs()) };
        let form = DocumentForm { kind: DocumentKind::CoopWorkPermit, number: "U123456789", uci: "12345678",
                                  issued_on: ymd(2020, 1, 1), expires_on: expires };
        let ctx = FormContext { today: ymd(2024, 1, 1), study_permit_expires: Some(sp) };
        let doc = validation::validate_document(&form, &ctx).unwrap();
        let flagged = doc.warnings.iter().any(|w| w.code == Code::ExceedsStudyPermit);
        prop_assert_eq!(flagged, expires > sp);
    }

    /// The validators take any text without panicking.
    #[test]
    fn validators_take_any_text(number in ".{0,40}", uci in ".{0,40}", head in proptest::collection::vec(any::<u8>(), 0..16), size in any::<u64>()) {
        let form = DocumentForm { kind: DocumentKind::StudyPermit, number: &number, uci: &uci,
                                  issued_on: ymd(2020, 1, 1), expires_on: ymd(2030, 1, 1) };
        let ctx = FormContext { today: ymd(2025, 1, 1), study_permit_expires: None };
        let _ = validation::validate_document(&form, &ctx);
        let _ = validation::parse_application_number(&number);
        let _ = validation::check_file(&head, size);
    }

    /// Any JSON value gives a result or an error, never a panic.
    #[test]
    fn any_json_gives_a_result_or_an_error(value in arb_json()) {
        let out = check_value(&value).to_json(1);
        prop_assert!(out.get("today").is_some() || out.get("error").is_some());
    }

    /// Valid cases with one field replaced by any JSON: still a result or an error naming a field.
    #[test]
    fn mutated_cases_never_panic(path in proptest::sample::select(MUTABLE), replacement in arb_json()) {
        let mut case = full_case();
        *case.pointer_mut(path).unwrap() = replacement;
        match read_case(&case) {
            Ok((_, c)) => check_invariants(&c, &evaluate(&c)),
            Err(errors) => prop_assert!(!errors.is_empty() && errors.iter().all(|e| !e.message.is_empty())),
        }
    }
}

const MUTABLE: &[&str] = &[
    "/now",
    "/zone",
    "/regime",
    "/processing_months",
    "/student",
    "/student/coop1101",
    "/student/level",
    "/program",
    "/program/months",
    "/study_permit/expires",
    "/coop_work_permit",
    "/coop_work_permit/kind",
    "/applications",
    "/applications/0/submitted_at",
    "/applications/0/decision",
    "/work_terms/0",
    "/work_terms/0/end",
    "/id",
];

fn full_case() -> Value {
    json!({
        "id": "full", "now": "2026-08-31T23:30:00Z", "zone": "America/Vancouver", "regime": "auto",
        "processing_months": [3, 5],
        "student": {"coop_program": true, "coop1101": "registered", "continuance_met": true,
                    "level": "post_secondary", "full_time": true, "placement_letter": false, "in_canada": true},
        "program": {"credential": true, "months": 48, "work_months": 12, "placement_required": true,
                    "language_or_preparatory": false},
        "study_permit": {"expires": "2027-04-30", "verified": true, "on_campus_work": true},
        "coop_work_permit": {"kind": "coop_work_permit", "expires": "2026-08-31", "verified": true},
        "applications": [{"for": "coop_work_permit", "submitted_at": "2026-08-31T23:30:00Z", "decision": "pending"}],
        "work_terms": [{"start": "2026-09-08", "end": "2026-12-18"}]
    })
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        proptest::sample::select(vec![
            "2026-02-29",
            "2026-12-15T16:30:00-07:00",
            "2026-12-15T16:30:00",
            "America/Vancouver",
            "Mars/Base",
            "pending",
            "none",
            "9999-12-31",
            "0000-01-01",
            "-1",
            "auto",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                proptest::sample::select(vec![
                    "id",
                    "now",
                    "zone",
                    "student",
                    "coop_program",
                    "coop1101",
                    "continuance_met",
                    "study_permit",
                    "expires",
                    "applications",
                    "for",
                    "submitted_at",
                    "decision",
                    "work_terms",
                    "start",
                    "end",
                    "processing_months",
                    "program",
                    "months",
                    "x",
                ])
                .prop_map(str::to_owned),
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
