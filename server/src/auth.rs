//! Who is asking, for every request: the session cookie or an API token becomes a `Principal`
//! in the request's extensions (handlers and server functions read it from there); and the CSRF
//! rule of api.md — a state-changing request that relies on the cookie must come from the app's
//! own origin.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coop_store::service::access::Principal;
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

/// Resolves the request's principal. A bearer token that is not valid is refused outright (an
/// integration should learn at once that its token was revoked); a stale cookie is just
/// anonymous.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Static files and health checks need no principal: no database lookup for them.
    let path = request.uri().path();
    if PUBLIC_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        request.extensions_mut().insert(Principal::Anonymous);
        return next.run(request).await;
    }
    match principal_of(&state, request.headers()).await {
        Ok(principal) => {
            request.extensions_mut().insert(principal);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

async fn principal_of(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let now = chrono::Utc::now();
    let db = state.store.db();
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError::InvalidToken)?;
        let (token, owner) = tokens::resolve(db, secret, now)
            .await?
            .ok_or(ApiError::InvalidToken)?;
        let user = users::current_user(&owner).ok_or(ApiError::InvalidToken)?;
        return Ok(Principal::Token {
            user,
            token_id: token.id,
        });
    }
    let Some(token) = state.auth.token_in(headers) else {
        return Ok(Principal::Anonymous);
    };
    let found = sessions::resolve(db, token, now, state.auth.policy).await?;
    Ok(
        match found.and_then(|(s, u)| Some((s, users::current_user(&u)?))) {
            Some((session, user)) => Principal::Session {
                user,
                session_id: session.id,
            },
            None => Principal::Anonymous,
        },
    )
}

/// The CSRF rule. Safe methods pass. Otherwise an `Origin` (or, without one, a `Referer`) must
/// be the app's origin — the configured public URL, or the host the request was sent to; a
/// request with neither passes only if it carries no session cookie (a script with a token).
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
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
        Some(origin) => is_own_origin(&origin, &state.auth.origin, headers),
        None => state.auth.token_in(headers).is_none(),
    };
    if allowed {
        next.run(request).await
    } else {
        ApiError::Csrf.into_response()
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

fn is_own_origin(origin: &str, public: &str, headers: &HeaderMap) -> bool {
    if origin.eq_ignore_ascii_case(public) {
        return true;
    }
    // A browser always sends the true Host: an Origin naming it is this site, even when it is
    // reached by another name than the configured one (127.0.0.1 and localhost, say).
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let authority = origin.split_once("://").map(|(_, a)| a);
    matches!((host, authority), (Some(h), Some(a)) if h.eq_ignore_ascii_case(a))
}

/// Pages and API answers for a signed-in user are private: `Cache-Control: no-store`, so neither
/// the browser's cache (the back button after signing out) nor a proxy keeps them. Every API
/// answer gets it too. Static files keep their own caching.
pub async fn private_responses(request: Request, next: Next) -> Response {
    let signed_in = request
        .extensions()
        .get::<Principal>()
        .is_some_and(|p| p.user().is_some());
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if (api || (signed_in && page)) && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://coop.example.ca/account?x=1").as_deref(),
            Some("https://coop.example.ca")
        );
        assert_eq!(origin_of("not a url"), None);
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
        assert!(is_own_origin(
            "http://127.0.0.1:3000",
            "https://coop.example.ca",
            &headers
        ));
        assert!(is_own_origin(
            "https://coop.example.ca",
            "https://coop.example.ca",
            &headers
        ));
        assert!(!is_own_origin(
            "https://evil.example",
            "https://coop.example.ca",
            &headers
        ));
        assert!(!is_own_origin("null", "https://coop.example.ca", &headers));
    }
}
