//! Submitting a document (S1–S8) from a student's home page, and the student's documents with
//! their review status. The form is checked in the browser by `coop-core`'s validators (S2–S7,
//! the file by its first bytes) before anything is sent, then sent as multipart to
//! `POST /api/v1/me/documents`, where the server checks it all again.

use coop_core::review::ReviewStatus;
use leptos::prelude::*;

use crate::api::documents::{WithdrawMyDocument, my_documents};
use crate::components::forms::alert;

use super::upload::Outcome;

/// The documents section of a student's home page. `changed` is refetched after a submission
/// or withdrawal (the status above depends on the documents).
#[component]
pub fn DocumentSection<T: Send + Sync + 'static>(changed: LocalResource<T>) -> impl IntoView {
    let withdraw = ServerAction::<WithdrawMyDocument>::new();
    let drafts = expect_context::<crate::drafts::Drafts>();
    let page = LocalResource::new(move || {
        drafts.taken.get();
        withdraw.version().get();
        my_documents()
    });
    Effect::new(move |previous: Option<()>| {
        drafts.taken.get();
        withdraw.version().get();
        if previous.is_some() {
            changed.refetch();
        }
    });
    let outcome = RwSignal::new(Outcome::Nothing);
    let kind = RwSignal::new("study_permit".to_owned());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let context = page.get_untracked().and_then(Result::ok);
            outcome.set(Outcome::Sending);
            leptos::task::spawn_local(async move {
                let result = super::upload::submit(form.clone(), context, drafts).await;
                if matches!(result, Outcome::Sent(_) | Outcome::Kept) {
                    form.reset();
                    kind.set("study_permit".to_owned());
                }
                outcome.set(result);
            });
        }
    };
    let field_error = move |field: &'static str| {
        move || {
            outcome.with(|o| o.error_for(field)).map(|message| {
                view! { <p class="field-error" id=format!("doc-{field}-error")>{message}</p> }
            })
        }
    };
    // The hint, and the error only while there is one (a reference to no element is not allowed).
    let described = move |hint: Option<&'static str>, field: &'static str| {
        move || {
            let error = outcome
                .with(|o| o.error_for(field).is_some())
                .then(|| format!("doc-{field}-error"));
            hint.map(str::to_owned)
                .into_iter()
                .chain(error)
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            if outcome.with(|o| o.error_for(field).is_some()) {
                "true"
            } else {
                "false"
            }
        }
    };
    view! {
        <section aria-labelledby="documents-title" class="documents">
            <h2 id="documents-title">"Your documents"</h2>
            <p class="hint">"Submit your study permit, co-op work permit or IRCC approval letter; the co-op office verifies it (S1, S8). A PDF, PNG or JPEG of at most 10 MiB (S7)."</p>
            <form class="document-form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="doc-kind">"Document"</label>
                    <select id="doc-kind" name="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="study_permit">"Study permit"</option>
                        <option value="coop_work_permit">"Co-op work permit"</option>
                        <option value="approval_letter">"IRCC approval letter"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="doc-number">"Document number"</label>
                    <p class="hint" id="doc-number-hint">"One letter and 9 digits, e.g. F123456789 (S3)."</p>
                    <input id="doc-number" name="number" autocomplete="off"
                        aria-describedby=described(Some("doc-number-hint"), "number") aria-invalid=invalid("number")/>
                    {field_error("number")}
                </div>
                <div class="field">
                    <label for="doc-uci">"UCI (client ID)"</label>
                    <p class="hint" id="doc-uci-hint">"8 or 10 digits, e.g. 0000-0000 (S2)."</p>
                    <input id="doc-uci" name="uci" autocomplete="off" inputmode="numeric"
                        aria-describedby=described(Some("doc-uci-hint"), "uci") aria-invalid=invalid("uci")/>
                    {field_error("uci")}
                </div>
                <div class="field">
                    <label for="doc-issued">"Issued on"</label>
                    <input id="doc-issued" type="date" name="issued_on"
                        aria-describedby=described(None, "issued_on") aria-invalid=invalid("issued_on")/>
                    {field_error("issued_on")}
                </div>
                <div class="field">
                    <label for="doc-expires">"Expires on"</label>
                    <input id="doc-expires" type="date" name="expires_on"
                        aria-describedby=described(None, "expires_on") aria-invalid=invalid("expires_on")/>
                    {field_error("expires_on")}
                </div>
                <div class="field check" hidden=move || kind.get() != "study_permit">
                    <input type="checkbox" id="doc-on-campus" name="on_campus_work"/>
                    <label for="doc-on-campus">"My study permit says I may work on campus (W2c)"</label>
                </div>
                <div class="field">
                    <label for="doc-file">"The document (PDF, PNG or JPEG)"</label>
                    <input id="doc-file" type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                        aria-describedby=described(None, "file") aria-invalid=invalid("file")/>
                    {field_error("file")}
                </div>
                <button type="submit" disabled=move || outcome.with(|o| *o == Outcome::Sending)>"Submit the document"</button>
            </form>
            <div aria-live="polite">
                {move || match outcome.get() {
                    Outcome::Sent(warnings) => view! {
                        <p class="document-outcome">"Submitted. The co-op office will verify it (S8)."</p>
                        <ul>{warnings.into_iter().map(|w| view! { <li class="warning">{w}</li> }).collect_view()}</ul>
                    }.into_any(),
                    Outcome::Refused(errors) => view! {
                        <p class="form-error" role="alert">
                            {errors.iter().find(|(f, _)| f.is_none()).map_or_else(
                                || "Please correct the fields marked below.".to_owned(),
                                |(_, message)| message.clone(),
                            )}
                        </p>
                    }.into_any(),
                    Outcome::Sending => view! { <p>"Sending…"</p> }.into_any(),
                    Outcome::Kept => view! {
                        <p class="draft-kept">"Saved on this device: not sent yet. It will be sent when you are back online."</p>
                    }.into_any(),
                    Outcome::Nothing => ().into_any(),
                }}
                {move || withdraw.value().get().and_then(Result::err).map(|e| alert(&e))}
            </div>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) if p.items.is_empty() => view! { <p>"No documents submitted yet."</p> }.into_any(),
                        Ok(p) => view! {
                            <ul class="document-list">
                                {p.items.into_iter().map(|d| {
                                    let id = d.id;
                                    let waiting = d.status == ReviewStatus::Submitted;
                                    view! {
                                        <li data-document=id data-status=d.status.code()>
                                            <strong>{d.kind_words}</strong>
                                            {format!(" {}, expires {}. ", d.number, d.expires_on)}
                                            {d.status_text}
                                            {d.reason.map(|why| view! { <span class="reason">{format!(" Reason: {why}")}</span> })}
                                            {d.has_file.then(|| view! {
                                                " "<a href=format!("/api/v1/me/documents/{id}/file") target="_blank" rel="noopener">"View the file"</a>
                                            })}
                                            {waiting.then(|| view! {
                                                <ActionForm action=withdraw attr:class="inline">
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit">"Withdraw this document"</button>
                                                </ActionForm>
                                            })}
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
