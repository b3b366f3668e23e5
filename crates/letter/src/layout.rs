//! Setting the letter's blocks on US Letter pages: words measured with the embedded font's own
//! advance widths and broken into lines, a new page when one is full.

use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::wording::{self, Block, Institution, LetterFacts, Style};

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 72.0;
/// The QR code's side, in points, in the first page's top right corner (above the margin's text
/// line, clear of the letterhead).
const QR_SIDE: f32 = 66.0;

/// Why a letter could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LetterError {
    /// A field holds characters the embedded font cannot print; the letter would show boxes.
    #[error("{field} has characters the letter's font cannot print: {chars}")]
    Unprintable {
        /// Which field.
        field: &'static str,
        /// The characters, once each.
        chars: String,
    },
    /// A field the letter must state is empty.
    #[error("{field} is empty; the letter must state it")]
    Missing {
        /// Which field.
        field: &'static str,
    },
    /// The PDF writer failed (never the user's input).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

struct Face {
    font: Font,
    data: FontRef<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Face, LetterError> {
        let font = Font::new(bytes.into(), 0)
            .ok_or_else(|| LetterError::Pdf("the embedded font does not load".to_owned()))?;
        let data = FontRef::new(bytes).map_err(|e| LetterError::Pdf(e.to_string()))?;
        Ok(Face { font, data })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.data.charmap();
        let metrics = self
            .data
            .glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(size)
            })
            .sum()
    }

    /// The characters of `text` the font has no glyph for.
    fn missing(&self, text: &str) -> String {
        let charmap = self.data.charmap();
        let mut out = String::new();
        for c in text.chars() {
            if !c.is_whitespace() && charmap.map(c).is_none() && !out.contains(c) {
                out.push(c);
            }
        }
        out
    }
}

fn size_of(style: Style) -> f32 {
    match style {
        Style::Letterhead => 16.0,
        Style::Title => 13.0,
        Style::Body => 11.0,
        Style::Small => 9.0,
    }
}

/// Lines of at most `width` points, broken between words (a word longer than a line stands alone).
fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && face.width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn check(facts: &LetterFacts, institution: &Institution, face: &Face) -> Result<(), LetterError> {
    let fields: [(&'static str, &str); 7] = [
        ("student name", &facts.student_name),
        ("student number", &facts.student_number),
        ("program", &facts.program),
        ("institution name", &institution.name),
        ("DLI number", &institution.dli_number),
        ("signatory name", &institution.signatory_name),
        ("signatory title", &institution.signatory_title),
    ];
    for (field, value) in fields {
        if value.trim().is_empty() {
            return Err(LetterError::Missing { field });
        }
        let chars = face.missing(value);
        if !chars.is_empty() {
            return Err(LetterError::Unprintable { field, chars });
        }
    }
    if facts.work_terms.is_empty() {
        return Err(LetterError::Missing {
            field: "work terms",
        });
    }
    for line in &institution.address {
        let chars = face.missing(line);
        if !chars.is_empty() {
            return Err(LetterError::Unprintable {
                field: "institution address",
                chars,
            });
        }
    }
    Ok(())
}

/// The letter as PDF bytes.
pub fn render(institution: &Institution, facts: &LetterFacts) -> Result<Vec<u8>, LetterError> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    check(facts, institution, &regular)?;
    let blocks = wording::blocks(institution, facts);
    let mut document = Document::new();
    document.set_metadata(metadata(institution, facts));
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| LetterError::Pdf("bad page size".to_owned()))?;
    let mut pages = paginate(&blocks, &regular, &bold).into_iter().peekable();
    let qr = qr_modules(&facts.verification.url)?;
    let mut first = true;
    while let Some(lines) = pages.next() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        if std::mem::take(&mut first) {
            draw_qr(&mut surface, &qr);
        }
        for (style, y, text) in lines {
            let face = if matches!(style, Style::Letterhead | Style::Title) {
                &bold
            } else {
                &regular
            };
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                face.font.clone(),
                size_of(style),
                &text,
                false,
                TextDirection::Auto,
            );
        }
        surface.finish();
        page.finish();
        if pages.peek().is_none() {
            break;
        }
    }
    document
        .finish()
        .map_err(|e| LetterError::Pdf(format!("{e:?}")))
}

