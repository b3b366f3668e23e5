//! A student's applications to IRCC: reporting one (M1, M2), the list, IRCC's decision (M3).

use coop_api::applications::{ApplicationLine, ApplicationReportForm, ReportOutcome};
use leptos::prelude::*;

use super::AppError;

/// A student reports an application made to IRCC (the form as the browser sends it, or a draft).
#[server(prefix = "/api/app", endpoint = "report_application")]
pub async fn report_application(form: ApplicationReportForm) -> Result<ReportOutcome, AppError> {
    use super::context;
    use coop_core::case::DocumentFor;
    use coop_store::service::access::require_student;
    use coop_store::service::applications::{self, ApplicationReport};
    use coop_store::service::audit::Actor;
    use coop_store::service::students;

    let principal = context::principal().await;
    let (user, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let for_document = match form.for_document.as_str() {
        "study_permit" => DocumentFor::StudyPermit,
        "coop_work_permit" => DocumentFor::CoopWorkPermit,
        _ => {
            return Err(AppError::invalid(
                "for_document",
                "Choose the document the application is for.",
            ));
        }
    };
    let model = students::get(store.db(), student_id).await?;
    let submitted_at = match form.when.as_str() {
        "local" => {
            let zone = coop_core::time::Zone::named(&model.zone).unwrap_or_default();
            chrono::NaiveDateTime::parse_from_str(form.submitted_local.trim(), "%Y-%m-%dT%H:%M")
                .ok()
                .and_then(|local| zone.instant_at(local))
                .ok_or_else(|| {
                    AppError::invalid(
                        "submitted_local",
                        "Enter the date and time you submitted it.",
                    )
                })?
        }
        "utc_date" => coop_core::contract::parse_date(form.submitted_utc_date.trim())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .ok_or_else(|| {
                AppError::invalid(
                    "submitted_utc_date",
                    "Enter the UTC date shown on IRCC's confirmation.",
                )
            })?,
        _ => {
            return Err(AppError::invalid(
                "when",
                "Say how you know when it was submitted.",
            ));
        }
    };
    let reported = applications::report(
        store.db(),
        student_id,
        ApplicationReport {
            for_document,
            submitted_at,
            application_number: form.application_number,
            client_key: coop_store::service::idempotency::parse(form.client_key.as_deref())?,
        },
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(ReportOutcome {
        timely: reported.timely,
        message: coop_core::explain::timeliness(reported.timely).to_owned(),
        submitted_at_utc: submitted_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    })
}

/// The signed-in student's reported applications, newest first.
#[server(prefix = "/api/app", endpoint = "my_applications")]
pub async fn my_applications() -> Result<Vec<ApplicationLine>, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::records;

    let principal = context::principal().await;
    let (_, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let on_file = records::load(store.db(), student_id).await?;
    Ok(on_file
        .applications
        .iter()
        .rev()
        .map(coop_store::wire::student_pages::application)
        .collect())
}

/// The student records IRCC's decision (`approved` or `refused`) on a pending application;
/// the answer is what it means, citing its rules.
#[server(prefix = "/api/app", endpoint = "record_my_decision")]
pub async fn record_my_decision(
    id: i64,
    decision: coop_core::case::Decision,
) -> Result<String, AppError> {
    use super::context;
    use coop_core::case::Decision;
    use coop_store::service::access::require_student;
    use coop_store::service::applications;
    use coop_store::service::audit::Actor;

    let principal = context::principal().await;
    let (user, student_id) = require_student(&principal)?;
    if decision == Decision::Pending {
        return Err(AppError::invalid(
            "decision",
            "Choose whether IRCC approved or refused the application.",
        ));
    }
    let store = context::store()?;
    applications::record_decision(
        store.db(),
        student_id,
        id,
        decision,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(coop_core::explain::decision(decision == Decision::Approved).to_owned())
}
