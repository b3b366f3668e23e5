//! Importing students from CSV (design.md): the header
//! `student_number,email,name,program,coop_program,coop1101,continuance_met,full_time`, and
//! optionally `program_code` (the program in the catalogue; an empty cell: none), one student per
//! line. `preview` says what each line would do, with every error by line and
//! field; `import` writes the valid lines in one transaction and nothing from a bad line. A
//! student is matched by number: a new number creates a record, a known one is updated only
//! where a value differs, so importing the same file twice changes nothing the second time.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use coop_core::case::{Coop1101, Level};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::ServiceError;
use super::audit::Actor;
use super::student_facts;
use super::students::{self, NewStudent};
use crate::entity::student;

/// The columns, in the order an export writes them (an import accepts any order).
pub const HEADER: [&str; 8] = [
    "student_number",
    "email",
    "name",
    "program",
    "coop_program",
    "coop1101",
    "continuance_met",
    "full_time",
];

/// Columns a file may add to [`HEADER`].
pub const OPTIONAL: [&str; 1] = ["program_code"];

/// At most this many lines per file.
pub const MAX_ROWS: usize = 100_000;

/// The report's types are the API's (coop-api), under the names this module has always used.
pub use coop_api::students::{
    ImportLine as Line, ImportOutcome as Outcome, ImportProblem as FieldError,
    ImportReport as Report,
};

/// A line that reads well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub student: NewStudent,
    /// The program code when the file has the column (`Some(None)`: an empty cell).
    pub program_code: Option<Option<String>>,
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

fn boolean(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Line numbers as a spreadsheet or text editor shows them, counting `\r\n`, `\n` and a lone
/// `\r` (Excel's "CSV (Macintosh)") each as one line break. The csv reader's own line count
/// sees only `\n`, so every record of a `\r` file was "line 2".
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: u64,
    after_cr: bool,
}

impl LineCounter {
    /// The line on which the byte at `offset` stands; offsets must not go backwards.
    fn at(&mut self, text: &[u8], offset: u64) -> u64 {
        let offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        if offset > self.byte {
            for &b in text.get(self.byte..offset).unwrap_or_default() {
                match b {
                    b'\n' if self.after_cr => {}
                    b'\n' | b'\r' => self.line += 1,
                    _ => {}
                }
                self.after_cr = b == b'\r';
            }
            self.byte = offset;
        }
        self.line + 1
    }
}

/// A CSV file's text (UTF-8, without a spreadsheet's byte-order mark) and a reader of its
/// records, trimmed and of any length; or why it is not text.
pub(crate) fn csv_reader(bytes: &[u8]) -> Result<(&str, csv::Reader<&[u8]>), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (byte {} is not); save it as \"CSV UTF-8\"",
            e.valid_up_to() + 1
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    Ok((text, reader))
}

