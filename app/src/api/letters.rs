//! The co-op letter (L) on a student's home page: the section's data, a request (after the
//! collection notice, F1), withdrawing a waiting one. The server decides eligibility and every
//! move of a request's status (`coop_core::letter_request`).

use coop_api::letters::{LetterPage, LetterRequestForm, LetterRequestLine};
use leptos::prelude::*;

use super::AppError;

/// The signed-in student's letter section.
#[server(prefix = "/api/app", endpoint = "my_letter_requests")]
pub async fn my_letter_requests() -> Result<LetterPage, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::privacy::PrivacyNotice;
    use coop_store::service::{letters, records, students};

    let principal = context::principal().await;
    let (user, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let notice = context::provided::<PrivacyNotice>()?;
    let model = students::get(store.db(), student_id).await?;
    let case = records::case_for(store.db(), &model, chrono::Utc::now()).await?;
    let e = coop_core::evaluate(&case);
    let acknowledged = letters::has_acknowledged(store.db(), user.id, &notice.version()).await?;
    let requests = letters::list(store.db(), student_id).await?;
    Ok(coop_store::wire::student_pages::letter_page(
        (&notice).into(),
        acknowledged,
        &e,
        &requests,
    ))
}

/// The student requests the letter (the form as the browser sends it, or a draft).
#[server(prefix = "/api/app", endpoint = "request_letter")]
pub async fn request_letter(form: LetterRequestForm) -> Result<LetterRequestLine, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::letters::{self, NewLetterRequest};
    use coop_store::service::privacy::PrivacyNotice;

    let principal = context::principal().await;
    let (user, student_id) = require_student(&principal)?;
    if form.acknowledged.is_none() {
        return Err(AppError::invalid(
            "acknowledged",
            "Please confirm that you have read the collection notice (F1).",
        ));
    }
    let first_term_start = coop_core::contract::parse_date(form.first_term_start.trim())
        .ok_or_else(|| {
            AppError::invalid(
                "first_term_start",
                "Enter the date your first work term starts.",
            )
        })?;
    let store = context::store()?;
    let notice = context::provided::<PrivacyNotice>()?;
    let created = letters::request(
        store.db(),
        &notice,
        user.id,
        student_id,
        NewLetterRequest {
            first_term_start,
            extending_study_permit: form.extending_study_permit.is_some(),
            notice_version: form.privacy_notice,
            client_key: coop_store::service::idempotency::parse(form.client_key.as_deref())?,
        },
        chrono::Utc::now(),
    )
    .await?;
    Ok(coop_store::wire::student_pages::letter_request(&created))
}

/// The student withdraws a request still waiting for review.
#[server(prefix = "/api/app", endpoint = "withdraw_letter_request")]
pub async fn withdraw_letter_request(id: i64) -> Result<LetterRequestLine, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::letters;

    let principal = context::principal().await;
    let (user, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let after = letters::withdraw(
        store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(coop_store::wire::student_pages::letter_request(&after))
}
