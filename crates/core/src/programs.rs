//! The institution's programs: W2f's facts kept under a code and a name. One check for every
//! door — the staff's page, the API, the CSV import — and the words staff read about why a
//! program does or does not qualify for a placement under the study permit.

use crate::authorization::program_eligible;
use crate::case::Program;
use crate::text_limits::{TextLimit, TextProblem};

/// A program code: 1 to 20 letters, digits, `-`, `_` or `.`, kept in capitals ("BBA").
pub const CODE_MAX_CHARS: usize = 20;

/// The longest program, in months (as `check-format.md` reads them).
pub const MONTHS_MAX: u32 = 1200;

/// A program's name, e.g. "Bachelor of Business Administration".
pub const NAME: TextLimit = TextLimit {
    field: "name",
    max_chars: 200,
    required: true,
    what: "the program's name",
};

/// A catalogue entry: its code, its name and W2f's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramEntry {
    pub code: String,
    pub name: String,
    pub facts: Program,
}

/// The code as stored (capitals, trimmed), or what is wrong with it.
pub fn normalize_code(text: &str) -> Result<String, TextProblem> {
    let code = text.trim().to_ascii_uppercase();
    let shape_ok = !code.is_empty()
        && code.chars().count() <= CODE_MAX_CHARS
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if shape_ok {
        Ok(code)
    } else {
        Err(TextProblem {
            field: "code",
            message: format!(
                "a program code is 1 to {CODE_MAX_CHARS} letters, digits, '-', '_' or '.', e.g. BBA"
            ),
        })
    }
}

/// Every problem with a program's facts, by field (empty when they can be kept).
pub fn check_facts(facts: &Program) -> Vec<TextProblem> {
    let mut problems = Vec::new();
    if facts.months == 0 || facts.months > MONTHS_MAX {
        problems.push(TextProblem {
            field: "months",
            message: format!("the program's length is 1 to {MONTHS_MAX} months"),
        });
    }
    if facts.work_months > facts.months {
        problems.push(TextProblem {
            field: "work_months",
            message: format!(
                "the work placement ({} months) cannot be longer than the program ({} months)",
                facts.work_months, facts.months
            ),
        });
    }
    problems
}

/// The share of the program that is work, in whole percent (rounded up: a letter never
/// understates it).
pub fn work_percent(facts: &Program) -> u32 {
    if facts.months == 0 {
        return 0;
    }
    let share = u64::from(facts.work_months) * 100;
    u32::try_from(share.div_ceil(u64::from(facts.months))).unwrap_or(u32::MAX)
}

/// Why a program does not qualify for a placement under the study permit (W2f), each part in
/// words; empty when it does.
pub fn why_not_eligible(facts: &Program) -> Vec<String> {
    if program_eligible(facts) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !facts.credential {
        out.push("it leads to no degree, diploma or certificate".to_owned());
    }
    if facts.months < 6 {
        out.push(format!("it lasts {} months, under 6", facts.months));
    }
    if !facts.placement_required {
        out.push("the work placement is not required".to_owned());
    }
    if facts.language_or_preparatory {
        out.push("it is language, general-interest or preparatory training".to_owned());
    }
    if u64::from(facts.work_months) * 2 > u64::from(facts.months) {
        out.push(format!(
            "work is more than half of it ({} of {} months)",
            facts.work_months, facts.months
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(months: u32, work_months: u32) -> Program {
        Program {
            credential: true,
            months,
            work_months,
            placement_required: true,
            language_or_preparatory: false,
        }
    }

    #[test]
    fn codes_are_kept_in_capitals_and_checked() {
        assert_eq!(normalize_code(" bba ").ok().as_deref(), Some("BBA"));
        assert_eq!(
            normalize_code("dip-cis.2").ok().as_deref(),
            Some("DIP-CIS.2")
        );
        for bad in ["", "   ", "B A", "BBA/2", "É", &"X".repeat(21)] {
            assert_eq!(
                normalize_code(bad).map_err(|p| p.field),
                Err("code"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn facts_are_checked_by_field() {
        assert!(check_facts(&program(48, 12)).is_empty());
        let fields: Vec<&str> = check_facts(&program(0, 3))
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["months", "work_months"]);
        assert_eq!(check_facts(&program(1201, 0))[0].field, "months");
    }

    #[test]
    fn eight_work_months_of_twelve_is_not_eligible_and_says_why() {
        let facts = program(12, 8);
        assert!(!program_eligible(&facts));
        assert_eq!(
            why_not_eligible(&facts),
            ["work is more than half of it (8 of 12 months)"]
        );
        assert!(why_not_eligible(&program(12, 6)).is_empty());
        let every = Program {
            credential: false,
            months: 4,
            work_months: 3,
            placement_required: false,
            language_or_preparatory: true,
        };
        assert_eq!(why_not_eligible(&every).len(), 5);
    }

    #[test]
    fn the_work_share_is_never_understated() {
        assert_eq!(work_percent(&program(48, 12)), 25);
        assert_eq!(work_percent(&program(24, 8)), 34);
        assert_eq!(work_percent(&program(12, 6)), 50);
    }
}
