//! Staff review of submitted documents (S8): the queue, and verifying or rejecting one.

use coop_api::documents::{DocumentDecisionForm, ReviewItem};
use leptos::prelude::*;

use super::AppError;

/// Staff: the documents waiting for review, oldest first.
#[server(prefix = "/api/app", endpoint = "document_queue")]
pub async fn document_queue() -> Result<Vec<ReviewItem>, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::documents;

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let queued = documents::queue(store.db(), chrono::Utc::now()).await?;
    Ok(queued
        .iter()
        .map(coop_store::wire::staff_pages::review_item)
        .collect())
}

/// Staff verify (`verify`) or reject (`reject`, with a reason) a submitted document; the answer
/// says what happened.
#[server(prefix = "/api/app", endpoint = "decide_document")]
pub async fn decide_document(form: DocumentDecisionForm) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::documents::{self, Verdict};

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let verdict = match form.decision.as_str() {
        "verify" => Verdict::Verify,
        "reject" => Verdict::Reject(form.reason.unwrap_or_default()),
        _ => return Err(AppError::invalid("decision", "Choose verify or reject.")),
    };
    let store = context::store()?;
    let after = documents::decide(
        store.db(),
        form.id,
        verdict,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(format!(
        "Document {} is now {} (S8).",
        after.id,
        after.status.code()
    ))
}
