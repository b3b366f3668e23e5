//! Importing students from CSV (design.md's columns): choose or paste the file, see what each
//! line would do and every error by line and field, then import the valid lines in one
//! transaction. Importing the same file again changes nothing.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::message_of;

/// What an import did, or would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: bool,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub invalid: u64,
    /// (line, student number, name, outcome, changed fields).
    pub lines: Vec<(u64, String, String, String, String)>,
    /// (line, field, message).
    pub errors: Vec<(u64, String, String)>,
}

/// Staff: preview (`commit` false) or import (`commit` true) a CSV of students.
#[server(prefix = "/api/app", endpoint = "import_students")]
pub async fn import_students(
    csv: String,
    #[server(default)] commit: bool,
) -> Result<ImportReport, ServerFnError> {
    use crate::account::server::{context_store, principal, service_failure};
    use coop_store::service::access::require_staff;
    use coop_store::service::audit::Actor;
    use coop_store::service::import;

    let principal = principal().await;
    let staff = require_staff(&principal).map_err(service_failure)?;
    let store = context_store()?;
    let report = if commit {
        import::import(
            store.db(),
            csv.as_bytes(),
            &Actor::User(staff.id),
            chrono::Utc::now(),
        )
        .await
    } else {
        import::preview(store.db(), csv.as_bytes()).await
    }
    .map_err(service_failure)?;
    Ok(ImportReport {
        imported: report.imported,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        invalid: report.invalid,
        lines: report
            .lines
            .iter()
            .map(|l| {
                let outcome = match l.outcome {
                    import::Outcome::Create => "new student",
                    import::Outcome::Update => "update",
                    import::Outcome::Unchanged => "no change",
                    import::Outcome::Invalid => "not imported",
                };
                (
                    l.line,
                    l.student_number.clone(),
                    l.name.clone(),
                    outcome.to_owned(),
                    l.changes.join(", "),
                )
            })
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| (e.line, e.field.clone(), e.message.clone()))
            .collect(),
    })
}

/// Reads the chosen file's text into `into`.
#[cfg(feature = "hydrate")]
fn read_file(ev: leptos::ev::Event, into: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    let Some(file) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await
            && let Some(text) = text.as_string()
        {
            into.set(text);
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn read_file(_: leptos::ev::Event, _: RwSignal<String>) {}

#[component]
pub fn ImportPanel() -> impl IntoView {
    let csv = RwSignal::new(String::new());
    let run = Action::new(move |commit: &bool| import_students(csv.get_untracked(), *commit));
    view! {
        <h2>"Import students"</h2>
        <p>"One student per line, with the header "<code>"student_number,email,name,program,coop_program,coop1101,continuance_met,full_time"</code>
           "; "<code>"coop_program"</code>", "<code>"continuance_met"</code>" and "<code>"full_time"</code>" are true or false, "
           <code>"coop1101"</code>" is none, registered or completed. A known student number updates that student."</p>
        <div class="field">
            <label for="import-file">"CSV file (UTF-8)"</label>
            <input id="import-file" type="file" accept=".csv,text/csv" on:change=move |ev| read_file(ev, csv)/>
        </div>
        <div class="field">
            <label for="import-text">"Or paste the lines"</label>
            <textarea id="import-text" rows="8" prop:value=move || csv.get() on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
        </div>
        <button type="button" on:click=move |_| { run.dispatch(false); }>"Preview"</button>
        {move || run.value().get().and_then(Result::ok).filter(|r| !r.imported && r.created + r.updated > 0).map(|r| view! {
            <button type="button" on:click=move |_| { run.dispatch(true); }>{format!("Import {} valid lines", r.created + r.updated)}</button>
        })}
        <div aria-live="polite">
            {move || run.value().get().map(|outcome| match outcome {
                Ok(r) => view! { <Report r/> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn Report(r: ImportReport) -> impl IntoView {
    let summary = if r.imported {
        format!(
            "Imported: {} new, {} updated, {} unchanged; {} lines not imported.",
            r.created, r.updated, r.unchanged, r.invalid
        )
    } else {
        format!(
            "Preview: {} new, {} to update, {} unchanged; {} lines with errors. Nothing is saved yet.",
            r.created, r.updated, r.unchanged, r.invalid
        )
    };
    view! {
        <p class="import-summary">{summary}</p>
        {(!r.errors.is_empty()).then(|| view! {
            <h3>"Errors"</h3>
            <ul class="import-errors">
                {r.errors.into_iter().map(|(line, field, message)| view! {
                    <li class="form-error" data-line=line>{format!("Line {line}, {field}: {message}")}</li>
                }).collect_view()}
            </ul>
        })}
        <div class="table-scroll">
        <table class="import-lines">
            <thead><tr><th scope="col">"Line"</th><th scope="col">"Number"</th><th scope="col">"Name"</th><th scope="col">"Result"</th><th scope="col">"Changes"</th></tr></thead>
            <tbody>
                {r.lines.into_iter().map(|(line, number, name, outcome, changes)| view! {
                    <tr><td>{line}</td><td>{number}</td><td>{name}</td><td>{outcome}</td><td>{changes}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
