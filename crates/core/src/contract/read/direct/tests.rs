//! The direct reader against the full one: the same case whenever the full reader accepts one,
//! `None` (the body left to the full reader) whenever it does not.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::*;
use crate::contract::read::reader::{
    APPLICATION_FIELDS, CASE_FIELDS, COOP_PERMIT_FIELDS, PROGRAM_FIELDS, STUDENT_FIELDS,
    STUDY_PERMIT_FIELDS, WORK_TERM_FIELDS,
};
use crate::contract::read_case;

/// Both readers on one case, as bytes and as a tree: equal, and the direct one not giving up on
/// a case the full one accepts (its strings have no escapes).
fn agree(value: &Value) -> Result<(), String> {
    let body = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    let direct = read(&body);
    let full = read_case(value).ok();
    if direct == full {
        Ok(())
    } else {
        Err(format!("{value}\n  direct: {direct:?}\n  full:   {full:?}"))
    }
}

#[test]
fn the_fields_are_the_full_readers() {
    assert_eq!(CaseFields::KEYS, CASE_FIELDS);
    assert_eq!(StudentFields::KEYS, STUDENT_FIELDS);
    assert_eq!(ProgramFields::KEYS, PROGRAM_FIELDS);
    assert_eq!(StudyPermitFields::KEYS, STUDY_PERMIT_FIELDS);
    assert_eq!(CoopPermitFields::KEYS, COOP_PERMIT_FIELDS);
    assert_eq!(ApplicationFields::KEYS, APPLICATION_FIELDS);
    assert_eq!(WorkTermFields::KEYS, WORK_TERM_FIELDS);
}

#[test]
fn every_vector_is_read_alike() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut read_directly = 0;
    let mut lines = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(vector) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let case = &vector["case"];
            if let Err(problem) = agree(case) {
                panic!("{problem}");
            }
            lines += 1;
            read_directly += usize::from(read_case(case).is_ok());
        }
    }
    assert!(lines >= 72, "only {lines} vectors in {}", dir.display());
    assert!(
        read_directly >= 50,
        "only {read_directly} vectors read directly"
    );
}

fn minimal() -> Value {
    json!({"now": "2026-08-31T23:30:00Z",
           "student": {"coop_program": true, "coop1101": "none", "continuance_met": true}})
}

#[test]
fn the_load_body_is_read_directly() {
    let body = br#"{"now":"2026-12-15T23:30:00Z","student":{"coop_program":true,"coop1101":"registered","continuance_met":true},"study_permit":{"expires":"2026-12-15"}}"#;
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        panic!("the body is JSON");
    };
    assert!(read(body).is_some());
    assert_eq!(read(body), read_case(&value).ok());
}

/// What serde's derive would take but the contract does not, and what the direct reader leaves
/// to the full one although the full one accepts it.
#[test]
fn odd_bodies_are_left_to_the_full_reader() {
    // The fields as a list, in order.
    assert!(read(br#"["2026-08-31T23:30:00Z"]"#).is_none());
    let student_as_list = br#"{"now":"2026-08-31T23:30:00Z","student":[true,"none",true]}"#;
    assert!(read(student_as_list).is_none());
    // A field twice (the full reader takes the last).
    let twice = br#"{"now":"2026-08-31T23:30:00Z","now":"2026-09-01T00:00:00Z","student":{"coop_program":true,"coop1101":"none","continuance_met":true}}"#;
    assert!(read(twice).is_none());
    // An escape in a string or a key: the full reader reads it, the direct one leaves it.
    let escaped = br#"{"id":"caf\u00e9","now":"2026-08-31T23:30:00Z","student":{"coop_program":true,"coop1101":"none","continuance_met":true}}"#;
    assert!(read(escaped).is_none());
    let Ok(value) = serde_json::from_slice::<Value>(escaped) else {
        panic!("the body is JSON");
    };
    assert!(read_case(&value).is_ok());
    // Not JSON at all, or trailing text.
    assert!(read(b"{").is_none());
    let mut trailing = serde_json::to_vec(&minimal()).unwrap_or_default();
    trailing.extend_from_slice(b" x");
    assert!(read(&trailing).is_none());
}

#[test]
fn null_is_absent_in_both() {
    let mut case = minimal();
    for (field, null) in [
        ("zone", Value::Null),
        ("regime", Value::Null),
        ("applications", Value::Null),
    ] {
        case[field] = null;
    }
    case["student"]["level"] = Value::Null;
    assert!(agree(&case).is_ok());
    assert!(read(&serde_json::to_vec(&case).unwrap_or_default()).is_some());
}

/// A field as generated: absent, `null`, a value the contract accepts, or one it refuses.
fn field(good: BoxedStrategy<Value>, bad: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(Value::Null)),
        10 => good.prop_map(Some),
        1 => bad.prop_map(Some),
    ]
    .boxed()
}

