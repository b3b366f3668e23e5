//! Soak (issue 8, part 2): mixed traffic for `COOP_SOAK_SECS` seconds (15 by default, the CI
//! run; 600 for the full run in RELIABILITY.md) — all thirteen demo students uploading
//! documents, two staff members deciding from the shared queue, a staff member searching, and
//! reminder passes from two racing runners, one simulated day after another — against two
//! server instances on one PostgreSQL database, and against one instance on SQLite. Then the
//! consistency check: every acknowledged upload is in the database exactly once and nothing
//! unacknowledged is; one audit row per upload and per decision; every reminder delivered, and
//! e-mailed once; no request without an answer, no 5xx (any unexpected status fails the client
//! that got it), and no error in any instance's log.
#![cfg(unix)]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "../../crates/core/tests/pdf_tricks/mod.rs"]
mod pdf_tricks;
mod smtp;
mod traffic;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use coop_store::Store;
use coop_store::entity::{audit_event, document, reminder};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use traffic::{Acknowledged, BIN, http, traffic};

const DEMO_STUDENTS: [&str; 13] = [
    "ana", "bao", "chidi", "dana", "elif", "farah", "gabriel", "hana", "ishaan", "jia", "kwame",
    "lucia", "mateo",
];

/// Generated students beside the demo ones, so reminder passes have work every simulated day.
const GENERATED: &str = "500";

fn soak_seconds() -> u64 {
    std::env::var("COOP_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
}

/// Where the data lives: a folder, and for PostgreSQL its URL.
struct Data {
    dir: PathBuf,
    url: Option<String>,
    mail: Vec<String>,
}

impl Data {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args);
        // Only the commands that send mail take its settings.
        if matches!(args.first(), Some(&("serve" | "reminders"))) {
            c.args(&self.mail);
        }
        c.arg("--data-dir")
            .arg(&self.dir)
            .env_remove("DATABASE_URL")
            .env_remove("COOP_FILE_KEY")
            .env_remove("COOP_SMTP_URL")
            .env("RUST_LOG", "info");
        if let Some(url) = &self.url {
            c.arg("--database-url").arg(url);
        }
        c
    }

    fn must(&self, args: &[&str]) -> String {
        let out = self.command(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{args:?}: {text}");
        text
    }

    fn token(&self, email: &str) -> String {
        traffic::token_in(&self.must(&["token", "create", "--email", email, "--name", "soak"]))
    }

    fn database_url(&self) -> String {
        self.url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}/coop-permits.db", self.dir.display()))
    }
}

