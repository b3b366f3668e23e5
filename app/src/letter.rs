//! The co-op letter (L) on a student's home page: the FIPPA collection notice (F1) to read and
//! acknowledge, the request form (only what the letter needs), and the student's requests with
//! their status, the office's reason, and withdrawal of a waiting one. The server decides
//! eligibility and every status change (`coop_core::letter_request`), and re-checks everything.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;
use crate::home::ReasonLine;

/// The collection notice as shown (F1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub version: String,
    pub purpose: String,
    pub authority: String,
    pub contact_title: String,
    pub contact_address: String,
    pub contact_phone: String,
}

/// One of the student's requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRequestView {
    pub id: i64,
    /// A `LetterRequestStatus` code.
    pub status: String,
    /// The status in a sentence.
    pub status_text: String,
    pub first_term_start: Option<String>,
    pub extending_study_permit: bool,
    pub requested_on: String,
    pub reason: Option<String>,
    /// The issued letter can be downloaded.
    pub has_letter: bool,
}

/// Everything the letter section shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterPage {
    pub notice: NoticeView,
    /// The student already acknowledged this version of the notice.
    pub acknowledged: bool,
    /// The letter's name under the regime in force for the student.
    pub letter_name: String,
    pub letter_use: String,
    /// L1, L2 hold.
    pub eligible: bool,
    pub reasons: Vec<ReasonLine>,
    /// L3.
    pub warnings: Vec<ReasonLine>,
    pub requests: Vec<LetterRequestView>,
}

#[cfg(feature = "ssr")]
fn request_view(model: &coop_store::entity::letter_request::Model) -> LetterRequestView {
    use coop_core::datetime_text::date_words;
    LetterRequestView {
        id: model.id,
        status: model.status.code().to_owned(),
        status_text: model.status.describe().to_owned(),
        first_term_start: model.first_term_start.map(date_words),
        extending_study_permit: model.extending_study_permit,
        requested_on: date_words(model.requested_at.date_naive()),
        reason: model.reason.clone(),
        has_letter: model.letter_file_id.is_some(),
    }
}

#[cfg(feature = "ssr")]
fn reason_lines(reasons: coop_core::reasons::Reasons) -> Vec<ReasonLine> {
    reasons
        .iter()
        .map(|r| {
            let x = coop_core::explain::reason(r);
            ReasonLine {
                code: r.code().to_owned(),
                text: x.text.to_owned(),
                action: x.action.to_owned(),
            }
        })
        .collect()
}

