//! Document submission checks (S2–S7, S9), called by the browser form and again by the server.
//!
//! Errors stop a submission; warnings are shown and stored with it for staff (S8).

use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

use crate::RuleId;

mod kind;
pub use kind::DocumentKind;

/// A validation finding's code; stable snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// S2.
    InvalidUci,
    /// S3.
    InvalidDocumentNumber,
    /// S3 (warning).
    UnexpectedDocumentPrefix,
    /// S4.
    ExpiryBeforeIssue,
    /// S5 (warning).
    ExceedsStudyPermit,
    /// S6.
    DocumentExpired,
    /// S7: not a PDF, PNG or JPEG by content.
    UnsupportedFileType,
    /// S7: over 10 MiB.
    FileTooLarge,
    /// S7: no bytes at all.
    EmptyFile,
    /// S7: a PDF with scripts, launch actions, embedded files or media.
    ActiveContent,
    /// S7: a PDF that is encrypted or cannot be read in full, so it cannot be checked.
    UncheckablePdf,
    /// S7: an image over [`MAX_IMAGE_SIDE`] pixels a side or [`MAX_IMAGE_PIXELS`] in all.
    ImageTooLarge,
    /// S9.
    InvalidApplicationNumber,
}

impl Code {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Code::InvalidUci => "invalid_uci",
            Code::InvalidDocumentNumber => "invalid_document_number",
            Code::UnexpectedDocumentPrefix => "unexpected_document_prefix",
            Code::ExpiryBeforeIssue => "expiry_before_issue",
            Code::ExceedsStudyPermit => "exceeds_study_permit",
            Code::DocumentExpired => "document_expired",
            Code::UnsupportedFileType => "unsupported_file_type",
            Code::FileTooLarge => "file_too_large",
            Code::EmptyFile => "empty_file",
            Code::ActiveContent => "active_content",
            Code::UncheckablePdf => "uncheckable_pdf",
            Code::ImageTooLarge => "image_too_large",
            Code::InvalidApplicationNumber => "invalid_application_number",
        }
    }

    /// The rule behind it.
    pub fn rule(self) -> RuleId {
        RuleId::new(match self {
            Code::InvalidUci => "S2",
            Code::InvalidDocumentNumber | Code::UnexpectedDocumentPrefix => "S3",
            Code::ExpiryBeforeIssue => "S4",
            Code::ExceedsStudyPermit => "S5",
            Code::DocumentExpired => "S6",
            Code::UnsupportedFileType
            | Code::FileTooLarge
            | Code::EmptyFile
            | Code::ActiveContent
            | Code::UncheckablePdf
            | Code::ImageTooLarge => "S7",
            Code::InvalidApplicationNumber => "S9",
        })
    }

    /// Whether it only warns.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            Code::UnexpectedDocumentPrefix | Code::ExceedsStudyPermit
        )
    }

    /// A sentence for the person filling the form, citing the rule.
    pub fn message(self) -> &'static str {
        match self {
            Code::InvalidUci => "The UCI has 8 or 10 digits, e.g. 0000-0000 or 00-0000-0000 (S2).",
            Code::InvalidDocumentNumber => {
                "The document number is one letter and 9 digits, e.g. F123456789 (S3)."
            }
            Code::UnexpectedDocumentPrefix => {
                "Study permit numbers usually start with F and work permit numbers with U: check the number (S3)."
            }
            Code::ExpiryBeforeIssue => "The expiry date is before the issue date (S4).",
            Code::ExceedsStudyPermit => {
                "A co-op work permit is never valid past the study permit: check both expiry dates (S5, V1)."
            }
            Code::DocumentExpired => "This document has already expired (S6).",
            Code::UnsupportedFileType => "The file must be a PDF, PNG or JPEG (S7).",
            Code::FileTooLarge => "The file is larger than 10 MiB (S7).",
            Code::EmptyFile => "The file is empty (S7).",
            Code::ActiveContent => {
                "This PDF contains active content (a script, a launch action, an embedded file or media), which cannot be accepted: save it again with \"Print to PDF\", or upload a scan or photo as PNG or JPEG (S7)."
            }
            Code::UncheckablePdf => {
                "This PDF is encrypted or cannot be read in full, so it cannot be checked for active content: save it again with \"Print to PDF\", or upload a scan or photo as PNG or JPEG (S7)."
            }
            Code::ImageTooLarge => {
                "The image is over 12,000 pixels a side or 100 megapixels: scan or photograph the document at a lower resolution (300 dpi is plenty) (S7)."
            }
            Code::InvalidApplicationNumber => {
                "The application number is one letter and 9 digits, e.g. W123456789 (S9)."
            }
        }
    }
}

