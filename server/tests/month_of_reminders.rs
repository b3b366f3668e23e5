//! Issue 7's "done when": a month of reminders on one PostgreSQL database shared by two server
//! instances, every due reminder e-mailed exactly once.
//!
//! Two `coop-permits serve` processes start together on a new database with 1,013 students (the
//! demo's 13 and 1,000 generated) and an SMTP server on loopback; their start passes race on
//! day 0. The next 30 days are replayed with time injected, never slept through: for each of two
//! passes a day, two `coop-permits reminders run --now …` processes (the job's own code) run at
//! once. On day 10 a third runner is killed with SIGKILL while the mail server hangs on its
//! first message: its claims are taken over and delivered by a later pass.
//!
//! Then: each reminder row is delivered (or superseded) once; the mail server holds exactly one
//! message per e-mailed row and no two alike; and, checked independently of the job's code,
//! every generated student's study-permit reminder whose R1 date falls inside the month arrived
//! exactly once, and students with a pending application or paused reminders got none.
#![cfg(unix)]
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod smtp;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use coop_store::entity::reminder;
use sea_orm::{ConnectionTrait, Database, EntityTrait};

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");
const GENERATED: i64 = 1000;
const DAYS: i64 = 30;
/// R1's days before the expiry date, with the words each reminder's subject uses.
const R1: [(i64, &str); 8] = [
    (120, "expires in 120 days"),
    (90, "expires in 90 days"),
    (60, "expires in 60 days"),
    (30, "expires in 30 days"),
    (14, "expires in 14 days"),
    (7, "expires in 7 days"),
    (1, "expires tomorrow"),
    (0, "expires today"),
];

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Instance {
    child: Child,
    port: u16,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn healthy(port: u16) -> bool {
    use std::io::Write;
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

fn command(url: &str, dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .arg("--database-url")
        .arg(url)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("COOP_SMTP_URL")
        .env("RUST_LOG", "warn");
    c
}

fn must(mut c: Command) -> String {
    let out = c.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn two_instances_send_a_month_of_reminders_exactly_once() {
    let admin_url = std::env::var("COOP_TEST_POSTGRES_URL").expect(
        "COOP_TEST_POSTGRES_URL is not set: run `bash scripts/test.sh`, which starts PostgreSQL",
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let name = format!("coop_month_{}", uuid::Uuid::new_v4().simple());
    let admin = runtime.block_on(Database::connect(&admin_url)).unwrap();
    runtime
        .block_on(admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")))
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let dir = std::env::temp_dir().join(format!("coop-month-{}", uuid::Uuid::new_v4()));
    let sink = smtp::start();
    let mail_url = sink.url();
    let mail = [
        "--smtp-url",
        mail_url.as_str(),
        "--mail-from",
        "Co-op Office <coop@example.ca>",
    ];

    must(command(
        &url,
        &dir,
        &["demo", "--students", &GENERATED.to_string()],
    ));
    let day0 = Utc::now();
    let today0 = day0.date_naive();

    // Two server instances on the one database; each runs a pass as it starts (day 0).
    let instances: Vec<Instance> = (0..2)
        .map(|_| {
            let port = free_port();
            let mut c = command(
                &url,
                &dir,
                &[
                    &["serve", "--listen", &format!("127.0.0.1:{port}")][..],
                    &mail[..],
                ]
                .concat(),
            );
            c.stdout(Stdio::null()).stderr(Stdio::piped());
            Instance {
                child: c.spawn().unwrap(),
                port,
            }
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !instances.iter().all(|i| healthy(i.port)) {
        assert!(Instant::now() < deadline, "the instances did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let db = runtime.block_on(Database::connect(&url)).unwrap();
    let rows = |db: &sea_orm::DatabaseConnection| {
        runtime.block_on(reminder::Entity::find().all(db)).unwrap()
    };
    // The start passes are done when every claim is delivered and the count holds still.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = usize::MAX;
    loop {
        let now = rows(&db);
        if !now.is_empty() && now.len() == last && now.iter().all(|r| r.sent_at.is_some()) {
            break;
        }
        assert!(Instant::now() < deadline, "the start passes did not finish");
        last = now.len();
        std::thread::sleep(Duration::from_millis(500));
    }

    let pass = |at: DateTime<Utc>| {
        let now = at.to_rfc3339();
        let runners: Vec<Child> = (0..2)
            .map(|_| {
                let mut c = command(
                    &url,
                    &dir,
                    &[&["reminders", "run", "--now", &now][..], &mail[..]].concat(),
                );
                c.stdout(Stdio::piped()).stderr(Stdio::piped());
                c.spawn().unwrap()
            })
            .collect();
        for runner in runners {
            let out = runner.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    };
    let mut stalled_on = None;
    for day in 1..=DAYS {
        let date = today0 + chrono::Duration::days(day);
        if day == 10 {
            // A runner dies between its claims and their delivery: the mail server hangs on its
            // first message, and the process is killed.
            sink.stall.store(true, Ordering::SeqCst);
            let at = date.and_hms_opt(3, 0, 0).unwrap().and_utc() - chrono::Duration::minutes(5);
            let mut c = command(
                &url,
                &dir,
                &[
                    &["reminders", "run", "--now", &at.to_rfc3339()][..],
                    &mail[..],
                ]
                .concat(),
            );
            c.stdout(Stdio::null()).stderr(Stdio::null());
            let mut doomed = c.spawn().unwrap();
            let deadline = Instant::now() + Duration::from_secs(30);
            while sink.stalled.load(Ordering::SeqCst) == 0 {
                assert!(Instant::now() < deadline, "the doomed runner sent nothing");
                std::thread::sleep(Duration::from_millis(20));
            }
            doomed.kill().unwrap();
            doomed.wait().unwrap();
            sink.stall.store(false, Ordering::SeqCst);
            let unsent: Vec<i64> = rows(&db)
                .iter()
                .filter(|r| r.sent_at.is_none())
                .map(|r| r.id)
                .collect();
            assert!(
                !unsent.is_empty(),
                "the killed runner left its claims undelivered"
            );
            stalled_on = Some((at, unsent));
        }
        // 03:00 UTC (the evening before in Vancouver) and 12:30 UTC (the morning of, everywhere
        // the students are).
        for (h, m) in [(3, 0), (12, 30)] {
            pass(date.and_hms_opt(h, m, 0).unwrap().and_utc());
        }
    }
    let (killed_at, abandoned) = stalled_on.unwrap();

    // Every claim delivered (or replaced by a later one), each once.
    let all = rows(&db);
    assert!(
        all.iter().all(|r| r.sent_at.is_some()),
        "undelivered claims remain"
    );
    let emailed: Vec<&reminder::Model> = all
        .iter()
        .filter(|r| r.channels.split(',').any(|c| c == "email"))
        .collect();
    let seen = smtp::assert_each_reminder_emailed_once(&sink, emailed.len());
    // The killed runner's claims were taken over after the lease and delivered.
    for id in &abandoned {
        let row = all.iter().find(|r| r.id == *id).unwrap();
        assert!(
            row.claimed_at >= killed_at + chrono::Duration::minutes(10) && row.sent_at.is_some(),
            "{row:?}"
        );
    }

    // Independently of the job's code: each generated student's study permit expires on
    // today0 + (i·37 mod 1460) − 365 (`generated`); its R1 dates inside the month each arrive
    // once, unless the student has a pending application (i mod 10 = 3), paused reminders
    // (i mod 50 = 7) or a permit not yet verified (i mod 19 = 0).
    let to_student = |i: i64| format!("s{}@students.example.ca", 300_000_000 + i);
    let mut expected = 0;
    for i in 0..GENERATED {
        let expires: NaiveDate = today0 + chrono::Duration::days((i * 37).rem_euclid(1460) - 365);
        let quiet = i % 10 == 3 || i % 50 == 7;
        for (days_before, words) in R1 {
            let due = expires - chrono::Duration::days(days_before);
            if due <= today0 || due > today0 + chrono::Duration::days(DAYS) {
                continue;
            }
            let got = seen
                .iter()
                .filter(|((to, subject), _)| {
                    *to == to_student(i)
                        && subject.contains("study permit")
                        && subject.contains(words)
                })
                .map(|(_, n)| *n)
                .sum::<i32>();
            if quiet {
                assert_eq!(got, 0, "student {i} should get no reminder ({words})");
            } else if i % 19 != 0 {
                assert_eq!(got, 1, "student {i}: the reminder that it {words}");
                expected += 1;
            }
        }
    }
    assert!(
        expected > 30,
        "the month holds {expected} checked reminders"
    );
    eprintln!(
        "a month on two instances: {} reminders, {} e-mailed once each, {expected} checked against R1, {} taken over from the killed runner",
        all.len(),
        emailed.len(),
        abandoned.len()
    );

    // The instances served throughout and logged no error.
    for mut instance in instances {
        assert!(healthy(instance.port));
        let _ = instance.child.kill();
        let _ = instance.child.wait();
        let mut log = String::new();
        instance
            .child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        assert!(!log.contains("ERROR"), "{log}");
    }
    runtime.block_on(db.close_by_ref()).ok();
    runtime
        .block_on(admin.execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")))
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
