//! The staff's student CSV import reader on arbitrary bytes. Beyond "no panic": a file either
//! cannot be read at all, or every line is accounted for once — read well, or with its errors —
//! and no student number or e-mail is imported twice from one file.
#![no_main]

use std::collections::HashSet;

use coop_store::service::import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((rows, errors)) = import::parse(data) else {
        return;
    };
    let mut numbers = HashSet::new();
    let mut emails = HashSet::new();
    for row in &rows {
        assert!(
            numbers.insert(row.student.student_number.clone()),
            "a number twice"
        );
        assert!(emails.insert(row.student.email.clone()), "an e-mail twice");
        assert!(
            errors.iter().all(|e| e.line != row.line),
            "line {} both read well and refused",
            row.line
        );
    }
});
