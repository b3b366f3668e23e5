//! The next T4 deadline as a student reads it — in their zone, in Vancouver time and in UTC, with
//! a live countdown — worded once for the self-check (built in the browser) and the home page
//! (built on the server, which holds every zone's rules).

use chrono::{DateTime, Utc};
use coop_core::Evaluation;
use coop_core::case::DocumentFor;
use coop_core::datetime_text::{datetime_words, utc_seconds};
use coop_core::explain::date;
use coop_core::time::Zone;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::countdown::Countdown;

/// Everything the deadline card says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineText {
    pub title: String,
    pub intro: String,
    /// Your time, Vancouver time, UTC.
    pub times: Vec<String>,
    /// The instant, RFC 3339 in UTC, for the countdown.
    pub deadline_utc: String,
    pub recommended: String,
}

/// A document as a student calls it.
pub fn document_name(which: DocumentFor) -> &'static str {
    match which {
        DocumentFor::CoopWorkPermit => "co-op work permit",
        DocumentFor::StudyPermit => "study permit",
    }
}

/// The next T4 deadline of an evaluation for a student in `zone`, if a document is still
/// before its expiry.
pub fn next_deadline(e: &Evaluation, zone: &Zone) -> Option<DeadlineText> {
    let (which, status) = e.next_deadline()?;
    let x = status.expiry?;
    let name = document_name(which);
    let wall_clock = |zone: &Zone| datetime_words(&zone.local(x.deadline_utc));
    Some(DeadlineText {
        title: format!("Deadline to keep your {name}"),
        intro: format!(
            "To keep maintained status, submit your application to extend your {name} to IRCC before midnight UTC at the end of {} (T4, M1):",
            date(x.expires),
        ),
        times: vec![
            format!("Your time ({}): before {}", zone.name(), wall_clock(zone)),
            format!("Vancouver time: before {}", wall_clock(&Zone::vancouver())),
            format!("UTC: before {}", datetime_words(&x.deadline_utc)),
        ],
        deadline_utc: utc_seconds(&x.deadline_utc),
        recommended: format!(
            "IRCC advises applying at least 30 days before expiry: by {} (P4).",
            date(x.recommended_by)
        ),
    })
}

/// The card, with its countdown ticking on `now`.
#[component]
pub fn DeadlineCard(text: DeadlineText, now: Signal<Option<DateTime<Utc>>>) -> impl IntoView {
    let deadline = coop_core::datetime_text::parse_rfc3339(&text.deadline_utc);
    view! {
        <section class="card deadline" aria-labelledby="deadline-title">
            <h3 id="deadline-title">{text.title}</h3>
            <p>{text.intro}</p>
            <ul class="times">
                {text.times.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
            </ul>
            {deadline.map(|deadline| view! { <Countdown deadline now/> })}
            <p>{text.recommended}</p>
        </section>
    }
}

/// R1: each reminder date in words, in date order.
pub fn reminder_lines(e: &Evaluation) -> Vec<String> {
    e.reminders
        .iter()
        .map(|r| {
            let when = match r.days_before {
                0 => "on the day it expires".to_owned(),
                1 => "1 day before".to_owned(),
                n => format!("{n} days before"),
            };
            format!(
                "{}: {} your {} expires",
                date(r.on),
                when,
                document_name(r.for_document)
            )
        })
        .collect()
}

/// The reminder dates (R1).
#[component]
pub fn RemindersCard(lines: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="reminders-title">
            <h3 id="reminders-title">"Reminder dates (R1)"</h3>
            <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        </section>
    }
}

/// A clock for a page: the current instant once a second in the browser, until the page is left
/// (`None` on the server, so nothing time-dependent is rendered before hydration).
pub fn ticking_clock() -> Signal<Option<DateTime<Utc>>> {
    let now = RwSignal::new(None);
    #[cfg(feature = "hydrate")]
    {
        now.set(Some(crate::browser::now()));
        let tick = gloo_timers::callback::Interval::new(1_000, move || {
            now.set(Some(crate::browser::now()))
        });
        let tick = send_wrapper::SendWrapper::new(tick);
        on_cleanup(move || drop(tick));
    }
    now.into()
}
