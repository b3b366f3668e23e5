//! The running server's settings that services and the app's server functions read: how
//! sessions and their cookie behave, where letters are stored and what they state, and the
//! office's mailer. The server builds them from its configuration once, at start.

use http::{HeaderMap, HeaderValue, header};

use crate::service::client_limit::ClientLimit;
use crate::service::sessions::SessionPolicy;

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

/// What the server gives the letter decision: where letters are stored and what they state.
#[derive(Debug, Clone)]
pub struct LetterIssuing {
    pub vault: crate::vault::Vault,
    pub institution: Option<crate::service::letters::Institution>,
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
