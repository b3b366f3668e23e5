use super::*;

#[test]
fn document_kind_codes_round_trip_and_match_serde() {
    for kind in DocumentKind::ALL {
        assert_eq!(DocumentKind::from_code(kind.code()), Some(kind));
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            serde_json::Value::String(kind.code().to_owned())
        );
    }
    assert_eq!(DocumentKind::from_code("passport"), None);
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn form<'a>(
    kind: DocumentKind,
    number: &'a str,
    uci: &'a str,
    issued: &str,
    expires: &str,
) -> DocumentForm<'a> {
    DocumentForm {
        kind,
        number,
        uci,
        issued_on: date(issued),
        expires_on: date(expires),
    }
}
fn ctx(today: &str, sp: Option<&str>) -> FormContext {
    FormContext {
        today: date(today),
        study_permit_expires: sp.map(date),
    }
}
fn codes(findings: &[Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn uci_forms() {
    assert_eq!(Uci::parse("1234-5678").unwrap().to_string(), "1234-5678");
    assert_eq!(
        Uci::parse("12 3456 7890").unwrap().to_string(),
        "12-3456-7890"
    );
    assert_eq!(Uci::parse("12-3456-7890").unwrap().digits(), "1234567890");
    for bad in [
        "",
        "1234567",
        "123456789",
        "12345678901",
        "1234-567a",
        "１２３４５６７８",
    ] {
        assert_eq!(Uci::parse(bad), Err(Code::InvalidUci), "{bad}");
    }
}

#[test]
fn letter_numbers() {
    assert_eq!(
        LetterNumber::parse(" f 123 456 789").unwrap().as_str(),
        "F123456789"
    );
    for bad in [
        "F12345678",
        "F1234567890",
        "1234567890",
        "FF23456789",
        "É123456789",
        "",
    ] {
        assert!(LetterNumber::parse(bad).is_none(), "{bad}");
    }
    assert!(parse_application_number("w123456789").is_ok());
    assert_eq!(
        parse_application_number("W12").unwrap_err().code,
        Code::InvalidApplicationNumber
    );
}

#[test]
fn a_good_study_permit_passes_and_normalizes() {
    let f = form(
        DocumentKind::StudyPermit,
        "f123456789",
        "1234 5678",
        "2025-09-01",
        "2028-04-30",
    );
    let doc = validate_document(&f, &ctx("2026-11-27", None)).unwrap();
    assert_eq!(doc.number.as_str(), "F123456789");
    assert!(doc.warnings.is_empty());
}

#[test]
fn warnings_for_prefix_and_validity_cap() {
    let f = form(
        DocumentKind::CoopWorkPermit,
        "F123456789",
        "12345678",
        "2025-09-01",
        "2028-05-30",
    );
    let doc = validate_document(&f, &ctx("2026-11-27", Some("2028-04-30"))).unwrap();
    assert_eq!(
        codes(&doc.warnings),
        vec![Code::UnexpectedDocumentPrefix, Code::ExceedsStudyPermit]
    );
    let letter = form(
        DocumentKind::ApprovalLetter,
        "W123456789",
        "12345678",
        "2025-09-01",
        "2028-04-30",
    );
    assert!(
        validate_document(&letter, &ctx("2026-11-27", Some("2028-04-30")))
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let f = form(
        DocumentKind::StudyPermit,
        "F12",
        "12",
        "2026-09-01",
        "2026-08-31",
    );
    let errs = validate_document(&f, &ctx("2026-11-27", None)).unwrap_err();
    assert_eq!(
        codes(&errs),
        vec![
            Code::InvalidDocumentNumber,
            Code::InvalidUci,
            Code::ExpiryBeforeIssue,
            Code::DocumentExpired
        ]
    );
    for e in &errs {
        assert!(e.code.message().contains(e.code.rule().as_str()));
    }
}

#[test]
fn expiry_today_is_still_valid() {
    let f = form(
        DocumentKind::StudyPermit,
        "F123456789",
        "12345678",
        "2025-09-01",
        "2026-11-27",
    );
    assert!(validate_document(&f, &ctx("2026-11-27", None)).is_ok());
}

#[test]
fn files_are_judged_by_content() {
    assert_eq!(check_file(b"%PDF-1.7\n", 100), Ok(FileType::Pdf));
    assert_eq!(
        check_file(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A], 100),
        Ok(FileType::Png)
    );
    assert_eq!(
        check_file(&[0xFF, 0xD8, 0xFF, 0xE0], 100),
        Ok(FileType::Jpeg)
    );
    assert_eq!(
        check_file(b"MZ\x90\x00", 100).unwrap_err().code,
        Code::UnsupportedFileType
    );
    assert_eq!(
        check_file(b"<html>", 100).unwrap_err().code,
        Code::UnsupportedFileType
    );
    assert_eq!(
        check_file(b"%PDF-1.7", MAX_FILE_BYTES + 1)
            .unwrap_err()
            .code,
        Code::FileTooLarge
    );
    assert_eq!(check_file(b"%PDF-1.7", MAX_FILE_BYTES), Ok(FileType::Pdf));
    assert_eq!(check_file(b"", 0).unwrap_err().code, Code::EmptyFile);
}

#[test]
fn uploads_are_checked_whole_and_pdfs_with_scripts_refused() {
    assert_eq!(
        check_upload(b"%PDF-1.4\n<< /Type /Catalog >>"),
        Ok(FileType::Pdf)
    );
    let script = check_upload(b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (x) >> >>");
    assert_eq!(script.unwrap_err().code, Code::ActiveContent);
    assert_eq!(Code::ActiveContent.rule().as_str(), "S7");
    // Images are not PDFs: their bytes are not read as PDF names.
    let jpeg = |width: u16, height: u16| {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 6, b'/', b'J', b'S', b' '];
        bytes.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8]);
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&[1, 1, 0x11, 0, 0xFF, 0xD9]);
        bytes
    };
    assert_eq!(check_upload(&jpeg(2550, 3300)), Ok(FileType::Jpeg));
    assert_eq!(
        image_size(FileType::Jpeg, &jpeg(2550, 3300)),
        Some((2550, 3300))
    );
    assert_eq!(
        check_upload(&jpeg(12_001, 100)).unwrap_err().code,
        Code::ImageTooLarge
    );
    // 11,000 x 11,000 is within a side but over 100 megapixels.
    assert_eq!(
        check_upload(&jpeg(11_000, 11_000)).unwrap_err().code,
        Code::ImageTooLarge
    );
    let png = |width: u32, height: u32| {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        bytes.extend_from_slice(b"IHDR");
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&[8, 2, 0, 0, 0]);
        bytes
    };
    assert_eq!(check_upload(&png(800, 600)), Ok(FileType::Png));
    assert_eq!(
        check_upload(&png(65_535, 65_535)).unwrap_err().code,
        Code::ImageTooLarge
    );
    assert_eq!(
        check_upload(&png(0, 0)[..16]).unwrap_err().code,
        Code::ImageTooLarge,
        "a header that gives no size is refused"
    );
    assert_eq!(check_upload(b"").unwrap_err().code, Code::EmptyFile);
}
