//! The real binary under hostile uploads (issue 16): sixteen PDF bombs at once keep the
//! server's peak memory under 512 MiB and are each refused; the data folder, the database and
//! the key are the server's account's alone, and a start on a folder others may read says so.
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
mod traffic;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use traffic::{BIN, STUDENTS, cli, http, sign_in, upload};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &Path, port: u16) -> Server {
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir)
        .env_remove("COOP_FILE_KEY")
        .env_remove("DATABASE_URL")
        .env_remove("COOP_SMTP_URL")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.with_extension("log")).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while http(port, "GET", "/healthz", &[], b"").map(|r| r.0) != Some(200) {
        assert!(Instant::now() < deadline, "the server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server(child)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The peak resident memory of a process, from the kernel's own account (VmHWM).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn sixteen_bombs_at_once_are_refused_within_512_mib_and_files_are_private() {
    let dir = std::env::temp_dir().join(format!("coop-bombs-{}", uuid::Uuid::new_v4()));
    // The folder is made by the program itself, as on a first start.
    cli(&dir, &["demo"]);
    let port = free_port();
    let server = start(&dir, port);
    assert_eq!(mode(&dir), 0o700, "the data folder");
    assert_eq!(mode(&dir.join("coop-permits.db")), 0o600, "the database");
    assert_eq!(mode(&dir.join("file-key")), 0o600, "the file key");
    let cookie = sign_in(port, STUDENTS[0]);

    // An object stream of about 200 KB that inflates to 200 MiB.
    let bomb = pdf_tricks::object_stream_bomb(200 * 1024 * 1024);
    assert!(bomb.len() < 400 * 1024, "{} bytes", bomb.len());
    let (content_type, body) = upload(&bomb);
    let before = peak_rss_kib(server.0.id());
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let (content_type, body, cookie) = (content_type.clone(), body.clone(), cookie.clone());
            std::thread::spawn(move || {
                http(
                    port,
                    "POST",
                    "/api/v1/me/documents",
                    &[("Content-Type", &content_type), ("Cookie", &cookie)],
                    &body,
                )
                .expect("an answer")
            })
        })
        .collect();
    for thread in threads {
        let (status, _, text) = thread.join().unwrap();
        assert_eq!(status, 422, "{text}");
        assert!(
            text.contains("active_content") || text.contains("uncheckable_pdf"),
            "{text}"
        );
    }
    let peak = peak_rss_kib(server.0.id());
    eprintln!("peak RSS: {before} KiB before the bombs, {peak} KiB after");
    assert!(
        peak < 512 * 1024,
        "peak RSS {peak} KiB (before the bombs: {before} KiB)"
    );

    let submit = |pdf: &[u8]| {
        let (content_type, body) = upload(pdf);
        let (status, _, text) = http(
            port,
            "POST",
            "/api/v1/me/documents",
            &[("Content-Type", &content_type), ("Cookie", &cookie)],
            &body,
        )
        .unwrap();
        (status, text)
    };
    // What only the structure shows (a script in an ASCIIHex object stream), and a file that
    // makes the parser itself allocate a terabyte: both refused by the inspection's child
    // process, and the server goes on serving.
    for (pdf, code) in [
        (
            pdf_tricks::script_in_object_stream(pdf_tricks::Encoding::AsciiHex),
            "active_content",
        ),
        (pdf_tricks::parser_bomb(), "uncheckable_pdf"),
    ] {
        let (status, text) = submit(&pdf);
        assert_eq!(status, 422, "{text}");
        assert!(text.contains(code), "{text}");
    }
    assert_eq!(
        http(port, "GET", "/healthz", &[], b"").map(|r| r.0),
        Some(200)
    );

    // A real document is still taken, and stored privately.
    let (status, text) = submit(&pdf_tricks::page("a real study permit"));
    assert_eq!(status, 201, "{text}");
    let files = dir.join("files");
    assert_eq!(mode(&files), 0o700);
    for entry in std::fs::read_dir(&files).unwrap() {
        assert_eq!(mode(&entry.unwrap().path()), 0o600);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(dir.with_extension("log"));
}

#[test]
fn a_start_on_a_folder_others_may_read_warns_with_the_fix() {
    let dir = std::env::temp_dir().join(format!("coop-open-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = free_port();
    let server = start(&dir, port);
    drop(server);
    let log = std::fs::read_to_string(dir.with_extension("log")).unwrap();
    assert!(
        log.contains(&format!("run: chmod 700 {}", dir.display())),
        "{log}"
    );
    assert_eq!(
        mode(&dir.join("coop-permits.db")),
        0o600,
        "new files are private all the same"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(dir.with_extension("log"));
}
