//! Staff review of letter requests (L): the queue, and approving (the letter is made and
//! issued) or rejecting one.

use coop_api::letters::{LetterDecisionForm, QueuedLetterLine};
use leptos::prelude::*;

use super::AppError;

/// Staff: pending letter requests, oldest first.
#[server(prefix = "/api/app", endpoint = "letter_queue")]
pub async fn letter_queue() -> Result<Vec<QueuedLetterLine>, AppError> {
    use super::context;
    use coop_core::letter_request::LetterRequestStatus;
    use coop_store::service::access::require_staff;
    use coop_store::service::letters;

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let now = chrono::Utc::now();
    let queued = letters::queue(store.db(), LetterRequestStatus::Pending, now).await?;
    Ok(queued
        .iter()
        .map(|q| coop_store::wire::staff_pages::queued_letter(q, now))
        .collect())
}

/// Staff approve (`approve`: the letter is made and issued) or reject (`reject`, with a
/// reason); the answer says what happened.
#[server(prefix = "/api/app", endpoint = "decide_letter")]
pub async fn decide_letter(form: LetterDecisionForm) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::letters;
    use coop_store::settings::LetterIssuing;

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    let actor = Actor::User(staff.id);
    let now = chrono::Utc::now();
    let id = form.id;
    match form.decision.as_str() {
        "approve" => {
            let issuing = context::provided::<LetterIssuing>()?;
            letters::approve(store.db(), &issuing, id, &actor, now).await?;
            Ok(format!(
                "The letter for request {id} is issued; the student can download it now (L, W2d)."
            ))
        }
        "reject" => {
            letters::reject(
                store.db(),
                id,
                form.reason.as_deref().unwrap_or(""),
                &actor,
                now,
            )
            .await?;
            Ok(format!(
                "Request {id} is rejected; the student sees your reason."
            ))
        }
        _ => Err(AppError::invalid("decision", "Choose approve or reject.")),
    }
}

/// Staff revoke an issued letter, with the reason the student reads.
#[server(prefix = "/api/app", endpoint = "revoke_letter")]
pub async fn revoke_letter(id: i64, reason: String) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::letters;

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    letters::revoke(
        store.db(),
        id,
        &reason,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(format!(
        "The letter of request {id} is revoked: its verification page says so, and the student is told (L, W2d)."
    ))
}
