//! S7 on an uploaded PDF's structure (`coop_core::pdf_structure`), bounded: at most one
//! inspection per core at once, and — in a server — each in a child process of its own with
//! limits on memory and CPU time, since a PDF parser can be made to allocate without bound by a
//! hostile file (a cross-reference stream claiming billions of entries, a compressed bomb). A
//! child that is killed, times out or answers nonsense is a refusal, never an acceptance.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use coop_core::pdf_structure::Refusal;
use coop_core::validation::{Finding, refused_pdf};
use tokio::io::AsyncWriteExt;

/// The sub-command of the server's executable that inspects a PDF on standard input.
pub const SUBCOMMAND: &str = "inspect-pdf";
/// How long one inspection may take, wall-clock (the child's CPU limit is set by the child).
const TIME_LIMIT: Duration = Duration::from_secs(60);

static SANDBOX: OnceLock<PathBuf> = OnceLock::new();

/// From now on, PDFs are inspected by `program inspect-pdf` in a child process (the server
/// calls this at start with its own executable). Without it, they are inspected in this
/// process, on a blocking thread: for tests and tools that run no server.
pub fn sandbox_in(program: PathBuf) {
    let _ = SANDBOX.set(program);
}

/// One permit per core: scans of uploads (and their inspections) run at most this many at once.
pub(crate) fn permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))
    })
}

/// Inspects `pdf`: `Ok` when it holds no active content and every stream decodes, else the
/// finding to show (S7, with a way out).
pub async fn inspect(pdf: Arc<Vec<u8>>) -> Result<(), Finding> {
    let _permit = permits().acquire().await.map_err(|_| uncheckable())?;
    let verdict = match SANDBOX.get() {
        Some(program) => in_child(program, &pdf).await,
        None => {
            let pdf = Arc::clone(&pdf);
            tokio::task::spawn_blocking(move || {
                verdict_word(coop_core::pdf_structure::inspect(&pdf))
            })
            .await
            .unwrap_or(UNCHECKABLE)
        }
    };
    finding_of(verdict)
}

/// The child's one-word answers.
pub const CLEAN: &str = "clean";
/// Active content found.
pub const ACTIVE: &str = "active";
/// Encrypted, unreadable or undecodable.
pub const UNCHECKABLE: &str = "uncheckable";

/// The word a verdict is written as (the child prints it).
pub fn verdict_word(verdict: Result<(), Refusal>) -> &'static str {
    match verdict {
        Ok(()) => CLEAN,
        Err(Refusal::Active(_)) => ACTIVE,
        Err(Refusal::Encrypted | Refusal::Unreadable | Refusal::Undecodable) => UNCHECKABLE,
    }
}

fn finding_of(word: &str) -> Result<(), Finding> {
    match word {
        CLEAN => Ok(()),
        ACTIVE => Err(refused_pdf(true)),
        _ => Err(uncheckable()),
    }
}

fn uncheckable() -> Finding {
    refused_pdf(false)
}

async fn in_child(program: &PathBuf, pdf: &[u8]) -> &'static str {
    // The child reads hostile input: it gets no secrets (file key, database URL) from us.
    let spawned = tokio::process::Command::new(program)
        .arg(SUBCOMMAND)
        .env_clear()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            tracing::error!(error = %e, program = %program.display(), "cannot start the PDF inspection");
            return UNCHECKABLE;
        }
    };
    let run = async move {
        if let Some(mut stdin) = child.stdin.take() {
            // A child that stops reading (it died) is answered by its exit below.
            let _ = stdin.write_all(pdf).await;
        }
        child.wait_with_output().await
    };
    match tokio::time::timeout(TIME_LIMIT, run).await {
        Ok(Ok(output)) if output.status.success() => {
            match String::from_utf8_lossy(&output.stdout).trim() {
                CLEAN => CLEAN,
                ACTIVE => ACTIVE,
                _ => UNCHECKABLE,
            }
        }
        Ok(Ok(output)) => {
            tracing::warn!(status = %output.status, "the PDF inspection ended without a verdict (limits reached?): refused");
            UNCHECKABLE
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "the PDF inspection failed");
            UNCHECKABLE
        }
        Err(_) => {
            tracing::warn!("the PDF inspection took too long: refused");
            UNCHECKABLE
        }
    }
}
