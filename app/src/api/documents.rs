//! A student's documents on their home page, and withdrawing one not yet reviewed. (Documents
//! are submitted through `POST /api/v1/me/documents`: a multipart upload.)

use coop_api::documents::{DocumentLine, DocumentsPage};
use leptos::prelude::*;

use super::AppError;

/// The signed-in student's documents.
#[server(prefix = "/api/app", endpoint = "my_documents")]
pub async fn my_documents() -> Result<DocumentsPage, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::{documents, records, students};

    let principal = context::principal().await;
    let (_, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let model = students::get(store.db(), student_id).await?;
    let case = records::case_for(store.db(), &model, chrono::Utc::now()).await?;
    let items = documents::list(store.db(), student_id).await?;
    Ok(coop_store::wire::student_pages::documents_page(
        &case, &items,
    ))
}

/// The student withdraws a document not yet reviewed.
#[server(prefix = "/api/app", endpoint = "withdraw_my_document")]
pub async fn withdraw_my_document(id: i64) -> Result<DocumentLine, AppError> {
    use super::context;
    use coop_store::service::access::require_student;
    use coop_store::service::audit::Actor;
    use coop_store::service::documents;

    let principal = context::principal().await;
    let (user, student_id) = require_student(&principal)?;
    let store = context::store()?;
    let after = documents::withdraw(
        store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(coop_store::wire::student_pages::document(&after))
}