/// The signed-in student's letter section.
#[server(prefix = "/api/app", endpoint = "my_letter_requests")]
pub async fn my_letter_requests() -> Result<LetterPage, ServerFnError> {
    use crate::account::server::{context, context_store, principal, service_failure};
    use coop_core::explain;
    use coop_store::service::access::require_student;
    use coop_store::service::privacy::PrivacyNotice;
    use coop_store::service::{letters, records, students};

    let principal = principal().await;
    let (user, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let notice: PrivacyNotice = context()?;
    let model = students::get(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    let case = records::case_for(store.db(), &model, chrono::Utc::now())
        .await
        .map_err(service_failure)?;
    let e = coop_core::evaluate(&case);
    let version = notice.version();
    let acknowledged = letters::has_acknowledged(store.db(), user.id, &version)
        .await
        .map_err(service_failure)?;
    let requests = letters::list(store.db(), student_id)
        .await
        .map_err(service_failure)?;
    Ok(LetterPage {
        notice: NoticeView {
            version,
            purpose: PrivacyNotice::PURPOSE.to_owned(),
            authority: PrivacyNotice::AUTHORITY.to_owned(),
            contact_title: notice.contact.title.clone(),
            contact_address: notice.contact.address.clone(),
            contact_phone: notice.contact.phone.clone(),
        },
        acknowledged,
        letter_name: explain::letter_name(e.regime).to_owned(),
        letter_use: explain::letter_use(e.regime).to_owned(),
        eligible: e.letter.eligible,
        reasons: reason_lines(e.letter.reasons),
        warnings: reason_lines(e.letter.warnings),
        requests: requests.iter().map(request_view).collect(),
    })
}

/// The student requests the letter. `acknowledged` is the notice checkbox (`on` when ticked);
/// `privacy_notice` the version of the notice shown.
#[server(prefix = "/api/app", endpoint = "request_letter")]
pub async fn request_letter(
    first_term_start: String,
    #[server(default)] extending_study_permit: Option<String>,
    #[server(default)] acknowledged: Option<String>,
    privacy_notice: String,
    #[server(default)] client_key: Option<String>,
) -> Result<LetterRequestView, ServerFnError> {
    use crate::account::server::{context, context_store, fail, principal, service_failure};
    use coop_store::service::access::require_student;
    use coop_store::service::letters::{self, NewLetterRequest};
    use coop_store::service::privacy::PrivacyNotice;
    use http::StatusCode;

    let principal = principal().await;
    let (user, student_id) = require_student(&principal).map_err(service_failure)?;
    if acknowledged.is_none() {
        return Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please confirm that you have read the collection notice (F1).",
        ));
    }
    let first_term_start =
        coop_core::contract::parse_date(first_term_start.trim()).ok_or_else(|| {
            fail(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Enter the date your first work term starts.",
            )
        })?;
    let store = context_store()?;
    let notice: PrivacyNotice = context()?;
    let created = letters::request(
        store.db(),
        &notice,
        user.id,
        student_id,
        NewLetterRequest {
            first_term_start,
            extending_study_permit: extending_study_permit.is_some(),
            notice_version: privacy_notice,
            client_key: coop_store::service::idempotency::parse(client_key.as_deref())
                .map_err(service_failure)?,
        },
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(request_view(&created))
}

/// The student withdraws a request still waiting for review.
#[server(prefix = "/api/app", endpoint = "withdraw_letter_request")]
pub async fn withdraw_letter_request(id: i64) -> Result<LetterRequestView, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::letters;

    let principal = principal().await;
    let (user, student_id) = require_student(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let after = letters::withdraw(
        store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await
    .map_err(service_failure)?;
    Ok(request_view(&after))
}

/// What the request form last said.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser sends drafts")
)]
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    Sending,
    Sent,
    Kept,
    Refused(String),
}

/// The letter section of a student's home page.
#[component]
pub fn LetterSection() -> impl IntoView {
    let drafts = expect_context::<crate::drafts::Drafts>();
    let said = RwSignal::new(None::<Said>);
    let withdraw = ServerAction::<WithdrawLetterRequest>::new();
    let page = LocalResource::new(move || {
        // Read again after every request taken (also from a draft) or withdrawal.
        drafts.taken.get();
        withdraw.version().get();
        my_letter_requests()
    });
    view! {
        <section aria-labelledby="letter-title" class="letter">
            <h2 id="letter-title">"Your co-op letter"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <LetterBody page=p said withdraw/> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <div aria-live="polite">
                {move || said.get().map(|said| match said {
                    Said::Sending => view! { <p>"Sending…"</p> }.into_any(),
                    Said::Sent => view! { <p class="letter-outcome">"Your request was sent to the co-op office."</p> }.into_any(),
                    Said::Kept => view! {
                        <p class="draft-kept">"Saved on this device: not sent yet. It will be sent when you are back online."</p>
                    }.into_any(),
                    Said::Refused(why) => view! { <p class="form-error" role="alert">{why}</p> }.into_any(),
                })}
                {move || withdraw.value().get().and_then(|outcome| outcome.err()).map(|e| view! {
                    <p class="form-error" role="alert">{message_of(&e)}</p>
                })}
            </div>
        </section>
    }
}