struct Instance {
    child: Child,
    log: PathBuf,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(data: &Data, port: u16, name: &str) -> Instance {
    let log = data.dir.join(format!("{name}.log"));
    let child = data
        .command(&[
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--public-url",
            &format!("http://127.0.0.1:{port}"),
            // The job's start pass only: the soak's passes run at simulated times, and a pass
            // on the real clock would see their claims as from the future (or they its claims
            // as long expired) — a clash of test clocks, not of instances.
            "--reminder-interval-minutes",
            "1440",
        ])
        .stdout(Stdio::null())
        // A file, not a pipe: a pipe nobody reads fills up and blocks the server's logging.
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    Instance { child, log }
}

/// What the background jobs of the soak did.
#[derive(Default)]
struct Jobs {
    passes: AtomicUsize,
    searches: AtomicUsize,
    failures: Mutex<Vec<String>>,
}

fn soak(data: &Data, instances: usize, label: &str, sink: &smtp::Sink) {
    std::fs::create_dir_all(&data.dir).unwrap();
    data.must(&["demo", "--students", GENERATED]);
    let tokens = [
        data.token("staff1@coop.example"),
        data.token("staff2@coop.example"),
    ];
    let ports: Vec<u16> = (0..instances).map(|_| free_port()).collect();
    let servers: Vec<Instance> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| serve(data, *port, &format!("instance-{i}")))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(90);
    while !ports
        .iter()
        .all(|p| http(*p, "GET", "/healthz", &[], b"").map(|r| r.0) == Some(200))
    {
        assert!(Instant::now() < deadline, "the instances did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }

    wait_for_start_passes(data);

    let students: Vec<String> = DEMO_STUDENTS
        .iter()
        .map(|n| format!("{n}@students.coop.example"))
        .collect();
    let emails: Vec<&str> = students.iter().map(String::as_str).collect();
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let jobs = Arc::new(Jobs::default());
    let mut threads = traffic(&ports, &emails, &tokens, &stop, &acked);

    // Staff search while the writes go on.
    {
        let (stop, jobs, ports, bearer) = (
            Arc::clone(&stop),
            Arc::clone(&jobs),
            ports.clone(),
            format!("Bearer {}", tokens[0]),
        );
        threads.push(std::thread::spawn(move || {
            for (n, port) in ports.iter().copied().cycle().enumerate() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let q = ["a", "s3000001", "li", "not_cleared"][n % 4];
                let path = if q == "not_cleared" {
                    "/api/v1/students?job_access=not_cleared&per_page=20".to_owned()
                } else {
                    format!("/api/v1/students?q={q}&per_page=20")
                };
                match http(port, "GET", &path, &[("Authorization", &bearer)], b"") {
                    Some((200, _, _)) => {
                        jobs.searches.fetch_add(1, Ordering::SeqCst);
                    }
                    other => jobs
                        .failures
                        .lock()
                        .unwrap()
                        .push(format!("search {path}: {other:?}")),
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }));
    }

    // Reminder passes: two runners at once, one simulated day after another (R1's reminders
    // come due as the days pass), beside the instances' own job on the real clock.
    let day0 = chrono::Utc::now().date_naive();
    let runner = {
        let (stop, jobs) = (Arc::clone(&stop), Arc::clone(&jobs));
        let data = Data {
            dir: data.dir.clone(),
            url: data.url.clone(),
            mail: data.mail.clone(),
        };
        std::thread::spawn(move || {
            let mut day = 0;
            while !stop.load(Ordering::SeqCst) {
                day += 1;
                let at = (day0 + chrono::Duration::days(day))
                    .and_hms_opt(15, 0, 0)
                    .unwrap()
                    .and_utc()
                    .to_rfc3339();
                let runners: Vec<Child> = (0..2)
                    .map(|_| {
                        data.command(&["reminders", "run", "--now", &at])
                            .stdout(Stdio::piped())
                            .stderr(Stdio::piped())
                            .spawn()
                            .unwrap()
                    })
                    .collect();
                for runner in runners {
                    let out = runner.wait_with_output().unwrap();
                    if !out.status.success() {
                        jobs.failures.lock().unwrap().push(format!(
                            "reminders run --now {at}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                }
                jobs.passes.fetch_add(1, Ordering::SeqCst);
            }
        })
    };

    std::thread::sleep(Duration::from_secs(soak_seconds()));
    stop.store(true, Ordering::SeqCst);
    for t in threads {
        t.join().unwrap();
    }
    runner.join().unwrap();
    // The instances' own reminder job may be mid-pass: give it a moment, then stop them.
    std::thread::sleep(Duration::from_secs(1));
    let logs: Vec<PathBuf> = servers.iter().map(|s| s.log.clone()).collect();
    drop(servers);

    let acked = acked.lock().unwrap();
    assert!(
        acked.why.is_empty(),
        "requests without an answer: {:?}",
        acked.why
    );
    let failures = jobs.failures.lock().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
    for log in &logs {
        let text = std::fs::read_to_string(log).unwrap();
        let bad: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("database is locked"))
            .collect();
        assert!(bad.is_empty(), "{}: {bad:#?}", log.display());
    }

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (documents, submits, verifies, reminders) = runtime.block_on(async {
        let store = Store::open(&data.database_url()).await.unwrap();
        let db = store.db();
        let uploaded = document::Entity::find()
            .filter(document::Column::ClientKey.is_not_null())
            .all(db)
            .await
            .unwrap();
        let audit = |action: &'static str| async move {
            audit_event::Entity::find()
                .filter(audit_event::Column::Action.eq(action))
                .all(db)
                .await
                .unwrap()
        };
        let submits = audit("document.submit").await;
        let verifies = audit("document.verify").await;
        let reminders = reminder::Entity::find().all(db).await.unwrap();
        (uploaded, submits, verifies, reminders)
    });

    // Every acknowledged upload exactly once, under the key its sender used; nothing else.
    let stored: BTreeMap<i64, Option<String>> = documents
        .iter()
        .map(|d| (d.id, d.client_key.clone()))
        .collect();
    let answered: BTreeMap<i64, Option<String>> = acked
        .uploads
        .iter()
        .map(|(key, id)| (*id, Some(key.clone())))
        .collect();
    assert_eq!(
        answered.len(),
        acked.uploads.len(),
        "two uploads were told the same id"
    );
    assert_eq!(
        stored, answered,
        "every upload stored once, none unacknowledged"
    );
    // One audit row per change, naming the document it changed — no more, no fewer.
    let documents_named = |rows: &[audit_event::Model]| -> Vec<i64> {
        let mut ids: Vec<i64> = rows
            .iter()
            .map(|r| r.after.as_ref().unwrap()["document_id"].as_i64().unwrap())
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut uploaded: Vec<i64> = acked.uploads.iter().map(|(_, id)| *id).collect();
    uploaded.sort_unstable();
    // The demo's own documents were audited when it loaded them; the run's carry a key.
    let submitted: Vec<i64> = documents_named(&submits)
        .into_iter()
        .filter(|id| stored.contains_key(id))
        .collect();
    assert_eq!(submitted, uploaded, "one document.submit row per upload");
    let mut verified = acked.verified.clone();
    verified.sort_unstable();
    assert_eq!(
        documents_named(&verifies),
        verified,
        "one document.verify row per acknowledged decision"
    );
    // Every reminder claimed was delivered, and each e-mail arrived once.
    assert!(
        reminders.iter().all(|r| r.sent_at.is_some()),
        "undelivered reminders remain"
    );
    let emailed = reminders
        .iter()
        .filter(|r| r.channels.split(',').any(|c| c == "email"))
        .count();
    smtp::assert_each_reminder_emailed_once(sink, emailed);
    assert!(
        !acked.uploads.is_empty() && !acked.verified.is_empty() && emailed > 0,
        "the mix did not run"
    );
    eprintln!(
        "{label}, {} s: {} uploads, {} decisions, {} searches, {} reminder passes ({} simulated days), {} reminders e-mailed once; no error",
        soak_seconds(),
        acked.uploads.len(),
        acked.verified.len(),
        jobs.searches.load(Ordering::SeqCst),
        jobs.passes.load(Ordering::SeqCst) * 2,
        jobs.passes.load(Ordering::SeqCst),
        emailed,
    );
}

/// Waits until the instances' start passes are done: every claimed reminder delivered and the
/// count holding still.
fn wait_for_start_passes(data: &Data) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::open(&data.database_url()).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = usize::MAX;
        loop {
            let rows = reminder::Entity::find().all(store.db()).await.unwrap();
            if !rows.is_empty() && rows.len() == last && rows.iter().all(|r| r.sent_at.is_some()) {
                break;
            }
            assert!(Instant::now() < deadline, "the start passes did not finish");
            last = rows.len();
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        store.close().await.unwrap();
    });
}

fn mail_args(sink: &smtp::Sink) -> Vec<String> {
    vec![
        "--smtp-url".to_owned(),
        sink.url(),
        "--mail-from".to_owned(),
        "Co-op Office <coop@example.ca>".to_owned(),
    ]
}

fn temp_dir(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("coop-soak-{what}-{}", uuid::Uuid::new_v4()))
}

#[test]
fn two_instances_on_postgres_under_mixed_traffic_stay_consistent() {
    let sink = smtp::start();
    let data = Data {
        dir: temp_dir("postgres"),
        url: Some(traffic::new_postgres_database("coop_soak")),
        mail: mail_args(&sink),
    };
    soak(&data, 2, "two instances on PostgreSQL", &sink);
    let _ = std::fs::remove_dir_all(&data.dir);
}

#[test]
fn one_instance_on_sqlite_under_mixed_traffic_never_meets_a_locked_database() {
    let sink = smtp::start();
    let data = Data {
        dir: temp_dir("sqlite"),
        url: None,
        mail: mail_args(&sink),
    };
    soak(&data, 1, "one instance on SQLite", &sink);
    let _ = std::fs::remove_dir_all(&data.dir);
}
