//! The router: pages (server-rendered, then hydrated), `/api/v1`, health, the service worker,
//! the browser's time-zone rules,
//! and the site's static files — with a request id, a span per request and compression.

mod applications;
mod audit;
mod body;
mod check;
pub mod documents;
mod health;
mod letters;
mod openapi;
mod overview;
mod passwords;
mod programs;
mod reminders;
mod service_worker;
mod session;
mod sso;
mod students;
mod time_zones;
mod tokens;
mod users;
mod verify;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{HeaderName, HeaderValue, Method, Request, header};
use axum::middleware;
use axum::routing::get;
use coop_app::{App, shell};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::info_span;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::state::AppState;

pub use check::CHECK_BODY_LIMIT;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A random (version 4) UUID for each request's `x-request-id`, as tower-http's
/// `MakeRequestUuid` makes it but written without `core::fmt` (it was about 2% of
/// `POST /api/v1/check`'s instructions).
#[derive(Debug, Clone, Copy)]
struct RequestUuid;

impl MakeRequestId for RequestUuid {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut text);
        HeaderValue::from_str(text).ok().map(RequestId::new)
    }
}

/// One `/api/v1` endpoint: its method and path (as axum writes it).
pub type Endpoint = (Method, String);

/// The `/api/v1` routes and their OpenAPI document, both from each handler's `#[utoipa::path]`:
/// a route is served where its annotation says, so the document (and the authorization matrix,
/// which takes its endpoint list from it) cannot miss one.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(check::check).layer(DefaultBodyLimit::max(check::CHECK_BODY_LIMIT)))
        .routes(routes!(session::create))
        .routes(routes!(session::delete))
        .routes(routes!(session::me))
        .routes(routes!(students::my_status))
        .routes(routes!(applications::report))
        .routes(routes!(applications::decide))
        .routes(
            routes!(documents::submit).layer(DefaultBodyLimit::max(documents::DOCUMENT_BODY_LIMIT)),
        )
        .routes(routes!(documents::list))
        .routes(routes!(documents::file))
        .routes(routes!(documents::withdraw))
        .routes(routes!(documents::queue))
        .routes(routes!(documents::decide))
        .routes(routes!(documents::remove_file))
        .routes(routes!(openapi::document))
        .routes(routes!(letters::notice))
        .routes(routes!(letters::list))
        .routes(routes!(letters::create))
        .routes(routes!(letters::withdraw))
        .routes(routes!(letters::letter_pdf))
        .routes(routes!(letters::queue))
        .routes(routes!(letters::decide))
        .routes(routes!(letters::revoke))
        .routes(routes!(verify::verify))
        .routes(routes!(programs::list, programs::create))
        .routes(routes!(programs::update))
        .routes(routes!(programs::export))
        .routes(routes!(programs::import).layer(DefaultBodyLimit::max(students::IMPORT_BODY_LIMIT)))
        .routes(routes!(overview::overview))
        .routes(routes!(students::list))
        .routes(routes!(students::export))
        .routes(routes!(students::import).layer(DefaultBodyLimit::max(students::IMPORT_BODY_LIMIT)))
        .routes(routes!(students::get))
        .routes(routes!(students::my_export))
        .routes(routes!(students::staff_export))
        .routes(routes!(students::leaving))
        .routes(routes!(students::update))
        .routes(routes!(students::expiring_csv))
        .routes(routes!(audit::history))
        .routes(routes!(reminders::list))
        .routes(routes!(reminders::resend))
        .routes(routes!(users::list_users))
        .routes(routes!(users::create_user))
        .routes(routes!(users::change_user))
        .routes(routes!(users::disable_user))
        .routes(routes!(users::enable_user))
        .routes(routes!(users::invite_user))
        .routes(routes!(tokens::list_tokens))
        .routes(routes!(tokens::create_token))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(passwords::request))
        .routes(routes!(passwords::confirm))
}

/// Every `/api/v1` endpoint the router serves.
pub fn api_endpoints() -> Vec<Endpoint> {
    let doc = api().into_openapi();
    doc.paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            [
                (Method::GET, item.get.is_some()),
                (Method::POST, item.post.is_some()),
                (Method::PUT, item.put.is_some()),
                (Method::PATCH, item.patch.is_some()),
                (Method::DELETE, item.delete.is_some()),
            ]
            .into_iter()
            .filter(|(_, served)| *served)
            .map(move |(method, _)| (method, path.clone()))
        })
        .collect()
}

/// The OpenAPI document of `/api/v1`, derived from the handlers' annotations (as JSON).
pub fn api_document_json() -> String {
    api().into_openapi().to_pretty_json().unwrap_or_default()
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let (api_router, doc) = api().split_for_parts();
    openapi::DOCUMENT.get_or_init(|| doc.to_pretty_json().unwrap_or_default());
    let pages = generate_route_list(App);
    let leptos = state.leptos.clone();
    let context = {
        let (store, auth) = (state.store.clone(), state.auth.clone());
        let privacy = state.privacy.clone();
        let mail = state.mail.clone();
        let issuing = state.letter_issuing();
        let bundle = crate::self_check_bundle::find(
            std::path::Path::new(&*state.leptos.site_root),
            &state.leptos.site_pkg_dir,
        );
        move || {
            if let Some(bundle) = &bundle {
                provide_context(bundle.clone());
            }
            provide_context(store.clone());
            provide_context(auth.clone());
            provide_context(privacy.clone());
            provide_context(issuing.clone());
            provide_context(mail.clone());
        }
    };
    let routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/sw.js", get(service_worker::script))
        .route("/tz/{release}/{*name}", get(time_zones::tzif))
        .route("/auth/oidc/login", get(sso::login))
        .route("/auth/oidc/callback", get(sso::callback))
        .route("/verify/{code}", get(verify::page))
        // Its errors are made JSON by the gate (a layer per route would box every request twice).
        .merge(api_router)
        .leptos_routes_with_context(&state, pages, context, move || shell(leptos.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::gate::every_request,
        ))
        .with_state(state)
        // Inside the routing (each route is wrapped): the span names the matched route.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("unmatched", MatchedPath::as_str);
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    info_span!("request", method = %request.method(), route, request.id = id)
                })
                .on_response(
                    |response: &axum::response::Response,
                     latency: Duration,
                     _span: &tracing::Span| {
                        tracing::info!(
                            status = response.status().as_u16(),
                            latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
                            "answered"
                        );
                    },
                ),
        );
    // Around the whole router, not each route: `Router::layer` wraps every route in a box of its
    // own per layer, and each box is cloned for every request (BENCHMARKS.md "Issue 21").
    // Outermost first.
    let around = ServiceBuilder::new()
        .layer(CompressionLayer::new())
        .layer(SetRequestIdLayer::new(REQUEST_ID, RequestUuid))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        // DENY unless a response says otherwise (an uploaded file may be framed by the app).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Pages send their own CSP (with the hydration script's nonce, coop_app::shell); every
        // other response — JSON, files, errors — gets one that allows nothing.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
        ))
        .service(routes);
    Router::new().fallback_service(around)
}
