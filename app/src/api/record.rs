//! A student's own record (`/record`): reading it, their zone (T2), their work terms (P).

use coop_api::record::{OwnRecord, WorkTermForm};
use leptos::prelude::*;

use super::AppError;

/// The signed-in student's record.
#[server(prefix = "/api/app", endpoint = "my_record")]
pub async fn my_record() -> Result<OwnRecord, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::{records, students};

    let principal = context::principal().await;
    let (_, id) = require_student(&principal)?;
    let store = context::store()?;
    let model = students::get(store.db(), id).await?;
    let on_file = records::load(store.db(), id).await?;
    Ok(coop_store::wire::student_pages::my_record(&model, &on_file))
}

/// The student sets their time zone (T2).
#[server(prefix = "/api/app", endpoint = "set_my_zone")]
pub async fn set_my_zone(zone: String) -> Result<(), AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::student_facts;

    let principal = context::principal().await;
    let (user, id) = require_student(&principal)?;
    let store = context::store()?;
    student_facts::set_zone(
        store.db(),
        id,
        &zone,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}

/// The student plans a work term (the form's `term[start]`, `term[end]`, `term[employer]`).
#[server(prefix = "/api/app", endpoint = "add_my_work_term")]
pub async fn add_my_work_term(term: WorkTermForm) -> Result<(), AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::work_terms;

    let principal = context::principal().await;
    let (user, id) = require_student(&principal)?;
    let date = |text: &str, field: &'static str| {
        coop_core::contract::parse_date(text.trim())
            .ok_or_else(|| AppError::invalid(field, format!("Enter the {field} date.")))
    };
    let planned = coop_core::case::WorkTerm {
        start: date(&term.start, "start")?,
        end: date(&term.end, "end")?,
    };
    let store = context::store()?;
    work_terms::plan(
        store.db(),
        id,
        planned,
        Some(term.employer),
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}

/// The student removes one of their work terms.
#[server(prefix = "/api/app", endpoint = "remove_my_work_term")]
pub async fn remove_my_work_term(id: i64) -> Result<(), AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::work_terms;

    let principal = context::principal().await;
    let (user, student) = require_student(&principal)?;
    let store = context::store()?;
    work_terms::remove(
        store.db(),
        student,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}
