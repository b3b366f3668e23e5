//! The admin's API tokens for staff integrations: each with its owner, expiry and whether it is
//! revoked; create one (its secret shown once); revoke one.

use leptos::prelude::*;

use crate::api::admin::{CreateApiToken, RevokeApiToken, list_api_tokens};
use crate::components::forms::{FieldError, alert, outcome};

#[component]
pub fn Tokens() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = LocalResource::new(move || {
        create.version().get();
        revoke.version().get();
        list_api_tokens()
    });
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <h2>"API tokens"</h2>
        <p class="hint">"A token lets a staff integration (the career portal, a script) call the API as a staff member: "<code>"Authorization: Bearer <token>"</code>". It never manages users or tokens."</p>
        <div aria-live="polite">{move || revoke.value().get().map(outcome)}</div>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! { <p>"No tokens yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll">
                        <table class="tokens">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Acts as"</th><th scope="col">"Expires"</th>
                                <th scope="col">"Last used"</th><th scope="col">"State"</th><th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| {
                                    let id = t.id;
                                    let state = if t.revoked { "revoked" } else if t.expired { "expired" } else { "active" };
                                    view! {
                                        <tr data-token=id data-state=state>
                                            <td>{t.name.clone()}</td>
                                            <td>{t.user_email.clone()}</td>
                                            <td>{coop_core::datetime_text::datetime_words(&t.expires_at)}</td>
                                            <td>{t.last_used_at.map_or_else(|| "never".to_owned(), |at| coop_core::datetime_text::datetime_words(&at))}</td>
                                            <td>{state}</td>
                                            <td>
                                                {(state == "active").then(|| view! {
                                                    <ActionForm action=revoke attr:class="inline">
                                                        <input type="hidden" name="id" value=id/>
                                                        <button type="submit" aria-label=format!("Revoke the token {}", t.name)>"Revoke"</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="token-title">
            <h3 id="token-title">"Create a token"</h3>
            <ActionForm action=create>
                <div class="field">
                    <label for="token-email">"Staff member it acts as (e-mail)"</label>
                    <input id="token-email" type="email" name="form[email]" required aria-describedby="token-email-error"/>
                    <FieldError error=create_error field="email" id="token-email-error"/>
                </div>
                <div class="field">
                    <label for="token-name">"Name (what it is for)"</label>
                    <input id="token-name" name="form[name]" required maxlength=coop_core::text_limits::TOKEN_NAME.max_chars aria-describedby="token-name-error"/>
                    <FieldError error=create_error field="name" id="token-name-error"/>
                </div>
                <div class="field">
                    <label for="token-days">"Days until it expires (1 to 366)"</label>
                    <input id="token-days" type="number" name="form[expires_in_days]" min="1" max="366" value="90" required aria-describedby="token-days-error"/>
                    <FieldError error=create_error field="expires_in_days" id="token-days-error"/>
                </div>
                <button type="submit" disabled=move || create.pending().get()>"Create the token"</button>
            </ActionForm>
            <div aria-live="polite">
                {move || create.value().get().map(|r| match r {
                    Ok(created) => view! {
                        <div class="token-secret" role="status">
                            <p>"Copy the token now: it is shown this once, and only its hash is kept."</p>
                            <p><code>{created.token}</code></p>
                        </div>
                    }.into_any(),
                    Err(e) => alert(&e),
                })}
            </div>
        </section>
    }
}