/// The QR code of `url`: its side in modules and the dark ones, row by row.
fn qr_modules(url: &str) -> Result<(usize, Vec<bool>), LetterError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| LetterError::Pdf(format!("the verification address as a QR code: {e}")))?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

/// Draws the QR code as black squares (a vector, sharp at any print size).
fn draw_qr(surface: &mut krilla::surface::Surface<'_>, (width, dark): &(usize, Vec<bool>)) {
    if *width == 0 {
        return;
    }
    let module = QR_SIDE / *width as f32;
    let left = PAGE_WIDTH - MARGIN + 8.0 - QR_SIDE;
    let top = (MARGIN - QR_SIDE) / 2.0;
    let mut path = krilla::geom::PathBuilder::new();
    for (index, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (row, column) = (index / width, index % width);
        if let Some(rect) = krilla::geom::Rect::from_xywh(
            left + column as f32 * module,
            top + row as f32 * module,
            module,
            module,
        ) {
            path.push_rect(rect);
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(krilla::paint::Fill::default()));
        surface.draw_path(&path);
    }
}

/// Each page's lines: (style, baseline, text).
fn paginate(blocks: &[Block], regular: &Face, bold: &Face) -> Vec<Vec<(Style, f32, String)>> {
    let mut pages = vec![Vec::new()];
    let mut y = MARGIN;
    for block in blocks {
        let size = size_of(block.style);
        let face = if matches!(block.style, Style::Letterhead | Style::Title) {
            bold
        } else {
            regular
        };
        y += f32::from(block.space_before);
        for line in wrap(face, &block.text, size, PAGE_WIDTH - 2.0 * MARGIN) {
            let leading = size * 1.4;
            if y + leading > PAGE_HEIGHT - MARGIN {
                pages.push(Vec::new());
                y = MARGIN;
            }
            y += leading;
            if let Some(page) = pages.last_mut() {
                page.push((block.style, y, line));
            }
        }
    }
    pages
}

