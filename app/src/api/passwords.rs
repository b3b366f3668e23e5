//! "Forgot your password?" and setting a password from an e-mailed link (a reset or an
//! invitation): the same services as `/api/v1/password-reset`.

use leptos::prelude::*;

use super::AppError;

/// Asks for a reset link for an address (the form's `email`). The same answer whether or not
/// the address has an account.
#[server(prefix = "/api/app", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use super::context;
    use coop_store::service::password_reset;
    use coop_store::settings::{AuthSettings, OfficeMail};

    let store = context::store()?;
    let settings = context::provided::<AuthSettings>()?;
    let mail = context::provided::<OfficeMail>()?;
    let asked = password_reset::request(
        store.db(),
        mail.mailer.as_ref(),
        &settings,
        &email,
        context::client_addr().await,
        chrono::Utc::now(),
    )
    .await?;
    asked
        .map(|_| ())
        .map_err(|too_many| super::error::answered(too_many.answer()))
}

/// Sets a password from a link's token (the form's `form[token]`, `form[password]`).
#[server(prefix = "/api/app", endpoint = "set_password")]
pub async fn set_password(form: coop_api::accounts::PasswordResetConfirm) -> Result<(), AppError> {
    use super::context;
    use coop_store::service::password_links;
    use coop_store::service::passwords::Password;
    use coop_store::settings::AuthSettings;

    let store = context::store()?;
    let settings = context::provided::<AuthSettings>()?;
    password_links::set_password(
        store.db(),
        &settings,
        &form.token,
        &Password::new(form.password),
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}
