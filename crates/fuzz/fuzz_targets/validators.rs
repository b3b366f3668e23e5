//! The document checks (S2–S7, S9) on arbitrary forms and files. Beyond "no panic": what passes
//! has the shape the rules promise, and a normalized value reads back as itself.
#![no_main]

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use coop_core::validation::{
    DocumentForm, DocumentKind, FileType, FormContext, LetterNumber, Uci, check_upload,
    parse_application_number, validate_document,
};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    kind: u8,
    number: &'a str,
    uci: &'a str,
    issued: i32,
    expires: i32,
    today: i32,
    study_permit: Option<i32>,
    file: &'a [u8],
}

fn day(n: i32) -> NaiveDate {
    // Days around 2026 (±3000 years), within chrono's range.
    NaiveDate::from_num_days_from_ce_opt(739_000 + n % 1_100_000).unwrap_or(NaiveDate::MIN)
}

fuzz_target!(|input: Input<'_>| {
    let kind = match input.kind % 3 {
        0 => DocumentKind::StudyPermit,
        1 => DocumentKind::CoopWorkPermit,
        _ => DocumentKind::ApprovalLetter,
    };
    let form = DocumentForm {
        kind,
        number: input.number,
        uci: input.uci,
        issued_on: day(input.issued),
        expires_on: day(input.expires),
    };
    let ctx = FormContext {
        today: day(input.today),
        study_permit_expires: input.study_permit.map(day),
    };
    match validate_document(&form, &ctx) {
        Ok(valid) => {
            assert!(
                valid.issued_on <= valid.expires_on,
                "S4 let an inverted document pass"
            );
            assert!(
                valid.expires_on >= ctx.today,
                "S6 let an expired document pass"
            );
            assert!(matches!(valid.uci.digits().len(), 8 | 10));
            assert!(valid.warnings.iter().all(|w| w.code.is_warning()));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| !e.code.is_warning()));
        }
    }
    if let Ok(uci) = Uci::parse(input.uci) {
        assert_eq!(
            Uci::parse(&uci.to_string()),
            Ok(uci.clone()),
            "S2 display reads back"
        );
    }
    if let Some(number) = LetterNumber::parse(input.number) {
        assert_eq!(LetterNumber::parse(number.as_str()), Some(number.clone()));
        assert_eq!(parse_application_number(input.number).ok(), Some(number));
    }
    match check_upload(input.file) {
        Ok(FileType::Pdf) => assert!(input.file.starts_with(b"%PDF-")),
        Ok(FileType::Png) => assert!(input.file.starts_with(&[0x89, b'P', b'N', b'G'])),
        Ok(FileType::Jpeg) => assert!(input.file.starts_with(&[0xFF, 0xD8, 0xFF])),
        Err(finding) => assert_eq!(finding.field, "file"),
    }
    // The active-content scan on its own, on bytes that need not start like a PDF.
    let _ = coop_core::pdf_active::active_content(input.file);
});
