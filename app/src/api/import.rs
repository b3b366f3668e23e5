//! Staff import students from CSV (design.md's header), or preview what an import would do.

use coop_api::staff::ImportSummary;
use leptos::prelude::*;

use super::AppError;

/// Staff: preview (`commit` false) or import (`commit` true) a CSV of students; with `invite`,
/// new students get an account and an invitation e-mail.
#[server(prefix = "/api/app", endpoint = "import_students")]
pub async fn import_students(
    csv: String,
    #[server(default)] commit: bool,
    #[server(default)] invite: bool,
) -> Result<ImportSummary, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::{import, import_invitations};
    use coop_store::settings::{AuthSettings, OfficeMail};

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    let report = if commit {
        let settings = context::provided::<AuthSettings>()?;
        let mail = context::provided::<OfficeMail>()?;
        import_invitations::import_and_invite(
            store.db(),
            csv.as_bytes(),
            invite.then_some((mail.mailer.as_deref(), &settings)),
            &Actor::User(staff.id),
            chrono::Utc::now(),
        )
        .await?
    } else {
        import::preview(store.db(), csv.as_bytes()).await?
    };
    Ok(coop_store::wire::staff_pages::import_summary(&report))
}
