//! Staff: the documents waiting for review (S8), oldest first, each with its student, the typed
//! fields, the uploaded file, and what `coop-core`'s validators say about it now; verify, or
//! reject with a reason. The student's status changes at once (only a verified document counts).

use leptos::prelude::*;

use crate::api::review::{DecideDocument, document_queue};
use crate::components::forms::{alert, outcome};

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
            <div aria-live="polite">{move || decide.value().get().map(outcome)}</div>
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
                                                <input type="hidden" name="form[id]" value=id/>
                                                <input type="hidden" name="form[decision]" value="verify"/>
                                                <button type="submit">"Verify"</button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="form[id]" value=id/>
                                                <input type="hidden" name="form[decision]" value="reject"/>
                                                <label for=reason_id.clone()>"Reason for rejecting"</label>
                                                <input id=reason_id name="form[reason]" required maxlength=coop_core::text_limits::REFUSAL_REASON.max_chars/>
                                                <button type="submit">"Reject"</button>
                                            </ActionForm>
                                            </div>
                                            {preview(id, &d.kind, d.content_type.as_deref())}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => alert(&e),
                    }
                })}
            </Transition>
        </section>
    }
}
