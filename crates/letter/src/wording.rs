//! What the letter says. The institution's details and signatory come from configuration; the
//! student's from their record; the title and the sentence about authorization from the regime
//! in force on the day of issue (G1 or G2).

use chrono::NaiveDate;
use coop_core::regime::Regime;

/// The institution, as configured by the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    /// Legal name, e.g. "Kwantlen Polytechnic University".
    pub name: String,
    /// Postal address, one line each.
    pub address: Vec<String>,
    /// IRCC's designated learning institution number, e.g. "O19319227452".
    pub dli_number: String,
    /// Who signs for the co-op office.
    pub signatory_name: String,
    /// Their title, e.g. "Manager, Co-operative Education".
    pub signatory_title: String,
}

/// What the letter states about the student and the placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFacts {
    /// The date of issue.
    pub date: NaiveDate,
    /// G3 on that date.
    pub regime: Regime,
    /// Legal name.
    pub student_name: String,
    pub student_number: String,
    /// Program and credential, e.g. "Diploma in Computer Information Systems".
    pub program: String,
    /// The program's length and its months of work placement (the catalogue's facts, W2f).
    pub program_months: u32,
    pub work_months: u32,
    /// W2e.
    pub full_time: bool,
    /// The work terms (start, end), in order.
    pub work_terms: Vec<(NaiveDate, NaiveDate)>,
    /// Where a reader checks that the letter is genuine and still stands.
    pub verification: Verification,
}

/// A letter's verification: its code, and the address that checks it (also as a QR code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub code: String,
    /// `<public-url>/verify/<code>`.
    pub url: String,
}

/// The share of the program that is work, in whole percent, never understated.
pub fn work_percent(facts: &LetterFacts) -> u32 {
    coop_core::programs::work_percent(&coop_core::case::Program {
        credential: true,
        months: facts.program_months,
        work_months: facts.work_months,
        placement_required: true,
        language_or_preparatory: false,
    })
}

/// How a block of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The institution's name at the top.
    Letterhead,
    /// The letter's title.
    Title,
    /// Body text.
    Body,
    /// Small print under the letterhead.
    Small,
}

/// One paragraph (or line) and the space before it, in points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub style: Style,
    pub text: String,
    pub space_before: u16,
}

/// The letter's title under a regime.
pub fn title(regime: Regime) -> &'static str {
    match regime {
        Regime::CoopWorkPermit => "Co-op Work Permit Letter",
        Regime::StudyPermitPlacement => "Work Placement Letter",
    }
}

