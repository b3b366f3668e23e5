//! A student's notices (R1 reminders, the office's decisions, a late report), newest first, each
//! marked read when the student says so.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub when: String,
    pub read: bool,
}

/// The signed-in user's notices.
#[server(prefix = "/api/app", endpoint = "my_notices")]
pub async fn my_notices() -> Result<Vec<NoticeView>, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_signed_in;

    let principal = principal().await;
    let user = require_signed_in(&principal).map_err(service_failure)?;
    let store = context_store()?;
    Ok(coop_store::service::notices::of_user(store.db(), user.id)
        .await
        .map_err(service_failure)?
        .into_iter()
        .map(|n| NoticeView {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            when: coop_core::datetime_text::datetime_words(&n.created_at) + " UTC",
            read: n.read_at.is_some(),
        })
        .collect())
}

/// Marks one of the user's notices read.
#[server(prefix = "/api/app", endpoint = "mark_notice_read")]
pub async fn mark_notice_read(id: i64) -> Result<(), ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_signed_in;

    let principal = principal().await;
    let user = require_signed_in(&principal).map_err(service_failure)?;
    let store = context_store()?;
    coop_store::service::notices::mark_read(store.db(), user.id, id, chrono::Utc::now())
        .await
        .map_err(service_failure)
}

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
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
