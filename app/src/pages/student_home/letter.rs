//! The co-op letter (L) on a student's home page: the FIPPA collection notice (F1) to read and
//! acknowledge, the request form (only what the letter needs), and the student's requests with
//! their status, the office's reason, and withdrawal of a waiting one. The server decides
//! eligibility and every status change (`coop_core::letter_request`), and re-checks everything.

use coop_api::letters::{LetterPage, PrivacyNotice};
use coop_core::letter_request::LetterRequestStatus;
use leptos::prelude::*;

use crate::api::AppError;
use crate::api::letters::{WithdrawLetterRequest, my_letter_requests};
use crate::components::forms::{FieldError, alert};

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
    Refused(AppError),
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
                        Err(e) => alert(&e),
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
                    Said::Refused(why) => alert(&why),
                })}
                {move || withdraw.value().get().and_then(|outcome| outcome.err()).map(|e| alert(&e))}
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
    let pending = page
        .requests
        .iter()
        .any(|r| r.status == LetterRequestStatus::Pending);
    let form = if pending {
        view! { <p>"Your request is waiting for the co-op office. You can withdraw it below."</p> }
            .into_any()
    } else if !page.eligible {
        view! {
            <p class="bad">"You cannot request the letter yet:"</p>
            <ul class="letter-reasons">
                {page.reasons.into_iter().map(|r| view! {
                    <li data-reason=r.code.code()>{r.text}" "<span class="action">{r.action}</span></li>
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
            <p class="warning" data-warning=w.code.code()>{w.text}" "{w.action}</p>
        }).collect_view()}
        {form}
        {(!page.requests.is_empty()).then(|| view! {
            <h3>{format!("Your requests for the {}", page.letter_name)}</h3>
            <ul class="letter-requests">
                {page.requests.into_iter().map(|r| {
                    let id = r.id;
                    let waiting = r.status == LetterRequestStatus::Pending;
                    view! {
                        <li data-request=id data-status=r.status.code()>
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
    notice: PrivacyNotice,
    acknowledged: bool,
    said: RwSignal<Option<Said>>,
) -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use crate::drafts::{Draft, DraftForm, Sent};
            let drafts = expect_context::<crate::drafts::Drafts>();
            let Some(form) = crate::components::forms::form_of(&ev) else {
                return;
            };
            let draft = Draft {
                key: crate::drafts::new_key(),
                form: DraftForm::Letter,
                fields: crate::components::forms::fields(&form),
                saved: crate::drafts::saved_now(),
            };
            said.set(Some(Said::Sending));
            leptos::task::spawn_local(async move {
                let outcome = match drafts.submit(draft).await {
                    Sent::Done { .. } => Said::Sent,
                    Sent::Offline => Said::Kept,
                    Sent::Refused(error) => Said::Refused(error),
                };
                if outcome == Said::Kept {
                    form.reset();
                }
                said.set(Some(outcome));
            });
        }
    };
    let refused = Signal::derive(move || match said.get() {
        Some(Said::Refused(error)) => Some(error),
        _ => None,
    });
    view! {
        <form class="letter-request" on:submit=on_submit>
            <section class="privacy-notice" aria-labelledby="notice-title">
                <h3 id="notice-title">"Collection notice (F1)"</h3>
                <p>{notice.purpose}</p>
                <p>{notice.authority}</p>
                <p>
                    "Questions about this collection: "{notice.contact.title}", "
                    {notice.contact.address}", telephone "{notice.contact.phone}"."
                </p>
                <input type="hidden" name="privacy_notice" value=notice.version/>
                <div class="field check">
                    <input type="checkbox" id="letter-acknowledged" name="acknowledged" checked=acknowledged required aria-describedby="letter-acknowledged-error"/>
                    <label for="letter-acknowledged">"I have read the collection notice"</label>
                    <FieldError error=refused field="acknowledged" id="letter-acknowledged-error"/>
                    <FieldError error=refused field="privacy_notice" id="letter-notice-error"/>
                </div>
            </section>
            <div class="field">
                <label for="letter-first-term">"Your first work term starts on"</label>
                <input id="letter-first-term" type="date" name="first_term_start" required aria-describedby="letter-first-term-error"/>
                <FieldError error=refused field="first_term_start" id="letter-first-term-error"/>
            </div>
            <div class="field check">
                <input type="checkbox" id="letter-extending" name="extending_study_permit"/>
                <label for="letter-extending">"I am also applying to extend my study permit"</label>
            </div>
            <button type="submit" disabled=move || said.get() == Some(Said::Sending)>"Request the letter"</button>
        </form>
    }
}
