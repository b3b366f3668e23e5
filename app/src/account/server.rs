//! The server side of the account server functions, and what `/api/v1/session` shares with
//! them: the session cookie and the settings that shape it.

use axum::Extension;
use coop_store::Store;
use coop_store::service::ServiceError;
use coop_store::service::access::{Principal, require_signed_in};
use coop_store::service::passwords::Password;
use coop_store::service::sessions::{self, SessionPolicy};
use coop_store::service::sign_in::{SignInError, sign_in_replacing as open_session};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use super::SessionUser;
use super::client_limit::{ClientAddr, ClientLimit};

/// Failed sign-ins one client may make per [`CLIENT_WINDOW`] by default.
pub const CLIENT_FAILURES: u32 = 50;
/// The window of the per-client limit.
pub const CLIENT_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// How sessions and their cookie behave on this deployment.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Idle and absolute expiry.
    pub policy: SessionPolicy,
    /// `Secure` cookies (and the `__Host-` name) when the public URL is https.
    pub secure: bool,
    /// The app's origin (`https://coop.example.ca`): state-changing requests must come from it,
    /// and requests must name its host.
    pub origin: String,
    /// Other origins the same server is reached at, when no public URL is configured and it
    /// listens on loopback (`http://localhost:3000` beside `http://127.0.0.1:3000`).
    pub aliases: Vec<String>,
    /// Failed sign-ins per client address.
    pub client_limit: std::sync::Arc<ClientLimit>,
    /// The header a trusted proxy names the client's address in (None: the peer address).
    pub client_ip_header: Option<http::HeaderName>,
}

impl AuthSettings {
    /// Settings for a deployment at `origin` (`scheme://host[:port]`), with the default
    /// per-client limit and no aliases.
    pub fn new(origin: &str, policy: SessionPolicy) -> AuthSettings {
        AuthSettings {
            policy,
            secure: origin.starts_with("https://"),
            origin: origin.to_owned(),
            aliases: Vec::new(),
            client_limit: std::sync::Arc::new(ClientLimit::new(CLIENT_FAILURES, CLIENT_WINDOW)),
            client_ip_header: None,
        }
    }

    /// Whether `origin` (`scheme://host[:port]`) is this deployment's: scheme, host and port
    /// all compared (a browser sends them lower-case; the port only when not the default).
    pub fn is_own_origin(&self, origin: &str) -> bool {
        std::iter::once(&self.origin)
            .chain(&self.aliases)
            .any(|own| own.eq_ignore_ascii_case(origin))
    }

    /// Whether a request's `Host` (`host[:port]`) names this deployment.
    pub fn is_own_host(&self, host: &str) -> bool {
        std::iter::once(&self.origin)
            .chain(&self.aliases)
            .filter_map(|own| own.split_once("://"))
            .any(|(scheme, authority)| {
                authority.eq_ignore_ascii_case(host)
                    || default_port(scheme)
                        .and_then(|port| host.strip_suffix(port))
                        .is_some_and(|bare| authority.eq_ignore_ascii_case(bare))
            })
    }

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

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "https" => Some(":443"),
        "http" => Some(":80"),
        _ => None,
    }
}

/// Signs in through either door (`/api/v1/session` and the app's server function): the
/// per-client limit first, then the store's per-address lockout and the password check.
pub async fn sign_in_from(
    store: &Store,
    settings: &AuthSettings,
    client: ClientAddr,
    email: &str,
    password: &Password,
    replacing: Option<&str>,
) -> Result<coop_store::service::sign_in::SignedIn, SignInError> {
    let attempt = settings
        .client_limit
        .reserve(client, std::time::Instant::now())
        .map_err(|seconds| SignInError::TooManyFromClient {
            retry_after_seconds: i64::try_from(seconds).unwrap_or(i64::MAX),
        })?;
    let signed_in = open_session(
        store.db(),
        email,
        password,
        chrono::Utc::now(),
        settings.policy,
        replacing,
    )
    .await?;
    settings.client_limit.succeeded(attempt);
    Ok(signed_in)
}

/// Where the request came from, as the server's edge recorded it.
pub async fn client_addr() -> ClientAddr {
    leptos_axum::extract::<Extension<ClientAddr>>()
        .await
        .map_or(ClientAddr(None), |Extension(c)| c)
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
    let client = client_addr().await;
    let signed_in = sign_in_from(
        &store,
        &settings,
        client,
        &email,
        &Password::new(password),
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
        SignInError::TooManyFromClient {
            retry_after_seconds,
        } => fail(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-ins from this network. Try again in {} minutes.",
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
