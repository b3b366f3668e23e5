//! `permit-check [FILE...]`: evaluates cases of `spec/check-format.md`, JSON Lines in and out.
//!
//! Exit status: 0 when every case was evaluated, 1 when any case was an error, 2 for unusable
//! arguments or an unreadable file. It never panics, whatever the input.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use coop_core::contract::{self, vectors};
use serde_json::Value;

const USAGE: &str = "\
usage: permit-check [FILE...]

Evaluates co-op work authorization cases (spec/check-format.md) with the same rules the browser
and the server use. Reads JSON Lines, one case per line, from each FILE in turn, or from standard
input when there is no FILE or FILE is \"-\". A FILE ending in .json may instead hold one case or
an array of cases. Test-vector lines ({\"case\": ..., \"expect\": ...}) are accepted: their case is
evaluated. Blank lines are skipped.

Writes one JSON result per case, in input order; a case that cannot be read gives
{\"id\": ..., \"error\": {\"line\": N, \"field\": \"...\", \"message\": \"...\"}} and the rest are
still evaluated.

Exit status: 0 every case evaluated; 1 some case was an error; 2 unusable arguments or an
unreadable file.";

/// What went wrong with writing the output.
enum Stop {
    /// The reader went away (e.g. `| head`): stop quietly.
    Closed,
    /// Any other write error.
    Failed(io::Error),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Stop::Closed
        } else {
            Stop::Failed(e)
        }
    }
}

#[derive(Default)]
struct Tally {
    case_errors: bool,
    unreadable: bool,
}

struct Output<W: Write> {
    out: W,
    tally: Tally,
}

impl<W: Write> Output<W> {
    fn case(&mut self, line: usize, value: &Value) -> Result<(), Stop> {
        let case = vectors::as_vector(value).map_or(value, |(case, _)| case);
        let outcome = contract::check_value(case);
        self.tally.case_errors |= !outcome.is_evaluated();
        self.emit(&outcome.to_json(line))
    }

    fn unreadable(&mut self, line: usize, message: &str) -> Result<(), Stop> {
        self.tally.case_errors = true;
        self.emit(&contract::unreadable_line(line, message))
    }

    fn emit(&mut self, value: &Value) -> Result<(), Stop> {
        serde_json::to_writer(&mut self.out, value).map_err(io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }

    fn json_lines(&mut self, mut input: impl BufRead) -> Result<(), Stop> {
        let mut buf = Vec::new();
        let mut line = 0;
        loop {
            buf.clear();
            let read = input.read_until(b'\n', &mut buf);
            match read {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("permit-check: read error after line {line}: {e}");
                    self.tally.unreadable = true;
                    return Ok(());
                }
            }
            line += 1;
            let Ok(text) = std::str::from_utf8(&buf) else {
                self.unreadable(line, "the line is not valid UTF-8")?;
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(text) {
                Ok(value) => self.case(line, &value)?,
                Err(e) => self.unreadable(line, &format!("not valid JSON: {e}"))?,
            }
        }
    }

    fn json_document(&mut self, name: &str, mut input: impl Read) -> Result<(), Stop> {
        let mut text = Vec::new();
        if let Err(e) = input.read_to_end(&mut text) {
            eprintln!("permit-check: cannot read {name}: {e}");
            self.tally.unreadable = true;
            return Ok(());
        }
        match serde_json::from_slice::<Value>(&text) {
            Ok(Value::Array(cases)) => {
                for (index, case) in cases.iter().enumerate() {
                    self.case(index + 1, case)?;
                }
                Ok(())
            }
            Ok(case) => self.case(1, &case),
            Err(e) => self.unreadable(e.line(), &format!("not valid JSON: {e}")),
        }
    }

    fn source(&mut self, name: &str) -> Result<(), Stop> {
        if name == "-" {
            return self.json_lines(io::stdin().lock());
        }
        let file = match File::open(name) {
            Ok(file) => file,
            Err(e) => {
                eprintln!("permit-check: cannot read {name}: {e}");
                self.tally.unreadable = true;
                return Ok(());
            }
        };
        if name.ends_with(".json") {
            self.json_document(name, file)
        } else {
            self.json_lines(BufReader::new(file))
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if let Some(flag) = args
        .iter()
        .find(|a| a.starts_with('-') && a.as_str() != "-")
    {
        eprintln!("permit-check: unknown option {flag}\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let sources = if args.is_empty() {
        vec!["-".to_owned()]
    } else {
        args
    };
    let stdout = io::stdout();
    let mut output = Output {
        out: BufWriter::new(stdout.lock()),
        tally: Tally::default(),
    };
    let mut result = Ok(());
    for source in &sources {
        result = output.source(source);
        if result.is_err() {
            break;
        }
    }
    let result = result.and_then(|()| output.out.flush().map_err(Stop::from));
    if let Err(Stop::Failed(e)) = result {
        eprintln!("permit-check: cannot write the results: {e}");
        return ExitCode::from(2);
    }
    match output.tally {
        Tally {
            unreadable: true, ..
        } => ExitCode::from(2),
        Tally {
            case_errors: true, ..
        } => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}
