//! Letter requests waiting for the office (L), oldest first with the time waited, each beside
//! the student's evaluation now: approve (the letter is made as a PDF and issued) or reject with
//! a reason. The moves are `coop_core::letter_request`'s.

use leptos::prelude::*;

use crate::api::letter_queue::{DecideLetter, letter_queue};
use crate::components::forms::{alert, outcome};

/// The queue of letter requests.
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
            <div aria-live="polite">{move || decide.value().get().map(outcome)}</div>
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
                                                <input type="hidden" name="form[id]" value=id/>
                                                <input type="hidden" name="form[decision]" value="approve"/>
                                                <button type="submit">"Approve and issue the letter"</button>
                                            </ActionForm>
                                            <ActionForm action=decide attr:class="inline">
                                                <input type="hidden" name="form[id]" value=id/>
                                                <input type="hidden" name="form[decision]" value="reject"/>
                                                <label for=reason_id.clone()>"Reason for rejecting"</label>
                                                <input id=reason_id name="form[reason]" required maxlength=coop_core::text_limits::REFUSAL_REASON.max_chars/>
                                                <button type="submit">"Reject"</button>
                                            </ActionForm>
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
