//! Plain-language sentences for students, each citing its rule ID. The browser, the server's
//! pages and (later) e-mails all use these, so the law is worded once.
//!
//! They inform; they do not advise. Anything that calls for a judgement points to the
//! institution's international student advisors.

use chrono::NaiveDate;

use crate::reasons::Reason;
use crate::regime::Regime;
use crate::status::{DocumentState, DocumentStatus};

/// "15 Dec 2026".
pub fn date(d: NaiveDate) -> String {
    crate::datetime_text::date_words(d)
}

/// What blocks the student, and what fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    /// The fact, citing its rule.
    pub text: &'static str,
    /// What to do next.
    pub action: &'static str,
}

/// A reason in words.
pub fn reason(reason: Reason) -> Explanation {
    let (text, action) = match reason {
        Reason::NotInCoopProgram => (
            "You are not in the Co-op program (L1, J1).",
            "Apply to the Co-op program through the co-op office.",
        ),
        Reason::Coop1101NotRegistered => (
            "You have not registered in or completed COOP 1101 (L2).",
            "Register in COOP 1101; you can request the letter once you are registered.",
        ),
        Reason::ContinuanceNotMet => (
            "Your program's continuance requirements are not met yet (J2).",
            "Ask your co-op coordinator which requirements remain.",
        ),
        Reason::NoCoopWorkPermit => (
            "No co-op work permit or IRCC approval letter is on file (W1).",
            "Request the co-op letter, apply to IRCC, then submit the permit or approval letter.",
        ),
        Reason::CoopWorkPermitUnverified => (
            "Your co-op work permit has not been verified by the co-op office yet (W1, S8).",
            "Submit the permit (or approval letter); staff verify it.",
        ),
        Reason::CoopWorkPermitExpired => (
            "Your co-op work permit no longer authorizes work (W1, M2).",
            "Do not work in a placement; talk to an international student advisor.",
        ),
        Reason::CoopWorkPermitRestoration => (
            "Your co-op work permit is in restoration: no work until it is restored (W1, M2).",
            "Do not work until IRCC restores your status; an international student advisor can help.",
        ),
        Reason::CoopWorkPermitRefused => (
            "IRCC refused the extension of your co-op work permit (W1, M3).",
            "Stop working; restoration is possible within 90 days of the refusal. Talk to an international student advisor.",
        ),
        Reason::StudyPermitNotValid => (
            "You have no study permit valid today or held under maintained status (J4, W2a).",
            "Talk to an international student advisor about your study permit.",
        ),
        Reason::StudyPermitUnverified => (
            "Your study permit has not been verified by the co-op office yet (W2b).",
            "Submit your study permit; staff verify it.",
        ),
        Reason::NoOnCampusWorkCondition => (
            "Your study permit does not carry an on-campus work condition (W2c).",
            "Ask IRCC to amend the study permit (an amendment is free), then submit the new one.",
        ),
        Reason::NoPlacementLetter => (
            "The co-op office has not issued your work placement letter yet (W2d).",
            "Request the letter from the co-op office.",
        ),
        Reason::NotFullTime => (
            "You are not studying full-time (W2e; at KPU, 9 credits or more).",
            "Talk to your program advisor about a full-time course load.",
        ),
        Reason::ProgramNotEligible => (
            "Your program does not qualify for a placement under the study permit (W2f).",
            "Talk to the co-op office and an international student advisor.",
        ),
    };
    Explanation { text, action }
}

/// The regime in force, in words.
pub fn regime(regime: Regime) -> &'static str {
    match regime {
        Regime::CoopWorkPermit => {
            "A co-op placement needs a Co-op Work Permit from IRCC, never valid past your study permit (G1, V1)."
        }
        Regime::StudyPermitPlacement => {
            "Since 1 April 2026 IRCC no longer issues co-op work permits to post-secondary students: a required placement is done under your study permit when its conditions allow it (G2, W2). A co-op work permit you still hold keeps authorizing work (W1)."
        }
    }
}

/// The letter the co-op office issues under a regime (L), as a student calls it.
pub fn letter_name(regime: Regime) -> &'static str {
    match regime {
        Regime::CoopWorkPermit => "Co-op Work Permit Letter",
        Regime::StudyPermitPlacement => "work placement letter",
    }
}

