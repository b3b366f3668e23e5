//! The programs catalogue (W2f's facts): staff list, add, change and import programs; a
//! student's file picks one.

use coop_api::programs::{ProgramEntry, ProgramImportReport, ProgramLine};
use leptos::prelude::*;

use super::AppError;

/// Staff: every program, whether it meets W2f (and why not), and how many students it has.
#[server(prefix = "/api/app", endpoint = "list_programs")]
pub async fn list_programs() -> Result<Vec<ProgramLine>, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::programs;

    let principal = context::principal().await;
    require_staff(&principal)?;
    let store = context::store()?;
    let counts = programs::student_counts(store.db()).await?;
    Ok(programs::list(store.db())
        .await?
        .iter()
        .map(|p| {
            let students = counts.get(&p.code).copied().unwrap_or(0);
            coop_store::wire::programs::program_line(p, students)
        })
        .collect())
}

/// Staff: add a program (`adding`), or change the one with this code.
#[server(prefix = "/api/app", endpoint = "save_program")]
pub async fn save_program(entry: ProgramEntry, adding: bool) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::programs;

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    let actor = Actor::User(staff.id);
    let now = chrono::Utc::now();
    let saved = if adding {
        programs::create(store.db(), entry.into(), &actor, now).await?
    } else {
        let change = coop_api::programs::ProgramChange {
            name: Some(entry.name),
            credential: Some(entry.credential),
            months: Some(entry.months),
            work_months: Some(entry.work_months),
            placement_required: Some(entry.placement_required),
            language_or_preparatory: Some(entry.language_or_preparatory),
        };
        programs::update(store.db(), &entry.code, change.into(), &actor, now).await?
    };
    Ok(format!(
        "{} ({}) is saved; its students are re-evaluated.",
        saved.name, saved.code
    ))
}

/// Staff: preview (`commit` false) or import a programs CSV.
#[server(prefix = "/api/app", endpoint = "import_programs")]
pub async fn import_programs(
    csv: String,
    #[server(default)] commit: bool,
) -> Result<ProgramImportReport, AppError> {
    use super::context;
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::program_csv;

    let principal = context::principal().await;
    let staff = require_staff(&principal)?;
    let store = context::store()?;
    Ok(program_csv::import(
        store.db(),
        csv.as_bytes(),
        !commit,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?)
}
