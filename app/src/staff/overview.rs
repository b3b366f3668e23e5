//! The staff overview: how many letter requests and documents wait, and how many students are
//! in each state that needs the office's attention — each count a link to that list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// The counts on the staff overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountsView {
    pub letters_waiting: u64,
    pub documents_waiting: u64,
    /// (label citing its rule, link, count), in the order shown.
    pub students: Vec<(String, String, u64)>,
}

/// Staff: the overview's counts.
#[server(prefix = "/api/app", endpoint = "staff_counts")]
pub async fn staff_counts() -> Result<CountsView, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_core::letter_request::LetterRequestStatus;
    use coop_store::service::access::require_staff;
    use coop_store::service::student_list;

    let principal = principal().await;
    require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let db = store.db();
    let now = chrono::Utc::now();
    let c = student_list::counts(db, now)
        .await
        .map_err(service_failure)?;
    let letters_waiting = coop_store::service::letters::count(db, LetterRequestStatus::Pending)
        .await
        .map_err(service_failure)?;
    let documents_waiting = coop_store::service::documents::count_waiting(db)
        .await
        .map_err(service_failure)?;
    let row = |label: &str, query: &str, n: u64| {
        (label.to_owned(), format!("/home?view=students&{query}"), n)
    };
    Ok(CountsView {
        letters_waiting,
        documents_waiting,
        students: vec![
            row("All students", "", c.students),
            row(
                "Cleared for co-op jobs (J)",
                "job_access=cleared",
                c.cleared,
            ),
            row("Not cleared (J)", "job_access=not_cleared", c.not_cleared),
            row(
                "A document expiring within 30 days (T6)",
                "expiring_within_days=30&sort=expiry",
                c.expiring_30,
            ),
            row(
                "A document expiring within 60 days (T6)",
                "expiring_within_days=60&sort=expiry",
                c.expiring_60,
            ),
            row(
                "A document expiring within 90 days (V3)",
                "expiring_within_days=90&sort=expiry",
                c.expiring_90,
            ),
            row(
                "On maintained status (M1)",
                "state=maintained",
                c.maintained,
            ),
            row("In restoration (M2)", "state=restoration", c.restoration),
            row("Out of status (M2)", "state=out_of_status", c.out_of_status),
            row(
                "Study permit ends before a work term (V2)",
                "extend_study_permit=true",
                c.study_permit_ends_before_work,
            ),
            row(
                "No on-campus work condition (W2c)",
                "reason=no_on_campus_work_condition",
                c.no_on_campus_condition,
            ),
        ],
    })
}

#[component]
pub fn Overview() -> impl IntoView {
    let counts = LocalResource::new(staff_counts);
    view! {
        <h2>"Overview"</h2>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(c) => view! {
                        <ul class="counts">
                            <li><a href="/home?view=letters"><span class="count" data-count="letters">{c.letters_waiting}</span>" letter requests waiting (L)"</a></li>
                            <li><a href="/home?view=documents"><span class="count" data-count="documents">{c.documents_waiting}</span>" documents to verify (S8)"</a></li>
                        </ul>
                        <h3>"Students"</h3>
                        <ul class="counts">
                            {c.students.into_iter().map(|(label, href, n)| view! {
                                <li><a href=href><span class="count">{n}</span>" "{label}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
