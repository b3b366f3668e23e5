use super::*;
use crate::case::{Level, ProcessingMonths};
use crate::regime::RegimeChoice;
use serde_json::json;

fn errors(value: Value) -> Vec<(Option<String>, String)> {
    read_case(&value)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect()
}

fn minimal() -> Value {
    json!({"now": "2026-08-31T23:30:00Z",
           "student": {"coop_program": true, "coop1101": "none", "continuance_met": true}})
}

#[test]
fn defaults_apply() {
    let (id, case) = read_case(&minimal()).unwrap();
    assert_eq!(id, None);
    assert_eq!(case.zone.name(), "America/Vancouver");
    assert_eq!(case.regime, RegimeChoice::Auto);
    assert_eq!(case.processing, ProcessingMonths::DEFAULT);
    assert!(case.student.full_time && case.student.in_canada && !case.student.placement_letter);
    assert_eq!(case.student.level, Level::PostSecondary);
    assert!(case.program.is_none() && case.study_permit.is_none() && case.applications.is_empty());
}

#[test]
fn unknown_fields_are_named_with_their_path() {
    let mut v = minimal();
    v["study_permit"] = json!({"expiry": "2027-01-01"});
    let errs = errors(v);
    assert_eq!(errs[0].0.as_deref(), Some("study_permit.expiry"));
    assert!(errs[0].1.contains("unknown field"));
    assert_eq!(errs[1].0.as_deref(), Some("study_permit.expires"));
    assert_eq!(errs[1].1, "is required");
}

#[test]
fn malformed_dates_and_instants() {
    let mut v = minimal();
    v["study_permit"] = json!({"expires": "2027-02-30"});
    v["applications"] = json!([{"for": "study_permit", "submitted_at": "2026-12-15T16:30:00", "decision": "pending"}]);
    let errs = errors(v);
    assert_eq!(errs[0].0.as_deref(), Some("study_permit.expires"));
    assert!(errs[0].1.contains("YYYY-MM-DD"), "{}", errs[0].1);
    assert_eq!(errs[1].0.as_deref(), Some("applications[0].submitted_at"));
    assert!(errs[1].1.contains("no UTC offset"), "{}", errs[1].1);
}

#[test]
fn required_fields_unknown_zone_and_processing() {
    let v = json!({"id": "x", "zone": "Mars/Base", "processing_months": [5, 3], "student": {"coop1101": "maybe"}});
    let fields: Vec<Option<String>> = errors(v).into_iter().map(|e| e.0).collect();
    let want = [
        "now",
        "zone",
        "processing_months",
        "student.coop_program",
        "student.coop1101",
        "student.continuance_met",
    ];
    assert_eq!(
        fields,
        want.iter()
            .map(|f| Some((*f).to_owned()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn dates_outside_supported_years_and_odd_shapes() {
    for bad in [
        "0001-01-01",
        "3000-01-01",
        "2026-1-01",
        "+2026-01-01",
        "2026/01/01",
        "",
    ] {
        let mut v = minimal();
        v["study_permit"] = json!({"expires": bad});
        assert!(read_case(&v).is_err(), "{bad}");
    }
    assert!(errors(json!([1, 2]))[0].1.contains("expected an object"));
}
