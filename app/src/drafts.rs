//! Drafts kept on the device: what a student submits (a letter request, an application report,
//! a document) is first saved in the browser with an idempotency key, then sent. Without a
//! connection it stays, marked "not sent yet", and is sent when the connection returns — exactly
//! once, because the server answers a key it has seen with the first submission. A draft the
//! server refuses is removed and the student told why.
//!
//! Drafts are kept per signed-in user (local storage; a document's file in Cache Storage), so
//! another person signing in on the same device never sends them — and they end with the
//! session: signing out removes them (after asking, when some are unsent), and a sign-in by
//! another user removes every other user's, so on a shared computer nothing of one student's
//! permit numbers or scans stays readable for the next.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::AppError;

/// Which form a draft is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftForm {
    Letter,
    Application,
    Document,
}

impl DraftForm {
    pub fn words(self) -> &'static str {
        match self {
            DraftForm::Letter => "Letter request",
            DraftForm::Application => "Application to IRCC",
            DraftForm::Document => "Document",
        }
    }
}

/// Where a user's drafts are kept in local storage.
const STORAGE_PREFIX: &str = "coop-permits.drafts.";

fn storage_key(user: i64) -> String {
    format!("{STORAGE_PREFIX}v1.user-{user}")
}

/// How many drafts `user` has kept on this device (none outside the browser).
pub fn kept_for(user: i64) -> usize {
    #[cfg(feature = "hydrate")]
    {
        crate::components::browser::load(&storage_key(user))
            .and_then(|text| serde_json::from_str::<Vec<Draft>>(&text).ok())
            .map_or(0, |list| list.len())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = user;
        0
    }
}

/// Removes from this device every user's drafts but `keep`'s (`None`: everyone's), with their
/// files in Cache Storage: at sign-out, and when another user signs in.
pub async fn forget_all_but(keep: Option<i64>) {
    #[cfg(feature = "hydrate")]
    {
        let kept = keep.map(storage_key);
        for key in crate::components::browser::keys_starting(STORAGE_PREFIX) {
            if Some(&key) == kept.as_ref() {
                continue;
            }
            let drafts = crate::components::browser::load(&key)
                .and_then(|text| serde_json::from_str::<Vec<Draft>>(&text).ok())
                .unwrap_or_default();
            for draft in drafts {
                send::forget_file(&draft.key).await;
            }
            crate::components::browser::remove(&key);
        }
        if keep.is_none() {
            send::forget_every_file().await;
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = keep;
    }
}

/// One submission not yet answered by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The idempotency key sent with it.
    pub key: String,
    pub form: DraftForm,
    /// The form's fields as typed (a document's file is kept apart).
    pub fields: Vec<(String, String)>,
    /// When it was saved, in words.
    pub saved: String,
}

impl Draft {
    #[cfg_attr(
        not(feature = "hydrate"),
        expect(dead_code, reason = "only the browser sends drafts")
    )]
    pub fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The server's answer to one draft.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser sends drafts")
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Taken: what to tell the student, and (for an application) whether it was timely (T4).
    Done {
        message: String,
        timely: Option<bool>,
        warnings: Vec<String>,
    },
    /// No connection: kept for later.
    Offline,
    /// Refused: the server's answer, by field where it said.
    Refused(AppError),
}

/// The drafts of the signed-in user, shared by the forms of the home page.
#[derive(Debug, Clone, Copy)]
pub struct Drafts {
    user: i64,
    pub list: RwSignal<Vec<Draft>>,
    /// Drafts the server refused after all, in words (shown until the page is left).
    pub refused: RwSignal<Vec<String>>,
    /// Bumped after every draft the server took, so the sections showing records read again.
    pub taken: RwSignal<u32>,
    #[cfg_attr(
        not(feature = "hydrate"),
        expect(dead_code, reason = "only the browser sends drafts")
    )]
    sending: RwSignal<bool>,
}

impl Drafts {
    /// The user's drafts, as saved on this device.
    pub fn new(user: i64) -> Drafts {
        let drafts = Drafts {
            user,
            list: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
            taken: RwSignal::new(0),
            sending: RwSignal::new(false),
        };
        #[cfg(feature = "hydrate")]
        {
            let saved = crate::components::browser::load(&drafts.storage_key())
                .and_then(|text| serde_json::from_str::<Vec<Draft>>(&text).ok())
                .unwrap_or_default();
            drafts.list.set(saved);
            // Sent as soon as the page is up, and whenever the connection returns.
            drafts.send_all();
            let handle = window_event_listener(leptos::ev::online, move |_| drafts.send_all());
            on_cleanup(move || handle.remove());
        }
        drafts
    }

    #[cfg_attr(not(feature = "hydrate"), expect(dead_code, reason = "browser only"))]
    fn storage_key(&self) -> String {
        storage_key(self.user)
    }