/// Reads a file: the rows that read well, and every error of the others. Pure.
pub fn parse(bytes: &[u8]) -> Result<(Vec<Row>, Vec<FieldError>), Unreadable> {
    let (text, mut reader) = csv_reader(bytes).map_err(Unreadable)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Unreadable(format!("the header cannot be read: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let missing: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|h| !header.iter().any(|c| c == h))
        .collect();
    let unknown: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|c| !HEADER.contains(c) && !OPTIONAL.contains(c))
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(Unreadable(format!(
            "the header must name these columns: {} (and may add {}); missing: {}; unknown: {}",
            HEADER.join(","),
            OPTIONAL.join(","),
            if missing.is_empty() {
                "none".to_owned()
            } else {
                missing.join(",")
            },
            if unknown.is_empty() {
                "none".to_owned()
            } else {
                unknown.join(",")
            },
        )));
    }
    let column = |name: &str| header.iter().position(|c| c == name);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen_numbers: HashMap<String, u64> = HashMap::new();
    let mut seen_emails: HashMap<String, u64> = HashMap::new();
    let mut lines = LineCounter::default();
    for (index, record) in reader.records().enumerate() {
        if index >= MAX_ROWS {
            return Err(Unreadable(format!(
                "the file has more than {MAX_ROWS} students; split it"
            )));
        }
        let byte = match &record {
            Ok(r) => r.position().map(csv::Position::byte),
            Err(e) => e.position().map(csv::Position::byte),
        };
        let line = match byte {
            Some(byte) => lines.at(text.as_bytes(), byte),
            None => index as u64 + 2,
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError {
                    line,
                    field: "line".to_owned(),
                    message: format!("cannot be read: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |name: &str| column(name).and_then(|i| record.get(i)).unwrap_or("");
        let mut bad = |field: &str, message: String| {
            errors.push(FieldError {
                line,
                field: field.to_owned(),
                message,
            });
        };
        let mut ok = true;
        let number = get("student_number");
        if number.is_empty()
            || number.len() > 32
            || !number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            bad(
                "student_number",
                "1 to 32 letters, digits or hyphens".to_owned(),
            );
            ok = false;
        } else if let Some(first) = seen_numbers.insert(number.to_owned(), line) {
            bad("student_number", format!("also on line {first}"));
            ok = false;
        }
        let email = get("email").to_lowercase();
        let email_ok = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !email.contains(char::is_whitespace);
        if !email_ok {
            bad(
                "email",
                "an e-mail address such as name@example.ca".to_owned(),
            );
            ok = false;
        } else if let Some(first) = seen_emails.insert(email.clone(), line) {
            bad("email", format!("also on line {first}"));
            ok = false;
        }
        let name = get("name");
        if name.is_empty() || name.chars().count() > coop_core::text_limits::PERSON_NAME.max_chars {
            bad("name", "the legal name, 1 to 200 characters".to_owned());
            ok = false;
        }
        let program = get("program");
        if program.is_empty() || program.chars().count() > 200 {
            bad(
                "program",
                "the program and credential, 1 to 200 characters".to_owned(),
            );
            ok = false;
        }
        let mut flag = |field: &str| {
            let value = boolean(get(field));
            if value.is_none() {
                bad(field, format!("true or false, not {:?}", get(field)));
            }
            value
        };
        let coop_program = flag("coop_program");
        let continuance_met = flag("continuance_met");
        let full_time = flag("full_time");
        let program_code = if column("program_code").is_some() {
            match get("program_code") {
                "" => Some(None),
                typed => match coop_core::programs::normalize_code(typed) {
                    Ok(code) => Some(Some(code)),
                    Err(problem) => {
                        errors.push(FieldError {
                            line,
                            field: "program_code".to_owned(),
                            message: problem.message,
                        });
                        continue;
                    }
                },
            }
        } else {
            None
        };
        let coop1101 = Coop1101::from_code(&get("coop1101").to_ascii_lowercase());
        if coop1101.is_none() {
            errors.push(FieldError {
                line,
                field: "coop1101".to_owned(),
                message: format!("none, registered or completed, not {:?}", get("coop1101")),
            });
        }
        let (Some(coop_program), Some(continuance_met), Some(full_time), Some(coop1101), true) =
            (coop_program, continuance_met, full_time, coop1101, ok)
        else {
            continue;
        };
        rows.push(Row {
            line,
            student: NewStudent {
                student_number: number.to_owned(),
                email,
                name: name.to_owned(),
                program: program.to_owned(),
                program_code: program_code.clone().flatten(),
                coop_program,
                coop1101,
                continuance_met,
                full_time,
                level: Level::PostSecondary,
            },
            program_code,
        });
    }
    Ok((rows, errors))
}

/// What an update of `current` to `row` changes, by field.
fn changes(current: &student::Model, row: &Row) -> Vec<String> {
    let new = &row.student;
    let mut out = Vec::new();
    let mut differs = |field: &str, yes: bool| {
        if yes {
            out.push(field.to_owned());
        }
    };
    differs("email", current.email != new.email);
    differs("name", current.name != new.name);
    differs("program", current.program != new.program);
    differs(
        "program_code",
        row.program_code
            .as_ref()
            .is_some_and(|code| *code != current.program_code),
    );
    differs("coop_program", current.coop_program != new.coop_program);
    differs("coop1101", current.coop1101 != new.coop1101);
    differs(
        "continuance_met",
        current.continuance_met != new.continuance_met,
    );
    differs("full_time", current.full_time != new.full_time);
    out
}

async fn existing<C: ConnectionTrait>(
    db: &C,
    rows: &[Row],
) -> Result<(HashMap<String, student::Model>, HashMap<String, String>), ServiceError> {
    let mut by_number = HashMap::new();
    let mut email_owner = HashMap::new();
    for chunk in rows.chunks(5000) {
        let numbers: Vec<&str> = chunk
            .iter()
            .map(|r| r.student.student_number.as_str())
            .collect();
        let emails: Vec<&str> = chunk.iter().map(|r| r.student.email.as_str()).collect();
        for s in student::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(student::Column::StudentNumber.is_in(numbers))
                    .add(student::Column::Email.is_in(emails)),
            )
            .all(db)
            .await?
        {
            email_owner.insert(s.email.clone(), s.student_number.clone());
            by_number.insert(s.student_number.clone(), s);
        }
    }
    Ok((by_number, email_owner))
}

async fn plan<C: ConnectionTrait>(
    db: &C,
    bytes: &[u8],
) -> Result<(Report, Vec<(Row, Outcome)>), ServiceError> {
    let (rows, mut errors) = parse(bytes).map_err(|Unreadable(message)| ServiceError::Invalid {
        field: "file",
        message,
    })?;
    let (by_number, email_owner) = existing(db, &rows).await?;
    let catalogued: HashSet<String> = super::programs::list(db)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    let mut report = Report::default();
    let mut planned = Vec::new();
    let bad_lines: HashSet<u64> = errors.iter().map(|e| e.line).collect();
    for row in rows {
        let new = &row.student;
        if let Some(owner) = email_owner.get(&new.email)
            && *owner != new.student_number
        {
            errors.push(FieldError {
                line: row.line,
                field: "email".to_owned(),
                message: format!("already belongs to student {owner}"),
            });
            continue;
        }
        if let Some(Some(code)) = &row.program_code
            && !catalogued.contains(code)
        {
            errors.push(FieldError {
                line: row.line,
                field: "program_code".to_owned(),
                message: format!("{code} is not in the programs catalogue"),
            });
            continue;
        }
        let (outcome, changed) = match by_number.get(&new.student_number) {
            None => (Outcome::Create, Vec::new()),
            Some(current) => {
                let changed = changes(current, &row);
                if changed.is_empty() {
                    (Outcome::Unchanged, changed)
                } else {
                    (Outcome::Update, changed)
                }
            }
        };
        report.lines.push(Line {
            line: row.line,
            student_number: new.student_number.clone(),
            name: new.name.clone(),
            outcome,
            changes: changed,
        });
        planned.push((row, outcome));
    }
    let mut invalid_lines: HashSet<u64> = bad_lines;
    invalid_lines.extend(errors.iter().map(|e| e.line));
    for line in &invalid_lines {
        report.lines.push(Line {
            line: *line,
            student_number: String::new(),
            name: String::new(),
            outcome: Outcome::Invalid,
            changes: Vec::new(),
        });
    }
    report.lines.sort_by_key(|l| l.line);
    errors.sort_by_key(|e| e.line);
    report.errors = errors;
    for l in &report.lines {
        match l.outcome {
            Outcome::Create => report.created += 1,
            Outcome::Update => report.updated += 1,
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Invalid => report.invalid += 1,
        }
    }
    Ok((report, planned))
}

/// What importing `bytes` would do; nothing is written.
pub async fn preview(db: &DatabaseConnection, bytes: &[u8]) -> Result<Report, ServiceError> {
    Ok(plan(db, bytes).await?.0)
}

/// Imports the valid lines of `bytes` in one transaction (each creation and update audited,
/// each student re-evaluated); bad lines are reported and nothing from them is written.
pub async fn import(
    db: &DatabaseConnection,
    bytes: &[u8],
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Report, ServiceError> {
    let txn = crate::begin_write(db).await?;
    let (mut report, planned) = plan(&txn, bytes).await?;
    for (row, outcome) in planned {
        match outcome {
            Outcome::Create => {
                students::create_within(&txn, row.student, actor, now).await?;
            }
            Outcome::Update => {
                let current = students::find_by_number(&txn, &row.student.student_number)
                    .await?
                    .ok_or(ServiceError::NotFound)?;
                student_facts::import_line(
                    &txn,
                    current.id,
                    &row.student,
                    row.program_code.clone(),
                    actor,
                    now,
                )
                .await?;
            }
            Outcome::Unchanged | Outcome::Invalid => {}
        }
    }
    txn.commit().await?;
    report.imported = true;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "student_number,email,name,program,coop_program,coop1101,continuance_met,full_time";

    fn lines_of(text: &str) -> (Vec<u64>, Vec<u64>) {
        let (rows, errors) = parse(text.as_bytes()).unwrap();
        (
            rows.iter().map(|r| r.line).collect(),
            errors.iter().map(|e| e.line).collect(),
        )
    }

    #[test]
    fn lines_are_counted_as_an_editor_shows_them_whatever_the_line_breaks() {
        let good = "300000001,a@example.ca,Ana,Diploma,true,none,true,true";
        let bad = "300000002,not-an-email,Bao,Diploma,true,none,true,true";
        let also = "300000003,c@example.ca,Chidi,Diploma,true,none,true,true";
        for eol in ["\n", "\r\n", "\r"] {
            let text = [HEAD, good, bad, also].join(eol);
            assert_eq!(lines_of(&text), (vec![2, 4], vec![3]), "{eol:?}");
        }
        // A quoted field over two lines moves the next record down two.
        let text = format!(
            "{HEAD}\n300000001,a@example.ca,\"Ana\nSilva\",Diploma,true,none,true,true\n{bad}\n"
        );
        assert_eq!(lines_of(&text), (vec![2], vec![4]));
    }
}
