//! Staff's student list: a page of the students matching the address's filters.

use coop_api::staff::{StudentFilters, StudentListPage};
use leptos::prelude::*;

use super::AppError;

/// Students per page of the list.
#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 25;

/// Staff: a page (from 1) of students matching the filters.
#[server(prefix = "/api/app", endpoint = "find_students")]
pub async fn find_students(
    filters: StudentFilters,
    #[server(default)] page: u64,
) -> Result<StudentListPage, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::student_list::{self, FilterText, StudentQuery};

    let principal = context::principal().await;
    require_staff(&principal)?;
    let [
        q,
        job_access,
        state,
        regime,
        reason,
        extend_study_permit,
        expiring_within_days,
        program,
        sort,
    ] = filters.values();
    let query = StudentQuery::parse(&FilterText {
        q,
        job_access,
        state,
        regime,
        reason,
        extend_study_permit,
        expiring_within_days,
        program,
        sort,
    })?;
    let store = context::store()?;
    let page = page.max(1);
    let (found, total) = student_list::list_kept(
        store.db(),
        store.caches().lists(),
        &query,
        page - 1,
        PER_PAGE,
        chrono::Utc::now(),
    )
    .await?;
    Ok(StudentListPage {
        items: found
            .iter()
            .map(coop_store::wire::staff_pages::student_row)
            .collect(),
        total,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
    })
}