/// One finding about one field of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The form field (`uci`, `number`, `issued_on`, `expires_on`, `file`, `application_number`).
    pub field: &'static str,
    /// What was found.
    pub code: Code,
}

impl Finding {
    fn new(field: &'static str, code: Code) -> Finding {
        Finding { field, code }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.code.message())
    }
}

/// S2: a Unique Client Identifier, 8 or 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Uci(String);

impl Uci {
    /// Reads a UCI, ignoring spaces and hyphens.
    pub fn parse(input: &str) -> Result<Uci, Code> {
        let digits: String = input.chars().filter(|c| *c != ' ' && *c != '-').collect();
        let ok =
            (digits.len() == 8 || digits.len() == 10) && digits.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Uci(digits))
        } else {
            Err(Code::InvalidUci)
        }
    }

    /// The digits alone.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uci {
    /// `0000-0000` or `00-0000-0000`, as IRCC prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        match (d.get(..2), d.get(2..6), d.get(6..), d.get(..4), d.get(4..)) {
            (Some(a), Some(b), Some(c), _, _) if d.len() == 10 => write!(f, "{a}-{b}-{c}"),
            (_, _, _, Some(a), Some(b)) => write!(f, "{a}-{b}"),
            _ => f.write_str(d),
        }
    }
}

/// A letter followed by 9 digits, upper-cased, spaces ignored (S3 document numbers, S9 applications).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct LetterNumber(String);

impl LetterNumber {
    /// Reads one; `None` when it is not a letter and 9 digits.
    pub fn parse(input: &str) -> Option<LetterNumber> {
        let text: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let mut bytes = text.bytes();
        let letter_ok = bytes.next().is_some_and(|b| b.is_ascii_uppercase());
        let digits_ok = text.len() == 10 && bytes.all(|b| b.is_ascii_digit());
        (letter_ok && digits_ok).then_some(LetterNumber(text))
    }

    /// The leading letter.
    pub fn prefix(&self) -> char {
        self.0.chars().next().unwrap_or(' ')
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LetterNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// S9: an IRCC application number.
pub fn parse_application_number(input: &str) -> Result<LetterNumber, Finding> {
    LetterNumber::parse(input).ok_or(Finding::new(
        "application_number",
        Code::InvalidApplicationNumber,
    ))
}

/// The typed fields of a document submission (the file is checked by [`check_file`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentForm<'a> {
    /// S1.
    pub kind: DocumentKind,
    /// S3, as typed.
    pub number: &'a str,
    /// S2, as typed.
    pub uci: &'a str,
    /// The issue date.
    pub issued_on: NaiveDate,
    /// The expiry date.
    pub expires_on: NaiveDate,
}

/// What the checks need besides the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormContext {
    /// T2: the student's today.
    pub today: NaiveDate,
    /// The study permit's expiry on file, for S5.
    pub study_permit_expires: Option<NaiveDate>,
}

/// A form that passed: normalized values and any warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidDocument {
    /// S1.
    pub kind: DocumentKind,
    /// S3, normalized.
    pub number: LetterNumber,
    /// S2, digits only.
    pub uci: Uci,
    /// Issue date.
    pub issued_on: NaiveDate,
    /// Expiry date.
    pub expires_on: NaiveDate,
    /// S3, S5 warnings, for the student and for staff.
    pub warnings: Vec<Finding>,
}

/// S2–S6: checks a document form. On failure, every error (warnings are dropped with it).
pub fn validate_document(
    form: &DocumentForm<'_>,
    ctx: &FormContext,
) -> Result<ValidDocument, Vec<Finding>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let number = LetterNumber::parse(form.number);
    match &number {
        None => errors.push(Finding::new("number", Code::InvalidDocumentNumber)),
        Some(number) => {
            if form
                .kind
                .expected_prefix()
                .is_some_and(|p| p != number.prefix())
            {
                warnings.push(Finding::new("number", Code::UnexpectedDocumentPrefix));
            }
        }
    }
    let uci = Uci::parse(form.uci);
    if uci.is_err() {
        errors.push(Finding::new("uci", Code::InvalidUci));
    }
    if form.issued_on > form.expires_on {
        errors.push(Finding::new("expires_on", Code::ExpiryBeforeIssue));
    }
    if form.expires_on < ctx.today {
        errors.push(Finding::new("expires_on", Code::DocumentExpired));
    }
    let exceeds = form.kind == DocumentKind::CoopWorkPermit
        && ctx
            .study_permit_expires
            .is_some_and(|sp| form.expires_on > sp);
    if exceeds {
        warnings.push(Finding::new("expires_on", Code::ExceedsStudyPermit));
    }
    match (number, uci) {
        (Some(number), Ok(uci)) if errors.is_empty() => Ok(ValidDocument {
            kind: form.kind,
            number,
            uci,
            issued_on: form.issued_on,
            expires_on: form.expires_on,
            warnings,
        }),
        _ => Err(errors),
    }
}

