//! The history of every change, for staff: filter by who, what, which student and dates;
//! newest first, each row with the values before and after. Rows are append-only.

use coop_api::staff::HistoryFilters;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::history::audit_search;
use crate::components::forms::{FieldError, alert};

/// The history, filtered by the address.
#[component]
pub fn History() -> impl IntoView {
    let query = use_query_map();
    let get = move |name: &'static str| move || query.with(|q| q.get(name).unwrap_or_default());
    let page = LocalResource::new(move || {
        audit_search(HistoryFilters {
            actor: get("actor")(),
            action: get("action")(),
            student: get("student")(),
            from: get("from")(),
            to: get("to")(),
        })
    });
    let error = Signal::derive(move || page.get().and_then(Result::err));
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
                <input id="history-student" name="student" aria-describedby="history-student-error" prop:value=get("student")/>
                <FieldError error field="student" id="history-student-error"/>
            </div>
            <div class="field">
                <label for="history-from">"From (Vancouver date)"</label>
                <input id="history-from" name="from" aria-describedby="history-from-error" type="date" prop:value=get("from")/>
                <FieldError error field="from" id="history-from-error"/>
            </div>
            <div class="field">
                <label for="history-to">"To (Vancouver date)"</label>
                <input id="history-to" name="to" aria-describedby="history-to-error" type="date" prop:value=get("to")/>
                <FieldError error field="to" id="history-to-error"/>
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
                                {p.items.into_iter().map(|h| {
                                    let code = h.what.clone();
                                    view! {
                                        <tr data-action=code><td>{h.when}</td><td>{h.who}</td><td>{h.what}</td><td>{h.subject}</td><td>{h.changes}</td></tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}
