//! A student's home page after signing in: their co-op status from their stored record
//! (decided by coop-core on the server, worded by `coop_core::explain`), their messages, the
//! letter, their applications to IRCC and their documents. Private data is fetched by the
//! browser after hydration (local resources), never streamed into the page.

mod applications;
mod documents;
mod letter;
mod notices;
mod upload;

use leptos::prelude::*;

use crate::api::status::my_status;
use crate::components::deadline::{DeadlineCard, RemindersCard, ticking_clock};
use crate::components::forms::alert;
use crate::drafts::{Drafts, DraftsPanel};

/// A student's home page.
#[component]
pub fn StudentHome(user: i64) -> impl IntoView {
    crate::components::title::set_title("Your co-op status");
    let drafts = Drafts::new(user);
    provide_context(drafts);
    let status = LocalResource::new(my_status);
    let now = ticking_clock();
    view! {
        <h1>"Your co-op status"</h1>
        <DraftsPanel drafts/>
        <notices::NoticesCard/>
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
                                            <li data-reason=r.code.code()>{r.text}" "<span class="action">{r.action}</span></li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <p>{s.regime}</p>
                        <section class="card" aria-labelledby="steps-title">
                            <h2 id="steps-title">"Your steps"</h2>
                            <ol class="steps">
                                {s.steps.into_iter().map(|step| view! {
                                    <li data-step=step.state>
                                        <span class="step-state">{step.words}</span>": "{step.text}
                                    </li>
                                }).collect_view()}
                            </ol>
                        </section>
                        {s.deadline.map(|text| view! { <DeadlineCard text now/> })}
                        {(!s.reminders.is_empty()).then(|| view! {
                            <RemindersCard lines=s.reminders/>
                        })}
                        <dl class="account-facts">
                            {s.documents.into_iter().map(|d| view! {
                                <dt>{d.name}</dt><dd data-state=d.state.code()>{d.text}</dd>
                            }).collect_view()}
                        </dl>
                        <p class="advisors">{coop_core::explain::ADVISORS}</p>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
        <letter::LetterSection/>
        <applications::ReportApplication status/>
        <applications::Applications status/>
        <documents::DocumentSection changed=status/>
    }
}
