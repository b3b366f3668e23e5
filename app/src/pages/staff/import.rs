//! Importing students from CSV (design.md's columns): choose or paste the file, see what each
//! line would do and every error by line and field, then import the valid lines in one
//! transaction. Importing the same file again changes nothing.

use coop_api::staff::ImportSummary;
use leptos::prelude::*;

use crate::api::import::import_students;
use crate::components::forms::alert;

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
    let invite = RwSignal::new(false);
    let run = Action::new(move |commit: &bool| {
        import_students(csv.get_untracked(), *commit, invite.get_untracked())
    });
    view! {
        <h2>"Import students"</h2>
        <p>"One student per line, with the header "<code>"student_number,email,name,program,coop_program,coop1101,continuance_met,full_time"</code>
           "; "<code>"coop_program"</code>", "<code>"continuance_met"</code>" and "<code>"full_time"</code>" are true or false, "
           <code>"coop1101"</code>" is none, registered or completed. An optional "<code>"program_code"</code>" column names the program in the catalogue (W2f; an empty cell takes it off). A known student number updates that student."</p>
        <div class="field">
            <label for="import-file">"CSV file (UTF-8)"</label>
            <input id="import-file" type="file" accept=".csv,text/csv" on:change=move |ev| read_file(ev, csv)/>
        </div>
        <div class="field">
            <label for="import-text">"Or paste the lines"</label>
            <textarea id="import-text" rows="8" prop:value=move || csv.get() on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
        </div>
        <div class="field check">
            <input id="import-invite" type="checkbox" prop:checked=move || invite.get() on:change=move |ev| invite.set(event_target_checked(&ev)) aria-describedby="import-invite-hint"/>
            <label for="import-invite">"Invite new students by e-mail"</label>
        </div>
        <p class="hint" id="import-invite-hint">"Each new student gets an account and an e-mail with a link to set their password (7 days), or, where people sign in with the institution's account, a note to do so. Needs the office's mail server."</p>
        <button type="button" on:click=move |_| { run.dispatch(false); }>"Preview"</button>
        {move || run.value().get().and_then(Result::ok).filter(|r| !r.imported && r.created + r.updated > 0).map(|r| view! {
            <button type="button" on:click=move |_| { run.dispatch(true); }>{format!("Import {} valid lines", r.created + r.updated)}</button>
        })}
        <div aria-live="polite">
            {move || run.value().get().map(|outcome| match outcome {
                Ok(r) => view! { <Report r/> }.into_any(),
                Err(e) => alert(&e),
            })}
        </div>
    }
}

#[component]
fn Report(r: ImportSummary) -> impl IntoView {
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
    let invited = (r.imported && (r.invited > 0 || !r.invitation_problems.is_empty()))
        .then(|| format!("{} new students invited.", r.invited));
    view! {
        <p class="import-summary">{summary}</p>
        {invited.map(|words| view! { <p class="import-invited">{words}</p> })}
        {(!r.invitation_problems.is_empty()).then(|| view! {
            <h3>"Not invited"</h3>
            <ul class="import-errors">
                {r.invitation_problems.into_iter().map(|e| view! {
                    <li class="form-error" data-line=e.line>{format!("Line {}: {}", e.line, e.message)}</li>
                }).collect_view()}
            </ul>
        })}
        {(!r.errors.is_empty()).then(|| view! {
            <h3>"Errors"</h3>
            <ul class="import-errors">
                {r.errors.into_iter().map(|e| view! {
                    <li class="form-error" data-line=e.line>{format!("Line {}, {}: {}", e.line, e.field, e.message)}</li>
                }).collect_view()}
            </ul>
        })}
        <div class="table-scroll">
        <table class="import-lines">
            <thead><tr><th scope="col">"Line"</th><th scope="col">"Number"</th><th scope="col">"Name"</th><th scope="col">"Result"</th><th scope="col">"Changes"</th></tr></thead>
            <tbody>
                {r.lines.into_iter().map(|l| view! {
                    <tr><td>{l.line}</td><td>{l.student_number}</td><td>{l.name}</td><td>{l.outcome}</td><td>{l.changes}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
