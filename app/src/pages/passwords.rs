//! `/forgot-password` (an e-mail with a link to set a new password) and the page that link
//! opens, `/reset-password?token=…` — also `/set-password?token=…`, an invitation's first
//! password. The same answer for every address, known or not.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::passwords::{ForgotPassword, SetPassword};
use crate::components::forms::{FieldError, alert};
use crate::components::title::set_title;

/// `/forgot-password`.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    set_title("Forgot your password?");
    let action = ServerAction::<ForgotPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <h1>"Forgot your password?"</h1>
        <p class="lead">"Give the e-mail address the co-op office has on file. If it has an account, an e-mail with a link to set a new password is on its way; the link works once, for an hour."</p>
        <ActionForm action>
            <div class="field">
                <label for="forgot-email">"E-mail address"</label>
                <input id="forgot-email" type="email" name="email" autocomplete="username" required aria-describedby="forgot-email-error"/>
                <FieldError error field="email" id="forgot-email-error"/>
            </div>
            <button type="submit" disabled=move || action.pending().get()>"Send the link"</button>
        </ActionForm>
        <div aria-live="polite">
            {move || action.value().get().map(|outcome| match outcome {
                Ok(()) => view! {
                    <p class="reset-sent">"If this address has an account, the e-mail is on its way. Check your inbox (and junk folder)."</p>
                }.into_any(),
                Err(e) => alert(&e),
            })}
        </div>
        <p><a href="/sign-in">"Back to signing in"</a></p>
    }
}

/// `/reset-password` and `/set-password`: the page an e-mailed link opens.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    set_title("Set your password");
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<SetPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <h1>"Set your password"</h1>
        {move || match action.value().get() {
            Some(Ok(())) => view! {
                <p class="password-set" role="status">"Your password is set, and you are signed out everywhere else. "<a href="/sign-in">"Sign in"</a></p>
            }.into_any(),
            _ => view! {
                <p class="lead">"At least 12 characters; a phrase of several words is easy to remember and hard to guess."</p>
                <ActionForm action>
                    <input type="hidden" name="form[token]" prop:value=token/>
                    <FieldError error field="token" id="set-password-token-error"/>
                    <div class="field">
                        <label for="set-password">"New password"</label>
                        <input id="set-password" type="password" name="form[password]" autocomplete="new-password" required minlength="12" aria-describedby="set-password-error"/>
                        <FieldError error field="password" id="set-password-error"/>
                    </div>
                    <button type="submit" disabled=move || action.pending().get()>"Set the password"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}
