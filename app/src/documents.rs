//! Submitting a document (S1–S8) from a student's home page, and the student's documents with
//! their review status. The form is checked in the browser by `coop-core`'s validators (S2–S7,
//! the file by its first bytes) before anything is sent, then sent as multipart to
//! `POST /api/v1/me/documents`, where the server checks it all again.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// One of the student's documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    pub kind: String,
    pub kind_words: String,
    pub number: String,
    pub expires_on: String,
    /// `submitted`, `verified`, `rejected` or `withdrawn`.
    pub status: String,
    pub status_text: String,
    pub reason: Option<String>,
    pub has_file: bool,
}

/// The documents section's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsPage {
    /// The student's today (T2), `YYYY-MM-DD`, for S6 in the browser.
    pub today: String,
    /// The study permit on file, `YYYY-MM-DD`, for S5 in the browser.
    pub study_permit_expires: Option<String>,
    pub items: Vec<DocumentView>,
}

#[cfg(feature = "ssr")]
fn document_view(model: &coop_store::entity::document::Model) -> DocumentView {
    use coop_core::review::ReviewStatus;
    use coop_core::validation::DocumentKind;
    let (kind_words, status_text) = (
        match model.kind {
            DocumentKind::StudyPermit => "Study permit",
            DocumentKind::CoopWorkPermit => "Co-op work permit",
            DocumentKind::ApprovalLetter => "IRCC approval letter",
        },
        match model.status {
            ReviewStatus::Submitted => "Waiting for the co-op office to verify it (S8).",
            ReviewStatus::Verified => "Verified by the co-op office (S8).",
            ReviewStatus::Rejected => "Not accepted by the co-op office (S8).",
            ReviewStatus::Withdrawn => "You withdrew it.",
        },
    );
    DocumentView {
        id: model.id,
        kind: model.kind.code().to_owned(),
        kind_words: kind_words.to_owned(),
        number: model.number.clone(),
        expires_on: coop_core::datetime_text::date_words(model.expires_on),
        status: model.status.code().to_owned(),
        status_text: status_text.to_owned(),
        reason: model.reason.clone(),
        has_file: model.file_id.is_some(),
    }
}

