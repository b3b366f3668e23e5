//! The staff's student list: search by name, number or e-mail; filters on what `coop-core`
//! decided (cleared, a document's state, regime, a reason, V2, expiring within N days, the
//! program in the catalogue or not);
//! sorting; pages of 25 from the database. The filters live in the address, and the same
//! filters export the whole list as CSV.

use coop_api::staff::StudentFilters;
use coop_core::status::DocumentState;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::students::find_students;
use crate::components::forms::alert;

fn state_words(state: DocumentState) -> &'static str {
    match state {
        DocumentState::Valid => "valid",
        DocumentState::ExpiringSoon => "expiring soon",
        DocumentState::Maintained => "maintained status",
        DocumentState::LeftCanada => "left Canada",
        DocumentState::Refused => "refused",
        DocumentState::AwaitingNewDocument => "awaiting the new document",
        DocumentState::Restoration => "restoration",
        DocumentState::OutOfStatus => "out of status",
        DocumentState::Expired => "expired",
        DocumentState::None => "none on file",
    }
}

#[component]
pub fn StudentList() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| StudentFilters::from_query(|name| q.get(name).unwrap_or_default()))
    });
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1)
        })
    });
    let results = LocalResource::new(move || find_students(filters.get(), page.get()));
    let selected = move |field: fn(&StudentFilters) -> &String, value: &'static str| {
        move || filters.with(|f| field(f) == value)
    };
    let option =
        move |field: fn(&StudentFilters) -> &String, value: &'static str, label: &'static str| {
            view! { <option value=value selected=selected(field, value)>{label}</option> }
        };
    view! {
        <h2>"Students"</h2>
        <leptos_router::components::Form method="get" action="/home" attr:class="filters">
            <input type="hidden" name="view" value="students"/>
            <div class="field">
                <label for="student-search">"Name, student number or e-mail"</label>
                <input id="student-search" type="search" name="q" prop:value=move || filters.with(|f| f.q.clone())/>
            </div>
            <div class="field">
                <label for="filter-job-access">"Co-op jobs (J)"</label>
                <select id="filter-job-access" name="job_access">
                    {option(|f| &f.job_access, "", "Any")}
                    {option(|f| &f.job_access, "cleared", "Cleared")}
                    {option(|f| &f.job_access, "not_cleared", "Not cleared")}
                </select>
            </div>
            <div class="field">
                <label for="filter-state">"A document is"</label>
                <select id="filter-state" name="state">
                    {option(|f| &f.state, "", "Any")}
                    {option(|f| &f.state, "valid", "Valid (T3)")}
                    {option(|f| &f.state, "expiring_soon", "Expiring soon (V3)")}
                    {option(|f| &f.state, "maintained", "Maintained status (M1)")}
                    {option(|f| &f.state, "restoration", "In restoration (M2)")}
                    {option(|f| &f.state, "out_of_status", "Out of status (M2)")}
                    {option(|f| &f.state, "expired", "Expired")}
                    {option(|f| &f.state, "awaiting_new_document", "Awaiting the new document (M3)")}
                    {option(|f| &f.state, "refused", "Refused (M3)")}
                    {option(|f| &f.state, "left_canada", "Left Canada (M4)")}
                </select>
            </div>
            <div class="field">
                <label for="filter-regime">"Regime (G3)"</label>
                <select id="filter-regime" name="regime">
                    {option(|f| &f.regime, "", "Any")}
                    {option(|f| &f.regime, "coop_work_permit", "Co-op work permit (G1)")}
                    {option(|f| &f.regime, "study_permit_placement", "Placement under the study permit (G2)")}
                </select>
            </div>
            <div class="field">
                <label for="filter-program">"Program in the catalogue (W2f)"</label>
                <select id="filter-program" name="program">
                    {option(|f| &f.program, "", "Any")}
                    {option(|f| &f.program, "on_file", "On file")}
                    {option(|f| &f.program, "not_on_file", "Not on file")}
                </select>
            </div>
            <div class="field">
                <label for="filter-expiring">"Expiring within (days)"</label>
                <input id="filter-expiring" name="expiring_within_days" type="number" min="0" max="3650" inputmode="numeric"
                    prop:value=move || filters.with(|f| f.expiring_within_days.clone())/>
            </div>
            <div class="field">
                <label for="filter-sort">"Sort by"</label>
                <select id="filter-sort" name="sort">
                    {option(|f| &f.sort, "", "Name")}
                    {option(|f| &f.sort, "number", "Student number")}
                    {option(|f| &f.sort, "expiry", "Soonest expiry")}
                </select>
            </div>
            {move || filters.with(|f| (!f.reason.is_empty()).then(|| view! { <input type="hidden" name="reason" value=f.reason.clone()/> }))}
            {move || filters.with(|f| (!f.extend_study_permit.is_empty()).then(|| view! { <input type="hidden" name="extend_study_permit" value=f.extend_study_permit.clone()/> }))}
            <button type="submit">"Show"</button>
        </leptos_router::components::Form>
        <p>
            <a href=move || format!("/api/v1/students.csv?{}", filters.with(StudentFilters::query_string)) download>"Download this list (CSV)"</a>
            " · "
            <a href="/api/v1/reports/expiring.csv?within_days=90" download>"Expiry report, next 90 days (CSV)"</a>
        </p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(page) => {
                        let base = filters.with(StudentFilters::query_string);
                        let link = move |p: u64| format!("/home?view=students&{base}&page={p}");
                        view! {
                            <p aria-live="polite" data-total=page.total>{format!("{} students · page {} of {}", page.total, page.page, page.pages)}</p>
                            <div class="table-scroll">
                            <table class="students">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Number"</th><th scope="col">"E-mail"</th>
                                    <th scope="col">"Co-op jobs (J)"</th><th scope="col">"Study permit"</th><th scope="col">"Co-op work permit"</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|row| view! {
                                        <tr data-student=row.id>
                                            <td>
                                                <a href=format!("/home?student={}", row.id)>{row.name}</a>
                                                {(!row.program_on_file).then(|| view! { <span class="flag" data-flag="program-not-on-file">" · program not on file"</span> })}
                                            </td>
                                            <td>{row.student_number}</td>
                                            <td>{row.email}</td>
                                            <td data-cleared=row.cleared.to_string()>{if row.cleared { "cleared" } else { "not cleared" }}</td>
                                            <td data-state=row.study_permit.state.code()>{state_words(row.study_permit.state)}" "{row.study_permit.expires}</td>
                                            <td data-state=row.coop_work_permit.state.code()>{state_words(row.coop_work_permit.state)}" "{row.coop_work_permit.expires}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <nav class="pages" aria-label="Pages">
                                {(page.page > 1).then(|| view! { <a href=link(page.page - 1) rel="prev">"Previous page"</a> })}
                                " "
                                {(page.page < page.pages).then(|| view! { <a href=link(page.page + 1) rel="next">"Next page"</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}
