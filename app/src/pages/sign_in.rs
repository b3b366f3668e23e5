//! `/sign-in`: the institution's account (single sign-on), and e-mail and password when this
//! office keeps them on; what a sign-on that came back without a session means; the way to a
//! forgotten password.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::session::{SignIn, sign_in_options};
use crate::components::forms::alert;
use crate::components::title::set_title;

/// A full page load: the session changed, so everything rendered with the old one goes.
fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Why a single sign-on came back without a session (`/sign-in?sso=…`).
fn sso_outcome(code: &str) -> Option<&'static str> {
    Some(match code {
        "unregistered" => {
            "You signed in with your institution's account, but the co-op office has no account for you yet. Contact the co-op office to be added."
        }
        "disabled" => "Your account is disabled. Contact the co-op office.",
        "expired" => "That sign-in was already used or took too long. Sign in again.",
        "cancelled" => "The sign-in was cancelled at your institution's page.",
        "failed" => {
            "Your institution's sign-in could not be verified. Sign in again; if it keeps happening, contact the co-op office."
        }
        "unavailable" => {
            "Your institution's sign-in service cannot be reached right now. Try again in a few minutes."
        }
        _ => return None,
    })
}

/// `/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    set_title("Sign in");
    let action = ServerAction::<SignIn>::new();
    let options = LocalResource::new(sign_in_options);
    let query = use_query_map();
    let sso_said = move || query.with(|q| q.get("sso")).and_then(|c| sso_outcome(&c));
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            // Another person's drafts never stay on a device someone else now uses.
            leptos::task::spawn_local(async move {
                crate::drafts::forget_all_but(Some(user.id)).await;
                reload_at("/home");
            });
        }
    });
    let error = move || match action.value().get() {
        Some(Err(e)) => Some(e.message().to_owned()),
        _ => None,
    };
    view! {
        <h1>"Sign in"</h1>
        {move || sso_said().map(|text| view! { <p class="form-error" role="alert" data-sso-outcome>{text}</p> })}
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => view! {
                        {options.sso.map(|name| view! {
                            <p><a class="button sso" href="/auth/oidc/login" rel="external">{format!("Sign in with {name}")}</a></p>
                        })}
                        {options.password.then(|| view! {
                            <p class="lead">"Students, co-op staff and administrators sign in with the e-mail address the co-op office has on file."</p>
                            <ActionForm action attr:class="sign-in" attr:aria-describedby="sign-in-error">
                                <div class="field">
                                    <label for="sign-in-email">"E-mail address"</label>
                                    <input id="sign-in-email" type="email" name="credentials[email]" autocomplete="username" required/>
                                </div>
                                <div class="field">
                                    <label for="sign-in-password">"Password"</label>
                                    <input id="sign-in-password" type="password" name="credentials[password]" autocomplete="current-password" required/>
                                </div>
                                <p id="sign-in-error" class="form-error" role="alert">{error}</p>
                                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
                            </ActionForm>
                            <p><a href="/forgot-password">"Forgot your password?"</a></p>
                        })}
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}
