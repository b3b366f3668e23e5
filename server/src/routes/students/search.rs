//! Staff's list of students: the filters of the query string, and one page of the list.

use axum::extract::{Query, State};
use axum::{Extension, Json};
use coop_api::Page;
use coop_api::students::ListedStudent;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::student_list::{self, FilterText, StudentQuery};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::routes::openapi::{Blank, JobAccessFilter, ProgramFilter, SortOrder};

use crate::error::ApiError;
use crate::state::AppState;

/// The filters of a staff list (api.md), as given in the query string.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Words of a name, a student number or an e-mail address.
    #[serde(default)]
    q: String,
    /// `cleared` or `not_cleared`.
    #[param(value_type = Option<Blank<JobAccessFilter>>)]
    job_access: Option<String>,
    /// A document state code (`valid`, `expiring_soon`, `maintained`, …).
    #[param(value_type = Option<Blank<coop_core::status::DocumentState>>)]
    state: Option<String>,
    /// `coop_work_permit` or `study_permit_placement`.
    #[param(value_type = Option<Blank<coop_core::regime::Regime>>)]
    regime: Option<String>,
    /// A J reason code (e.g. `no_on_campus_work_condition`).
    reason: Option<String>,
    /// V2.
    extend_study_permit: Option<bool>,
    #[param(minimum = 0, maximum = 3650)]
    expiring_within_days: Option<u32>,
    /// `not_on_file`: students whose program is not in the catalogue (W2f not decided);
    /// `on_file`: the others.
    #[param(value_type = Option<Blank<ProgramFilter>>)]
    program: Option<String>,
    /// `name`, `number` or `expiry`.
    #[param(value_type = Option<Blank<SortOrder>>)]
    sort: Option<String>,
    #[serde(default = "first_page")]
    #[param(minimum = 1, maximum = 2_147_483_648_u64)]
    pub(super) page: u64,
    /// Keyset paging, in name or number order: the id of the last student of the page before;
    /// answers the page after them, as fast however deep (leave `page` at 1).
    after: Option<i64>,
    #[serde(default = "default_per_page")]
    #[param(minimum = 1, maximum = 500)]
    pub(super) per_page: u64,
}

fn first_page() -> u64 {
    1
}
fn default_per_page() -> u64 {
    50
}

impl ListQuery {
    pub(super) fn check_paging(&self) -> Result<(), ApiError> {
        if self.page == 0 || !(1..=500).contains(&self.per_page) {
            return Err(ApiError::Unreadable(
                "page starts at 1; per_page is 1 to 500.".to_owned(),
            ));
        }
        if self.after.is_some() && self.page != 1 {
            return Err(ApiError::invalid(
                "after",
                "after names where the page starts; leave page out".to_owned(),
            ));
        }
        Ok(())
    }

    pub(super) fn filters(&self) -> Result<StudentQuery, ApiError> {
        let extend = self
            .extend_study_permit
            .map(|v| v.to_string())
            .unwrap_or_default();
        let days = self
            .expiring_within_days
            .map(|v| v.to_string())
            .unwrap_or_default();
        Ok(StudentQuery::parse(&FilterText {
            q: &self.q,
            job_access: self.job_access.as_deref().unwrap_or(""),
            state: self.state.as_deref().unwrap_or(""),
            regime: self.regime.as_deref().unwrap_or(""),
            reason: self.reason.as_deref().unwrap_or(""),
            extend_study_permit: &extend,
            expiring_within_days: &days,
            program: self.program.as_deref().unwrap_or(""),
            sort: self.sort.as_deref().unwrap_or(""),
        })?)
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/students",
    operation_id = "get_students",
    summary = "Search students, paged",
    description = "Who: staff.",
    params(ListQuery),
    responses(
        (status = 200, description = "OK", body = Page<ListedStudent>),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<ListedStudent>>, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    query.check_paging()?;
    let filters = query.filters()?;
    let (db, lists, now) = (
        state.store.db(),
        state.store.caches().lists(),
        chrono::Utc::now(),
    );
    let (items, total) = match query.after {
        Some(after) => {
            student_list::list_after(db, lists, &filters, after, query.per_page, now).await?
        }
        None => {
            student_list::list_kept(db, lists, &filters, query.page - 1, query.per_page, now)
                .await?
        }
    };
    Ok(Json(Page {
        items: items.iter().map(ListedStudent::from).collect(),
        total,
    }))
}
