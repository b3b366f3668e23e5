//! The admin's users: search by e-mail or name, each with their role, whether they are enabled,
//! their last sign-in and where their invitation stands; add a user with an invitation; change a
//! staff account's role; disable or enable; send the invitation again.

use coop_api::accounts::{AdminUser, InvitationSent};
use coop_core::roles::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{InviteNewUser, ReinviteUser, SetUserDisabled, SetUserRole, find_users};
use crate::components::forms::{FieldError, alert, outcome};

/// What an invitation did, in a sentence (with the link to hand over, when there is no mail).
fn invitation_said(sent: &InvitationSent) -> AnyView {
    if let Some(problem) = &sent.problem {
        return view! {
            <p class="form-error" role="alert">{format!("The account was added, but its invitation was not sent: {problem}")}</p>
        }
        .into_any();
    }
    match (&sent.sent_to, &sent.link) {
        (Some(to), _) => view! { <p class="invitation-sent" role="status">{format!("Invitation e-mailed to {to}.")}</p> }.into_any(),
        (None, Some(link)) => view! {
            <div class="invitation-link" role="status">
                <p>"No mail server is configured: hand this one-time link to the person (shown once; it works for 7 days)."</p>
                <p><code>{link.clone()}</code></p>
            </div>
        }.into_any(),
        (None, None) => view! {
            <p class="invitation-sent" role="status">"People sign in with the institution's account here: tell them to use \"Sign in with\" on the sign-in page."</p>
        }.into_any(),
    }
}

/// Where a user's invitation stands, in words.
fn invitation_words(user: &AdminUser) -> String {
    match &user.invitation {
        None => "not invited".to_owned(),
        Some(i) if i.accepted => "accepted".to_owned(),
        Some(i) => format!(
            "sent {}, not accepted yet",
            coop_core::datetime_text::datetime_words(&i.sent_at)
        ),
    }
}

#[component]
pub fn Users() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let page = move || {
        query.with(|m| {
            m.get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1)
        })
    };
    let invite = ServerAction::<InviteNewUser>::new();
    let reinvite = ServerAction::<ReinviteUser>::new();
    let role = ServerAction::<SetUserRole>::new();
    let disabled = ServerAction::<SetUserDisabled>::new();
    let users = LocalResource::new(move || {
        invite.version().get();
        reinvite.version().get();
        role.version().get();
        disabled.version().get();
        find_users(q(), page())
    });
    let invite_error = Signal::derive(move || invite.value().get().and_then(Result::err));
    view! {
        <h2>"Users"</h2>
        <leptos_router::components::Form method="get" action="/home" attr:class="filters">
            <input type="hidden" name="view" value="users"/>
            <div class="field">
                <label for="user-search">"E-mail or name"</label>
                <input id="user-search" type="search" name="q" prop:value=q/>
            </div>
            <button type="submit">"Show"</button>
        </leptos_router::components::Form>
        <div aria-live="polite">
            {move || role.value().get().map(outcome)}
            {move || disabled.value().get().map(outcome)}
            {move || reinvite.value().get().map(|r| match r {
                Ok(sent) => invitation_said(&sent),
                Err(e) => alert(&e),
            })}
        </div>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(found) => view! {
                        <p data-total=found.total>{format!("{} users", found.total)}</p>
                        <div class="table-scroll">
                        <table class="users">
                            <thead><tr>
                                <th scope="col">"E-mail"</th><th scope="col">"Name"</th><th scope="col">"Role"</th>
                                <th scope="col">"Account"</th><th scope="col">"Invitation"</th><th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>
                                {found.items.into_iter().map(|u| {
                                    let id = u.id;
                                    let label = u.email.clone();
                                    let status = if u.disabled { "disabled" } else { "enabled" };
                                    let last = u.signed_in_at.map_or_else(
                                        || "never signed in".to_owned(),
                                        |at| format!("last signed in {}", coop_core::datetime_text::datetime_words(&at)),
                                    );
                                    let other_role = match u.role {
                                        Role::Staff => Some((Role::Admin, "Make admin")),
                                        Role::Admin => Some((Role::Staff, "Make staff")),
                                        Role::Student => None,
                                    };
                                    let invitation = invitation_words(&u);
                                    let can_reinvite = !u.disabled && !u.invitation.as_ref().is_some_and(|i| i.accepted);
                                    let toggle = if u.disabled { "Enable" } else { "Disable" };
                                    let toggle_label = format!("{toggle}: {label}");
                                    let reinvite_label = format!("Send the invitation again: {label}");
                                    view! {
                                        <tr data-user=id data-role=u.role.code() data-disabled=u.disabled.to_string()>
                                            <td>{u.email}</td>
                                            <td>{u.name}</td>
                                            <td>{crate::api::admin::role_words(u.role)}</td>
                                            <td>{format!("{status}; {last}")}</td>
                                            <td data-invitation>{invitation}</td>
                                            <td>
                                                {other_role.map(|(to, words)| view! {
                                                    <ActionForm action=role attr:class="inline">
                                                        <input type="hidden" name="id" value=id/>
                                                        <input type="hidden" name="role" value=to.code()/>
                                                        <button type="submit" aria-label=format!("{words}: {}", label.clone())>{words}</button>
                                                    </ActionForm>
                                                })}
                                                <ActionForm action=disabled attr:class="inline">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="disabled" value=(!u.disabled).to_string()/>
                                                    <button type="submit" aria-label=toggle_label>{toggle}</button>
                                                </ActionForm>
                                                {can_reinvite.then(|| view! {
                                                    <ActionForm action=reinvite attr:class="inline">
                                                        <input type="hidden" name="id" value=id/>
                                                        <button type="submit" aria-label=reinvite_label>"Send the invitation again"</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <nav class="pages" aria-label="Pages">
                            {(page() > 1).then(|| view! { <a href=format!("/home?view=users&q={}&page={}", q(), page() - 1) rel="prev">"Previous page"</a> })}
                            " "
                            {(page() * 25 < found.total).then(|| view! { <a href=format!("/home?view=users&q={}&page={}", q(), page() + 1) rel="next">"Next page"</a> })}
                        </nav>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="invite-title">
            <h3 id="invite-title">"Add a user"</h3>
            <p class="hint">"They get an e-mail with a link to set their password (or, where people sign in with the institution's account only, a note to do so)."</p>
            <ActionForm action=invite>
                <div class="field">
                    <label for="invite-email">"E-mail address"</label>
                    <input id="invite-email" type="email" name="form[email]" required aria-describedby="invite-email-error"/>
                    <FieldError error=invite_error field="email" id="invite-email-error"/>
                </div>
                <div class="field">
                    <label for="invite-name">"Name"</label>
                    <input id="invite-name" name="form[name]" required maxlength=coop_core::text_limits::PERSON_NAME.max_chars aria-describedby="invite-name-error"/>
                    <FieldError error=invite_error field="name" id="invite-name-error"/>
                </div>
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" name="form[role]">
                        <option value="student">"Student"</option>
                        <option value="staff">"Co-op staff"</option>
                        <option value="admin">"Administrator"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="invite-number">"Student number (students only)"</label>
                    <input id="invite-number" name="form[student_number]" aria-describedby="invite-number-error"/>
                    <FieldError error=invite_error field="student_number" id="invite-number-error"/>
                </div>
                <button type="submit" disabled=move || invite.pending().get()>"Add and invite"</button>
            </ActionForm>
            <div aria-live="polite">
                {move || invite.value().get().map(|r| match r {
                    Ok(sent) => invitation_said(&sent),
                    Err(e) => alert(&e),
                })}
            </div>
        </section>
    }
}
