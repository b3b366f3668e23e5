//! The next T4 deadline as a student reads it — in their zone, in Vancouver time and in UTC, with
//! a live countdown — and the R1 reminder dates. Worded once (`coop_api::status`), for the
//! self-check (built in the browser) and the home page (built on the server, which holds every
//! zone's rules).

use chrono::{DateTime, Utc};
use coop_api::status::DeadlineText;
use leptos::prelude::*;

use super::countdown::Countdown;

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
        now.set(Some(super::browser::now()));
        let tick = gloo_timers::callback::Interval::new(1_000, move || {
            now.set(Some(super::browser::now()))
        });
        let tick = send_wrapper::SendWrapper::new(tick);
        on_cleanup(move || drop(tick));
    }
    now.into()
}
