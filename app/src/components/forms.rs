//! Forms: reading a submitted HTML form in the browser (for the forms that keep drafts), and
//! showing what the server said — the whole answer, or its problem with one field beside that
//! field.

use leptos::prelude::*;

use crate::api::AppError;

/// The form a submit event came from.
#[cfg(feature = "hydrate")]
pub fn form_of(ev: &leptos::ev::SubmitEvent) -> Option<web_sys::HtmlFormElement> {
    use wasm_bindgen::JsCast;
    ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()
}

/// The form's text fields as (name, value), in order; files are left out.
#[cfg(feature = "hydrate")]
pub fn fields(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return Vec::new();
    };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The server's problem with `field`, under it (`id` is what the field's
/// `aria-describedby` names); nothing while there is none.
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<AppError>>,
    field: &'static str,
    id: &'static str,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id>
            {move || error.with(|e| e.as_ref().and_then(|e| e.field(field)).map(str::to_owned))}
        </p>
    }
}

/// A server function's refusal as the form's alert: the whole message.
pub fn alert(error: &AppError) -> AnyView {
    view! { <p class="form-error" role="alert">{error.message().to_owned()}</p> }.into_any()
}

/// A staff decision's outcome: the sentence that says what happened, or why nothing did.
pub fn outcome(result: Result<String, AppError>) -> AnyView {
    match result {
        Ok(message) => view! { <p class="review-outcome">{message}</p> }.into_any(),
        Err(e) => alert(&e),
    }
}
