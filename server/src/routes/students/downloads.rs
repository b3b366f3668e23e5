//! Staff's CSV downloads: the filtered student list, and the documents expiring in a window.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::import;
use coop_store::service::student_list::{self};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::state::AppState;

use super::search::ListQuery;

/// A cell a spreadsheet shows as text: one starting like a formula gets a leading `'`.
pub(super) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A CSV download: UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8) and a header.
pub(crate) fn csv_response(
    filename: &str,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let internal = |e: csv::Error| ApiError::Internal(e.to_string());
    writer.write_record(header).map_err(internal)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| cell(c)))
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Staff: the filtered list (every page) as CSV.
#[utoipa::path(
    get,
    path = "/api/v1/students.csv",
    operation_id = "get_students_csv",
    summary = "Every student as CSV (the import's columns)",
    description = "Who: staff.",
    params(ListQuery),
    responses(
        (status = 200, description = "CSV.", body = String, content_type = "text/csv"),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    // The export has every page, but reads the list's query string whole, paging included, and
    // refuses what the list refuses.
    query.check_paging()?;
    coop_store::service::paging::offset(query.page - 1, query.per_page)?;
    let filters = query.filters()?;
    let (items, _) =
        student_list::list(state.store.db(), &filters, 0, 200_000, chrono::Utc::now()).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = items
        .iter()
        .map(|l| {
            let (s, t) = (&l.student, &l.standing);
            vec![
                s.student_number.clone(),
                s.email.clone(),
                s.name.clone(),
                s.program.clone(),
                s.coop_program.to_string(),
                s.coop1101.code().to_owned(),
                s.continuance_met.to_string(),
                s.full_time.to_string(),
                s.program_code.clone().unwrap_or_default(),
                if t.cleared { "cleared" } else { "not_cleared" }.to_owned(),
                t.regime.code().to_owned(),
                t.study_state.code().to_owned(),
                date(t.study_expires),
                t.coop_state.code().to_owned(),
                date(t.coop_expires),
                t.reasons
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    csv_response(
        "students.csv",
        // The import's columns first, so an export can be edited and imported back.
        &[
            import::HEADER.as_slice(),
            import::OPTIONAL.as_slice(),
            &[
                "job_access",
                "regime",
                "study_permit_state",
                "study_permit_expires",
                "coop_work_permit_state",
                "coop_work_permit_expires",
                "reasons",
            ],
        ]
        .concat(),
        rows,
    )
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExpiringQuery {
    /// From today (Vancouver) to this many days ahead; 90 when absent.
    #[serde(default = "ninety")]
    #[param(minimum = 0, maximum = 3650)]
    within_days: u32,
}

pub(super) fn ninety() -> u32 {
    90
}

/// Staff: one row per document expiring from today (Vancouver) to `within_days` ahead.
#[utoipa::path(
    get,
    path = "/api/v1/reports/expiring.csv",
    operation_id = "get_reports_expiring_csv",
    summary = "One row per document expiring in the window",
    description = "Who: staff.",
    params(ExpiringQuery),
    responses(
        (status = 200, description = "CSV.", body = String, content_type = "text/csv"),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn expiring_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ExpiringQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    if query.within_days > 3650 {
        return Err(ApiError::invalid("within_days", "at most 3650".to_owned()));
    }
    let now = chrono::Utc::now();
    let today = coop_core::time::Zone::default().today(now);
    let rows = student_list::expiring_documents(state.store.db(), query.within_days, now)
        .await?
        .into_iter()
        .map(|r| {
            vec![
                r.student.student_number.clone(),
                r.student.name.clone(),
                r.student.email.clone(),
                r.document.code().to_owned(),
                r.expires.to_string(),
                coop_core::time::days_left(r.expires, today).to_string(),
                coop_core::datetime_text::utc_seconds(&coop_core::time::deadline_utc(r.expires)),
                r.state.code().to_owned(),
            ]
        })
        .collect();
    csv_response(
        &format!("expiring-within-{}-days.csv", query.within_days),
        &[
            "student_number",
            "name",
            "email",
            "document",
            "expires_on",
            "days_left",
            "deadline_utc",
            "state",
        ],
        rows,
    )
}
