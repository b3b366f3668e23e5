//! The staff overview's counts.

use coop_api::staff::OverviewCounts;
use leptos::prelude::*;

use super::AppError;

/// Staff: the overview's counts.
#[server(prefix = "/api/app", endpoint = "staff_counts")]
pub async fn staff_counts() -> Result<OverviewCounts, AppError> {
    use super::context;
    use coop_core::letter_request::LetterRequestStatus;
    use coop_store::service::access::require_staff;
    use coop_store::service::{documents, letters, student_list};

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let db = store.db();
    let counts = student_list::counts_kept(db, &store.caches().counts, chrono::Utc::now()).await?;
    let letters_waiting = letters::count(db, LetterRequestStatus::Pending).await?;
    let documents_waiting = documents::count_waiting(db).await?;
    Ok(coop_store::wire::staff_pages::overview(
        &counts,
        letters_waiting,
        documents_waiting,
    ))
}
