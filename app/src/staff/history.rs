//! The history of every change, for staff: filter by who, what, which student and dates;
//! newest first, each row with the values before and after. Rows are append-only.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// A page of history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub total: u64,
    /// (when, who, what, subject, changes).
    pub items: Vec<(String, String, String, String, String)>,
}

/// Staff: history matching the filters (empty: any), 100 a page, newest first. `student` is a
/// student number; `from` and `to` are Vancouver dates (`to` inclusive).
#[server(prefix = "/api/app", endpoint = "audit_search")]
pub async fn audit_search(
    #[server(default)] actor: String,
    #[server(default)] action: String,
    #[server(default)] student: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<AuditPage, ServerFnError> {
    use crate::account::server::{context_store, fail, principal, service_failure};
    use coop_core::datetime_text::{datetime_words, parse_date};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::{self, AuditQuery};
    use http::StatusCode;

    let principal = principal().await;
    require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let day = |field: &str,
               text: &str,
               next: bool|
     -> Result<Option<chrono::DateTime<chrono::Utc>>, ServerFnError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let d = parse_date(text.trim()).ok_or_else(|| {
            fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{field}: a date such as 2026-11-27."),
            )
        })?;
        let d = if next { d.succ_opt().unwrap_or(d) } else { d };
        Ok(coop_core::time::Zone::default().instant_at(d.and_time(chrono::NaiveTime::MIN)))
    };
    let subject = if student.trim().is_empty() {
        None
    } else {
        let found = coop_store::service::students::find_by_number(store.db(), student.trim())
            .await
            .map_err(service_failure)?
            .ok_or_else(|| {
                fail(
                    StatusCode::NOT_FOUND,
                    format!("No student has the number {:?}.", student.trim()),
                )
            })?;
        Some(format!("student:{}", found.id))
    };
    let query = AuditQuery {
        actor: Some(actor.trim().to_owned()),
        action: Some(action.trim().to_owned()),
        subject,
        from: day("From", &from, false)?,
        to: day("To", &to, true)?,
    };
    let (rows, total) = audit::search(store.db(), &query, 0, 100)
        .await
        .map_err(service_failure)?;
    Ok(AuditPage {
        total,
        items: rows
            .iter()
            .map(|h| {
                (
                    datetime_words(&h.at) + " UTC",
                    h.actor.clone().unwrap_or_else(|| "anonymous".to_owned()),
                    h.action.clone(),
                    h.subject.clone(),
                    super::student::changes(h.before.as_ref(), h.after.as_ref()),
                )
            })
            .collect(),
    })
}

#[component]
pub fn History() -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &'static str| move || query.with(|q| q.get(name).unwrap_or_default());
    let page = LocalResource::new(move || {
        audit_search(
            get("actor")(),
            get("action")(),
            get("student")(),
            get("from")(),
            get("to")(),
        )
    });
    view! {
        <h2>"History"</h2>
        <leptos_router::components::Form method="get" action="/home" attr:class="filters">
            <input type="hidden" name="view" value="history"/>
            <div class="field">
                <label for="history-actor">"Who (e.g. user:12, cli, system)"</label>
                <input id="history-actor" name="actor" prop:value=get("actor")/>
            </div>
            <div class="field">
                <label for="history-action">"What (e.g. document, letter_request.approve)"</label>
                <input id="history-action" name="action" prop:value=get("action")/>
            </div>
            <div class="field">
                <label for="history-student">"Student number"</label>
                <input id="history-student" name="student" prop:value=get("student")/>
            </div>
            <div class="field">
                <label for="history-from">"From (Vancouver date)"</label>
                <input id="history-from" name="from" type="date" prop:value=get("from")/>
            </div>
            <div class="field">
                <label for="history-to">"To (Vancouver date)"</label>
                <input id="history-to" name="to" type="date" prop:value=get("to")/>
            </div>
            <button type="submit">"Show"</button>
        </leptos_router::components::Form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <p aria-live="polite">{format!("{} changes (newest 100 shown)", p.total)}</p>
                        <div class="table-scroll">
                        <table class="history">
                            <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"To what"</th><th scope="col">"Changes"</th></tr></thead>
                            <tbody>
                                {p.items.into_iter().map(|(at, who, what, subject, changes)| {
                                    let code = what.clone();
                                    view! {
                                        <tr data-action=code><td>{at}</td><td>{who}</td><td>{what}</td><td>{subject}</td><td>{changes}</td></tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
