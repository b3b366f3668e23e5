//! Who is asking, for every request: the session cookie or an API token becomes a `Principal`
//! in the request's extensions (handlers and server functions read it from there); the CSRF
//! rule of api.md — a state-changing request that relies on the cookie must come from the app's
//! own origin; and the edge — the request names this deployment's host, the client's address is
//! known, and an https deployment tells browsers to stay on https.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;
use coop_store::remembered::{self, Remembered};
use coop_store::service::access::Principal;
use coop_store::service::client_limit::ClientAddr;
use coop_store::service::{sessions, tokens, users};

use crate::error::ApiError;
use crate::state::AppState;

/// Paths that are the same for everyone.
const PUBLIC_PREFIXES: &[&str] = &[
    "/pkg/",
    "/tz/",
    "/healthz",
    "/sw.js",
    "/manifest.webmanifest",
    "/icon.svg",
];

/// Two years, with subdomains left alone (a university's other hosts are not ours to pin).
const HSTS: HeaderValue = HeaderValue::from_static("max-age=63072000");

/// The edge, before anything else: a request must name this deployment's host (421 otherwise,
/// so a DNS-rebinding page or a mis-pointed name never reaches the app; `/healthz` answers any
/// name for load balancers); the client's address is recorded for the sign-in limit; https
/// deployments send `Strict-Transport-Security`.
///
/// A request that names no host at all (no `Host`, no authority in its target) is let through:
/// browsers always send one, so only a non-browser client can omit it, and it gains nothing.
pub fn edge_in(state: &AppState, request: &mut Request) -> Result<(), ApiError> {
    let named = request
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{fffd}").to_owned())
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    if let Some(host) = named
        && request.uri().path() != "/healthz"
        && !state.auth.is_own_host(&host)
    {
        return Err(ApiError::WrongHost);
    }
    let client = client_of(state, request);
    request.extensions_mut().insert(client);
    Ok(())
}

/// The edge on the way out: `Strict-Transport-Security` on an https deployment.
pub fn edge_out(state: &AppState, response: &mut Response) {
    if state.auth.secure {
        response
            .headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
}

/// The client's address: the last entry of the trusted proxy's header when one is configured
/// (the entry that proxy added; earlier ones are the client's to write), else the peer's.
fn client_of(state: &AppState, request: &Request) -> ClientAddr {
    if let Some(name) = &state.auth.client_ip_header {
        let named = request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .next_back();
        return ClientAddr(named);
    }
    ClientAddr(
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip()),
    )
}

/// Resolves the request's principal. A bearer token that is not valid is refused outright (an
/// integration should learn at once that its token was revoked); a stale cookie is just
/// anonymous.
pub async fn authenticate(state: &AppState, request: &mut Request) -> Result<(), ApiError> {
    // Static files and health checks need no principal: no database lookup for them.
    let path = request.uri().path();
    if PUBLIC_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        request.extensions_mut().insert(Principal::Anonymous);
        return Ok(());
    }
    let principal = principal_of(state, request.headers()).await?;
    request.extensions_mut().insert(principal);
    Ok(())
}

/// The principal of the request's token or cookie, from this instance's memory when it was
/// resolved less than `remembered::BOUND` ago and nothing was written through this instance since
/// (a sign-out, a disabled user, a role change here take effect at once; on another instance
/// within the bound). Unknown or refused credentials are never remembered.
async fn principal_of(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let now = chrono::Utc::now();
    let db = state.store.db();
    let principals = &state.store.caches().principals;
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::InvalidToken)?;
        let key = format!("t:{}", sessions::id_of(secret));
        if let Some(known) = principals.get(&key, Instant::now()) {
            return Ok(known);
        }
        let generation = principals.start();
        let (token, owner) = tokens::resolve(db, secret, now)
            .await?
            .ok_or(ApiError::InvalidToken)?;
        let user = users::current_user(&owner).ok_or(ApiError::InvalidToken)?;
        let principal = Principal::Token {
            user,
            token_id: token.id,
        };
        let ends = tokens::expires_at(&token);
        remember(principals, key, &principal, generation, now, ends);
        return Ok(principal);
    }
    let Some(token) = state.auth.token_in(headers) else {
        return Ok(Principal::Anonymous);
    };
    let key = format!("s:{}", sessions::id_of(token));
    if let Some(known) = principals.get(&key, Instant::now()) {
        return Ok(known);
    }
    let generation = principals.start();
    let found = sessions::resolve(db, token, now, state.auth.policy).await?;
    let Some((session, user)) = found.and_then(|(s, u)| Some((s, users::current_user(&u)?))) else {
        return Ok(Principal::Anonymous);
    };
    let ends = Ord::min(
        session.expires_at,
        session.last_seen_at + state.auth.policy.idle,
    );
    let principal = Principal::Session {
        user,
        session_id: session.id,
    };
    remember(principals, key, &principal, generation, now, ends);
    Ok(principal)
}

