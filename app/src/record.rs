//! `/record`, the student's own record: the program facts staff own (read-only here), and what
//! the student keeps themself — their time zone and their planned work terms. Loaded on demand.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// A planned work term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRow {
    pub id: i64,
    pub start: String,
    pub end: String,
    pub employer: Option<String>,
}

/// The record as the student sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub student_number: String,
    pub program: String,
    /// (fact, value) pairs staff own.
    pub facts: Vec<(String, String)>,
    pub zone: String,
    pub work_terms: Vec<TermRow>,
}

#[cfg(feature = "ssr")]
async fn student_id() -> Result<(coop_store::service::access::CurrentUser, i64), ServerFnError> {
    use crate::account::server::{principal, service_failure};
    let principal = principal().await;
    let (user, id) =
        coop_store::service::access::require_student(&principal).map_err(service_failure)?;
    Ok((user.clone(), id))
}

/// The signed-in student's record.
#[server(prefix = "/api/app", endpoint = "my_record")]
pub async fn my_record() -> Result<RecordView, ServerFnError> {
    use crate::account::server::{context_store, service_failure};
    use coop_store::service::{records, students};
    let (_, id) = student_id().await?;
    let store = context_store()?;
    let model = students::get(store.db(), id)
        .await
        .map_err(service_failure)?;
    let on_file = records::load(store.db(), id)
        .await
        .map_err(service_failure)?;
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    Ok(RecordView {
        facts: vec![
            (
                "In the Co-op program (L1)".to_owned(),
                yes_no(model.coop_program),
            ),
            (
                "COOP 1101 (L2)".to_owned(),
                model.coop1101.code().to_owned(),
            ),
            (
                "Continuance requirements met (J2)".to_owned(),
                yes_no(model.continuance_met),
            ),
            ("Full-time (W2e)".to_owned(), yes_no(model.full_time)),
            (
                "Placement letter issued (W2d)".to_owned(),
                yes_no(model.placement_letter),
            ),
        ],
        student_number: model.student_number,
        program: model.program,
        zone: model.zone,
        work_terms: on_file
            .work_terms
            .into_iter()
            .map(|t| TermRow {
                id: t.id,
                start: t.start_on.to_string(),
                end: t.end_on.to_string(),
                employer: t.employer,
            })
            .collect(),
    })
}

/// The student sets their time zone (T2).
#[server(prefix = "/api/app", endpoint = "set_my_zone")]
pub async fn set_my_zone(zone: String) -> Result<(), ServerFnError> {
    use crate::account::server::{context_store, service_failure};
    use coop_store::service::audit::Actor;
    let (user, id) = student_id().await?;
    let store = context_store()?;
    coop_store::service::student_facts::set_zone(
        store.db(),
        id,
        &zone,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(())
}

/// The student plans a work term.
#[server(prefix = "/api/app", endpoint = "add_my_work_term")]
pub async fn add_my_work_term(
    start: String,
    end: String,
    employer: String,
) -> Result<(), ServerFnError> {
    use crate::account::server::{context_store, fail, service_failure};
    use coop_store::service::audit::Actor;
    let (user, id) = student_id().await?;
    let date = |text: &str, what: &str| {
        coop_core::contract::parse_date(text.trim()).ok_or_else(|| {
            fail(
                http::StatusCode::UNPROCESSABLE_ENTITY,
                format!("Enter the {what} date."),
            )
        })
    };
    let term = coop_core::case::WorkTerm {
        start: date(&start, "start")?,
        end: date(&end, "end")?,
    };
    let store = context_store()?;
    coop_store::service::work_terms::plan(
        store.db(),
        id,
        term,
        Some(employer),
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(())
}

/// The student removes one of their work terms.
#[server(prefix = "/api/app", endpoint = "remove_my_work_term")]
pub async fn remove_my_work_term(id: i64) -> Result<(), ServerFnError> {
    use crate::account::server::{context_store, service_failure};
    use coop_store::service::audit::Actor;
    let (user, student) = student_id().await?;
    let store = context_store()?;
    coop_store::service::work_terms::remove(
        store.db(),
        student,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(())
}

/// `/record`, loaded on demand.
#[derive(Debug)]
pub struct RecordRoute;

#[lazy_route]
impl LazyRoute for RecordRoute {
    fn data() -> Self {
        RecordRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <RecordPage/> }.into_any()
    }
}

#[component]
fn RecordPage() -> impl IntoView {
    let set_zone = ServerAction::<SetMyZone>::new();
    let add_term = ServerAction::<AddMyWorkTerm>::new();
    let remove_term = ServerAction::<RemoveMyWorkTerm>::new();
    let record = LocalResource::new(move || {
        // Fetched again after each change.
        let _changes = (
            set_zone.version().get(),
            add_term.version().get(),
            remove_term.version().get(),
        );
        my_record()
    });
    let zones = coop_core::time::zone_names();
    let error = move || {
        [
            set_zone.value().get(),
            add_term.value().get(),
            remove_term.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(|r| r.err())
        .map(|e| message_of(&e))
    };
    view! {
        <h1>"My record"</h1>
        <p class="form-error" role="alert">{error}</p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(r) => view! {
                        <section aria-labelledby="facts-title">
                            <h2 id="facts-title">"Your program (kept by the co-op office)"</h2>
                            <dl class="account-facts">
                                <dt>"Student number"</dt><dd>{r.student_number}</dd>
                                <dt>"Program"</dt><dd>{r.program}</dd>
                                {r.facts.into_iter().map(|(fact, value)| view! { <dt>{fact}</dt><dd>{value}</dd> }).collect_view()}
                            </dl>
                            <p class="hint">"If something here is wrong, tell the co-op office: staff keep these facts."</p>
                        </section>
                        <section aria-labelledby="zone-title">
                            <h2 id="zone-title">"Your time zone"</h2>
                            <p data-zone=r.zone.clone()>{format!("Deadlines are shown in {} (T2).", r.zone)}</p>
                        </section>
                        <section aria-labelledby="terms-title">
                            <h2 id="terms-title">"Your work terms"</h2>
                            <ul class="terms">
                                {r.work_terms.into_iter().map(|t| {
                                    let label = format!("{} to {}", t.start, t.end);
                                    view! {
                                        <li data-term=t.id>
                                            {format!("{label}{}", t.employer.map(|e| format!(", {e}")).unwrap_or_default())}
                                            " "
                                            <ActionForm action=remove_term attr:class="inline">
                                                <input type="hidden" name="id" value=t.id/>
                                                <button type="submit" class="secondary">{format!("Remove the work term {label}")}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
        <ActionForm action=set_zone attr:aria-label="Change your time zone">
            <div class="field">
                <label for="record-zone">"Time zone"</label>
                <input id="record-zone" name="zone" list="record-zone-names" required/>
                <datalist id="record-zone-names">
                    {zones.into_iter().map(|z| view! { <option value=z/> }).collect_view()}
                </datalist>
            </div>
            <button type="submit">"Save the time zone"</button>
        </ActionForm>
        <ActionForm action=add_term attr:aria-label="Add a work term">
            <div class="field">
                <label for="term-start">"Work term starts"</label>
                <input id="term-start" type="date" name="start" required/>
            </div>
            <div class="field">
                <label for="term-end">"Work term ends"</label>
                <input id="term-end" type="date" name="end" required/>
            </div>
            <div class="field">
                <label for="term-employer">"Employer (optional)"</label>
                <input id="term-employer" name="employer" maxlength=coop_core::text_limits::EMPLOYER.max_chars/>
            </div>
            <button type="submit">"Add the work term"</button>
        </ActionForm>
    }
}