fn metadata(institution: &Institution, facts: &LetterFacts) -> Metadata {
    use chrono::Datelike;
    let date = DateTime::new(u16::try_from(facts.date.year()).unwrap_or(1970))
        .month(u8::try_from(facts.date.month()).unwrap_or(1))
        .day(u8::try_from(facts.date.day()).unwrap_or(1));
    Metadata::new()
        .title(format!(
            "{} — {}",
            wording::title(facts.regime),
            facts.student_name
        ))
        .authors(vec![institution.name.clone()])
        .creator("coop-permits".to_owned())
        .language("en-CA".to_owned())
        .creation_date(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wording::tests::{facts, institution};
    use coop_core::regime::Regime;

    fn text_of(pdf: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
        // Extraction may join or break words wherever a line was set: compare without spaces.
        text.split_whitespace().collect()
    }

    fn says(text: &str, expected: &str) -> bool {
        text.contains(&expected.split_whitespace().collect::<String>())
    }

    #[test]
    fn the_pdf_reads_back_with_every_fact() {
        let pdf = render(&institution(), &facts(Regime::StudyPermitPlacement)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = text_of(&pdf);
        for expected in [
            "Work Placement Letter",
            "Example Polytechnic University",
            "Amélie Zhang",
            "100200300",
            "Diploma in Computer Information Systems",
            "full-time",
            "(24 months)",
            "8 of its 24 months (34% of the program)",
            "4 January 2027 to 30 April 2027",
            "O19319227452",
            "Pat Advisor",
        ] {
            assert!(says(&text, expected), "missing {expected:?} in {text}");
        }
    }

    #[test]
    fn the_verification_address_is_a_scannable_qr_code() {
        let f = facts(Regime::StudyPermitPlacement);
        let (width, dark) = qr_modules(&f.verification.url).unwrap();
        // A QR code of version 1 or more: 21 modules a side, 4 more per version.
        assert!(width >= 21 && (width - 21) % 4 == 0, "{width}");
        assert_eq!(dark.len(), width * width);
        // The three finder patterns: a dark 7×7 ring in the top-left, top-right and bottom-left
        // corners, with a light ring inside.
        for (row0, col0) in [(0, 0), (0, width - 7), (width - 7, 0)] {
            for i in 0..7 {
                for (r, c) in [(0, i), (6, i), (i, 0), (i, 6)] {
                    assert!(
                        dark[(row0 + r) * width + col0 + c],
                        "finder at {row0},{col0}"
                    );
                }
            }
            assert!(!dark[(row0 + 1) * width + col0 + 1]);
            assert!(dark[(row0 + 3) * width + col0 + 3]);
        }
        // Modules at least 1.8 points: printed, about 0.6 mm, which phones read.
        assert!(
            QR_SIDE / width as f32 >= 1.8,
            "{width} modules in {QR_SIDE} points"
        );
        let text = text_of(&render(&institution(), &f).unwrap());
        assert!(
            says(
                &text,
                "https://coop.example.ca/verify/Hq3v9TzK2mWc7YpR4sLx8A"
            ),
            "{text}"
        );
        assert!(
            says(&text, "verification code Hq3v9TzK2mWc7YpR4sLx8A"),
            "{text}"
        );
    }

    #[test]
    fn the_g1_letter_reads_back_with_its_title() {
        let pdf = render(&institution(), &facts(Regime::CoopWorkPermit)).unwrap();
        let text = text_of(&pdf);
        assert!(says(&text, "Co-op Work Permit Letter"));
        assert!(says(&text, "needs a co-op work permit"));
    }

    #[test]
    fn the_font_is_embedded_not_referenced() {
        let pdf = render(&institution(), &facts(Regime::StudyPermitPlacement)).unwrap();
        assert!(embeds_truetype(&pdf), "no embedded font program in the PDF");
    }

    /// A TrueType program is embedded when a font descriptor points at a `FontFile2` stream.
    fn embeds_truetype(pdf: &[u8]) -> bool {
        pdf.windows(b"/FontFile2".len()).any(|w| w == b"/FontFile2")
    }

    #[test]
    fn long_text_wraps_inside_the_margins() {
        let face = Face::load(REGULAR).unwrap();
        let long = "word ".repeat(200);
        let lines = wrap(&face, &long, 11.0, PAGE_WIDTH - 2.0 * MARGIN);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(face.width(line, 11.0) <= PAGE_WIDTH - 2.0 * MARGIN);
        }
        assert_eq!(lines.join(" "), long.trim());
    }

    #[test]
    fn a_letter_that_does_not_fit_one_page_continues_on_the_next() {
        let mut f = facts(Regime::StudyPermitPlacement);
        let start = f.work_terms.first().copied().unwrap();
        f.work_terms = vec![start; 60];
        let pdf = render(&institution(), &f).unwrap();
        let regular = Face::load(REGULAR).unwrap();
        let bold = Face::load(BOLD).unwrap();
        let pages = paginate(&wording::blocks(&institution(), &f), &regular, &bold);
        assert!(pages.len() >= 2);
        for page in &pages {
            for (_, y, _) in page {
                assert!(*y <= PAGE_HEIGHT - MARGIN);
            }
        }
        assert!(says(&text_of(&pdf), "Pat Advisor"));
    }

    #[test]
    fn unprintable_and_missing_fields_are_refused_by_name() {
        let mut f = facts(Regime::StudyPermitPlacement);
        f.student_name = "王小明".to_owned();
        assert_eq!(
            render(&institution(), &f),
            Err(LetterError::Unprintable {
                field: "student name",
                chars: "王小明".to_owned()
            })
        );
        let mut f = facts(Regime::StudyPermitPlacement);
        f.program = "  ".to_owned();
        assert_eq!(
            render(&institution(), &f),
            Err(LetterError::Missing { field: "program" })
        );
        let mut f = facts(Regime::StudyPermitPlacement);
        f.work_terms.clear();
        assert_eq!(
            render(&institution(), &f),
            Err(LetterError::Missing {
                field: "work terms"
            })
        );
    }
}
