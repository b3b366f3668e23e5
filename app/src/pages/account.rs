//! The sign-in page (`/sign-in`), the account page (`/account`) and the account links in the
//! site header.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use coop_api::accounts::Role;

use crate::api::session::{SignIn, SignOut, who_am_i};
use crate::components::forms::alert;

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Student => "student",
        Role::Staff => "co-op staff",
        Role::Admin => "administrator",
    }
}

/// The site header with "Sign in", or who is signed in. Rendered by the server only, outside
/// the hydrated app (see `shell`), so the first load carries no account code: signing in or out
/// reloads the page, which renders it anew.
#[cfg(feature = "ssr")]
#[component]
pub fn SiteHeader(user: Option<coop_api::accounts::SessionUser>) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-name" href="/">"coop-permits"</a>
            <nav aria-label="Account">
                {match user {
                    Some(user) => view! {
                        <a href="/home">"Home"</a>
                        {(user.role == Role::Student).then(|| view! { <a href="/record">"My record"</a> })}
                        <a href="/account" class="account">{user.name}</a>
                    }.into_any(),
                    None => view! { <a href="/sign-in" class="account">"Sign in"</a> }.into_any(),
                }}
            </nav>
        </header>
    }
}

/// A full page load: the session changed, so everything rendered with the old one goes.
fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Leaves a private page for good: it is replaced in the history, so the back button does not
/// return to it (and `no-store` keeps the browser from showing a copy).
fn replace_with(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// `/sign-in`, loaded on demand (its code is a separate wasm chunk).
#[derive(Debug)]
pub struct SignInRoute;

#[lazy_route]
impl LazyRoute for SignInRoute {
    fn data() -> Self {
        SignInRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <SignInPage/> }.into_any()
    }
}

/// `/account`, loaded on demand.
#[derive(Debug)]
pub struct AccountRoute;

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <AccountPage/> }.into_any()
    }
}

/// Signing out; with unsent drafts on this device, first the choice to discard them or stay.
fn sign_out_form(
    action: ServerAction<SignOut>,
    unsent: usize,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    move || {
        if unsent == 0 {
            return view! {
                <ActionForm action>
                    <button type="submit">"Sign out"</button>
                </ActionForm>
            }
            .into_any();
        }
        if !confirming.get() {
            return view! {
                <button type="button" on:click=move |_| confirming.set(true)>"Sign out"</button>
            }
            .into_any();
        }
        let what = if unsent == 1 {
            "1 submission is".to_owned()
        } else {
            format!("{unsent} submissions are")
        };
        view! {
            <div class="confirm" role="alertdialog" aria-labelledby="unsent-drafts" aria-describedby="unsent-drafts-why">
                <p id="unsent-drafts"><strong>{format!("{what} not sent yet.")}</strong></p>
                <p id="unsent-drafts-why">"They are saved only on this device. Signing out removes them from it, so the next person to use it cannot read them; stay signed in to send them when you are back online."</p>
                <ActionForm action>
                    <button type="submit">"Discard them and sign out"</button>
                </ActionForm>
                <button type="button" on:click=move |_| confirming.set(false)>"Stay signed in"</button>
            </div>
        }
        .into_any()
    }
}

/// `/sign-in`: e-mail and password.
#[component]
fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
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
    }
}

/// `/account`: who is signed in, and signing out.
#[component]
fn AccountPage() -> impl IntoView {
    let user = LocalResource::new(who_am_i);
    let action = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            // Drafts end with the session: nothing of them stays readable on this device.
            leptos::task::spawn_local(async move {
                crate::drafts::forget_all_but(None).await;
                replace_with("/");
            });
        }
    });
    let confirming = RwSignal::new(false);
    view! {
        <h1>"Your account"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => view! {
                        <dl class="account-facts">
                            <dt>"Name"</dt><dd>{u.name.clone()}</dd>
                            <dt>"E-mail"</dt><dd>{u.email.clone()}</dd>
                            <dt>"Role"</dt><dd data-role=u.role.code()>{role_name(u.role)}</dd>
                        </dl>
                        {sign_out_form(action, crate::drafts::kept_for(u.id), confirming)}
                    }.into_any(),
                    Ok(None) => view! {
                        <p>"You are not signed in. "<a href="/sign-in">"Sign in"</a></p>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}
