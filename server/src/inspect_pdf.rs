//! `coop-permits inspect-pdf`: the child process the server inspects each uploaded PDF in. It
//! limits itself before reading anything — address space and CPU time — so a file that makes the
//! parser allocate or loop without bound ends this process, not the server; the server takes a
//! child that dies as a refusal (coop_store::service::pdf_inspection).

use std::io::{Read, Write};
use std::process::ExitCode;

use coop_core::validation::MAX_FILE_BYTES;
use coop_store::service::pdf_inspection::verdict_word;

/// The most address space the inspection may use. The parser holds the file (10 MiB at most),
/// its objects and one object stream (8 MiB) at a time; far more is a bomb.
pub const MEMORY_LIMIT: u64 = 384 * 1024 * 1024;
/// The most CPU seconds it may use (decoding 256 MiB of streams takes about two).
pub const CPU_LIMIT: u64 = 20;

/// Reads the PDF on standard input, prints the verdict word.
pub fn run() -> ExitCode {
    if let Err(e) = rlimit::setrlimit(rlimit::Resource::AS, MEMORY_LIMIT, MEMORY_LIMIT)
        .and_then(|()| rlimit::setrlimit(rlimit::Resource::CPU, CPU_LIMIT, CPU_LIMIT))
    {
        eprintln!("coop-permits inspect-pdf: cannot set its limits: {e}");
        return ExitCode::FAILURE;
    }
    let mut pdf = Vec::new();
    let limit = MAX_FILE_BYTES + 1;
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut pdf) {
        eprintln!("coop-permits inspect-pdf: cannot read the file: {e}");
        return ExitCode::FAILURE;
    }
    let verdict = if u64::try_from(pdf.len()).unwrap_or(u64::MAX) > MAX_FILE_BYTES {
        coop_store::service::pdf_inspection::UNCHECKABLE
    } else {
        verdict_word(coop_core::pdf_structure::inspect(&pdf))
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{verdict}")
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
