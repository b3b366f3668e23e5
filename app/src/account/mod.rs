//! Accounts in the single-page app: sign-in, sign-out and who is signed in, as server functions
//! whose bodies (`ssr`) call the same coop-store services as `/api/v1/session`.

#[cfg(feature = "ssr")]
pub mod client_limit;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;

pub use pages::{AccountRoute, SignInRoute, SiteHeader, message_of};

/// The signed-in user: the same wire type `/api/v1/session` answers with.
pub use coop_api::accounts::SessionUser;

/// Signs in with an e-mail address and password; sets the session cookie.
#[server(prefix = "/api/app", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionUser, ServerFnError> {
    server::sign_in(email, password).await
}

/// Signs out: the session is revoked on the server and the cookie cleared.
#[server(prefix = "/api/app", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    server::sign_out().await
}

/// Who is signed in, if anyone.
#[server(prefix = "/api/app", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<SessionUser>, ServerFnError> {
    server::who_am_i().await
}
