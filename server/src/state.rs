//! What every handler shares. Sessions, claims and data live in the database, so any number of
//! instances can serve one database; an instance keeps only a short memory of some of them
//! (`coop_store::caches`, with the bounds `coop_store::remembered` states).

use std::sync::Arc;

use axum::extract::FromRef;
use coop_store::Store;
use coop_store::settings::AuthSettings;
use leptos::config::LeptosOptions;

/// The router's state: one shared value, so handing it to a handler is a reference count, not a
/// copy of every setting (a per-request clone of these strings cost a fifth of a check's time).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// The state of a router.
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    /// The database.
    pub store: Store,
    /// Where the site's files are and what they are called.
    pub leptos: LeptosOptions,
    /// Sessions, their cookie and the app's origin (shared with the server functions).
    pub auth: AuthSettings,
    /// The FIPPA collection notice in force (F1), with the institution's contact.
    pub privacy: coop_store::service::privacy::PrivacyNotice,
    /// The institution as the co-op letter states it (None: not configured, letters wait).
    pub institution: Option<coop_store::service::letters::Institution>,
    /// Uploaded files, encrypted (`<data-dir>/files`).
    pub vault: coop_store::vault::Vault,
    /// E-mail for reminders sent again by hand (the background job has its own handle).
    pub mail: coop_store::settings::OfficeMail,
    /// The service worker script, with this build's precache list (None without a built site).
    pub service_worker: Option<Arc<str>>,
    /// Single sign-on through the institution's provider, when configured.
    pub sso: Option<Arc<crate::sso::Sso>>,
}

impl Shared {
    /// What approving a letter needs: where it is stored, what it states of the institution,
    /// and the site its verification address starts with.
    pub fn letter_issuing(&self) -> coop_store::settings::LetterIssuing {
        coop_store::settings::LetterIssuing {
            vault: self.vault.clone(),
            institution: self.institution.clone(),
            site: self.auth.origin.clone(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos.clone()
    }
}
