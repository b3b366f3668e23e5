//! coop-server — the `coop-permits` binary's library: command line and configuration, the axum
//! router (pages, `/api/v1`, health, the service worker), logging and shutdown.
//!
//! Handlers are thin: they read the request, call `coop-core` or `coop-store`, and map the
//! answer. No rule is decided here.
// Leptos views are deeply nested types; the default limit (128) is too low for the app.
#![recursion_limit = "512"]

pub mod auth;
pub mod backups;
pub mod caching;
pub mod commands;
pub mod config;
pub mod error;
pub mod file_key;
pub mod gate;
pub mod inspect_pdf;
pub mod mail;
pub mod routes;
pub mod self_check_bundle;
pub mod service_worker;
pub mod sso;
pub mod state;
pub mod telemetry;

pub use state::AppState;
