//! Signing in and out, and who is signed in: the same services as `/api/v1/session`.

use coop_api::accounts::SessionUser;
use leptos::prelude::*;

use super::AppError;

/// Signs in with an e-mail address and password (the form's `credentials[email]`,
/// `credentials[password]`); sets the session cookie.
#[server(prefix = "/api/app", endpoint = "sign_in")]
pub async fn sign_in(credentials: coop_api::accounts::SignIn) -> Result<SessionUser, AppError> {
    use super::context;
    use coop_store::service::passwords::Password;
    use coop_store::service::sign_in::sign_in_from;
    use coop_store::settings::AuthSettings;

    let store = context::store()?;
    let settings = context::provided::<AuthSettings>()?;
    let previous = context::principal().await;
    let signed_in = sign_in_from(
        store.db(),
        &settings,
        context::client_addr().await,
        &credentials.email,
        &Password::new(credentials.password),
        previous.session_id(),
    )
    .await?;
    if let Some(cookie) = settings.session_cookie(&signed_in.token) {
        context::response()?.append_header(http::header::SET_COOKIE, cookie);
    }
    Ok(SessionUser::from(&signed_in.user))
}

/// Signs out: the session is revoked on the server and the cookie cleared. For a session opened
/// by single sign-on, the answer is the provider's address that ends its session too (the
/// browser goes there next); otherwise none.
#[server(prefix = "/api/app", endpoint = "sign_out")]
pub async fn sign_out() -> Result<Option<String>, AppError> {
    use super::context;
    use coop_store::service::access::require_signed_in;
    use coop_store::service::sessions;
    use coop_store::settings::AuthSettings;

    let principal = context::principal().await;
    let user = require_signed_in(&principal)?;
    let store = context::store()?;
    let settings = context::provided::<AuthSettings>()?;
    let id_token = sessions::sign_out(
        store.db(),
        user.id,
        principal.session_id(),
        chrono::Utc::now(),
    )
    .await?;
    if let Some(cookie) = settings.clear_cookie() {
        context::response()?.append_header(http::header::SET_COOKIE, cookie);
    }
    let come_back_to = settings.page_url("/");
    Ok(id_token.and_then(|token| {
        settings
            .sso
            .as_ref()
            .and_then(|sso| sso.sign_out_url(&token, &come_back_to))
    }))
}

/// How people sign in here: with a password, with the institution's account, or both.
#[server(prefix = "/api/app", endpoint = "sign_in_options")]
pub async fn sign_in_options() -> Result<coop_api::accounts::SignInOptions, AppError> {
    let settings = super::context::provided::<coop_store::settings::AuthSettings>()?;
    Ok(coop_api::accounts::SignInOptions {
        password: settings.password_sign_in,
        sso: settings.sso.as_ref().map(|sso| sso.name.clone()),
    })
}

/// Who is signed in, if anyone.
#[server(prefix = "/api/app", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<SessionUser>, AppError> {
    Ok(super::context::principal()
        .await
        .user()
        .map(SessionUser::from))
}