/// What the letter is for under a regime, citing its rules.
pub fn letter_use(regime: Regime) -> &'static str {
    match regime {
        Regime::CoopWorkPermit => {
            "The co-op office's letter confirms that the placement is a required part of your program; you send it to IRCC with your application for a co-op work permit (L, G1)."
        }
        Regime::StudyPermitPlacement => {
            "The co-op office's letter confirms that the placement is a required part of your program; with it, the placement is done under your study permit (L, G2, W2d)."
        }
    }
}

/// L: who may request the letter.
pub const LETTER_RULES: &str = "You can request the letter when you are in the Co-op program (L1) and have registered in or completed COOP 1101 (L2). The co-op office reviews every request.";

pub fn document(status: &DocumentStatus) -> String {
    let Some(x) = status.expiry else {
        return if status.application_pending {
            "Not on file; an application to IRCC is pending.".to_owned()
        } else {
            "Not on file.".to_owned()
        };
    };
    let d = date(x.expires);
    match status.state {
        DocumentState::None => "Not on file.".to_owned(),
        DocumentState::Valid => format!("Valid through {d} (T3)."),
        DocumentState::ExpiringSoon => match x.days_left {
            0 => format!("Expires today, {d} (V3)."),
            1 => format!("Expires tomorrow, {d} (V3)."),
            n => format!("Expires on {d}: {n} days left (V3)."),
        },
        DocumentState::Maintained => format!(
            "Expired on {d}, but you applied in time: you keep its conditions while IRCC decides and you stay in Canada (maintained status, M1)."
        ),
        DocumentState::LeftCanada => format!(
            "Expired on {d}; maintained status ended when you left Canada (M4)."
        ),
        DocumentState::Refused => "IRCC refused the application to extend it (M3).".to_owned(),
        DocumentState::AwaitingNewDocument => {
            "IRCC approved the application (M3): submit the new document so the office can verify it.".to_owned()
        }
        DocumentState::Restoration => format!(
            "Expired on {d}, and the application came after the deadline: restoration, with no work or study until restored (M2)."
        ),
        DocumentState::OutOfStatus => format!("Expired on {d}: out of status (M2)."),
        DocumentState::Expired => format!(
            "Expired on {d} (T3). Restoration is possible within 90 days of expiry (M2)."
        ),
    }
}

/// What a reported application means, by when it was submitted (T4) — `None` when no document
/// of that kind is on file to compare with.
pub fn timeliness(timely: Option<bool>) -> &'static str {
    match timely {
        Some(true) => {
            "Submitted before the deadline, midnight UTC at the end of the expiry date (T4): if the document expires while IRCC decides, you keep its conditions as long as you stay in Canada (maintained status, M1)."
        }
        Some(false) => {
            "Submitted after the deadline, midnight UTC at the end of the expiry date (T4): there is no maintained status, and you may not work until your status is restored (restoration, M2). Talk to the international student advisors now."
        }
        None => {
            "Recorded. No document of that kind is on file, so the deadline (T4) cannot be checked yet: submit the document so the office can verify it."
        }
    }
}

/// What IRCC's decision on an application means (M3).
pub fn decision(approved: bool) -> &'static str {
    if approved {
        "IRCC approved the application (M3): submit the new document below so the co-op office can verify it (S1, S8)."
    } else {
        "IRCC refused the application (M3): the document's conditions end, so you may not work in a placement under it. Talk to the international student advisors now."
    }
}

/// Where students are sent for anything that needs a judgement.
pub const ADVISORS: &str = "This tool informs; it is not immigration advice. For your situation, talk to the international student advisors.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_cites_its_rules() {
        for r in Reason::ALL {
            let e = reason(*r);
            assert!(e.text.contains(r.rule().as_str()), "{r:?}: {}", e.text);
            assert!(!e.action.is_empty());
        }
    }

    #[test]
    fn regimes_cite_their_rule() {
        for r in [Regime::CoopWorkPermit, Regime::StudyPermitPlacement] {
            assert!(regime(r).contains(r.rule().as_str()));
        }
    }

    #[test]
    fn timeliness_cites_its_rules() {
        assert!(timeliness(Some(true)).contains("T4") && timeliness(Some(true)).contains("M1"));
        assert!(timeliness(Some(false)).contains("M2"));
        assert!(timeliness(None).contains("T4"));
    }

    #[test]
    fn dates_read_naturally() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()),
            "5 Dec 2026"
        );
    }
}
