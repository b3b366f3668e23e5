//! The account commands (`user …`, `token …`) and `demo`: the same services as the API, with
//! the command line as the audited actor.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use coop_core::case::{Coop1101, Level};
use coop_store::Store;
use coop_store::service::access::Role;
use coop_store::service::audit::Actor;
use coop_store::service::passwords::{self, Password};
use coop_store::service::students::{self, NewStudent};
use coop_store::service::{ServiceError, tokens, users};

use crate::config::{RoleArg, TokenCommand, UserCommand};

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

fn explain(error: ServiceError) -> anyhow::Error {
    match error {
        ServiceError::Invalid { field, message } => {
            anyhow::anyhow!("--{}: {message}", field.replace('_', "-"))
        }
        ServiceError::Conflict { field } => {
            anyhow::anyhow!("that {} is already in use", field.replace('_', " "))
        }
        ServiceError::NotFound => anyhow::anyhow!("no such user or token"),
        other => anyhow::Error::new(other),
    }
}

/// `coop-permits user …`; what to print goes to `out`.
pub async fn user(store: &Store, command: UserCommand, out: &mut impl Write) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let stdin = std::io::stdin();
    let piped = !stdin.is_terminal();
    match command {
        UserCommand::Add(args) => {
            let (password, generated) = password_from(&mut stdin.lock(), piped)?;
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
                Some(&password),
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
            writeln!(
                out,
                "added {} ({}), user id {}",
                created.email, created.role, created.id
            )?;
            if generated {
                writeln!(out, "password (shown once): {}", password.expose())?;
            }
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
            let (model, secret) =
                tokens::create(store.db(), &args.email, &args.name, &Actor::Cli, now)
                    .await
                    .map_err(explain)?;
            writeln!(
                out,
                "token {} for {} (shown once; stored only hashed):",
                model.id, args.email
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

/// The password of every demo account: for trying the app on a laptop, never for production.
pub const DEMO_PASSWORD: &str = "demo maple ferry 2026";

/// A demo student: number, name, and the program facts that make their case.
struct DemoStudent {
    number: &'static str,
    name: &'static str,
    what: &'static str,
    coop_program: bool,
    coop1101: Coop1101,
    continuance_met: bool,
    full_time: bool,
    level: Level,
}

const fn demo(
    number: &'static str,
    name: &'static str,
    what: &'static str,
    (coop_program, coop1101, continuance_met, full_time): (bool, Coop1101, bool, bool),
) -> DemoStudent {
    DemoStudent {
        number,
        name,
        what,
        coop_program,
        coop1101,
        continuance_met,
        full_time,
        level: Level::PostSecondary,
    }
}

const DEMO_STUDENTS: &[DemoStudent] = &[
    demo(
        "100000001",
        "Ana Silva",
        "ready: co-op, COOP 1101 completed, continuance met, full-time",
        (true, Coop1101::Completed, true, true),
    ),
    demo(
        "100000002",
        "Bao Nguyen",
        "COOP 1101 registered: may request the letter",
        (true, Coop1101::Registered, true, true),
    ),
    demo(
        "100000003",
        "Chidi Okafor",
        "no COOP 1101: may not request the letter (L2)",
        (true, Coop1101::None, true, true),
    ),
    demo(
        "100000004",
        "Dana Cohen",
        "not in the Co-op program (L1, J1)",
        (false, Coop1101::None, true, true),
    ),
    demo(
        "100000005",
        "Elif Yilmaz",
        "continuance not met (J2)",
        (true, Coop1101::Completed, false, true),
    ),
    demo(
        "100000006",
        "Farah Haddad",
        "part-time (W2e)",
        (true, Coop1101::Completed, true, false),
    ),
    demo(
        "100000007",
        "Gabriel Moreau",
        "ready, COOP 1101 completed",
        (true, Coop1101::Completed, true, true),
    ),
    demo(
        "100000008",
        "Hana Sato",
        "COOP 1101 registered, part-time",
        (true, Coop1101::Registered, true, false),
    ),
    demo(
        "100000009",
        "Ishaan Patel",
        "ready, COOP 1101 completed",
        (true, Coop1101::Completed, true, true),
    ),
    demo(
        "100000010",
        "Jia Li",
        "no COOP 1101, continuance not met",
        (true, Coop1101::None, false, true),
    ),
    demo(
        "100000011",
        "Kwame Mensah",
        "not in the Co-op program, part-time",
        (false, Coop1101::None, false, false),
    ),
    DemoStudent {
        level: Level::Secondary,
        ..demo(
            "100000012",
            "Lucía Gómez",
            "secondary-school student (G3)",
            (true, Coop1101::Completed, true, true),
        )
    },
];

/// `coop-permits demo`: creates what is missing and leaves what exists alone.
pub async fn demo_data(store: &Store, out: &mut impl Write) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let db = store.db();
    let password = Password::new(DEMO_PASSWORD);
    let mut accounts: Vec<(String, Role, Option<&'static str>, Option<&'static str>)> = vec![
        ("admin@coop.example".into(), Role::Admin, None, None),
        ("staff1@coop.example".into(), Role::Staff, None, None),
        ("staff2@coop.example".into(), Role::Staff, None, None),
    ];
    for s in DEMO_STUDENTS {
        let email = format!(
            "{}@students.coop.example",
            s.name.split(' ').next().unwrap_or("student").to_lowercase()
        );
        let exists = students::search(db, s.number, 0, 1)
            .await
            .map_err(explain)?
            .1
            > 0;
        if !exists {
            students::create(
                db,
                NewStudent {
                    student_number: s.number.to_owned(),
                    email: email.clone(),
                    name: s.name.to_owned(),
                    program: "Bachelor of Computing Science (Co-op)".to_owned(),
                    coop_program: s.coop_program,
                    coop1101: s.coop1101,
                    continuance_met: s.continuance_met,
                    full_time: s.full_time,
                    level: s.level,
                },
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
        }
        accounts.push((email, Role::Student, Some(s.number), Some(s.what)));
    }
    writeln!(out, "demo sign-ins (password for all: {DEMO_PASSWORD:?}):")?;
    for (email, role, number, what) in accounts {
        if users::find_by_email(db, &email).await?.is_none() {
            let name = match number.and_then(|n| DEMO_STUDENTS.iter().find(|s| s.number == n)) {
                Some(s) => s.name.to_owned(),
                None => email.split('@').next().unwrap_or("").to_owned(),
            };
            users::create(
                db,
                users::NewUser {
                    email: email.clone(),
                    name,
                    role,
                    student_number: number.map(str::to_owned),
                },
                Some(&password),
                &Actor::Cli,
                now,
            )
            .await
            .map_err(explain)?;
        }
        match what {
            Some(what) => writeln!(out, "  {email:<36} {:<8} {what}", role.code())?,
            None => writeln!(out, "  {email:<36} {}", role.code())?,
        }
    }
    Ok(())
}
