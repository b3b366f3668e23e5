//! The institution's programs catalogue (W2f's facts): each program, whether it qualifies for a
//! work placement under the study permit and why not, how many students are in it; a form to
//! add or change one (its students are re-evaluated at once); the catalogue as CSV, out and in.

use coop_api::programs::{ProgramEntry, ProgramImportReport, ProgramLine};
use leptos::prelude::*;

use crate::api::programs::{import_programs, list_programs, save_program};
use crate::components::forms::{FieldError, alert, outcome};

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct Fields {
    code: RwSignal<String>,
    name: RwSignal<String>,
    credential: RwSignal<bool>,
    months: RwSignal<String>,
    work_months: RwSignal<String>,
    placement_required: RwSignal<bool>,
    language_or_preparatory: RwSignal<bool>,
    /// Changing an existing program (its code is fixed).
    editing: RwSignal<bool>,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            code: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            credential: RwSignal::new(true),
            months: RwSignal::new(String::new()),
            work_months: RwSignal::new(String::new()),
            placement_required: RwSignal::new(true),
            language_or_preparatory: RwSignal::new(false),
            editing: RwSignal::new(false),
        }
    }

    fn load(&self, e: &ProgramEntry) {
        self.code.set(e.code.clone());
        self.name.set(e.name.clone());
        self.credential.set(e.credential);
        self.months.set(e.months.to_string());
        self.work_months.set(e.work_months.to_string());
        self.placement_required.set(e.placement_required);
        self.language_or_preparatory.set(e.language_or_preparatory);
        self.editing.set(true);
    }

    /// The entry to send; months that are not whole numbers go as 0, which the server refuses
    /// on their field.
    fn entry(&self) -> ProgramEntry {
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
        ProgramEntry {
            code: self.code.get_untracked(),
            name: self.name.get_untracked(),
            credential: self.credential.get_untracked(),
            months: number(self.months),
            work_months: number(self.work_months),
            placement_required: self.placement_required.get_untracked(),
            language_or_preparatory: self.language_or_preparatory.get_untracked(),
        }
    }
}

