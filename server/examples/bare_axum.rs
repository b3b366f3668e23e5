//! The ceiling for `scripts/load.sh`: axum and tokio on this machine with a handler that does no
//! work (a fixed answer to `POST /api/v1/check`), measured in the same run as the real server so
//! the ratio says what the rules, the middleware and the database cost.
//!
//! `cargo run --release -p coop-server --example bare_axum -- 127.0.0.1:3301`

use axum::Router;
use axum::routing::post;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3301".to_owned());
    let app = Router::new().route(
        "/api/v1/check",
        post(|| async { axum::Json(serde_json::json!({"ok": true})) }),
    );
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    axum::serve(listener, app).await
}
