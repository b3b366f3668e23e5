//! A user's messages in the app, and marking one read.

use coop_api::notices::NoticeLine;
use leptos::prelude::*;

use super::AppError;

/// The signed-in user's messages, newest first.
#[server(prefix = "/api/app", endpoint = "my_notices")]
pub async fn my_notices() -> Result<Vec<NoticeLine>, AppError> {
    use super::context;
    use coop_store::service::access::require_signed_in;
    use coop_store::service::notices;

    let principal = context::principal().await;
    let user = require_signed_in(&principal)?;
    let store = context::store()?;
    Ok(notices::of_user(store.db(), user.id)
        .await?
        .iter()
        .map(coop_store::wire::student_pages::notice)
        .collect())
}

/// Marks one of the user's messages read.
#[server(prefix = "/api/app", endpoint = "mark_notice_read")]
pub async fn mark_notice_read(id: i64) -> Result<(), AppError> {
    use super::context;
    use coop_store::service::access::require_signed_in;
    use coop_store::service::notices;

    let principal = context::principal().await;
    let user = require_signed_in(&principal)?;
    let store = context::store()?;
    Ok(notices::mark_read(store.db(), user.id, id, chrono::Utc::now()).await?)
}
