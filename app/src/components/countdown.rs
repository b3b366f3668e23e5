//! A live countdown to an instant, one tick a second (the page's clock signal), read out by
//! screen readers only on request (`role="timer"` is not announced on every change).

use chrono::{DateTime, Utc};
use coop_self_check::countdown::remaining;
use leptos::prelude::*;

/// The countdown itself.
#[component]
pub fn Countdown(deadline: DateTime<Utc>, now: Signal<Option<DateTime<Utc>>>) -> impl IntoView {
    view! {
        <p class="countdown" role="timer" aria-label="Time left before the deadline">
            {move || now.get().map(|now| remaining(deadline, now))}
        </p>
    }
}