#[component]
pub fn Programs() -> impl IntoView {
    let fields = Fields::new();
    let save =
        Action::new(move |_: &()| save_program(fields.entry(), !fields.editing.get_untracked()));
    let csv = RwSignal::new(String::new());
    let import = Action::new(move |commit: &bool| import_programs(csv.get_untracked(), *commit));
    let list = LocalResource::new(move || {
        save.version().get();
        import.version().get();
        list_programs()
    });
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <h2>"Programs"</h2>
        <p>"A program qualifies for a work placement under the study permit when it leads to a degree, diploma or certificate, lasts 6 months or more, requires the placement, is not language or preparatory training, and is at most half work (W2f). Set each student's program on their file; changing a program here re-evaluates its students."</p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(lines) => view! { <Catalogue lines fields/> }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="program-form-title">
            <h3 id="program-form-title">{move || if fields.editing.get() { format!("Change {}", fields.code.get()) } else { "Add a program".to_owned() }}</h3>
            <form on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <div class="field">
                    <label for="program-code-new">"Code"</label>
                    <input id="program-code-new" required maxlength=coop_core::programs::CODE_MAX_CHARS
                        prop:value=move || fields.code.get() prop:readOnly=move || fields.editing.get()
                        on:input=move |ev| fields.code.set(event_target_value(&ev)) aria-describedby="program-code-new-error"/>
                    <FieldError error=save_error field="code" id="program-code-new-error"/>
                </div>
                <div class="field">
                    <label for="program-name">"Name"</label>
                    <input id="program-name" required maxlength=coop_core::programs::NAME.max_chars
                        prop:value=move || fields.name.get() on:input=move |ev| fields.name.set(event_target_value(&ev)) aria-describedby="program-name-error"/>
                    <FieldError error=save_error field="name" id="program-name-error"/>
                </div>
                <div class="field">
                    <label for="program-months">"Length (months)"</label>
                    <input id="program-months" type="number" min="1" max=coop_core::programs::MONTHS_MAX inputmode="numeric" required
                        prop:value=move || fields.months.get() on:input=move |ev| fields.months.set(event_target_value(&ev)) aria-describedby="program-months-error"/>
                    <FieldError error=save_error field="months" id="program-months-error"/>
                </div>
                <div class="field">
                    <label for="program-work-months">"Work placement (months)"</label>
                    <input id="program-work-months" type="number" min="0" max=coop_core::programs::MONTHS_MAX inputmode="numeric" required
                        prop:value=move || fields.work_months.get() on:input=move |ev| fields.work_months.set(event_target_value(&ev)) aria-describedby="program-work-months-error"/>
                    <FieldError error=save_error field="work_months" id="program-work-months-error"/>
                </div>
                {check("program-credential", "Leads to a degree, diploma or certificate", fields.credential)}
                {check("program-placement-required", "The work placement is required", fields.placement_required)}
                {check("program-language", "Language, general-interest or preparatory training", fields.language_or_preparatory)}
                <button type="submit">"Save program"</button>
                {move || fields.editing.get().then(|| view! {
                    <button type="button" on:click=move |_| { fields.editing.set(false); fields.code.set(String::new()); fields.name.set(String::new()); }>"Add a new one instead"</button>
                })}
            </form>
            <div aria-live="polite">{move || save.value().get().map(outcome)}</div>
        </section>
        <section class="card" aria-labelledby="program-csv-title">
            <h3 id="program-csv-title">"As CSV"</h3>
            <p><a href="/api/v1/programs.csv" download>"Download the catalogue (CSV)"</a></p>
            <p>"Import with the header "<code>"code,name,credential,months,work_months,placement_required,language_or_preparatory"</code>" (the download's); a known code changes that program."</p>
            <div class="field">
                <label for="program-import-text">"Paste the lines"</label>
                <textarea id="program-import-text" rows="6" prop:value=move || csv.get() on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
            </div>
            <button type="button" on:click=move |_| { import.dispatch(false); }>"Preview"</button>
            {move || import.value().get().and_then(Result::ok).filter(|r| !r.imported && r.created + r.updated > 0).map(|r| view! {
                <button type="button" on:click=move |_| { import.dispatch(true); }>{format!("Import {} programs", r.created + r.updated)}</button>
            })}
            <div aria-live="polite">
                {move || import.value().get().map(|outcome| match outcome {
                    Ok(r) => report(r),
                    Err(e) => alert(&e),
                })}
            </div>
        </section>
    }
}

fn check(id: &'static str, label: &'static str, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="field check">
            <input id=id type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
fn Catalogue(lines: Vec<ProgramLine>, fields: Fields) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p>"No programs yet: add the first below, or import the catalogue."</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
        <table class="programs">
            <thead><tr>
                <th scope="col">"Code"</th><th scope="col">"Name"</th><th scope="col">"Months"</th>
                <th scope="col">"Work"</th><th scope="col">"Placement under the study permit (W2f)"</th>
                <th scope="col">"Students"</th><th scope="col">"Change"</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|line| {
                    let entry = line.entry.clone();
                    let verdict = if line.eligible { "Qualifies".to_owned() } else { format!("Does not qualify: {}", line.why_not.join("; ")) };
                    view! {
                        <tr data-program=line.entry.code.clone() data-eligible=line.eligible.to_string()>
                            <td>{line.entry.code.clone()}</td>
                            <td>{line.entry.name.clone()}</td>
                            <td>{line.entry.months}</td>
                            <td>{line.entry.work_months}</td>
                            <td>{verdict}</td>
                            <td>{line.students}</td>
                            <td><button type="button" aria-label=format!("Change {}", line.entry.code) on:click=move |_| fields.load(&entry)>"Change"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

fn report(r: ProgramImportReport) -> AnyView {
    let summary = if r.imported {
        format!(
            "Imported: {} new, {} changed, {} unchanged; {} problems (those lines are not imported).",
            r.created,
            r.updated,
            r.unchanged,
            r.errors.len()
        )
    } else {
        format!(
            "Preview: {} new, {} to change, {} unchanged; {} problems. Nothing is saved yet.",
            r.created,
            r.updated,
            r.unchanged,
            r.errors.len()
        )
    };
    view! {
        <p class="import-summary">{summary}</p>
        <ul class="import-errors">
            {r.errors.into_iter().map(|e| view! {
                <li class="form-error" data-line=e.line>{format!("Line {}, {}: {}", e.line, e.field, e.message)}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
