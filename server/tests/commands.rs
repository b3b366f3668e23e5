//! The account commands as an operator runs them: `user add` (password piped or generated),
//! `user reset-password`, `user disable`, `token create` / `revoke`, invitations (`user add
//! --invite`, `user invite`, `import --invite`, e-mailed through an SMTP sink), and `demo`
//! (idempotent).

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod smtp;

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");

fn run(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn users_and_tokens_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("coop-cmd-{}", uuid::Uuid::new_v4()));
    let out = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "Ana@Example.CA",
            "--role",
            "student",
            "--student-number",
            "300001",
            "--name",
            "Ana Silva",
        ],
        Some("maple ferry quantum otter\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("added ana@example.ca (student)"));
    assert!(
        !text(&out).contains("password"),
        "a piped password is never printed"
    );

    // Empty standard input: a password is generated and printed once.
    let out = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "staff@example.ca",
            "--role",
            "staff",
        ],
        Some(""),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("password (shown once): "));

    // Bad input gets a clear error naming the flag, and nothing is written.
    let out = run(
        &dir,
        &["user", "add", "--email", "x@example.ca", "--role", "staff"],
        Some("password1234\n"),
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--password: this is one of the most common passwords"),
        "{}",
        text(&out)
    );
    let out = run(
        &dir,
        &["user", "add", "--email", "not-an-email", "--role", "admin"],
        Some(""),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("--email"), "{}", text(&out));
    let out = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "kim@example.ca",
            "--role",
            "student",
        ],
        Some(""),
    );
    assert!(
        text(&out).contains("--student-number: a student needs their student number"),
        "{}",
        text(&out)
    );
    let out = run(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "ana@example.ca",
            "--role",
            "staff",
        ],
        Some(""),
    );
    assert!(
        text(&out).contains("that email is already in use"),
        "{}",
        text(&out)
    );

    let out = run(
        &dir,
        &[
            "token",
            "create",
            "--email",
            "staff@example.ca",
            "--name",
            "portal",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.lines().any(|l| l.starts_with("coop_")), "{printed}");
    let out = run(
        &dir,
        &["token", "create", "--email", "ana@example.ca"],
        None,
    );
    assert!(text(&out).contains("API tokens are for enabled staff and admin users"));
    let out = run(&dir, &["token", "revoke", "--id", "1"], None);
    assert!(
        out.status.success() && text(&out).contains("token 1 revoked"),
        "{}",
        text(&out)
    );
    let out = run(&dir, &["token", "revoke", "--id", "99"], None);
    assert!(!out.status.success() && text(&out).contains("no such user or token"));

    let out = run(
        &dir,
        &["user", "reset-password", "--email", "ana@example.ca"],
        Some("harbour lantern violet seventy\n"),
    );
    assert!(
        out.status.success() && text(&out).contains("sessions are revoked"),
        "{}",
        text(&out)
    );
    let out = run(
        &dir,
        &["user", "disable", "--email", "ana@example.ca"],
        None,
    );
    assert!(
        out.status.success() && text(&out).contains("disabled ana@example.ca"),
        "{}",
        text(&out)
    );
    let out = run(
        &dir,
        &["user", "disable", "--email", "nobody@example.ca"],
        None,
    );
    assert!(!out.status.success());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn demo_data_loads_once_and_prints_the_sign_ins() {
    let dir = std::env::temp_dir().join(format!("coop-demo-{}", uuid::Uuid::new_v4()));
    let first = run(&dir, &["demo"], None);
    assert!(first.status.success(), "{}", text(&first));
    let printed = text(&first);
    for line in [
        "admin@coop.example",
        "staff1@coop.example",
        "staff2@coop.example",
        "ana@students.coop.example",
    ] {
        assert!(
            printed.contains(line),
            "demo output lacks {line}:\n{printed}"
        );
    }
    assert_eq!(
        printed
            .lines()
            .filter(|l| l.contains("@students.coop.example"))
            .count(),
        14,
        "{printed}"
    );
    let again = run(&dir, &["demo"], None);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        String::from_utf8_lossy(&first.stdout),
        "a second run changes nothing and says the same"
    );
    // Generated students on top: added up to the number asked for, never twice.
    let generated = run(&dir, &["demo", "--students", "120"], None);
    assert!(
        text(&generated).contains("generated students: 120 (120 added"),
        "{}",
        text(&generated)
    );
    let more = run(&dir, &["demo", "--students", "150"], None);
    assert!(
        text(&more).contains("generated students: 150 (30 added"),
        "{}",
        text(&more)
    );
    let same = run(&dir, &["demo", "--students", "100"], None);
    assert!(
        text(&same).contains("generated students: 150 (0 added"),
        "{}",
        text(&same)
    );
    let too_many = run(&dir, &["demo", "--students", "2000000"], None);
    assert!(!too_many.status.success());
    assert!(
        text(&too_many).contains("--students"),
        "{}",
        text(&too_many)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn students_import_from_a_csv_file_with_every_error_named() {
    let dir = std::env::temp_dir().join(format!("coop-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("students.csv");
    std::fs::write(
        &file,
        "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n\
         100200300,amelie@example.ca,Amélie Zhang,Diploma in CIS,true,registered,true,true\n\
         100200301,bad,Bo,Diploma in CIS,true,sometimes,true,true\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let dry = run(&dir, &["import", "--dry-run", path], None);
    assert!(dry.status.success(), "{}", text(&dry));
    let out = text(&dry);
    assert!(out.contains("line 3: email:"), "{out}");
    assert!(out.contains("line 3: coop1101:"), "{out}");
    assert!(out.contains("dry run, nothing written: 1 new"), "{out}");
    let imported = run(&dir, &["import", path], None);
    assert!(
        text(&imported).contains("imported: 1 new, 0 updated"),
        "{}",
        text(&imported)
    );
    let again = run(&dir, &["import", path], None);
    assert!(
        text(&again).contains("imported: 0 new, 0 updated, 1 unchanged"),
        "{}",
        text(&again)
    );
    std::fs::write(&file, "name,email\nx,y\n").unwrap();
    let refused = run(&dir, &["import", path], None);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("the header must name these columns"),
        "{}",
        text(&refused)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invitations_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("coop-cmd-invite-{}", uuid::Uuid::new_v4()));
    let add = [
        "user",
        "add",
        "--email",
        "kim@example.ca",
        "--role",
        "staff",
        "--invite",
    ];
    let out = run(&dir, &add, None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--public-url / COOP_PUBLIC_URL"),
        "{}",
        text(&out)
    );

    // Without a mail server: the link, once, to hand over; no password is made.
    let public = ["--public-url", "https://coop.example.ca"];
    let out = run(&dir, &[&add[..], &public[..]].concat(), None);
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("https://coop.example.ca/set-password?token="),
        "{said}"
    );
    assert!(!said.contains("password (shown once)"), "{said}");

    // Sent again, by e-mail.
    let sink = smtp::start();
    let url = sink.url();
    let mail = [
        "--smtp-url",
        url.as_str(),
        "--mail-from",
        "Co-op Office <coop@example.ca>",
    ];
    let invite = ["user", "invite", "--email", "KIM@example.ca"];
    let out = run(&dir, &[&invite[..], &public[..], &mail[..]].concat(), None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("invitation e-mailed to kim@example.ca"),
        "{}",
        text(&out)
    );
    let kept = sink.kept();
    assert_eq!(kept.len(), 1);
    assert!(smtp::link(&kept[0], "https://coop.example.ca/set-password?token=").is_some());
    let out = run(
        &dir,
        &[
            "user",
            "invite",
            "--email",
            "nobody@example.ca",
            "--public-url",
            "https://coop.example.ca",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("no user has the e-mail address nobody@example.ca"),
        "{}",
        text(&out)
    );

    // An import invites its new students by e-mail, and refuses to without mail.
    let csv = dir.join("students.csv");
    std::fs::write(
        &csv,
        "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time\n300500,li@example.ca,Li Wei,BBA,true,completed,true,true\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let out = run(
        &dir,
        &[
            "import",
            csv,
            "--invite",
            "--public-url",
            "https://coop.example.ca",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--invite: invitations go by e-mail"),
        "{}",
        text(&out)
    );
    let out = run(&dir, &["import", csv, "--dry-run"], None);
    assert!(
        text(&out).contains("1 new"),
        "nothing was imported: {}",
        text(&out)
    );
    let out = run(
        &dir,
        &[&["import", csv, "--invite"][..], &public[..], &mail[..]].concat(),
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1 new students invited"),
        "{}",
        text(&out)
    );
    let kept = sink.kept();
    assert_eq!(kept.len(), 2);
    assert_eq!(
        smtp::header(&kept[1], "To").as_deref(),
        Some("li@example.ca")
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// `retention run --dry-run` lists a leaver whose data F2 lets go and removes nothing; the run
/// itself then removes it, and the record is de-identified.
#[test]
fn retention_lists_then_removes_a_leavers_personal_data() {
    let dir = std::env::temp_dir().join(format!("coop-cmd-{}", uuid::Uuid::new_v4()));
    assert!(run(&dir, &["demo"], None).status.success());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = format!("sqlite://{}/coop-permits.db", dir.display());
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc();
    runtime.block_on(async {
        let store = coop_store::Store::open(&url).await.unwrap();
        let bao = coop_store::service::students::find_by_number(store.db(), "100000002")
            .await
            .unwrap()
            .unwrap();
        coop_store::service::leavers::record_leaving(
            store.db(),
            bao.id,
            chrono::NaiveDate::from_ymd_opt(2026, 8, 31),
            &coop_store::service::audit::Actor::Cli,
            at("2026-09-01T12:00:00Z"),
        )
        .await
        .unwrap();
        store.close().await.unwrap();
    });
    let later = "2030-01-01T00:00:00Z";
    let dry = run(
        &dir,
        &["retention", "run", "--dry-run", "--now", later],
        None,
    );
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(text(&dry).contains("nothing was removed"), "{}", text(&dry));
    assert!(
        text(&dry).contains("the personal data of 1 students who left"),
        "{}",
        text(&dry)
    );
    assert!(
        text(&dry).contains("100000002 Bao Nguyen (left 2026-08-31"),
        "{}",
        text(&dry)
    );
    let done = run(&dir, &["retention", "run", "--now", later], None);
    assert!(done.status.success(), "{}", text(&done));
    assert!(
        text(&done).contains("the personal data of 1 students who left removed"),
        "{}",
        text(&done)
    );
    runtime.block_on(async {
        let store = coop_store::Store::open(&url).await.unwrap();
        assert!(
            coop_store::service::students::find_by_number(store.db(), "100000002")
                .await
                .unwrap()
                .is_none()
        );
        store.close().await.unwrap();
    });
    let again = run(
        &dir,
        &["retention", "run", "--dry-run", "--now", later],
        None,
    );
    assert!(
        text(&again).contains("the personal data of 0 students who left"),
        "{}",
        text(&again)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
