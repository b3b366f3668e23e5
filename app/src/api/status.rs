//! A student's own co-op status (J, the guide's steps, the next deadline, R1).

use coop_api::status::StudentStatus;
use leptos::prelude::*;

use super::AppError;

/// The signed-in student's own status.
#[server(prefix = "/api/app", endpoint = "my_status")]
pub async fn my_status() -> Result<StudentStatus, AppError> {
    use super::context;
    use coop_core::letter_request::LetterRequestStatus;
    use coop_store::service::access::require_student;
    use coop_store::service::{letters, records, students};

    let principal = context::principal().await;
    let (_, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let model = students::get(store.db(), student_id).await?;
    let case = records::case_for(store.db(), &model, chrono::Utc::now()).await?;
    let e = coop_core::evaluate(&case);
    let letter_requested = letters::list(store.db(), student_id)
        .await?
        .iter()
        .any(|r| r.status == LetterRequestStatus::Pending);
    Ok(coop_store::wire::student_pages::status(
        &model,
        &case,
        &e,
        letter_requested,
    ))
}
