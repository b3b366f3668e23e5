//! The sign-in page, the account page and the account links in the header.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{CurrentUser, SignIn, SignOut};

fn role_name(role: &str) -> &'static str {
    match role {
        "student" => "student",
        "staff" => "co-op staff",
        "admin" => "administrator",
        _ => "user",
    }
}

/// "Sign in", or who is signed in, in the header.
#[component]
pub fn AccountNav() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! {
                        <a href="/account" class="account">{user.name}</a>
                    }.into_any(),
                    _ => view! { <a href="/sign-in" class="account">"Sign in"</a> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/sign-in`: e-mail and password.
#[component]
pub fn SignInPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let action = ServerAction::<SignIn>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            user.refetch();
            navigate("/account", Default::default());
        }
    });
    let error = move || match action.value().get() {
        Some(Err(e)) => Some(message_of(&e)),
        _ => None,
    };
    view! {
        <h1>"Sign in"</h1>
        <p class="lead">"Students, co-op staff and administrators sign in with the e-mail address the co-op office has on file."</p>
        <ActionForm action attr:class="sign-in" attr:aria-describedby="sign-in-error">
            <div class="field">
                <label for="sign-in-email">"E-mail address"</label>
                <input id="sign-in-email" type="email" name="email" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="sign-in-password">"Password"</label>
                <input id="sign-in-password" type="password" name="password" autocomplete="current-password" required/>
            </div>
            <p id="sign-in-error" class="form-error" role="alert">{error}</p>
            <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
        </ActionForm>
    }
}

/// The text of a server function's error, without the framework's prefix.
fn message_of(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => {
            "The server cannot be reached; check your connection.".to_owned()
        }
        other => other.to_string(),
    }
}

/// `/account`: who is signed in, and signing out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = expect_context::<CurrentUser>();
    let action = ServerAction::<SignOut>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            user.refetch();
            navigate("/", Default::default());
        }
    });
    view! {
        <h1>"Your account"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => view! {
                        <dl class="account-facts">
                            <dt>"Name"</dt><dd>{u.name.clone()}</dd>
                            <dt>"E-mail"</dt><dd>{u.email.clone()}</dd>
                            <dt>"Role"</dt><dd data-role=u.role.clone()>{role_name(&u.role)}</dd>
                        </dl>
                        <ActionForm action>
                            <button type="submit">"Sign out"</button>
                        </ActionForm>
                    }.into_any(),
                    Ok(None) => view! {
                        <p>"You are not signed in. "<a href="/sign-in">"Sign in"</a></p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{message_of(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