    #[cfg(feature = "hydrate")]
    fn persist(&self) {
        if let Ok(text) = self.list.with_untracked(serde_json::to_string) {
            crate::components::browser::save(&self.storage_key(), &text);
        }
    }

    /// Keeps a new draft, then sends it (and any other waiting); the answer for this one.
    #[cfg(feature = "hydrate")]
    pub async fn submit(self, draft: Draft) -> Sent {
        let key = draft.key.clone();
        self.list.update(|l| l.push(draft.clone()));
        self.persist();
        let sent = send::one(&draft).await;
        self.settle(&key, &draft, &sent).await;
        sent
    }

    /// Sends every waiting draft, one at a time, unless a round is already under way.
    pub fn send_all(self) {
        #[cfg(feature = "hydrate")]
        {
            if self.sending.get_untracked() {
                return;
            }
            self.sending.set(true);
            leptos::task::spawn_local(async move {
                for draft in self.list.get_untracked() {
                    let sent = send::one(&draft).await;
                    if sent == Sent::Offline {
                        break;
                    }
                    self.settle(&draft.key, &draft, &sent).await;
                }
                self.sending.set(false);
            });
        }
    }

    /// Removes a draft the student no longer wants sent.
    pub fn discard(self, key: &str) {
        self.list.update(|l| l.retain(|d| d.key != key));
        #[cfg(feature = "hydrate")]
        {
            self.persist();
            let key = key.to_owned();
            leptos::task::spawn_local(async move { send::forget_file(&key).await });
        }
    }

    #[cfg(feature = "hydrate")]
    async fn settle(self, key: &str, draft: &Draft, sent: &Sent) {
        match sent {
            Sent::Offline => return,
            Sent::Done { .. } => self.taken.update(|n| *n += 1),
            Sent::Refused(error) => self.refused.update(|r| {
                r.push(format!(
                    "{} saved {} was not sent: {}",
                    draft.form.words(),
                    draft.saved,
                    error.message()
                ))
            }),
        }
        self.list.update(|l| l.retain(|d| d.key != key));
        self.persist();
        send::forget_file(key).await;
    }
}

/// A new idempotency key (a random UUID from the browser).
#[cfg(feature = "hydrate")]
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("draft-{}", js_sys::Date::now()))
}

/// "Fri 27 Nov 2026, 14:05" on the device's clock, for the list of drafts.
#[cfg(feature = "hydrate")]
pub fn saved_now() -> String {
    let now = crate::components::browser::now();
    let zone = crate::components::browser::zone()
        .and_then(|z| coop_core::time::Zone::named(&z).ok())
        .unwrap_or_else(coop_core::time::Zone::utc);
    coop_core::datetime_text::datetime_words(&zone.local(now))
}