fn words(words: &'static [&'static str]) -> BoxedStrategy<Value> {
    proptest::sample::select(words)
        .prop_map(Value::from)
        .boxed()
}

fn boolean() -> BoxedStrategy<Option<Value>> {
    field(
        any::<bool>().prop_map(Value::from).boxed(),
        words(&["true", "yes", "1"]),
    )
}

fn date() -> BoxedStrategy<Option<Value>> {
    field(
        words(&[
            "2026-03-31",
            "2026-04-01",
            "2027-02-28",
            "1900-01-01",
            "2999-12-31",
        ]),
        prop_oneof![
            words(&["2026-02-30", "1899-12-31", "3000-01-01", "2026-4-1", ""]),
            any::<i32>().prop_map(Value::from),
        ]
        .boxed(),
    )
}

fn instant() -> BoxedStrategy<Option<Value>> {
    field(
        words(&[
            "2026-03-31T23:59:59Z",
            "2026-04-01T00:00:00-07:00",
            "2026-12-15T16:30:00+05:30",
        ]),
        words(&[
            "2026-03-31T23:59:59",
            "2026-03-31",
            "3000-01-01T00:00:00Z",
            "now",
        ]),
    )
}

fn months() -> BoxedStrategy<Option<Value>> {
    field(
        prop_oneof![(0u64..=1200), Just(0), Just(1200)]
            .prop_map(Value::from)
            .boxed(),
        prop_oneof![
            Just(json!(1201)),
            Just(json!(-1)),
            Just(json!(12.5)),
            Just(json!(4_294_967_296u64)),
        ]
        .boxed(),
    )
}

fn object(fields: Vec<(&'static str, Option<Value>)>, unknown: bool) -> Value {
    let mut map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value?)))
        .collect();
    if unknown {
        map.insert("extra".to_owned(), json!(1));
    }
    Value::Object(map)
}

fn rarely() -> impl Strategy<Value = bool> {
    proptest::bool::weighted(0.05)
}

fn student() -> BoxedStrategy<Option<Value>> {
    let fields = (
        boolean(),
        field(
            words(&["none", "registered", "completed"]),
            words(&["done", "None"]),
        ),
        boolean(),
        field(words(&["post_secondary", "secondary"]), words(&["college"])),
        (boolean(), boolean(), boolean()),
        rarely(),
    );
    let good = fields
        .prop_map(
            |(program, coop1101, met, level, (full, letter, canada), unknown)| {
                object(
                    vec![
                        ("coop_program", program),
                        ("coop1101", coop1101),
                        ("continuance_met", met),
                        ("level", level),
                        ("full_time", full),
                        ("placement_letter", letter),
                        ("in_canada", canada),
                    ],
                    unknown,
                )
            },
        )
        .boxed();
    field(
        good,
        prop_oneof![Just(json!([true, "none", true])), Just(json!("yes"))].boxed(),
    )
}

fn program() -> BoxedStrategy<Option<Value>> {
    let good = (
        boolean(),
        months(),
        months(),
        boolean(),
        boolean(),
        rarely(),
    )
        .prop_map(|(credential, m, w, required, language, unknown)| {
            object(
                vec![
                    ("credential", credential),
                    ("months", m),
                    ("work_months", w),
                    ("placement_required", required),
                    ("language_or_preparatory", language),
                ],
                unknown,
            )
        })
        .boxed();
    field(good, Just(json!([])).boxed())
}