/// Keeps a resolved principal for `remembered::BOUND`, or until its session or token ends if
/// that is sooner.
fn remember(
    principals: &Remembered<String, Principal>,
    key: String,
    principal: &Principal,
    generation: u64,
    now: chrono::DateTime<chrono::Utc>,
    ends: chrono::DateTime<chrono::Utc>,
) {
    let left = (ends - now).to_std().unwrap_or_default();
    let until = remembered::until(Instant::now(), Ord::min(left, remembered::BOUND));
    principals.put(key, principal.clone(), generation, until);
}

/// The CSRF rule. Safe methods pass. Otherwise an `Origin` (or, without one, a `Referer`) must
/// be the app's origin — scheme, host and port of the configured public URL (`http://` against
/// an https deployment is another origin); a request with neither passes only if it carries no
/// session cookie (a script with a token).
pub fn csrf(state: &AppState, request: &Request) -> Result<(), ApiError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let allowed = match claimed {
        Some(origin) => state.auth.is_own_origin(&origin),
        None => state.auth.token_in(headers).is_none(),
    };
    if allowed { Ok(()) } else { Err(ApiError::Csrf) }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// Pages and API answers for a signed-in user are private: `Cache-Control: no-store`, so neither
/// the browser's cache (the back button after signing out) nor a proxy keeps them. Every API
/// answer gets it too. Static files keep their own caching.
#[derive(Debug, Clone, Copy)]
pub struct Privacy {
    signed_in: bool,
    api: bool,
}

impl Privacy {
    /// What the request says about its answer's privacy, read before it is handled.
    pub fn of(request: &Request) -> Privacy {
        Privacy {
            signed_in: request
                .extensions()
                .get::<Principal>()
                .is_some_and(|p| p.user().is_some()),
            api: request.uri().path().starts_with("/api/"),
        }
    }

    /// `no-store` on the answer where the rule applies and it says nothing of its own.
    pub fn apply(self, response: &mut Response) {
        let page = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if (self.api || (self.signed_in && page))
            && !response.headers().contains_key(header::CACHE_CONTROL)
        {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coop_store::service::sessions::SessionPolicy;
    use coop_store::settings::AuthSettings;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://coop.example.ca/account?x=1").as_deref(),
            Some("https://coop.example.ca")
        );
        assert_eq!(origin_of("not a url"), None);
    }

    #[test]
    fn the_origin_is_scheme_host_and_port() {
        let auth = AuthSettings::new("https://coop.example.ca", SessionPolicy::default());
        assert!(auth.is_own_origin("https://coop.example.ca"));
        assert!(auth.is_own_origin("https://COOP.example.ca"));
        for other in [
            "http://coop.example.ca",
            "ftp://coop.example.ca",
            "https://coop.example.ca:8443",
            "https://evil.example",
            "null",
        ] {
            assert!(!auth.is_own_origin(other), "{other}");
        }
        assert!(auth.is_own_host("coop.example.ca"));
        assert!(auth.is_own_host("coop.example.ca:443"));
        assert!(!auth.is_own_host("coop.example.ca:80"));
        assert!(!auth.is_own_host("evil.example"));
        assert!(!auth.is_own_host("127.0.0.1:3000"));
    }
}