#[component]
fn LetterBody(
    page: LetterPage,
    said: RwSignal<Option<Said>>,
    withdraw: ServerAction<WithdrawLetterRequest>,
) -> impl IntoView {
    let pending = page.requests.iter().any(|r| r.status == "pending");
    let form = if pending {
        view! { <p>"Your request is waiting for the co-op office. You can withdraw it below."</p> }
            .into_any()
    } else if !page.eligible {
        view! {
            <p class="bad">"You cannot request the letter yet:"</p>
            <ul class="letter-reasons">
                {page.reasons.into_iter().map(|r| view! {
                    <li data-reason=r.code>{r.text}" "<span class="action">{r.action}</span></li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    } else {
        view! { <LetterForm notice=page.notice acknowledged=page.acknowledged said/> }.into_any()
    };
    view! {
        <p>{page.letter_use}</p>
        <p class="hint">{coop_core::explain::LETTER_RULES}</p>
        {page.warnings.into_iter().map(|w| view! {
            <p class="warning" data-warning=w.code>{w.text}" "{w.action}</p>
        }).collect_view()}
        {form}
        {(!page.requests.is_empty()).then(|| view! {
            <h3>{format!("Your requests for the {}", page.letter_name)}</h3>
            <ul class="letter-requests">
                {page.requests.into_iter().map(|r| {
                    let id = r.id;
                    let waiting = r.status == "pending";
                    view! {
                        <li data-request=id data-status=r.status.clone()>
                            <span>{format!("Requested on {}", r.requested_on)}</span>
                            {r.first_term_start.map(|d| view! { <span>{format!(", first work term from {d}")}</span> })}
                            <span>". "{r.status_text}</span>
                            {r.reason.map(|why| view! { <span class="reason">{format!(" Reason: {why}")}</span> })}
                            {r.has_letter.then(|| view! {
                                " "<a href=format!("/api/v1/me/letter-requests/{id}/letter.pdf") download>"Download your letter (PDF)"</a>
                            })}
                            {waiting.then(|| view! {
                                <ActionForm action=withdraw attr:class="inline">
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit">"Withdraw this request"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The request form: kept on the device first (a draft), then sent.
#[component]
fn LetterForm(
    notice: NoticeView,
    acknowledged: bool,
    said: RwSignal<Option<Said>>,
) -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use crate::drafts::{Draft, DraftForm, Sent};
            let drafts = expect_context::<crate::drafts::Drafts>();
            let Some(form) = crate::forms::form_of(&ev) else {
                return;
            };
            let draft = Draft {
                key: crate::drafts::new_key(),
                form: DraftForm::Letter,
                fields: crate::forms::fields(&form),
                saved: crate::drafts::saved_now(),
            };
            said.set(Some(Said::Sending));
            leptos::task::spawn_local(async move {
                let outcome = match drafts.submit(draft).await {
                    Sent::Done { .. } => Said::Sent,
                    Sent::Offline => Said::Kept,
                    Sent::Refused { message, .. } => Said::Refused(message),
                };
                if outcome == Said::Kept {
                    form.reset();
                }
                said.set(Some(outcome));
            });
        }
    };
    view! {
        <form class="letter-request" on:submit=on_submit>
            <section class="privacy-notice" aria-labelledby="notice-title">
                <h3 id="notice-title">"Collection notice (F1)"</h3>
                <p>{notice.purpose}</p>
                <p>{notice.authority}</p>
                <p>
                    "Questions about this collection: "{notice.contact_title}", "
                    {notice.contact_address}", telephone "{notice.contact_phone}"."
                </p>
                <input type="hidden" name="privacy_notice" value=notice.version/>
                <div class="field check">
                    <input type="checkbox" id="letter-acknowledged" name="acknowledged" checked=acknowledged required/>
                    <label for="letter-acknowledged">"I have read the collection notice"</label>
                </div>
            </section>
            <div class="field">
                <label for="letter-first-term">"Your first work term starts on"</label>
                <input id="letter-first-term" type="date" name="first_term_start" required/>
            </div>
            <div class="field check">
                <input type="checkbox" id="letter-extending" name="extending_study_permit"/>
                <label for="letter-extending">"I am also applying to extend my study permit"</label>
            </div>
            <button type="submit" disabled=move || said.get() == Some(Said::Sending)>"Request the letter"</button>
        </form>
    }
}
