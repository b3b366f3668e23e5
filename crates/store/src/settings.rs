//! The running server's settings that services and the app's server functions read: how
//! sessions and their cookie behave, where letters are stored and what they state, and the
//! office's mailer. The server builds them from its configuration once, at start.

use http::{HeaderMap, HeaderValue, header};

use crate::service::client_limit::ClientLimit;
use crate::service::sessions::SessionPolicy;

/// Password-reset requests one client may make per [`RESET_WINDOW`].
pub const RESET_PER_CLIENT: u32 = 20;
/// Password-reset requests one address may get per [`RESET_WINDOW`] (on each instance; across
/// instances the database keeps at most this many e-mails per account per window).
pub const RESET_PER_ADDRESS: u32 = 3;
/// The window of the password-reset limits.
pub const RESET_WINDOW: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Verification codes that match no letter one client may try per [`RESET_WINDOW`].
pub const VERIFY_MISSES_PER_CLIENT: u32 = 30;

/// How long a single sign-on may take at the provider (its `state` and this browser's cookie
/// expire then).
pub const SSO_LOGIN_MINUTES: i64 = 10;

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
    /// Whether people may sign in with a password (off: single sign-on only).
    pub password_sign_in: bool,
    /// Single sign-on through the institution's provider, when configured.
    pub sso: Option<std::sync::Arc<SsoPublic>>,
    /// Password-reset requests per client and per address.
    pub reset_per_client: std::sync::Arc<ClientLimit>,
    pub reset_per_address: std::sync::Arc<ClientLimit>,
    /// Letter verification codes that match nothing, per client.
    pub verify_per_client: std::sync::Arc<ClientLimit>,
}

/// What the app needs to know of single sign-on: the button's label, and how to end the
/// provider's session at sign-out (its `end_session_endpoint`, once discovered).
#[derive(Debug)]
pub struct SsoPublic {
    /// "Sign in with <name>", e.g. "KPU account".
    pub name: String,
    /// This app's client id at the provider.
    pub client_id: String,
    end_session: std::sync::RwLock<Option<String>>,
}

impl SsoPublic {
    /// Single sign-on labelled `name`, for the client `client_id`.
    pub fn new(name: &str, client_id: &str) -> SsoPublic {
        SsoPublic {
            name: name.to_owned(),
            client_id: client_id.to_owned(),
            end_session: std::sync::RwLock::new(None),
        }
    }

    /// Records the provider's `end_session_endpoint` (from its discovery document).
    pub fn set_end_session(&self, endpoint: Option<String>) {
        *self
            .end_session
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = endpoint;
    }

    /// Where to send the browser to end the provider's session too (RP-initiated logout), with
    /// the session's ID token as the hint and this site's front page to come back to; `None`
    /// when the provider offers no such endpoint.
    pub fn sign_out_url(&self, id_token: &str, come_back_to: &str) -> Option<String> {
        let endpoint = self
            .end_session
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()?;
        let join = if endpoint.contains('?') { '&' } else { '?' };
        Some(format!(
            "{endpoint}{join}id_token_hint={}&client_id={}&post_logout_redirect_uri={}",
            query_value(id_token),
            query_value(&self.client_id),
            query_value(come_back_to)
        ))
    }
}

/// Percent-encodes a query value (letters, digits and `-._~` stay).
fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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
            password_sign_in: true,
            sso: None,
            reset_per_client: std::sync::Arc::new(ClientLimit::new(RESET_PER_CLIENT, RESET_WINDOW)),
            reset_per_address: std::sync::Arc::new(ClientLimit::new(
                RESET_PER_ADDRESS,
                RESET_WINDOW,
            )),
            verify_per_client: std::sync::Arc::new(ClientLimit::new(
                VERIFY_MISSES_PER_CLIENT,
                RESET_WINDOW,
            )),
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

    /// A page of this site by its path (`/reset-password?token=…`), for a link in an e-mail.
    pub fn page_url(&self, path: &str) -> String {
        format!("{}{path}", self.origin.trim_end_matches('/'))
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
        cookie_in(headers, self.cookie_name())
    }

    /// The cookie tying a single sign-on to the browser that started it: a callback arriving
    /// in another browser (login CSRF: someone else's sign-on pushed on a victim) is refused.
    pub fn sso_cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-coop_sso"
        } else {
            "coop_sso"
        }
    }

    /// `Set-Cookie` holding a sign-on's `state` (for as long as a sign-on may take), or
    /// removing it (`None`).
    pub fn sso_cookie(&self, state: Option<&str>) -> Option<HeaderValue> {
        let secure = if self.secure { "; Secure" } else { "" };
        let max_age = if state.is_some() {
            SSO_LOGIN_MINUTES * 60
        } else {
            0
        };
        HeaderValue::from_str(&format!(
            "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
            self.sso_cookie_name(),
            state.unwrap_or("")
        ))
        .ok()
    }

    /// The sign-on `state` this browser started with, from its cookie.
    pub fn sso_state_in<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        cookie_in(headers, self.sso_cookie_name())
    }
}

/// A cookie's value in a request (not empty).
fn cookie_in<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
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

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "https" => Some(":443"),
        "http" => Some(":80"),
        _ => None,
    }
}

/// What the server gives the letter decision: where letters are stored and what they state.
#[derive(Debug, Clone)]
pub struct LetterIssuing {
    pub vault: crate::vault::Vault,
    pub institution: Option<coop_letter::Institution>,
    /// The app's public origin: a letter's verification address starts with it.
    pub site: String,
}

/// The server's mailer (None: SMTP not configured, reminders are in the app only), for staff
/// who send a reminder again.
#[derive(Clone, Default)]
pub struct OfficeMail {
    pub mailer: Option<std::sync::Arc<dyn crate::service::notices::DynMailer>>,
}

impl std::fmt::Debug for OfficeMail {
    // The mailer holds the SMTP URL, which may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfficeMail")
            .field("smtp", &self.mailer.is_some())
            .finish()
    }
}
