//! Staff: the documents waiting for review (S8), oldest first, each with its student, the typed
//! fields, the uploaded file, and what `coop-core`'s validators say about it now; verify, or
//! reject with a reason. The student's status changes at once (only a verified document counts).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// A document waiting for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedView {
    pub id: i64,
    pub student: String,
    pub kind: String,
    pub number: String,
    pub uci: Option<String>,
    pub issued_on: Option<String>,
    pub expires_on: String,
    pub on_campus_work: bool,
    pub submitted: String,
    pub has_file: bool,
    /// The uploaded file's type (`application/pdf`, `image/png`, `image/jpeg`).
    pub content_type: Option<String>,
    /// (is a warning, the sentence citing its rule).
    pub findings: Vec<(bool, String)>,
}

/// Staff: the review queue.
#[server(prefix = "/api/app", endpoint = "document_queue")]
pub async fn document_queue() -> Result<Vec<QueuedView>, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_core::datetime_text::{date_words, datetime_words};
    use coop_store::service::access::require_staff;
    use coop_store::service::documents;

    let principal = principal().await;
    require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let queued = documents::queue(store.db(), chrono::Utc::now())
        .await
        .map_err(service_failure)?;
    Ok(queued
        .into_iter()
        .map(|q| QueuedView {
            id: q.document.id,
            student: format!("{} ({})", q.student.name, q.student.student_number),
            kind: q.document.kind.words().to_owned(),
            number: q.document.number,
            uci: q.document.uci,
            issued_on: q.document.issued_on.map(date_words),
            expires_on: date_words(q.document.expires_on),
            on_campus_work: q.document.on_campus_work,
            submitted: datetime_words(&q.document.submitted_at) + " UTC",
            has_file: q.document.file_id.is_some(),
            content_type: q.content_type,
            findings: q
                .findings
                .iter()
                .map(|f| (f.code.is_warning(), f.code.message().to_owned()))
                .collect(),
        })
        .collect())
}

/// Staff verify (`verify`) or reject (`reject`, with `reason`) a submitted document.
#[server(prefix = "/api/app", endpoint = "decide_document")]
pub async fn decide_document(
    id: i64,
    decision: String,
    #[server(default)] reason: Option<String>,
) -> Result<String, ServerFnError> {
    use crate::account::server::{context_store, fail, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::documents::{self, Verdict};

    let principal = principal().await;
    let staff = require_staff(&principal).map_err(service_failure)?;
    let verdict = match decision.as_str() {
        "verify" => Verdict::Verify,
        "reject" => Verdict::Reject(reason.unwrap_or_default()),
        _ => {
            return Err(fail(
                http::StatusCode::UNPROCESSABLE_ENTITY,
                "Choose verify or reject.",
            ));
        }
    };
    let store = context_store()?;
    let after = documents::decide(
        store.db(),
        id,
        verdict,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(format!(
        "Document {} is now {} (S8).",
        after.id, after.status
    ))
}

/// A staff decision's outcome: the sentence that says what happened, or why nothing did.
pub(crate) fn outcome(result: Result<String, ServerFnError>) -> AnyView {
    match result {
        Ok(message) => view! { <p class="review-outcome">{message}</p> }.into_any(),
        Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
    }
}

/// The uploaded file beside the fields: an image as an image; a PDF as a download, opened in
/// the reader of the staff member's computer (no browser shows a PDF in a sandboxed frame, and
/// an uploaded file is never shown unsandboxed inside the app).
fn preview(id: i64, kind: &str, content_type: Option<&str>) -> Option<AnyView> {
    let src = format!("/api/v1/me/documents/{id}/file");
    let title = format!("The uploaded {kind}");
    match content_type? {
        "application/pdf" => Some(
            view! {
                <p class="document-download">
                    <a href=src download=format!("document-{id}.pdf")>{format!("Download the uploaded {kind} (PDF) to read it")}</a>
                </p>
            }
            .into_any(),
        ),
        t if t.starts_with("image/") => {
            Some(view! { <img class="document-preview" src=src alt=title/> }.into_any())
        }
        _ => None,
    }
}

/// The review queue on the staff home page.
#[component]
pub fn ReviewQueue() -> impl IntoView {
    let decide = ServerAction::<DecideDocument>::new();
    let queue = LocalResource::new(move || {
        decide.version().get();
        document_queue()
    });
    view! {
        <section aria-labelledby="review-title" class="review">
            <h2 id="review-title">"Documents to verify"</h2>
            <div aria-live="polite">{move || decide.value().get().map(crate::review::outcome)}</div>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(items) if items.is_empty() => view! { <p>"Nothing waiting for review."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="review-queue">
                                {items.into_iter().map(|d| {
                                    let id = d.id;
                                    let reason_id = format!("review-reason-{id}");
                                    view! {
                                        <li data-review=id class="review-item">
                                            <div>
                                            <p><strong>{d.student}</strong>{format!(": {}, submitted {}", d.kind, d.submitted)}</p>
                                            <dl class="account-facts">
                                                <dt>"Number"</dt><dd>{d.number}</dd>
                                                <dt>"UCI"</dt><dd>{d.uci.unwrap_or_default()}</dd>
                                                <dt>"Issued"</dt><dd>{d.issued_on.unwrap_or_default()}</dd>
                                                <dt>"Expires"</dt><dd>{d.expires_on}</dd>
                                                <dt>"On-campus work (W2c)"</dt><dd>{if d.on_campus_work { "yes" } else { "no" }}</dd>
                                            </dl>
                                            <ul class="findings">
                                                {d.findings.into_iter().map(|(warning, text)| view! {
                                                    <li class=if warning { "warning" } else { "form-error" }>{text}</li>
                                                }).collect_view()}
                                            </ul>
                                            {d.has_file.then(|| view! {
                                                <p><a href=format!("/api/v1/me/documents/{id}/file") target="_blank" rel="noopener">"Open the uploaded file"</a></p>
                                            })}
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="decision" value="verify"/>
                                                <button type="submit">"Verify"</button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="decision" value="reject"/>
                                                <label for=reason_id.clone()>"Reason for rejecting"</label>
                                                <input id=reason_id name="reason" required maxlength=coop_core::text_limits::REFUSAL_REASON.max_chars/>
                                                <button type="submit">"Reject"</button>
                                            </ActionForm>
                                            </div>
                                            {preview(id, &d.kind, d.content_type.as_deref())}
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
