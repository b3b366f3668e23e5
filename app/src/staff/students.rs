//! The staff's student list: search by name, number or e-mail; filters on what `coop-core`
//! decided (cleared, a document's state, regime, a reason, V2, expiring within N days);
//! sorting; pages of 25 from the database. The filters live in the address, and the same
//! filters export the whole list as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentRow {
    pub id: i64,
    pub name: String,
    pub student_number: String,
    pub email: String,
    pub cleared: bool,
    /// (state code, expiry) of the study permit and the co-op work permit.
    pub study_permit: (String, String),
    pub coop_work_permit: (String, String),
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentPage {
    pub items: Vec<StudentRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// The list's filters as the address gives them (the API's parameter names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudentFilters {
    pub q: String,
    pub job_access: String,
    pub state: String,
    pub regime: String,
    pub reason: String,
    pub extend_study_permit: String,
    pub expiring_within_days: String,
    pub sort: String,
}

impl StudentFilters {
    const NAMES: [&'static str; 8] = [
        "q",
        "job_access",
        "state",
        "regime",
        "reason",
        "extend_study_permit",
        "expiring_within_days",
        "sort",
    ];

    fn values(&self) -> [&str; 8] {
        [
            &self.q,
            &self.job_access,
            &self.state,
            &self.regime,
            &self.reason,
            &self.extend_study_permit,
            &self.expiring_within_days,
            &self.sort,
        ]
    }

    /// `q=…&state=…` with only the filters given.
    pub fn query_string(&self) -> String {
        Self::NAMES
            .iter()
            .zip(self.values())
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (letters, digits and `-._~` stay).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Staff: a page (from 1) of students matching the filters, 25 a page.
#[server(prefix = "/api/app", endpoint = "find_students")]
pub async fn find_students(
    filters: StudentFilters,
    #[server(default)] page: u64,
) -> Result<StudentPage, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::student_list::{self, FilterText, StudentQuery};

    let principal = principal().await;
    require_staff(&principal).map_err(service_failure)?;
    let query = StudentQuery::parse(&FilterText {
        q: &filters.q,
        job_access: &filters.job_access,
        state: &filters.state,
        regime: &filters.regime,
        reason: &filters.reason,
        extend_study_permit: &filters.extend_study_permit,
        expiring_within_days: &filters.expiring_within_days,
        sort: &filters.sort,
    })
    .map_err(service_failure)?;
    let store = context_store()?;
    let page = page.max(1);
    let (found, total) = student_list::list(store.db(), &query, page - 1, 25, chrono::Utc::now())
        .await
        .map_err(service_failure)?;
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(coop_core::datetime_text::date_words)
            .unwrap_or_default()
    };
    Ok(StudentPage {
        items: found
            .into_iter()
            .map(|l| StudentRow {
                id: l.student.id,
                cleared: l.standing.cleared,
                study_permit: (
                    l.standing.study_state.code().to_owned(),
                    date(l.standing.study_expires),
                ),
                coop_work_permit: (
                    l.standing.coop_state.code().to_owned(),
                    date(l.standing.coop_expires),
                ),
                name: l.student.name,
                student_number: l.student.student_number,
                email: l.student.email,
            })
            .collect(),
        total,
        page,
        pages: total.div_ceil(25).max(1),
    })
}

fn state_words(code: &str) -> &'static str {
    match code {
        "valid" => "valid",
        "expiring_soon" => "expiring soon",
        "maintained" => "maintained status",
        "left_canada" => "left Canada",
        "refused" => "refused",
        "awaiting_new_document" => "awaiting the new document",
        "restoration" => "restoration",
        "out_of_status" => "out of status",
        "expired" => "expired",
        _ => "none on file",
    }
}

#[component]
pub fn StudentList() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            StudentFilters {
                q: get("q"),
                job_access: get("job_access"),
                state: get("state"),
                regime: get("regime"),
                reason: get("reason"),
                extend_study_permit: get("extend_study_permit"),
                expiring_within_days: get("expiring_within_days"),
                sort: get("sort"),
            }
        })
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
                                            <td><a href=format!("/home?student={}", row.id)>{row.name}</a></td>
                                            <td>{row.student_number}</td>
                                            <td>{row.email}</td>
                                            <td data-cleared=row.cleared.to_string()>{if row.cleared { "cleared" } else { "not cleared" }}</td>
                                            <td data-state=row.study_permit.0.clone()>{state_words(&row.study_permit.0)}" "{row.study_permit.1}</td>
                                            <td data-state=row.coop_work_permit.0.clone()>{state_words(&row.coop_work_permit.0)}" "{row.coop_work_permit.1}</td>
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
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
