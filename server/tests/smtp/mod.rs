//! An SMTP server on loopback for tests: it accepts every message and keeps it (headers and
//! body). While `stall` is set it reads a message and then neither keeps it nor answers, as a
//! mail server that hangs: the sending process can then be killed between its claim and its
//! delivery.
#![allow(dead_code, reason = "each test binary uses part of it")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The running sink.
#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    /// Every message kept, in the order received.
    pub messages: Arc<Mutex<Vec<String>>>,
    /// Hang on the next messages instead of keeping them.
    pub stall: Arc<AtomicBool>,
    /// How many messages were read and left hanging.
    pub stalled: Arc<AtomicUsize>,
}

impl Sink {
    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages kept so far.
    pub fn kept(&self) -> Vec<String> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// One header's value in a kept message (unfolded).
pub fn header(message: &str, name: &str) -> Option<String> {
    let prefix = format!("{name}: ");
    let mut lines = message.split("\r\n");
    let first = lines.by_ref().find(|l| l.starts_with(&prefix))?;
    let mut value = first.get(prefix.len()..)?.to_owned();
    for more in lines {
        match more.strip_prefix(' ') {
            Some(folded) => {
                value.push(' ');
                value.push_str(folded);
            }
            None => break,
        }
    }
    Some(value)
}

/// The plain-text part of a kept message, decoded (lettre sends long lines quoted-printable,
/// and text that is not ASCII as base64).
pub fn text_part(message: &str) -> String {
    let Some(at) = message.find("Content-Type: text/plain") else {
        return String::new();
    };
    let part = message.get(at..).unwrap_or_default();
    let Some((headers, rest)) = part.split_once("\r\n\r\n") else {
        return String::new();
    };
    let body = rest.split("\r\n--").next().unwrap_or_default();
    if headers.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        return base64::engine::general_purpose::STANDARD
            .decode(joined)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
    }
    if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        let mut out = Vec::new();
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (b, hex) {
                (b'=', Some(value)) => {
                    out.push(value);
                    i += 3;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        return String::from_utf8_lossy(&out).into_owned();
    }
    body.to_owned()
}

/// The link in a kept message's text that starts with `start` (e.g.
/// `http://coop.test/reset-password?token=`), whole.
pub fn link(message: &str, start: &str) -> Option<String> {
    let text = text_part(message);
    let at = text.find(start)?;
    let rest = text.get(at..)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '<' || c == '"')
        .unwrap_or(rest.len());
    rest.get(..end).map(str::to_owned)
}

/// Waits (up to 10 s) until the sink holds `count` messages; the messages then.
pub async fn wait_for(sink: &Sink, count: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let kept = sink.kept();
        if kept.len() >= count || std::time::Instant::now() > deadline {
            return kept;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// R2 seen from the mail server: the sink holds exactly `emailed` messages (one per e-mailed
/// reminder) and no student got the same subject twice. The messages by recipient and subject.
pub fn assert_each_reminder_emailed_once(
    sink: &Sink,
    emailed: usize,
) -> std::collections::BTreeMap<(String, String), i32> {
    let kept = sink.kept();
    let mut seen = std::collections::BTreeMap::new();
    for message in &kept {
        let key = (
            header(message, "To").unwrap_or_default(),
            header(message, "Subject").unwrap_or_default(),
        );
        *seen.entry(key).or_insert(0) += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    assert_eq!(kept.len(), emailed, "one message per e-mailed reminder");
    seen
}

/// Starts a sink on a free port.
pub fn start() -> Sink {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
    let sink = Sink {
        port: listener.local_addr().expect("the sink's port").port(),
        messages: Arc::default(),
        stall: Arc::default(),
        stalled: Arc::default(),
    };
    let shared = sink.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let sink = shared.clone();
            std::thread::spawn(move || serve(stream, &sink));
        }
    });
    sink
}

fn serve(mut stream: std::net::TcpStream, sink: &Sink) {
    let Ok(reading) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reading);
    let _ = stream.write_all(b"220 sink ESMTP\r\n");
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink\r\n",
            "DATA" => {
                let _ = stream.write_all(b"354 go ahead\r\n");
                let mut message = String::new();
                loop {
                    let mut data = String::new();
                    if reader.read_line(&mut data).unwrap_or(0) == 0 || data == ".\r\n" {
                        break;
                    }
                    // SMTP doubles a line's leading dot (RFC 5321 4.5.2): undo it.
                    message.push_str(data.strip_prefix('.').unwrap_or(&data));
                }
                if sink.stall.load(Ordering::SeqCst) {
                    sink.stalled.fetch_add(1, Ordering::SeqCst);
                    // Never answer: the sender waits until it is killed or gives up.
                    let mut rest = String::new();
                    while reader.read_line(&mut rest).unwrap_or(0) > 0 {
                        rest.clear();
                    }
                    return;
                }
                if let Ok(mut kept) = sink.messages.lock() {
                    kept.push(message);
                }
                b"250 kept\r\n"
            }
            "QUIT" => {
                let _ = stream.write_all(b"221 bye\r\n");
                return;
            }
            _ => b"250 OK\r\n",
        };
        let _ = stream.write_all(reply);
    }
}
