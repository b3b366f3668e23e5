//! The programs catalogue as CSV: exported as staff keep it in a spreadsheet, imported back
//! (created or changed by code), with every problem by line and field and a preview that
//! writes nothing.

use chrono::{DateTime, Utc};
use coop_api::programs::ProgramImportReport;
use coop_api::students::ImportProblem;
use coop_core::case::Program;
use sea_orm::DatabaseConnection;

use super::ServiceError;
use super::audit::Actor;
use super::programs::{self, ProgramInput, ProgramPatch};

/// The columns, in this order, of an export and of a file to import.
pub const HEADER: [&str; 7] = [
    "code",
    "name",
    "credential",
    "months",
    "work_months",
    "placement_required",
    "language_or_preparatory",
];

/// At most this many programs per file.
pub const MAX_ROWS: usize = 10_000;

/// The catalogue's rows for a CSV download (under [`HEADER`]), by code.
pub async fn rows(db: &DatabaseConnection) -> Result<Vec<Vec<String>>, ServiceError> {
    Ok(programs::list(db)
        .await?
        .into_iter()
        .map(|p| {
            let facts = p.facts();
            vec![
                p.code,
                p.name,
                facts.credential.to_string(),
                facts.months.to_string(),
                facts.work_months.to_string(),
                facts.placement_required.to_string(),
                facts.language_or_preparatory.to_string(),
            ]
        })
        .collect())
}

/// A line that reads well.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    line: u64,
    program: ProgramInput,
}

fn boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}

fn unreadable(message: String) -> ServiceError {
    ServiceError::Invalid {
        field: "file",
        message,
    }
}

/// Reads a file: the rows that read well, and every problem of the others. Pure.
fn parse(bytes: &[u8]) -> Result<(Vec<Row>, Vec<ImportProblem>), ServiceError> {
    let (_, mut reader) = super::import::csv_reader(bytes).map_err(unreadable)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(format!("the header cannot be read: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if header.iter().map(String::as_str).ne(HEADER) {
        return Err(unreadable(format!(
            "the header must be exactly: {} (the Programs page's export has it)",
            HEADER.join(",")
        )));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (index, record) in reader.records().enumerate() {
        if index >= MAX_ROWS {
            return Err(unreadable(format!(
                "the file has more than {MAX_ROWS} programs; split it"
            )));
        }
        let line = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(ImportProblem {
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
        match read_line(&record, line, &mut seen) {
            Ok(program) => rows.push(Row { line, program }),
            Err(problems) => errors.extend(problems),
        }
    }
    Ok((rows, errors))
}

/// One line's program, or every problem with it.
fn read_line(
    record: &csv::StringRecord,
    line: u64,
    seen: &mut std::collections::HashMap<String, u64>,
) -> Result<ProgramInput, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, message: String| {
        problems.push(ImportProblem {
            line,
            field: field.to_owned(),
            message,
        });
    };
    let get = |i: usize| record.get(i).unwrap_or("");
    let column = |i: usize| HEADER.get(i).copied().unwrap_or("line");
    let code = match coop_core::programs::normalize_code(get(0)) {
        Ok(code) => {
            if let Some(first) = seen.insert(code.clone(), line) {
                bad("code", format!("{code} is also on line {first}"));
            }
            code
        }
        Err(p) => {
            bad(p.field, p.message);
            String::new()
        }
    };
    let name = get(1);
    if let Err(p) = coop_core::programs::NAME.check(name) {
        bad(p.field, p.message);
    }
    let mut flag = |i: usize| {
        boolean(get(i)).unwrap_or_else(|| {
            bad(column(i), format!("true or false, not {:?}", get(i)));
            false
        })
    };
    let credential = flag(2);
    let placement_required = flag(5);
    let language_or_preparatory = flag(6);
    let mut count = |i: usize| {
        get(i).parse::<u32>().unwrap_or_else(|_| {
            bad(
                column(i),
                format!("a whole number of months, not {:?}", get(i)),
            );
            0
        })
    };
    let months = count(3);
    let work_months = count(4);
    let facts = Program {
        credential,
        months,
        work_months,
        placement_required,
        language_or_preparatory,
    };
    if problems.is_empty() {
        problems.extend(
            coop_core::programs::check_facts(&facts)
                .into_iter()
                .map(|p| ImportProblem {
                    line,
                    field: p.field.to_owned(),
                    message: p.message,
                }),
        );
    }
    if problems.is_empty() {
        Ok(ProgramInput {
            code,
            name: name.to_owned(),
            facts,
        })
    } else {
        Err(problems)
    }
}

/// Imports (or with `dry_run`, previews) a programs file: lines that read well create or change
/// their program (each audited; a change makes its students' standings due), in one
/// transaction; a line with a problem writes nothing.
pub async fn import(
    db: &DatabaseConnection,
    bytes: &[u8],
    dry_run: bool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<ProgramImportReport, ServiceError> {
    let (rows, mut errors) = parse(bytes)?;
    let mut report = ProgramImportReport::default();
    let txn = crate::begin_write(db).await?;
    for row in rows {
        let result = match programs::find(&txn, &row.program.code).await? {
            None => programs::create_within(&txn, row.program, actor, now)
                .await
                .map(|_| report.created += 1),
            Some(before) => {
                let facts = row.program.facts;
                let patch = ProgramPatch {
                    name: Some(row.program.name),
                    credential: Some(facts.credential),
                    months: Some(facts.months),
                    work_months: Some(facts.work_months),
                    placement_required: Some(facts.placement_required),
                    language_or_preparatory: Some(facts.language_or_preparatory),
                };
                programs::update_within(&txn, &before.code, patch, actor, now)
                    .await
                    .map(|after| {
                        if after == before {
                            report.unchanged += 1;
                        } else {
                            report.updated += 1;
                        }
                    })
            }
        };
        match result {
            Ok(()) => {}
            Err(ServiceError::Invalid { field, message }) => errors.push(ImportProblem {
                line: row.line,
                field: field.to_owned(),
                message,
            }),
            Err(other) => return Err(other),
        }
    }
    errors.sort_by_key(|e| e.line);
    report.errors = errors;
    if dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        report.imported = true;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_good_lines_and_reports_each_bad_field() {
        let file = "code,name,credential,months,work_months,placement_required,language_or_preparatory\n\
                    bba,Bachelor of Business Administration,true,48,12,true,false\n\
                    ,No code,true,12,4,true,false\n\
                    ESL,English,maybe,8,x,true,true\n\
                    BBA,Again,true,48,12,true,false\n\
                    LONG,Work-heavy,true,12,13,true,false\n";
        let (rows, errors) = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].program.code, "BBA");
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, "code"),
                (4, "credential"),
                (4, "work_months"),
                (5, "code"),
                (6, "work_months")
            ]
        );
    }

    #[test]
    fn a_file_without_the_header_is_refused_as_a_whole() {
        let refused = parse(b"code,name\nBBA,Business\n").unwrap_err();
        assert!(
            matches!(&refused, ServiceError::Invalid { field: "file", message } if message.contains("work_months")),
            "{refused:?}"
        );
        assert!(parse(b"code,name\xff").is_err());
    }
}
