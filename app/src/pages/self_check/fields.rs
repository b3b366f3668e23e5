//! Labelled form fields bound to the self-check form, each with its error beside it
//! (`aria-describedby`), found by tests through their visible label.

use coop_core::contract::FieldError;
use leptos::prelude::*;

use super::form::{SelfCheckForm, field_id, student_message};

/// Every field's errors, by contract path.
pub type Errors = Memo<Vec<FieldError>>;

fn error_for(errors: Errors, path: &str) -> Option<String> {
    errors.with(|all| {
        all.iter()
            .find(|e| e.field.as_deref() == Some(path))
            .map(student_message)
    })
}

/// The error line under a field; present in the DOM only while there is an error.
#[component]
fn FieldMessage(id: String, path: String, errors: Errors) -> impl IntoView {
    move || {
        error_for(errors, &path).map(|message| {
            view! { <p class="field-error" id=id.clone()>{message}</p> }
        })
    }
}

/// A text-like input (`date`, `datetime-local`, `text`).
#[component]
pub fn InputField<G, S>(
    label: &'static str,
    #[prop(into)] path: String,
    kind: &'static str,
    form: RwSignal<SelfCheckForm>,
    get: G,
    set: S,
    errors: Errors,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
) -> impl IntoView
where
    G: Fn(&SelfCheckForm) -> String + Send + Sync + 'static,
    S: Fn(&mut SelfCheckForm, String) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let error_path = path.clone();
    let has_error = move || error_for(errors, &error_path).is_some();
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        let has_error = has_error.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if has_error() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                type=kind
                id=id.clone()
                name=id.clone()
                list=list
                prop:value=move || form.with(&get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=described
            />
            <FieldMessage id=error_id path errors/>
        </div>
    }
}

/// A checkbox with its label after it.
#[component]
pub fn CheckField<G, S>(
    label: &'static str,
    #[prop(into)] path: String,
    form: RwSignal<SelfCheckForm>,
    get: G,
    set: S,
) -> impl IntoView
where
    G: Fn(&SelfCheckForm) -> bool + Send + Sync + 'static,
    S: Fn(&mut SelfCheckForm, bool) + Send + Sync + 'static,
{
    let id = field_id(&path);
    view! {
        <div class="field check">
            <input
                type="checkbox"
                id=id.clone()
                name=id.clone()
                prop:checked=move || form.with(&get)
                on:change=move |ev| form.update(|f| set(f, event_target_checked(&ev)))
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// A select of fixed choices.
#[component]
pub fn SelectField<G, S>(
    label: &'static str,
    #[prop(into)] path: String,
    choices: &'static [(&'static str, &'static str)],
    form: RwSignal<SelfCheckForm>,
    get: G,
    set: S,
    errors: Errors,
) -> impl IntoView
where
    G: Fn(&SelfCheckForm) -> String + Send + Sync + Copy + 'static,
    S: Fn(&mut SelfCheckForm, String) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let error_id = format!("{id}-error");
    let error_path = path.clone();
    let has_error = move || error_for(errors, &error_path).is_some();
    let described = {
        let error_id = error_id.clone();
        let has_error = has_error.clone();
        move || has_error().then(|| error_id.clone())
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                name=id.clone()
                on:change=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=described
            >
                {choices
                    .iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=*value selected=move || form.with(get) == *value>
                                {*text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id path errors/>
        </div>
    }
}
