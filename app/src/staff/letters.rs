//! Letter requests waiting for the office (L), oldest first with the time waited, each beside
//! the student's evaluation now: approve (the letter is made as a PDF and issued) or reject with
//! a reason. The moves are `coop_core::letter_request`'s.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// A request in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterQueued {
    pub id: i64,
    pub student_id: i64,
    pub student: String,
    pub requested: String,
    pub waiting: String,
    pub first_term_start: String,
    pub extending_study_permit: bool,
    /// L1–L2 hold.
    pub eligible: bool,
    /// Cleared for co-op jobs today (J).
    pub cleared: bool,
    /// The regime's letter (G3), e.g. "work placement letter".
    pub letter_name: String,
    /// Why not eligible or not cleared, each citing its rule.
    pub reasons: Vec<String>,
}

/// "3 days", "5 hours".
#[cfg(feature = "ssr")]
fn waited(hours: i64) -> String {
    match hours {
        h if h >= 48 => format!("{} days", h / 24),
        1 => "1 hour".to_owned(),
        h if h > 0 => format!("{h} hours"),
        _ => "less than an hour".to_owned(),
    }
}

/// Staff: pending letter requests, oldest first.
#[server(prefix = "/api/app", endpoint = "letter_queue")]
pub async fn letter_queue() -> Result<Vec<LetterQueued>, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_core::datetime_text::{date_words, datetime_words};
    use coop_core::explain;
    use coop_core::letter_request::LetterRequestStatus;
    use coop_store::service::access::require_staff;
    use coop_store::service::letters;

    let principal = principal().await;
    require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let now = chrono::Utc::now();
    let queued = letters::queue(store.db(), LetterRequestStatus::Pending, now)
        .await
        .map_err(service_failure)?;
    Ok(queued
        .into_iter()
        .map(|q| {
            let e = &q.evaluation;
            let mut reasons: Vec<String> = e
                .letter
                .reasons
                .iter()
                .chain(e.job_access.reasons.iter())
                .map(|r| explain::reason(r).text.to_owned())
                .collect();
            reasons.dedup();
            LetterQueued {
                id: q.request.id,
                student_id: q.student.id,
                student: format!("{} ({})", q.student.name, q.student.student_number),
                requested: datetime_words(&q.request.requested_at) + " UTC",
                waiting: waited((now - q.request.requested_at).num_hours()),
                first_term_start: q
                    .request
                    .first_term_start
                    .map(date_words)
                    .unwrap_or_default(),
                extending_study_permit: q.request.extending_study_permit,
                eligible: e.letter.eligible,
                cleared: e.job_access.cleared,
                letter_name: explain::letter_name(e.regime).to_owned(),
                reasons,
            }
        })
        .collect())
}

/// Staff approve (`approve`: the letter is made and issued) or reject (`reject`, with `reason`).
#[server(prefix = "/api/app", endpoint = "decide_letter")]
pub async fn decide_letter(
    id: i64,
    decision: String,
    #[server(default)] reason: Option<String>,
) -> Result<String, ServerFnError> {
    use crate::account::server::{context, context_store, fail, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::letters;

    let principal = principal().await;
    let staff = require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let actor = Actor::User(staff.id);
    let now = chrono::Utc::now();
    match decision.as_str() {
        "approve" => {
            let issuing = context::<super::LetterIssuing>()?;
            letters::approve(
                store.db(),
                &issuing.vault,
                issuing.institution.as_ref(),
                id,
                &actor,
                now,
            )
            .await
            .map_err(service_failure)?;
            Ok(format!(
                "The letter for request {id} is issued; the student can download it now (L, W2d)."
            ))
        }
        "reject" => {
            letters::reject(store.db(), id, reason.as_deref().unwrap_or(""), &actor, now)
                .await
                .map_err(service_failure)?;
            Ok(format!(
                "Request {id} is rejected; the student sees your reason."
            ))
        }
        _ => Err(fail(
            http::StatusCode::UNPROCESSABLE_ENTITY,
            "Choose approve or reject.",
        )),
    }
}

#[component]
pub fn LetterQueue() -> impl IntoView {
    let decide = ServerAction::<DecideLetter>::new();
    let queue = LocalResource::new(move || {
        decide.version().get();
        letter_queue()
    });
    view! {
        <section aria-labelledby="letters-title" class="review">
            <h2 id="letters-title">"Letter requests"</h2>
            <div aria-live="polite">{move || decide.value().get().map(crate::review::outcome)}</div>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(items) if items.is_empty() => view! { <p>"No letter request is waiting."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="review-queue">
                                {items.into_iter().map(|r| {
                                    let id = r.id;
                                    let reason_id = format!("letter-reason-{id}");
                                    view! {
                                        <li data-letter-request=id>
                                            <p>
                                                <a href=format!("/home?student={}", r.student_id)><strong>{r.student}</strong></a>
                                                {format!(": requested {}, waiting {}", r.requested, r.waiting)}
                                            </p>
                                            <dl class="account-facts">
                                                <dt>"Letter (G3)"</dt><dd>{r.letter_name}</dd>
                                                <dt>"First work term starts"</dt><dd>{r.first_term_start}</dd>
                                                <dt>"Extending the study permit"</dt><dd>{if r.extending_study_permit { "yes" } else { "no" }}</dd>
                                                <dt>"May request the letter (L1, L2)"</dt><dd>{if r.eligible { "yes" } else { "no" }}</dd>
                                                <dt>"Cleared for co-op jobs (J)"</dt><dd>{if r.cleared { "yes" } else { "not yet" }}</dd>
                                            </dl>
                                            <ul class="findings">
                                                {r.reasons.into_iter().map(|text| view! { <li class="warning">{text}</li> }).collect_view()}
                                            </ul>
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="decision" value="approve"/>
                                                <button type="submit">"Approve and issue the letter"</button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="decision" value="reject"/>
                                                <label for=reason_id.clone()>"Reason for rejecting"</label>
                                                <input id=reason_id name="reason" required maxlength=coop_core::text_limits::REFUSAL_REASON.max_chars/>
                                                <button type="submit">"Reject"</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
