//! The account page (`/account`: who is signed in, a student's copy of their data, and signing
//! out) and the account links in the site header.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use coop_api::accounts::Role;

use crate::api::session::{SignOut, who_am_i};
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

/// `/account`: who is signed in, a student's copy of their data, and signing out.
#[component]
fn AccountPage() -> impl IntoView {
    crate::components::title::set_title("Your account");
    let user = LocalResource::new(who_am_i);
    let action = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(provider)) = action.value().get() {
            // Drafts end with the session: nothing of them stays readable on this device. A
            // session of single sign-on ends at the provider too (it sends the browser back).
            leptos::task::spawn_local(async move {
                crate::drafts::forget_all_but(None).await;
                replace_with(provider.as_deref().unwrap_or("/"));
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
                        {(u.role == Role::Student).then(|| view! {
                            <h2>"Your data"</h2>
                            <p>"A copy of everything the co-op office holds about you, with your documents and letters (FIPPA s. 5)."</p>
                            <p><a href="/api/v1/me/export" download id="export-my-data">"Download my data (zip)"</a></p>
                        })}
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
