//! The answer: what the rules say about the student's situation today, sentence by sentence,
//! each citing its rule, with what to do next.

use chrono::{DateTime, Utc};
use coop_core::Evaluation;
use coop_core::explain::{self, date};
use coop_core::regime::Regime;
use coop_core::time::Zone;
use leptos::prelude::*;

/// The whole answer for one evaluation.
#[component]
pub fn Results(
    evaluation: Evaluation,
    zone: Zone,
    now: Signal<Option<DateTime<Utc>>>,
) -> impl IntoView {
    let e = evaluation;
    let cleared = e.job_access.cleared;
    let job_reasons = e
        .job_access
        .reasons
        .iter()
        .map(|r| {
            let x = explain::reason(r);
            view! {
                <li data-reason=r.code()>
                    <span class="reason">{x.text}</span>
                    " "
                    <span class="action">{x.action}</span>
                </li>
            }
        })
        .collect_view();
    let basis = match e.work_authorization.basis {
        Some(coop_core::authorization::Basis::CoopWorkPermit) => Some(
            "Your verified co-op work permit (or IRCC approval letter) authorizes the placement (W1).",
        ),
        Some(coop_core::authorization::Basis::StudyPermit) => {
            Some("Your study permit authorizes the required placement (W2).")
        }
        None => None,
    };
    let letter = if e.letter.eligible {
        "You can request the co-op letter; the co-op office reviews every request (L1, L2)."
            .to_owned()
    } else {
        let reasons: Vec<&str> = e
            .letter
            .reasons
            .iter()
            .map(|r| explain::reason(r).text)
            .collect();
        format!(
            "You cannot request the co-op letter yet: {}",
            reasons.join(" ")
        )
    };
    let letter_warning = (!e.letter.warnings.is_empty()).then_some(
        "You will also need a study permit valid today or held under maintained status (L3).",
    );
    let deadline = coop_api::status::DeadlineText::next(&e, &zone)
        .map(|text| view! { <crate::components::deadline::DeadlineCard text now/> });
    let planning = e.planning.map(|p| {
        let text = match (e.regime, p.apply_by, p.decision_earliest, p.decision_latest) {
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
        };
        view! { <p>{text}</p> }
    });
    let extend = if e.extend_both {
        Some(
            "Your study permit expires before your work term ends: extend both your study permit and your co-op work permit together (V2, V1).",
        )
    } else if e.extend_study_permit {
        Some("Your study permit expires before your work term ends: apply to extend it (V2).")
    } else {
        None
    };
    let reminders = coop_api::status::reminder_lines(&e);
    let reminders = (!reminders.is_empty())
        .then(|| view! { <crate::components::deadline::RemindersCard lines=reminders/> });
    view! {
        <section class="card verdict" data-cleared=cleared.to_string() aria-labelledby="verdict-title">
            <h3 id="verdict-title">
                {if cleared { "You are cleared for co-op jobs (J)." } else { "You are not cleared for co-op jobs yet (J)." }}
            </h3>
            {basis.map(|b| view! { <p>{b}</p> })}
            {(!cleared).then(|| view! { <ul class="reasons">{job_reasons}</ul> })}
        </section>
        <section class="card" data-regime=e.regime.code() aria-labelledby="regime-title">
            <h3 id="regime-title">{format!("The rules today, {} (T2)", date(e.today))}</h3>
            <p>{explain::regime(e.regime)}</p>
        </section>
        {deadline}
        <section class="card" aria-labelledby="documents-title">
            <h3 id="documents-title">"Your documents"</h3>
            <dl class="documents">
                <dt>"Co-op work permit or approval letter"</dt>
                <dd data-state=e.coop_work_permit.state.code()>{explain::document(&e.coop_work_permit)}</dd>
                <dt>"Study permit"</dt>
                <dd data-state=e.study_permit.state.code()>{explain::document(&e.study_permit)}</dd>
            </dl>
            {extend.map(|t| view! { <p class="advice">{t}</p> })}
        </section>
        <section class="card" data-letter-eligible=e.letter.eligible.to_string() aria-labelledby="letter-title">
            <h3 id="letter-title">"The co-op letter"</h3>
            <p>{letter}</p>
            {letter_warning.map(|w| view! { <p class="warning">{w}</p> })}
        </section>
        {planning.map(|p| view! {
            <section class="card" aria-labelledby="planning-title">
                <h3 id="planning-title">"Your next work term"</h3>
                {p}
            </section>
        })}
        {reminders}
        <p class="advisors">{explain::ADVISORS}</p>
    }
}