fn study_permit() -> BoxedStrategy<Option<Value>> {
    let good = (date(), boolean(), boolean(), rarely())
        .prop_map(|(expires, verified, on_campus, unknown)| {
            object(
                vec![
                    ("expires", expires),
                    ("verified", verified),
                    ("on_campus_work", on_campus),
                ],
                unknown,
            )
        })
        .boxed();
    field(good, Just(json!("2027-01-01")).boxed())
}

fn coop_work_permit() -> BoxedStrategy<Option<Value>> {
    let kind = field(
        words(&["coop_work_permit", "approval_letter"]),
        words(&["study_permit"]),
    );
    let good = (kind, date(), boolean(), rarely())
        .prop_map(|(kind, expires, verified, unknown)| {
            object(
                vec![("kind", kind), ("expires", expires), ("verified", verified)],
                unknown,
            )
        })
        .boxed();
    field(good, Just(json!(true)).boxed())
}

fn applications() -> BoxedStrategy<Option<Value>> {
    let application = (
        field(
            words(&["coop_work_permit", "study_permit"]),
            words(&["visa"]),
        ),
        instant(),
        field(
            words(&["pending", "approved", "refused"]),
            words(&["maybe"]),
        ),
        rarely(),
    )
        .prop_map(|(document, at, decision, unknown)| {
            object(
                vec![
                    ("for", document),
                    ("submitted_at", at),
                    ("decision", decision),
                ],
                unknown,
            )
        });
    let good = proptest::collection::vec(application, 0..3)
        .prop_map(Value::from)
        .boxed();
    field(good, Just(json!({})).boxed())
}

fn work_terms() -> BoxedStrategy<Option<Value>> {
    let term = (date(), date(), rarely())
        .prop_map(|(start, end, unknown)| object(vec![("start", start), ("end", end)], unknown));
    let good = proptest::collection::vec(term, 0..3)
        .prop_map(Value::from)
        .boxed();
    field(good, Just(json!("2026-05-01")).boxed())
}

fn case() -> impl Strategy<Value = Value> {
    let head = (
        field(words(&["case-1", ""]), Just(json!(7)).boxed()),
        instant(),
        field(
            words(&["America/Vancouver", "asia/kolkata", "UTC", "Etc/GMT+8"]),
            words(&["Mars/Olympus", "PST8PDT ", "/etc/localtime"]),
        ),
        field(
            words(&["auto", "coop_work_permit", "study_permit_placement"]),
            words(&["Auto"]),
        ),
        field(
            prop_oneof![
                (1i64..=24, 1i64..=24).prop_map(|(a, b)| json!([a.min(b), a.max(b)])),
                Just(json!([3, 5]))
            ]
            .boxed(),
            prop_oneof![
                Just(json!([5, 3])),
                Just(json!([0, 2])),
                Just(json!([3, 5, 7])),
                Just(json!([3]))
            ]
            .boxed(),
        ),
        rarely(),
    );
    let body = (
        student(),
        program(),
        study_permit(),
        coop_work_permit(),
        applications(),
        work_terms(),
    );
    (head, body).prop_map(
        |(
            (id, now, zone, regime, processing, unknown),
            (student, program, sp, cwp, apps, terms),
        )| {
            object(
                vec![
                    ("id", id),
                    ("now", now),
                    ("zone", zone),
                    ("regime", regime),
                    ("processing_months", processing),
                    ("student", student),
                    ("program", program),
                    ("study_permit", sp),
                    ("coop_work_permit", cwp),
                    ("applications", apps),
                    ("work_terms", terms),
                ],
                unknown,
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn generated_cases_are_read_alike(case in case()) {
        if let Err(problem) = agree(&case) {
            prop_assert!(false, "{}", problem);
        }
    }
}
