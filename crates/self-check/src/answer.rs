//! The answer's HTML: what the rules say about the student's situation today, sentence by
//! sentence, each citing its rule, with what to do next — or why there is no answer yet.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use coop_core::Evaluation;
use coop_core::authorization::Basis;
use coop_core::explain::{self, date};
use coop_core::regime::Regime;
use coop_core::time::Zone;

use crate::html::{attr, element, text};

/// Before the rules run (the server's page, or a browser without WebAssembly).
pub const LOADING: &str =
    "<p class=\"loading\">Loading the rules… (this needs JavaScript and WebAssembly)</p>";
/// When the form cannot be read as a case.
pub const INCOMPLETE: &str = "<p class=\"incomplete\">Some answers above need a look: see the messages beside the fields.</p>";

/// A note in place of the answer (the zone's rules being fetched, or not fetchable).
pub fn waiting(message: &str) -> String {
    let mut out = String::new();
    element(&mut out, "p", " class=\"loading\"", message);
    out
}

/// The whole answer for one evaluation, sentence by sentence, each citing its rule. The
/// countdown is left empty (`data-deadline` holds its instant): the page ticks it.
pub fn results(e: &Evaluation, zone: &Zone) -> String {
    let mut out = String::with_capacity(4_000);
    let o = &mut out;
    let cleared = e.job_access.cleared;
    let _ = write!(
        o,
        "<section class=\"card verdict\" data-cleared=\"{cleared}\" aria-labelledby=\"verdict-title\"><h3 id=\"verdict-title\">"
    );
    o.push_str(if cleared {
        "You are cleared for co-op jobs (J)."
    } else {
        "You are not cleared for co-op jobs yet (J)."
    });
    o.push_str("</h3>");
    let basis = match e.work_authorization.basis {
        Some(Basis::CoopWorkPermit) => Some(
            "Your verified co-op work permit (or IRCC approval letter) authorizes the placement (W1).",
        ),
        Some(Basis::StudyPermit) => {
            Some("Your study permit authorizes the required placement (W2).")
        }
        None => None,
    };
    if let Some(basis) = basis {
        element(o, "p", "", basis);
    }
    if !cleared {
        o.push_str("<ul class=\"reasons\">");
        for reason in e.job_access.reasons.iter() {
            let x = explain::reason(reason);
            let _ = write!(
                o,
                "<li data-reason=\"{}\"><span class=\"reason\">",
                reason.code()
            );
            text(o, x.text);
            o.push_str("</span> <span class=\"action\">");
            text(o, x.action);
            o.push_str("</span></li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>");
    let _ = write!(
        o,
        "<section class=\"card\" data-regime=\"{}\" aria-labelledby=\"regime-title\">",
        e.regime.code()
    );
    element(
        o,
        "h3",
        " id=\"regime-title\"",
        &format!("The rules today, {} (T2)", date(e.today)),
    );
    element(o, "p", "", explain::regime(e.regime));
    o.push_str("</section>");
    if let Some(text) = coop_api::status::DeadlineText::next(e, zone) {
        deadline_card(o, &text);
    }
    documents(o, e);
    letter(o, e);
    if let Some(text) = planning(e) {
        o.push_str("<section class=\"card\" aria-labelledby=\"planning-title\"><h3 id=\"planning-title\">Your next work term</h3>");
        element(o, "p", "", &text);
        o.push_str("</section>");
    }
    let reminders = coop_api::status::reminder_lines(e);
    if !reminders.is_empty() {
        o.push_str("<section class=\"card\" aria-labelledby=\"reminders-title\"><h3 id=\"reminders-title\">Reminder dates (R1)</h3><ul>");
        for line in &reminders {
            element(o, "li", "", line);
        }
        o.push_str("</ul></section>");
    }
    element(o, "p", " class=\"advisors\"", explain::ADVISORS);
    out
}

/// The next T4 deadline in three zones, with its countdown (ticked by the page).
fn deadline_card(o: &mut String, t: &coop_api::status::DeadlineText) {
    o.push_str("<section class=\"card deadline\" aria-labelledby=\"deadline-title\">");
    element(o, "h3", " id=\"deadline-title\"", &t.title);
    element(o, "p", "", &t.intro);
    o.push_str("<ul class=\"times\">");
    for time in &t.times {
        element(o, "li", "", time);
    }
    o.push_str("</ul>");
    if coop_core::datetime_text::parse_rfc3339(&t.deadline_utc).is_some() {
        o.push_str(
            "<p class=\"countdown\" role=\"timer\" aria-label=\"Time left before the deadline\"",
        );
        attr(o, "data-deadline", &t.deadline_utc);
        o.push_str("></p>");
    }
    element(o, "p", "", &t.recommended);
    o.push_str("</section>");
}

fn documents(o: &mut String, e: &Evaluation) {
    o.push_str("<section class=\"card\" aria-labelledby=\"documents-title\"><h3 id=\"documents-title\">Your documents</h3><dl class=\"documents\">");
    o.push_str("<dt>Co-op work permit or approval letter</dt>");
    element(
        o,
        "dd",
        &format!(" data-state=\"{}\"", e.coop_work_permit.state.code()),
        &explain::document(&e.coop_work_permit),
    );
    o.push_str("<dt>Study permit</dt>");
    element(
        o,
        "dd",
        &format!(" data-state=\"{}\"", e.study_permit.state.code()),
        &explain::document(&e.study_permit),
    );
    o.push_str("</dl>");
    let extend = if e.extend_both {
        Some(
            "Your study permit expires before your work term ends: extend both your study permit and your co-op work permit together (V2, V1).",
        )
    } else if e.extend_study_permit {
        Some("Your study permit expires before your work term ends: apply to extend it (V2).")
    } else {
        None
    };
    if let Some(extend) = extend {
        element(o, "p", " class=\"advice\"", extend);
    }
    o.push_str("</section>");
}

fn letter(o: &mut String, e: &Evaluation) {
    let _ = write!(
        o,
        "<section class=\"card\" data-letter-eligible=\"{}\" aria-labelledby=\"letter-title\"><h3 id=\"letter-title\">The co-op letter</h3>",
        e.letter.eligible
    );
    if e.letter.eligible {
        element(
            o,
            "p",
            "",
            "You can request the co-op letter; the co-op office reviews every request (L1, L2).",
        );
    } else {
        let reasons: Vec<&str> = e
            .letter
            .reasons
            .iter()
            .map(|r| explain::reason(r).text)
            .collect();
        element(
            o,
            "p",
            "",
            &format!(
                "You cannot request the co-op letter yet: {}",
                reasons.join(" ")
            ),
        );
    }
    if !e.letter.warnings.is_empty() {
        element(
            o,
            "p",
            " class=\"warning\"",
            "You will also need a study permit valid today or held under maintained status (L3).",
        );
    }
    o.push_str("</section>");
}

fn planning(e: &Evaluation) -> Option<String> {
    let p = e.planning?;
    Some(
        match (e.regime, p.apply_by, p.decision_earliest, p.decision_latest) {
            (Regime::CoopWorkPermit, Some(by), Some(from), Some(to)) => {
                let mut text = format!(
                    "To hold a co-op work permit when your work term starts on {}, apply by {} (P2). Applying today, expect a decision between {} and {} (P1, P2).",
                    date(p.term_start),
                    date(by),
                    date(from),
                    date(to)
                );
                if p.late_for_work_term {
                    text.push_str(" You are past that date: the permit may not arrive in time for this work term (P3).");
                }
                text
            }
            _ => format!(
                "Your next work term starts on {}. No separate permit application is needed for it under the study permit (G2); the conditions above must hold (W2).",
                date(p.term_start)
            ),
        },
    )
}

/// The deadline a drawn answer counts down to.
pub fn countdown_deadline(value: &str) -> Option<DateTime<Utc>> {
    coop_core::datetime_text::parse_rfc3339(value)
}
