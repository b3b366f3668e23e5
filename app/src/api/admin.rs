//! The admin's pages: users (search, create with an invitation, role, disable or enable, send
//! the invitation again) and API tokens (create, shown once; revoke). The same services as
//! `/api/v1/users` and `/api/v1/tokens`, each change audited.

use coop_api::Page;
use coop_api::accounts::{AdminUser, CreatedToken, InvitationSent, Token};
use coop_api::staff::NewUserForm;
use leptos::prelude::*;

use super::AppError;

/// Users per page.
#[cfg(feature = "ssr")]
const PER_PAGE: u64 = 25;

/// Admin: a page (from 1) of users whose e-mail or name contains `q`.
#[server(prefix = "/api/app", endpoint = "find_users")]
pub async fn find_users(
    #[server(default)] q: String,
    #[server(default)] page: u64,
) -> Result<Page<AdminUser>, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::{account_links, users};

    let principal = context::principal().await;
    require_admin(&principal)?;
    let store = context::store()?;
    let page = page.max(1);
    let (found, total) = users::search(store.db(), &q, page - 1, PER_PAGE).await?;
    let ids: Vec<i64> = found.iter().map(|u| u.id).collect();
    let invitations = account_links::latest_invitations(store.db(), &ids).await?;
    Ok(Page {
        items: coop_store::wire::accounts::admin_users(&found, &invitations),
        total,
    })
}

/// Admin: creates a user and invites them (the form's `form[…]`).
#[server(prefix = "/api/app", endpoint = "invite_new_user")]
pub async fn invite_new_user(form: NewUserForm) -> Result<InvitationSent, AppError> {
    use super::context;
    use coop_core::roles::Role;
    use coop_store::service::access::require_admin;
    use coop_store::service::audit::Actor;
    use coop_store::service::{invitations, users};
    use coop_store::settings::{AuthSettings, OfficeMail};

    let principal = context::principal().await;
    let admin = require_admin(&principal)?;
    let role = Role::from_code(&form.role)
        .ok_or_else(|| AppError::invalid("role", "Choose student, staff or admin."))?;
    let store = context::store()?;
    let actor = Actor::User(admin.id);
    let now = chrono::Utc::now();
    let created = users::create(
        store.db(),
        users::NewUser {
            email: form.email,
            name: form.name,
            role,
            student_number: Some(form.student_number).filter(|n| !n.trim().is_empty()),
        },
        None,
        &actor,
        now,
    )
    .await?;
    let settings = context::provided::<AuthSettings>()?;
    let mail = context::provided::<OfficeMail>()?;
    // The account stands even when its e-mail cannot go: the answer says so, to send it again.
    Ok(
        match invitations::invite(
            store.db(),
            mail.mailer.as_deref(),
            &settings,
            created.id,
            &actor,
            now,
        )
        .await
        {
            Ok(invited) => InvitationSent::from(&invited),
            Err(e) => InvitationSent::not_sent(e.to_string()),
        },
    )
}

/// Admin: sends user `id` an invitation again.
#[server(prefix = "/api/app", endpoint = "reinvite_user")]
pub async fn reinvite_user(id: i64) -> Result<InvitationSent, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::audit::Actor;
    use coop_store::service::invitations;
    use coop_store::settings::{AuthSettings, OfficeMail};

    let principal = context::principal().await;
    let admin = require_admin(&principal)?;
    let store = context::store()?;
    let settings = context::provided::<AuthSettings>()?;
    let mail = context::provided::<OfficeMail>()?;
    let invited = invitations::invite(
        store.db(),
        mail.mailer.as_deref(),
        &settings,
        id,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(InvitationSent::from(&invited))
}

/// Admin: makes a staff account staff or admin (`role`).
#[server(prefix = "/api/app", endpoint = "set_user_role")]
pub async fn set_user_role(id: i64, role: coop_core::roles::Role) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::audit::Actor;
    use coop_store::service::users;

    let principal = context::principal().await;
    let admin = require_admin(&principal)?;
    let store = context::store()?;
    let after = users::set_role(
        store.db(),
        id,
        role,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(format!(
        "{} is now {}; their sessions ended.",
        after.email,
        role_words(after.role)
    ))
}

/// Admin: disables (`disabled` true: their sessions and tokens end) or enables user `id`.
#[server(prefix = "/api/app", endpoint = "set_user_disabled")]
pub async fn set_user_disabled(id: i64, disabled: bool) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::audit::Actor;
    use coop_store::service::users;

    let principal = context::principal().await;
    let admin = require_admin(&principal)?;
    let store = context::store()?;
    let after = users::set_disabled(
        store.db(),
        id,
        disabled,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(if after.disabled_at.is_some() {
        format!(
            "{} is disabled; their sessions and API tokens ended.",
            after.email
        )
    } else {
        format!("{} is enabled again.", after.email)
    })
}

/// A role in words.
pub fn role_words(role: coop_core::roles::Role) -> &'static str {
    match role {
        coop_core::roles::Role::Student => "a student",
        coop_core::roles::Role::Staff => "co-op staff",
        coop_core::roles::Role::Admin => "an administrator",
    }
}

/// Admin: every API token.
#[server(prefix = "/api/app", endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<Token>, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::tokens;

    let principal = context::principal().await;
    require_admin(&principal)?;
    let store = context::store()?;
    Ok(tokens::list(store.db())
        .await?
        .iter()
        .map(|(model, email)| coop_store::wire::accounts::token(model, email))
        .collect())
}

/// Admin: creates an API token (the form's `form[email]`, `form[name]`,
/// `form[expires_in_days]`); its secret is in the answer, this once.
#[server(prefix = "/api/app", endpoint = "create_api_token")]
pub async fn create_api_token(
    form: coop_api::accounts::NewToken,
) -> Result<CreatedToken, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::audit::Actor;
    use coop_store::service::tokens;

    let principal = context::principal().await;
    let admin = require_admin(&principal)?;
    let store = context::store()?;
    let (model, secret) = tokens::create(
        store.db(),
        &form.email,
        &form.name,
        form.expires_in_days,
        &Actor::User(admin.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(coop_store::wire::accounts::created_token(
        &model,
        secret,
        &form.email,
    ))
}

/// Admin: revokes API token `id`.
#[server(prefix = "/api/app", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64) -> Result<String, AppError> {
    use super::context;
    use coop_store::service::access::require_admin;
    use coop_store::service::audit::Actor;
    use coop_store::service::tokens;

    let principal = context::principal().await;
    let admin = require_admin(&principal)?;
    let store = context::store()?;
    tokens::revoke(store.db(), id, &Actor::User(admin.id), chrono::Utc::now()).await?;
    Ok(format!("Token {id} is revoked."))
}