/// The list of drafts not sent yet, and drafts refused after all.
#[component]
pub fn DraftsPanel(drafts: Drafts) -> impl IntoView {
    view! {
        {move || (!drafts.list.with(Vec::is_empty)).then(|| view! {
            <section class="card drafts" aria-labelledby="drafts-title">
                <h2 id="drafts-title">"Not sent yet"</h2>
                <p>"These are kept on this device and will be sent when you are back online."</p>
                <ul>
                    {drafts.list.get().into_iter().map(|d| {
                        let key = d.key.clone();
                        view! {
                            <li data-draft=d.form.words()>
                                <strong>{d.form.words()}</strong>{format!(", saved {}: not sent yet. ", d.saved)}
                                <button type="button" on:click=move |_| drafts.discard(&key)>"Discard"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button type="button" on:click=move |_| drafts.send_all()>"Send now"</button>
            </section>
        })}
        {move || drafts.refused.get().into_iter().map(|text| view! {
            <p class="form-error" role="alert">{text}</p>
        }).collect_view()}
    }
}

/// Sending one draft by its form.
#[cfg(feature = "hydrate")]
mod send {
    use coop_api::applications::ApplicationReportForm;
    use coop_api::letters::LetterRequestForm;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use super::{AppError, Draft, DraftForm, Sent};

    /// Where a document draft's file waits (Cache Storage holds files of any size and type).
    const FILE_CACHE: &str = "coop-drafts";

    fn file_url(key: &str) -> String {
        format!("/drafts/{key}")
    }

    fn from_server_fn<T>(result: Result<T, AppError>, done: impl FnOnce(T) -> Sent) -> Sent {
        match result {
            Ok(value) => done(value),
            Err(e) if e.is_offline() => Sent::Offline,
            Err(e) => Sent::Refused(e),
        }
    }

    pub async fn one(draft: &Draft) -> Sent {
        match draft.form {
            DraftForm::Letter => {
                let given = |name: &str| Some(draft.field(name)).filter(|v| !v.is_empty());
                let result = crate::api::letters::request_letter(LetterRequestForm {
                    first_term_start: draft.field("first_term_start"),
                    extending_study_permit: given("extending_study_permit"),
                    acknowledged: given("acknowledged"),
                    privacy_notice: draft.field("privacy_notice"),
                    client_key: Some(draft.key.clone()),
                })
                .await;
                from_server_fn(result, |_| Sent::Done {
                    message: "Your request was sent to the co-op office.".to_owned(),
                    timely: None,
                    warnings: Vec::new(),
                })
            }
            DraftForm::Application => {
                let result = crate::api::applications::report_application(ApplicationReportForm {
                    for_document: draft.field("for_document"),
                    when: draft.field("when"),
                    submitted_local: draft.field("submitted_local"),
                    submitted_utc_date: draft.field("submitted_utc_date"),
                    application_number: draft.field("application_number"),
                    client_key: Some(draft.key.clone()),
                })
                .await;
                from_server_fn(result, |o| Sent::Done {
                    message: format!("Read as {}. {}", o.submitted_at_utc, o.message),
                    timely: o.timely,
                    warnings: Vec::new(),
                })
            }
            DraftForm::Document => document(draft).await,
        }
    }

    async fn cache() -> Option<web_sys::Cache> {
        let caches = web_sys::window()?.caches().ok()?;
        JsFuture::from(caches.open(FILE_CACHE))
            .await
            .ok()?
            .dyn_into()
            .ok()
    }

    /// Keeps a document draft's file until the draft is sent; false when this browser cannot.
    pub async fn keep_file(key: &str, file: &web_sys::File) -> bool {
        let Some(cache) = cache().await else {
            return false;
        };
        let Ok(response) = web_sys::Response::new_with_opt_blob(Some(file)) else {
            return false;
        };
        JsFuture::from(cache.put_with_str(&file_url(key), &response))
            .await
            .is_ok()
    }

    pub async fn forget_file(key: &str) {
        if let Some(cache) = cache().await {
            let _ = JsFuture::from(cache.delete_with_str(&file_url(key))).await;
        }
    }

    /// Deletes the drafts' whole cache (files of drafts whose list was lost included).
    pub async fn forget_every_file() {
        if let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) {
            let _ = JsFuture::from(caches.delete(FILE_CACHE)).await;
        }
    }

    async fn kept_file(key: &str) -> Option<web_sys::Blob> {
        let cache = cache().await?;
        let response: web_sys::Response = JsFuture::from(cache.match_with_str(&file_url(key)))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        JsFuture::from(response.blob().ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()
    }

    fn refused(message: &str) -> Sent {
        Sent::Refused(AppError::new("invalid", message))
    }

    async fn document(draft: &Draft) -> Sent {
        let Some(file) = kept_file(&draft.key).await else {
            return refused("its file is no longer on this device; please choose it again.");
        };
        let Ok(data) = web_sys::FormData::new() else {
            return refused("the form cannot be built in this browser.");
        };
        for (name, value) in draft.fields.iter().filter(|(n, _)| n != "file_name") {
            let _ = data.append_with_str(name, value);
        }
        let name = draft.field("file_name");
        let _ = data.append_with_blob_and_filename("file", &file, &name);
        post_document(&data, Some(&draft.key)).await
    }

    /// `POST /api/v1/me/documents` with a document form (and its idempotency key); the answer.
    pub async fn post_document(data: &web_sys::FormData, key: Option<&str>) -> Sent {
        let Some(window) = web_sys::window() else {
            return Sent::Offline;
        };
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(data);
        if let Some(key) = key {
            let Ok(headers) = web_sys::Headers::new() else {
                return refused("the request cannot be built in this browser.");
            };
            let _ = headers.set("Idempotency-Key", key);
            init.set_headers(&headers);
        }
        let Ok(response) =
            JsFuture::from(window.fetch_with_str_and_init("/api/v1/me/documents", &init))
                .await
                .and_then(|r| r.dyn_into::<web_sys::Response>())
        else {
            return Sent::Offline;
        };
        let body = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        if response.status() == 201 {
            let warnings = serde_json::from_str::<coop_api::documents::SubmissionWarnings>(&body)
                .map(|submitted| submitted.warnings.into_iter().map(|w| w.message).collect())
                .unwrap_or_default();
            return Sent::Done {
                message: "Submitted. The co-op office will verify it (S8).".to_owned(),
                timely: None,
                warnings,
            };
        }
        let Ok(refusal) = serde_json::from_str::<coop_api::ErrorBody>(&body) else {
            // A gateway's error page while the server is unreachable is not the server's refusal.
            if response.status() >= 500 {
                return Sent::Offline;
            }
            return refused(&format!(
                "the server refused the document ({}).",
                response.status()
            ));
        };
        Sent::Refused(AppError(refusal))
    }
}

#[cfg(feature = "hydrate")]
pub use send::{keep_file, post_document};
