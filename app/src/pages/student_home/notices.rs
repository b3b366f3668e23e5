//! A student's messages (R1 reminders, the office's decisions, a late report), newest first,
//! each marked read when the student says so.

use leptos::prelude::*;

use crate::api::notices::{MarkNoticeRead, my_notices};
use crate::components::forms::alert;

/// The messages card.
#[component]
pub fn NoticesCard() -> impl IntoView {
    let read = ServerAction::<MarkNoticeRead>::new();
    let notices = LocalResource::new(move || {
        read.version().get();
        my_notices()
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => {
                        let unread = list.iter().filter(|n| !n.read).count();
                        view! {
                            <section class="card notices" aria-labelledby="notices-title">
                                <h2 id="notices-title">"Messages"</h2>
                                <p>{format!("{unread} unread")}</p>
                                <ul>
                                    {list.into_iter().map(|n| {
                                        let id = n.id;
                                        view! {
                                            <li data-notice=n.kind data-read=n.read.to_string()>
                                                <strong>{n.title}</strong>" "<span class="hint">{n.when}</span>
                                                <p>{n.body}</p>
                                                {(!n.read).then(|| view! {
                                                    <ActionForm action=read attr:class="inline">
                                                        <input type="hidden" name="id" value=id/>
                                                        <button type="submit">"Mark as read"</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}
