//! The office-wide history of every change, filtered.

use coop_api::staff::{HistoryFilters, HistoryPage};
use leptos::prelude::*;

use super::AppError;

/// Staff: history matching the filters (empty: any), 100 a page, newest first.
#[server(prefix = "/api/app", endpoint = "audit_search")]
pub async fn audit_search(filters: HistoryFilters) -> Result<HistoryPage, AppError> {
    use super::context;
    use coop_core::datetime_text::parse_date;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::{self, AuditQuery};
    use coop_store::service::students;

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let day = |field: &'static str,
               words: &str,
               text: &str,
               next: bool|
     -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let d = parse_date(text.trim()).ok_or_else(|| {
            AppError::invalid(field, format!("{words}: a date such as 2026-11-27."))
        })?;
        let d = if next { d.succ_opt().unwrap_or(d) } else { d };
        Ok(coop_core::time::Zone::default().instant_at(d.and_time(chrono::NaiveTime::MIN)))
    };
    let student = filters.student.trim();
    let subject = if student.is_empty() {
        None
    } else {
        let found = students::find_by_number(store.db(), student)
            .await?
            .ok_or_else(|| {
                AppError::invalid("student", format!("No student has the number {student:?}."))
            })?;
        Some(format!("student:{}", found.id))
    };
    let query = AuditQuery {
        actor: Some(filters.actor.trim().to_owned()),
        action: Some(filters.action.trim().to_owned()),
        subject,
        from: day("from", "From", &filters.from, false)?,
        to: day("to", "To", &filters.to, true)?,
    };
    let (rows, total) = audit::search(store.db(), &query, 0, 100).await?;
    Ok(HistoryPage {
        total,
        items: rows
            .iter()
            .map(coop_store::wire::staff_pages::history_line)
            .collect(),
    })
}
