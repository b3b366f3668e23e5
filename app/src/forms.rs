//! Reading a submitted HTML form in the browser, for the forms that keep drafts.
#![cfg(feature = "hydrate")]

use wasm_bindgen::JsCast;

/// The form a submit event came from.
pub fn form_of(ev: &leptos::ev::SubmitEvent) -> Option<web_sys::HtmlFormElement> {
    ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()
}

/// The form's text fields as (name, value), in order; files are left out.
pub fn fields(form: &web_sys::HtmlFormElement) -> Vec<(String, String)> {
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