/// The signed-in student's documents.
#[server(prefix = "/api/app", endpoint = "my_documents")]
pub async fn my_documents() -> Result<DocumentsPage, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_student;
    use coop_store::service::{documents, records, students};

    let principal = principal().await;
    let (_, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let now = chrono::Utc::now();
    let model = students::get(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    let case = records::case_for(store.db(), &model, now)
        .await
        .map_err(service_failure)?;
    let items = documents::list(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    Ok(DocumentsPage {
        today: case.zone.today(now).to_string(),
        study_permit_expires: case.study_permit.map(|sp| sp.expires.to_string()),
        items: items.iter().map(document_view).collect(),
    })
}

/// The student withdraws a document not yet reviewed.
#[server(prefix = "/api/app", endpoint = "withdraw_my_document")]
pub async fn withdraw_my_document(id: i64) -> Result<DocumentView, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::documents;

    let principal = principal().await;
    let (user, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let after = documents::withdraw(
        store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(document_view(&after))
}

/// What happened to the last submission.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser submits documents")
)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Outcome {
    #[default]
    Nothing,
    Sending,
    /// Kept on the device, to be sent when the connection returns.
    Kept,
    /// Taken for review, with the warnings to heed.
    Sent(Vec<String>),
    /// Refused: by field (`None` for the whole form).
    Refused(Vec<(Option<String>, String)>),
}

impl Outcome {
    fn error_for(&self, field: &str) -> Option<String> {
        match self {
            Outcome::Refused(errors) => errors
                .iter()
                .find(|(f, _)| f.as_deref() == Some(field))
                .map(|(_, message)| message.clone()),
            _ => None,
        }
    }
}

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
                let result = upload::submit(form.clone(), context, drafts).await;
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
                {move || withdraw.value().get().and_then(Result::err).map(|e| view! {
                    <p class="form-error" role="alert">{message_of(&e)}</p>
                })}
            </div>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) if p.items.is_empty() => view! { <p>"No documents submitted yet."</p> }.into_any(),
                        Ok(p) => view! {
                            <ul class="document-list">
                                {p.items.into_iter().map(|d| {
                                    let id = d.id;
                                    let waiting = d.status == "submitted";
                                    view! {
                                        <li data-document=id data-status=d.status.clone()>
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
                        Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The browser side of a submission: check, then send.
#[cfg(feature = "hydrate")]
mod upload {
    use coop_core::validation::{self, DocumentForm, FormContext, check_file, validate_document};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use super::{DocumentsPage, Outcome};

    fn text(data: &web_sys::FormData, name: &str) -> String {
        data.get(name).as_string().unwrap_or_default()
    }

    fn refused(field: &str, message: &str) -> (Option<String>, String) {
        (Some(field.to_owned()), message.to_owned())
    }

    /// S1–S7 in the browser, with `coop-core`; the findings by field, or nothing to say.
    async fn check(
        data: &web_sys::FormData,
        context: Option<&DocumentsPage>,
    ) -> Vec<(Option<String>, String)> {
        let mut errors = Vec::new();
        let kind = match text(data, "kind").as_str() {
            "coop_work_permit" => validation::DocumentKind::CoopWorkPermit,
            "approval_letter" => validation::DocumentKind::ApprovalLetter,
            _ => validation::DocumentKind::StudyPermit,
        };
        let date = |name: &str| coop_core::contract::parse_date(text(data, name).trim());
        let (issued_on, expires_on) = (date("issued_on"), date("expires_on"));
        if issued_on.is_none() {
            errors.push(refused("issued_on", "Enter the issue date."));
        }
        if expires_on.is_none() {
            errors.push(refused("expires_on", "Enter the expiry date."));
        }
        let file = data.get("file").dyn_into::<web_sys::File>().ok();
        match file.as_ref().filter(|f| !f.name().is_empty()) {
            None => errors.push(refused("file", "Choose the file of the document (S7).")),
            Some(file) => {
                let size = file.size() as u64;
                let head = match file.slice_with_i32_and_i32(0, 8) {
                    Ok(blob) => match JsFuture::from(blob.array_buffer()).await {
                        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                        Err(_) => Vec::new(),
                    },
                    Err(_) => Vec::new(),
                };
                if let Err(finding) = check_file(&head, size) {
                    errors.push(refused(finding.field, finding.code.message()));
                }
            }
        }
        if let (Some(issued_on), Some(expires_on), Some(context)) = (issued_on, expires_on, context)
        {
            let today = coop_core::contract::parse_date(&context.today);
            let study_permit_expires = context
                .study_permit_expires
                .as_deref()
                .and_then(coop_core::contract::parse_date);
            if let Some(today) = today {
                let (number, uci) = (text(data, "number"), text(data, "uci"));
                let form = DocumentForm {
                    kind,
                    number: &number,
                    uci: &uci,
                    issued_on,
                    expires_on,
                };
                let ctx = FormContext {
                    today,
                    study_permit_expires,
                };
                if let Err(findings) = validate_document(&form, &ctx) {
                    errors.extend(findings.iter().map(|f| refused(f.field, f.code.message())));
                }
            }
        }
        errors
    }

    /// Checks the form, keeps it as a draft (the file in Cache Storage), and sends it; where the
    /// browser cannot keep the file, sends it straight away.
    pub async fn submit(
        form: web_sys::HtmlFormElement,
        context: Option<DocumentsPage>,
        drafts: crate::drafts::Drafts,
    ) -> Outcome {
        use crate::drafts::{Draft, DraftForm, Sent};
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return Outcome::Refused(vec![(None, "The form cannot be read.".to_owned())]);
        };
        let errors = check(&data, context.as_ref()).await;
        if !errors.is_empty() {
            return Outcome::Refused(errors);
        }
        let Ok(file) = data.get("file").dyn_into::<web_sys::File>() else {
            return Outcome::Refused(vec![refused(
                "file",
                "Choose the file of the document (S7).",
            )]);
        };
        let key = crate::drafts::new_key();
        if !crate::drafts::keep_file(&key, &file).await {
            return send(form).await;
        }
        let mut fields = crate::forms::fields(&form);
        fields.push(("file_name".to_owned(), file.name()));
        let draft = Draft {
            key,
            form: DraftForm::Document,
            fields,
            saved: crate::drafts::saved_now(),
        };
        match drafts.submit(draft).await {
            Sent::Offline => Outcome::Kept,
            other => outcome_of(other),
        }
    }

    /// Sends a checked form straight away (where the browser cannot keep the file as a draft).
    async fn send(form: web_sys::HtmlFormElement) -> Outcome {
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return Outcome::Refused(vec![(None, "The form cannot be read.".to_owned())]);
        };
        outcome_of(crate::drafts::post_document(&data, None).await)
    }

    fn outcome_of(sent: crate::drafts::Sent) -> Outcome {
        use crate::drafts::Sent;
        match sent {
            Sent::Done { warnings, .. } => Outcome::Sent(warnings),
            Sent::Offline => Outcome::Refused(vec![(
                None,
                "The server cannot be reached; check your connection and submit again.".to_owned(),
            )]),
            Sent::Refused { message, fields } => {
                let mut errors = vec![(None, message)];
                errors.extend(fields);
                Outcome::Refused(errors)
            }
        }
    }
}
