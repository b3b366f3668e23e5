//! The staff overview's counts.

use coop_api::staff::OverviewCounts;
use leptos::prelude::*;

use super::AppError;

/// Staff: the overview's counts.
#[server(prefix = "/api/app", endpoint = "staff_counts")]
pub async fn staff_counts() -> Result<OverviewCounts, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::overview;

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let office = overview::office(store.db(), &store.caches().counts, chrono::Utc::now()).await?;
    Ok(coop_store::wire::staff_pages::overview(&office))
}
