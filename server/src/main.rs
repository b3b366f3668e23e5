//! `coop-permits`: serve the app, or migrate the database. See `coop-permits --help`.
// Leptos views are deeply nested types; the default limit (128) is too low for the app.
#![recursion_limit = "512"]

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use coop_server::config::{self, Cli, Command, DatabaseArgs, ServeArgs};
use coop_server::{AppState, commands, routes, service_worker, telemetry};
use coop_store::Store;
use coop_store::connect::redact;
use leptos::config::LeptosOptions;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::InspectPdf) {
        return coop_server::inspect_pdf::run();
    }
    // Held to the end of `main`, so the last lines are written before the process exits.
    let _log = telemetry::init(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("coop-permits: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(*args).await,
            Command::Migrate(args) => migrate(args).await,
            Command::User(command) => {
                let store = open(command.database()).await?;
                commands::user(&store, command, &mut std::io::stdout()).await
            }
            Command::Token(command) => {
                let store = open(command.database()).await?;
                commands::token(&store, command, &mut std::io::stdout()).await
            }
            Command::Demo(args) => {
                let store = open(&args.database).await?;
                commands::demo_data(&store, &mut std::io::stdout()).await?;
                match args.students {
                    Some(total) => {
                        commands::generate_students(&store, total, &mut std::io::stdout()).await
                    }
                    None => Ok(()),
                }
            }
            Command::Reminders(coop_server::config::RemindersCommand::Run(args)) => {
                let mailer = args.mail.mailer()?;
                let store = open(&args.database).await?;
                commands::reminders_run(
                    &store,
                    mailer.as_ref(),
                    args.now.as_deref(),
                    &mut std::io::stdout(),
                )
                .await
            }
            Command::Retention(coop_server::config::RetentionCommand::Run(args)) => {
                let store = open(&args.database).await?;
                let (key, _) =
                    coop_server::file_key::load(args.file_key.as_deref(), &args.database.data_dir)?;
                let vault = coop_store::vault::Vault::for_backend(
                    store.backend(),
                    &args.database.data_dir.join("files"),
                    &key,
                );
                commands::retention_run(
                    &store,
                    &vault,
                    args.now.as_deref(),
                    args.dry_run,
                    &mut std::io::stdout(),
                )
                .await
            }
            Command::Files(coop_server::config::FilesCommand::MoveToDatabase(args)) => {
                let store = open(&args.database).await?;
                let (key, _) =
                    coop_server::file_key::load(args.file_key.as_deref(), &args.database.data_dir)?;
                commands::files_move(
                    &store,
                    &args.database.data_dir.join("files"),
                    &key,
                    &mut std::io::stdout(),
                )
                .await
            }
            Command::Backup(args) => {
                let store = open(&args.database).await?;
                coop_server::backups::backup(&store, &args, &mut std::io::stdout()).await
            }
            Command::Restore(args) => {
                coop_server::backups::restore(&args, &mut std::io::stdout()).await
            }
            Command::Import(args) => {
                let store = open(&args.database).await?;
                commands::import(&store, &args, &mut std::io::stdout()).await
            }
            // Answered before the runtime starts (it sets limits on its own process).
            Command::InspectPdf => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("coop-permits: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(database: &DatabaseArgs) -> anyhow::Result<Store> {
    let url = database.url();
    let store = Store::open_and_migrate(&url).await.with_context(|| {
        format!(
            "cannot open the database {} (--database-url / DATABASE_URL)",
            redact(&url)
        )
    })?;
    // Students without a current standing (a database from before standings, or an interrupted
    // change) get one before anything lists them.
    let recomputed = coop_store::service::standings::refresh(store.db(), chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("cannot bring the students' standings up to date: {e}"))?;
    if recomputed > 0 {
        tracing::info!(recomputed, "students' standings brought up to date");
    }
    tracing::info!(database = %redact(&url), "database ready");
    Ok(store)
}

async fn migrate(args: DatabaseArgs) -> anyhow::Result<()> {
    let store = open(&args).await?;
    for name in store.applied_migrations().await? {
        println!("applied {name}");
    }
    store.close().await?;
    Ok(())
}

/// The Leptos options for a site folder: names and paths of this build's files.
fn leptos_options(args: &ServeArgs) -> LeptosOptions {
    // cargo-leptos writes the hashed names next to the binary; without it names are plain.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("coop-permits")
        .site_root(args.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(args.listen)
        .hash_files(hash_files)
        .build()
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let public_url = args.public_url()?;
    if !config::site_is_built(&args.site_root) {
        tracing::warn!(
            site_root = %args.site_root.display(),
            "the site is not built: pages load without their script and styles; run `cargo leptos build` (see README)"
        );
    } else if coop_server::self_check_bundle::find(&args.site_root, "pkg").is_none() {
        tracing::warn!(
            site_root = %args.site_root.display(),
            "the self-check's own bundle is not built: `/` loads the whole app instead; run scripts/build-self-check.sh after `cargo leptos build` (see README)"
        );
    }
    let store = open(&args.database).await?;
    if args.privacy_notice().is_placeholder() {
        tracing::warn!(
            "the privacy contact is not configured: the collection notice shows placeholders; set --privacy-contact-title, --privacy-contact-address and --privacy-contact-phone"
        );
    }
    let institution = args.institution()?;
    if institution.is_none() {
        tracing::warn!(
            "the institution is not configured: letter requests can be reviewed but no letter can be issued; set --institution-name, --institution-address, --dli-number, --letter-signatory-name and --letter-signatory-title"
        );
    }
    let mailer = args.mail.mailer()?;
    if mailer.is_none() {
        tracing::warn!(
            "no SMTP server configured: reminders are delivered in the app only; set --smtp-url and --mail-from to e-mail them"
        );
    }
    let (key, source) =
        coop_server::file_key::load(args.file_key.as_deref(), &args.database.data_dir)?;
    match &source {
        coop_server::file_key::KeySource::DataDir {
            path,
            generated: true,
        } => tracing::warn!(
            path = %path.display(),
            "generated a key for uploaded files into the data folder; a production deployment supplies its own with --file-key / COOP_FILE_KEY"
        ),
        coop_server::file_key::KeySource::DataDir {
            path,
            generated: false,
        } => tracing::warn!(
            path = %path.display(),
            "uploaded files are encrypted with the key kept in the data folder; production supplies its own with --file-key / COOP_FILE_KEY"
        ),
        coop_server::file_key::KeySource::Configured => {}
    }
    warn_if_open_to_others(&args.database.data_dir);
    let vault = coop_store::vault::Vault::for_backend(
        store.backend(),
        &args.database.data_dir.join("files"),
        &key,
    );
    // Uploaded PDFs are inspected by this same program in a child process with limits.
    let program = std::env::current_exe()
        .context("cannot find this program's own path, which inspects uploaded PDFs")?;
    coop_store::service::pdf_inspection::sandbox_in(program);
    coop_store::service::documents::check_key(store.db(), &vault)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    warn_of_files_in_folder(&vault);
    let leptos = leptos_options(&args);
    let retention = tokio::spawn(retention_job(store.clone(), vault.clone()));
    let auth = args.auth()?;
    let sso = match (args.sso.config()?, auth.sso.clone()) {
        (Some(config), Some(public)) => {
            let client = Arc::new(coop_server::sso::Sso::new(config, &auth.origin, public)?);
            client.warm_up().await;
            Some(client)
        }
        _ => None,
    };
    if !auth.password_sign_in {
        tracing::info!(
            "password sign-in is off: people sign in with the institution's account only"
        );
    }
    let state = AppState::new(coop_server::state::Shared {
        store: store.clone(),
        auth,
        sso,
        privacy: args.privacy_notice(),
        institution,
        vault,
        mail: coop_store::settings::OfficeMail {
            mailer: mailer
                .clone()
                .map(|m| Arc::new(m) as Arc<dyn coop_store::service::notices::DynMailer>),
        },
        service_worker: service_worker::build(&args.site_root, &leptos.site_pkg_dir).map(Arc::from),
        leptos,
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {} (--listen / COOP_LISTEN)", args.listen))?;
    let reminders = tokio::spawn(reminder_job(
        store.clone(),
        mailer,
        std::time::Duration::from_secs(u64::from(args.reminder_interval_minutes) * 60),
    ));
    tracing::info!(listen = %args.listen, public_url = %public_url, "serving");
    axum::serve(
        listener,
        routes::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped with an error")?;
    reminders.abort();
    retention.abort();
    tracing::info!("stopped: in-flight requests finished");
    store.close().await?;
    Ok(())
}

/// The data folder holds names, permit numbers, UCIs and password hashes: a start on one that
/// other accounts of the host may read says so, with the fix.
fn warn_if_open_to_others(data_dir: &std::path::Path) {
    let files = data_dir.join("files");
    let database = data_dir.join("coop-permits.db");
    let key = data_dir.join("file-key");
    for (path, fix) in [
        (data_dir, 700),
        (&files, 700),
        (&database, 600),
        (&key, 600),
    ] {
        if let Some(mode) = coop_store::private::open_to_others(path) {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:o}"),
                "readable by other accounts on this host; run: chmod {fix} {}",
                path.display()
            );
        }
    }
}

/// The reminder job: a pass every `interval`, for as long as the server runs. A pass that fails
/// (the database is away) is logged and the next one tries again; claims make a pass safe to
/// run on every instance at once.
async fn reminder_job(
    store: coop_store::Store,
    mailer: Option<coop_server::mail::SmtpMailer>,
    interval: std::time::Duration,
) {
    let runner = commands::reminder_runner();
    loop {
        let now = chrono::Utc::now();
        match coop_store::service::reminders::run_pass(store.db(), mailer.as_ref(), &runner, now)
            .await
        {
            Ok(report) if report.claimed + report.retried > 0 => tracing::info!(
                claimed = report.claimed,
                retried = report.retried,
                delivered = report.delivered,
                failed = report.failed,
                "reminders delivered"
            ),
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error.cause = %e, "the reminder pass failed; the next one tries again")
            }
        }
        tokio::time::sleep(interval).await;
    }
}

/// The retention job (F2): a run at start and then daily. Every instance may run it: a removal
/// is one conditional update, so two instances never remove the same file twice.
/// On PostgreSQL, files still in this host's folder are served by this instance only.
fn warn_of_files_in_folder(vault: &coop_store::vault::Vault) {
    let coop_store::file_store::Storage::Database(db_store) = vault.storage() else {
        return;
    };
    let Some(folder) = db_store.earlier() else {
        return;
    };
    match folder.entries() {
        Ok(entries) if !entries.is_empty() => tracing::warn!(
            files = entries.len(),
            folder = %folder.dir().display(),
            "uploaded files are still in this host's folder, where other instances cannot read them: run `coop-permits files move-to-database` once (it resumes if stopped)"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot list the files folder"),
    }
}

async fn retention_job(store: coop_store::Store, vault: coop_store::vault::Vault) {
    loop {
        match coop_store::service::retention::run(store.db(), &vault, chrono::Utc::now()).await {
            Ok(report)
                if report.document_files
                    + report.leavers
                    + report.sessions
                    + report.sign_in_failures
                    > 0 =>
            {
                tracing::info!(
                    files = report.document_files,
                    leavers = report.leavers,
                    sessions = report.sessions,
                    sign_in_failures = report.sign_in_failures,
                    "retention (F2): removed what is no longer needed"
                )
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error.cause = %e, "the retention run failed; the next one tries again")
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 60 * 60)).await;
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