/// S7: the largest file accepted, 10 MiB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// S7: a file type judged by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    /// `%PDF-`.
    Pdf,
    /// The PNG signature.
    Png,
    /// The JPEG SOI marker.
    Jpeg,
}

impl FileType {
    /// The media type to store and serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }
}

/// S7: judges a file by its first bytes (at least 8 are needed) and its total size; the name
/// and the browser's claimed type are never trusted.
pub fn check_file(head: &[u8], size: u64) -> Result<FileType, Finding> {
    if size == 0 || head.is_empty() {
        return Err(Finding::new("file", Code::EmptyFile));
    }
    if size > MAX_FILE_BYTES {
        return Err(Finding::new("file", Code::FileTooLarge));
    }
    if head.starts_with(b"%PDF-") {
        Ok(FileType::Pdf)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok(FileType::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(FileType::Jpeg)
    } else {
        Err(Finding::new("file", Code::UnsupportedFileType))
    }
}

/// The most pixels an image may have on a side: a letter page at 1,200 dpi; more is a
/// decompression bomb, not a scan.
pub const MAX_IMAGE_SIDE: u32 = 12_000;
/// The most pixels an image may have in all.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;

/// S7 on the whole file, as the server receives it: [`check_file`]; for a PDF no active content
/// found by the name scan ([`crate::pdf_active`]; the server also inspects the structure, see
/// `pdf_structure`); for an image, dimensions within [`MAX_IMAGE_SIDE`] and
/// [`MAX_IMAGE_PIXELS`]. The browser checks only the first bytes before sending.
pub fn check_upload(bytes: &[u8]) -> Result<FileType, Finding> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let file_type = check_file(bytes.get(..8).unwrap_or(bytes), size)?;
    match file_type {
        FileType::Pdf if crate::pdf_active::active_content(bytes).is_some() => {
            return Err(Finding::new("file", Code::ActiveContent));
        }
        FileType::Pdf => {}
        FileType::Png | FileType::Jpeg => {
            let fits = image_size(file_type, bytes).is_some_and(|(w, h)| {
                w <= MAX_IMAGE_SIDE
                    && h <= MAX_IMAGE_SIDE
                    && u64::from(w) * u64::from(h) <= MAX_IMAGE_PIXELS
            });
            if !fits {
                return Err(Finding::new("file", Code::ImageTooLarge));
            }
        }
    }
    Ok(file_type)
}

/// S7's finding for a PDF that the structural inspection (`pdf_structure`, on the server)
/// refused: for active content found, or (`active` false) because it could not be checked.
pub fn refused_pdf(active: bool) -> Finding {
    Finding::new(
        "file",
        if active {
            Code::ActiveContent
        } else {
            Code::UncheckablePdf
        },
    )
}

/// An image's width and height from its header (PNG's IHDR, JPEG's start of frame); `None` when
/// the header does not say (such a file is refused: no viewer could size it either).
pub fn image_size(file_type: FileType, bytes: &[u8]) -> Option<(u32, u32)> {
    let be16 = |at: usize| -> Option<u32> {
        let b = bytes.get(at..at + 2)?;
        Some(u32::from(u16::from_be_bytes([*b.first()?, *b.get(1)?])))
    };
    let be32 = |at: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_be_bytes(b))
    };
    match file_type {
        FileType::Png => {
            (bytes.get(12..16)? == b"IHDR").then_some(())?;
            Some((be32(16)?, be32(20)?))
        }
        FileType::Jpeg => {
            let mut at = 2usize;
            loop {
                // Fill bytes (0xFF) may come before a marker.
                while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
                    at += 1;
                }
                (*bytes.get(at)? == 0xFF).then_some(())?;
                let marker = *bytes.get(at + 1)?;
                match marker {
                    // Standalone markers carry no length.
                    0x01 | 0xD0..=0xD7 => at += 2,
                    // Start of frame (not DHT, JPG or DAC, which share the range).
                    0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                        return Some((be16(at + 7)?, be16(at + 5)?));
                    }
                    // Start of scan or end of image before any frame: no size given.
                    0xD9 | 0xDA => return None,
                    _ => at += 2 + usize::try_from(be16(at + 2)?).ok()?,
                }
            }
        }
        FileType::Pdf => None,
    }
}

#[cfg(test)]
mod tests;