/// "27 November 2026".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The letter, block by block, top to bottom.
pub fn blocks(institution: &Institution, facts: &LetterFacts) -> Vec<Block> {
    let block = |style, space_before, text: String| Block {
        style,
        text,
        space_before,
    };
    let mut out = vec![block(Style::Letterhead, 0, institution.name.clone())];
    out.extend(
        institution
            .address
            .iter()
            .map(|line| block(Style::Small, 0, line.clone())),
    );
    out.push(block(
        Style::Small,
        0,
        format!(
            "Designated learning institution number {}",
            institution.dli_number
        ),
    ));
    out.push(block(Style::Body, 28, long_date(facts.date)));
    out.push(block(Style::Title, 20, title(facts.regime).to_owned()));
    let addressee = match facts.regime {
        Regime::CoopWorkPermit => "To Immigration, Refugees and Citizenship Canada:",
        Regime::StudyPermitPlacement => "To whom it may concern:",
    };
    out.push(block(Style::Body, 14, addressee.to_owned()));
    let load = if facts.full_time {
        "full-time"
    } else {
        "part-time"
    };
    out.push(block(
        Style::Body,
        10,
        format!(
            "This letter confirms that {} (student number {}) is enrolled as a {load} student in the {} program ({} months) at {}, a designated learning institution (DLI number {}).",
            facts.student_name,
            facts.student_number,
            facts.program,
            facts.program_months,
            institution.name,
            institution.dli_number
        ),
    ));
    out.push(block(
        Style::Body,
        10,
        format!(
            "A work placement is a required part of this program: its work placements make up {} of its {} months ({}% of the program).",
            facts.work_months,
            facts.program_months,
            work_percent(facts)
        ),
    ));
    let terms = if facts.work_terms.len() == 1 {
        "The student's work term is:"
    } else {
        "The student's work terms are:"
    };
    out.push(block(Style::Body, 10, terms.to_owned()));
    out.extend(facts.work_terms.iter().map(|(start, end)| {
        block(
            Style::Body,
            2,
            format!("• {} to {}", long_date(*start), long_date(*end)),
        )
    }));
    let purpose = match facts.regime {
        Regime::CoopWorkPermit => {
            "The student needs a co-op work permit to complete the work placement; this letter supports their application."
        }
        Regime::StudyPermitPlacement => {
            "Under the rules in force since 1 April 2026, a required placement of a post-secondary program is done under the student's study permit."
        }
    };
    out.push(block(Style::Body, 10, purpose.to_owned()));
    out.push(block(Style::Body, 20, "Sincerely,".to_owned()));
    out.push(block(Style::Body, 40, institution.signatory_name.clone()));
    out.push(block(Style::Body, 0, institution.signatory_title.clone()));
    out.push(block(Style::Body, 0, institution.name.clone()));
    out.push(block(
        Style::Small,
        24,
        format!(
            "Check that this letter is genuine and still stands: {} (verification code {}). The page shows what the letter states, and whether the co-op office has revoked it.",
            facts.verification.url, facts.verification.code
        ),
    ));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    pub(crate) fn institution() -> Institution {
        Institution {
            name: "Example Polytechnic University".to_owned(),
            address: vec![
                "12666 72 Avenue".to_owned(),
                "Surrey, BC V3W 2M8".to_owned(),
            ],
            dli_number: "O19319227452".to_owned(),
            signatory_name: "Pat Advisor".to_owned(),
            signatory_title: "Manager, Co-operative Education".to_owned(),
        }
    }

    pub(crate) fn facts(regime: Regime) -> LetterFacts {
        LetterFacts {
            date: d(2026, 11, 27),
            regime,
            student_name: "Amélie Zhang".to_owned(),
            student_number: "100200300".to_owned(),
            program: "Diploma in Computer Information Systems".to_owned(),
            program_months: 24,
            work_months: 8,
            full_time: true,
            work_terms: vec![(d(2027, 1, 4), d(2027, 4, 30))],
            verification: Verification {
                code: "Hq3v9TzK2mWc7YpR4sLx8A".to_owned(),
                url: "https://coop.example.ca/verify/Hq3v9TzK2mWc7YpR4sLx8A".to_owned(),
            },
        }
    }

    fn all_text(blocks: &[Block]) -> String {
        blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_title_and_purpose_follow_the_regime() {
        let g1 = all_text(&blocks(&institution(), &facts(Regime::CoopWorkPermit)));
        assert!(g1.contains("Co-op Work Permit Letter"));
        assert!(g1.contains("needs a co-op work permit"));
        assert!(g1.contains("Immigration, Refugees and Citizenship Canada"));
        let g2 = all_text(&blocks(
            &institution(),
            &facts(Regime::StudyPermitPlacement),
        ));
        assert!(g2.contains("Work Placement Letter"));
        assert!(g2.contains("under the student's study permit"));
        assert!(!g2.contains("Co-op Work Permit Letter"));
    }

    #[test]
    fn every_fact_the_issue_lists_is_stated() {
        let text = all_text(&blocks(
            &institution(),
            &facts(Regime::StudyPermitPlacement),
        ));
        for expected in [
            "Example Polytechnic University",
            "Surrey, BC V3W 2M8",
            "27 November 2026",
            "Amélie Zhang",
            "student number 100200300",
            "Diploma in Computer Information Systems",
            "full-time student",
            "required part of this program",
            "(24 months)",
            "make up 8 of its 24 months (34% of the program)",
            "https://coop.example.ca/verify/Hq3v9TzK2mWc7YpR4sLx8A",
            "4 January 2027 to 30 April 2027",
            "DLI number O19319227452",
            "Pat Advisor",
            "Manager, Co-operative Education",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
    }

    #[test]
    fn a_part_time_student_is_not_called_full_time() {
        let mut f = facts(Regime::StudyPermitPlacement);
        f.full_time = false;
        let text = all_text(&blocks(&institution(), &f));
        assert!(text.contains("part-time student"));
        assert!(!text.contains("full-time"));
    }
}
