//! `user …` and `token …`: the same services as the API, with the command line as the audited
//! actor.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::invitations::{self, Invited};
use coop_store::service::notices::DynMailer;
use coop_store::service::passwords::{self, Password};
use coop_store::service::{tokens, users};

use crate::config::{RoleArg, TokenCommand, UserCommand};

use super::failure::explain;

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Student => Role::Student,
            RoleArg::Staff => Role::Staff,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// A password piped on standard input (its first line), or a generated one to print.
fn password_from(stdin: &mut impl BufRead, piped: bool) -> anyhow::Result<(Password, bool)> {
    if piped {
        let mut line = String::new();
        stdin
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let typed = line.trim_end_matches(['\r', '\n']);
        if !typed.is_empty() {
            return Ok((Password::new(typed), false));
        }
    }
    Ok((passwords::generate()?, true))
}

/// What an invitation did, for the operator.
fn say_invited(invited: &Invited, out: &mut impl Write) -> anyhow::Result<()> {
    match (&invited.sent_to, &invited.link) {
        (Some(to), _) => writeln!(out, "invitation e-mailed to {to}")?,
        (None, Some(link)) => writeln!(
            out,
            "no mail server (--smtp-url): hand over this one-time link (shown once; it works for 7 days):\n{link}"
        )?,
        (None, None) => writeln!(
            out,
            "no mail server (--smtp-url): tell them to sign in with the institution's account"
        )?,
    }
    Ok(())
}

/// `coop-permits user …`; what to print goes to `out`.
pub async fn user(store: &Store, command: UserCommand, out: &mut impl Write) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let stdin = std::io::stdin();
    let piped = !stdin.is_terminal();
    match command {
        UserCommand::Add(args) => {
            let invite = args.invite.settings()?;
            let mailer = args.invite.invitation.mail.mailer()?;
            // An invited person sets their own password through the link.
            let (password, generated) = if invite.is_some() {
                (None, false)
            } else {
                let (password, generated) = password_from(&mut stdin.lock(), piped)?;
                (Some(password), generated)
            };
            let name = args
                .name
                .unwrap_or_else(|| args.email.split('@').next().unwrap_or("").to_owned());
            let created = users::create(
                store.db(),
                users::NewUser {
                    email: args.email,
                    name,
                    role: args.role.into(),
                    student_number: args.student_number,
                },
                password.as_ref(),
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
            writeln!(
                out,
                "added {} ({}), user id {}",
                created.email,
                created.role.code(),
                created.id
            )?;
            if let Some(password) = password.filter(|_| generated) {
                writeln!(out, "password (shown once): {}", password.expose())?;
            }
            if let Some(settings) = invite {
                let invited = invitations::invite(
                    store.db(),
                    mailer.as_ref().map(|m| m as &dyn DynMailer),
                    &settings,
                    created.id,
                    &Actor::Cli,
                    now,
                )
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "the account was added, but its invitation was not sent: {e}; run `user invite --email {}` to send it again",
                        created.email
                    )
                })?;
                say_invited(&invited, out)?;
            }
        }
        UserCommand::Invite(args) => {
            let settings = args.invitation.settings()?;
            let mailer = args.invitation.mail.mailer()?;
            let user = users::find_by_email(
                store.db(),
                &users::normalize_email(&args.email).map_err(explain)?,
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("no user has the e-mail address {}", args.email))?;
            let invited = invitations::invite(
                store.db(),
                mailer.as_ref().map(|m| m as &dyn DynMailer),
                &settings,
                user.id,
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
            say_invited(&invited, out)?;
        }
        UserCommand::Disable(args) => {
            let user = users::disable(store.db(), &args.email, &Actor::Cli, now)
                .await
                .map_err(explain)?;
            writeln!(
                out,
                "disabled {}; their sessions and tokens are revoked",
                user.email
            )?;
        }
        UserCommand::ResetPassword(args) => {
            let (password, generated) = password_from(&mut stdin.lock(), piped)?;
            let user = users::set_password(store.db(), &args.email, &password, &Actor::Cli, now)
                .await
                .map_err(explain)?;
            writeln!(
                out,
                "new password set for {}; their sessions are revoked",
                user.email
            )?;
            if generated {
                writeln!(out, "password (shown once): {}", password.expose())?;
            }
        }
    }
    Ok(())
}

/// `coop-permits token …`.
pub async fn token(
    store: &Store,
    command: TokenCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match command {
        TokenCommand::Create(args) => {
            let (model, secret) = tokens::create(
                store.db(),
                &args.email,
                &args.name,
                args.days,
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
            writeln!(
                out,
                "token {} for {}, expires {} (shown once; stored only hashed):",
                model.id,
                args.email,
                tokens::expires_at(&model).to_rfc3339()
            )?;
            writeln!(out, "{secret}")?;
        }
        TokenCommand::Revoke(args) => {
            tokens::revoke(store.db(), args.id, &Actor::Cli, now)
                .await
                .map_err(explain)?;
            writeln!(out, "token {} revoked", args.id)?;
        }
    }
    Ok(())
}
