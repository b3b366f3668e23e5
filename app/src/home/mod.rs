//! `/home`, each role's own home page after signing in: a student's co-op status from their
//! stored record (decided by coop-core on the server, worded by `coop_core::explain`), or the
//! staff's student search. Loaded on demand, like every page but the self-check. Private data is
//! fetched by the browser after hydration (local resources), never streamed into the page.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};
use serde::{Deserialize, Serialize};

use crate::account::{message_of, who_am_i};

mod applications;
pub use applications::*;

/// One reason a student is not cleared, with the action that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonLine {
    pub code: String,
    pub text: String,
    pub action: String,
}

/// A student's status as their home page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentStatus {
    pub name: String,
    pub cleared: bool,
    pub regime: String,
    pub reasons: Vec<ReasonLine>,
    /// (document, state code, sentence).
    pub documents: Vec<(String, String, String)>,
    /// The guide's steps: (state code, state in words, the step citing its rules).
    pub steps: Vec<(String, String, String)>,
    /// The next T4 deadline, worded in the student's zone.
    pub deadline: Option<crate::deadline::DeadlineText>,
    /// R1.
    pub reminders: Vec<String>,
}

/// The signed-in student's own status.
#[server(prefix = "/api/app", endpoint = "my_status")]
pub async fn my_status() -> Result<StudentStatus, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_core::explain;
    use coop_store::service::access::require_student;
    use coop_store::service::{records, students};

    let principal = principal().await;
    let (_, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let model = students::get(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    let case = records::case_for(store.db(), &model, chrono::Utc::now())
        .await
        .map_err(service_failure)?;
    let e = coop_core::evaluate(&case);
    let letter_requested = coop_store::service::letters::list(store.db(), student_id)
        .await
        .map_err(service_failure)?
        .iter()
        .any(|r| r.status == coop_core::letter_request::LetterRequestStatus::Pending);
    let steps = coop_core::checklist::steps(
        &case,
        &e,
        coop_core::checklist::OfficeRecords { letter_requested },
    )
    .into_iter()
    .map(|s| {
        (
            s.state.code().to_owned(),
            s.state.words().to_owned(),
            s.text.to_owned(),
        )
    })
    .collect();
    Ok(StudentStatus {
        steps,
        deadline: crate::deadline::next_deadline(&e, &case.zone),
        reminders: crate::deadline::reminder_lines(&e),
        name: model.name,
        cleared: e.job_access.cleared,
        regime: explain::regime(e.regime).to_owned(),
        reasons: e
            .job_access
            .reasons
            .iter()
            .map(|r| {
                let x = explain::reason(r);
                ReasonLine {
                    code: r.code().to_owned(),
                    text: x.text.to_owned(),
                    action: x.action.to_owned(),
                }
            })
            .collect(),
        documents: vec![
            (
                "Study permit".to_owned(),
                e.study_permit.state.code().to_owned(),
                explain::document(&e.study_permit),
            ),
            (
                "Co-op work permit".to_owned(),
                e.coop_work_permit.state.code().to_owned(),
                explain::document(&e.coop_work_permit),
            ),
        ],
    })
}

/// `/home`, loaded on demand.
#[derive(Debug)]
pub struct HomeRoute;

#[lazy_route]
impl LazyRoute for HomeRoute {
    fn data() -> Self {
        HomeRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <HomePage/> }.into_any()
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let user = LocalResource::new(who_am_i);
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if u.role == coop_api::accounts::Role::Student => view! { <StudentHome user=u.id/> }.into_any(),
                    Ok(Some(_)) => view! { <crate::staff::StaffHome/> }.into_any(),
                    Ok(None) => view! {
                        <h1>"Your home page"</h1>
                        <p>"You are not signed in. "<a href="/sign-in">"Sign in"</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StudentHome(user: i64) -> impl IntoView {
    let drafts = crate::drafts::Drafts::new(user);
    provide_context(drafts);
    let status = LocalResource::new(my_status);
    let now = crate::deadline::ticking_clock();
    view! {
        <h1>"Your co-op status"</h1>
        <crate::drafts::DraftsPanel drafts/>
        <crate::notices::NoticesCard/>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(s) => view! {
                        <section class="verdict" data-cleared=s.cleared.to_string()>
                            {if s.cleared {
                                view! { <p class="ok">"You are cleared for co-op jobs (J)."</p> }.into_any()
                            } else {
                                view! {
                                    <p class="bad">"You are not cleared for co-op jobs yet (J):"</p>
                                    <ul>
                                        {s.reasons.into_iter().map(|r| view! {
                                            <li data-reason=r.code>{r.text}" "<span class="action">{r.action}</span></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <p>{s.regime}</p>
                        <section class="card" aria-labelledby="steps-title">
                            <h2 id="steps-title">"Your steps"</h2>
                            <ol class="steps">
                                {s.steps.into_iter().map(|(code, words, text)| view! {
                                    <li data-step=code>
                                        <span class="step-state">{words}</span>": "{text}
                                    </li>
                                }).collect_view()}
                            </ol>
                        </section>
                        {s.deadline.map(|text| view! { <crate::deadline::DeadlineCard text now/> })}
                        {(!s.reminders.is_empty()).then(|| view! {
                            <crate::deadline::RemindersCard lines=s.reminders/>
                        })}
                        <dl class="account-facts">
                            {s.documents.into_iter().map(|(name, state, text)| view! {
                                <dt>{name}</dt><dd data-state=state>{text}</dd>
                            }).collect_view()}
                        </dl>
                        <p class="advisors">{coop_core::explain::ADVISORS}</p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
        <crate::letter::LetterSection/>
        <ReportApplication status/>
        <Applications status/>
        <crate::documents::DocumentSection changed=status/>
    }
}
