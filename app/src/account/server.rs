//! The server side of the account server functions, and what `/api/v1/session` shares with
//! them: the session cookie and the settings that shape it.

use axum::Extension;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::access::{CurrentUser, Principal, require_signed_in};
use coop_store::service::passwords::Password;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::sign_in::{SignInError, sign_in_replacing as open_session};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::SessionUser;

/// How sessions and their cookie behave on this deployment.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Idle and absolute expiry.
    pub policy: SessionPolicy,
    /// `Secure` cookies (and the `__Host-` name) when the public URL is https.
    pub secure: bool,
    /// The app's origin (`https://coop.example.ca`): state-changing requests must come from it.
    pub origin: String,
}

impl AuthSettings {
    /// The cookie's name: `__Host-` binds it to this host, over https only.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-coop_session"
        } else {
            "coop_session"
        }
    }

    /// `Set-Cookie` for a new session.
    pub fn session_cookie(&self, token: &str) -> Option<HeaderValue> {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            self.cookie_name(),
            self.policy.absolute.num_seconds()
        ))
        .ok()
    }

    /// `Set-Cookie` that removes the session cookie.
    pub fn clear_cookie(&self) -> Option<HeaderValue> {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            self.cookie_name()
        ))
        .ok()
    }

    /// The session token a request's cookies carry.
    pub fn token_in<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        let name = self.cookie_name();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
            .filter(|value| !value.is_empty())
    }
}

impl From<&CurrentUser> for SessionUser {
    fn from(user: &CurrentUser) -> SessionUser {
        SessionUser {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role.code().to_owned(),
        }
    }
}

/// A server function's failure, with the HTTP status the API would answer.
pub fn fail(status: StatusCode, message: impl Into<String>) -> ServerFnError {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
    ServerFnError::new(message.into())
}

/// A service error as a server function's failure (causes logged, never shown).
pub fn service_failure(error: ServiceError) -> ServerFnError {
    match error {
        ServiceError::Unauthenticated => fail(StatusCode::UNAUTHORIZED, "Please sign in."),
        ServiceError::Forbidden => fail(StatusCode::FORBIDDEN, "Your role may not do this."),
        ServiceError::NotFound => fail(StatusCode::NOT_FOUND, "Not found."),
        ServiceError::Conflict { field } => fail(
            StatusCode::CONFLICT,
            format!("That {field} is already in use."),
        ),
        ServiceError::Invalid { field, message } => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{field}: {message}"),
        ),
        ServiceError::State(message) => fail(StatusCode::CONFLICT, message),
        ServiceError::Findings(findings) => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            findings
                .iter()
                .map(|f| f.code.message())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ServiceError::NotEligible { reasons } => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            reasons
                .iter()
                .map(|r| coop_core::explain::reason(*r).text)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ServiceError::Unavailable(message) => fail(StatusCode::SERVICE_UNAVAILABLE, message),
        ServiceError::Db(cause) => {
            tracing::error!(error.cause = %cause, "database error in a server function");
            fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
        }
        ServiceError::Internal(cause) => {
            tracing::error!(error.cause = %cause, "internal error in a server function");
            fail(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
        }
    }
}

/// A value the server provided to server functions.
pub fn context<T: Clone + Send + Sync + 'static>() -> Result<T, ServerFnError> {
    use_context::<T>().ok_or_else(|| {
        fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The server is not configured for accounts.",
        )
    })
}

/// The store, as the server provided it to server functions.
pub fn context_store() -> Result<Store, ServerFnError> {
    context::<Store>()
}

/// Who sent the request (the server's authentication layer put it there).
pub async fn principal() -> Principal {
    leptos_axum::extract::<Extension<Principal>>()
        .await
        .map_or(Principal::Anonymous, |Extension(p)| p)
}

pub async fn sign_in(email: String, password: String) -> Result<SessionUser, ServerFnError> {
    let store = context::<Store>()?;
    let settings = context::<AuthSettings>()?;
    let previous = principal().await;
    let replacing = previous.session_id();
    let signed_in = open_session(
        store.db(),
        &email,
        &Password::new(password),
        chrono::Utc::now(),
        settings.policy,
        replacing,
    )
    .await
    .map_err(|e| match e {
        SignInError::InvalidCredentials => fail(
            StatusCode::UNAUTHORIZED,
            "The e-mail address or password is not right.",
        ),
        SignInError::TooManyAttempts {
            retry_after_seconds,
        } => fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-ins for this account. Try again in {} minutes.",
                (retry_after_seconds + 59) / 60
            ),
        ),
        SignInError::Service(e) => service_failure(e),
    })?;
    let response = context::<ResponseOptions>()?;
    if let Some(cookie) = settings.session_cookie(&signed_in.token) {
        response.append_header(header::SET_COOKIE, cookie);
    }
    Ok(SessionUser::from(&signed_in.user))
}

pub async fn sign_out() -> Result<(), ServerFnError> {
    let store = context::<Store>()?;
    let settings = context::<AuthSettings>()?;
    let principal = principal().await;
    let user = require_signed_in(&principal).map_err(service_failure)?;
    let now = chrono::Utc::now();
    let session_id = principal.session_id();
    sessions::sign_out(store.db(), user.id, session_id, now)
        .await
        .map_err(service_failure)?;
    let response = context::<ResponseOptions>()?;
    if let Some(cookie) = settings.clear_cookie() {
        response.append_header(header::SET_COOKIE, cookie);
    }
    Ok(())
}

pub async fn who_am_i() -> Result<Option<SessionUser>, ServerFnError> {
    Ok(principal().await.user().map(SessionUser::from))
}
