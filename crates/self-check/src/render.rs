//! The self-check's form as HTML (the answer's markup is in `answer`): each field labelled, its
//! error beside it and tied to it by `aria-describedby`. The server renders the page with it and
//! the browser redraws parts with it, so both always draw the same markup. Controls carry
//! `data-bind` (the form field they change, and `data-row` in a row) and, when the reader may
//! name them, `data-path` (the contract path of their errors).

use std::fmt::Write;

use coop_core::contract::FieldError;
use coop_core::time;

use crate::catalogue::Choice;
use crate::form::{SelfCheckForm, field_id, student_message};
use crate::html::{attr, element, text};

/// The id of the element the page lives in.
pub const ROOT_ID: &str = "self-check";
/// The ids of the parts redrawn when the form's shape changes.
pub const PROGRAM_PICKER: &str = "program-picker";
pub const COOP_DETAILS: &str = "coop-details";
pub const APPLICATIONS: &str = "application-rows";
pub const WORK_TERMS: &str = "work-term-rows";

const COOP1101: &[(&str, &str)] = &[
    ("none", "Not registered"),
    ("registered", "Registered"),
    ("completed", "Completed"),
];
const LEVELS: &[(&str, &str)] = &[
    ("post_secondary", "College or university"),
    ("secondary", "Secondary school"),
];
const COOP_KINDS: &[(&str, &str)] = &[
    ("none", "None yet"),
    ("coop_work_permit", "Co-op work permit (IMM 1442)"),
    ("approval_letter", "IRCC approval letter (IMM 5754)"),
];
const DOCUMENTS: &[(&str, &str)] = &[
    ("study_permit", "Study permit"),
    ("coop_work_permit", "Co-op work permit"),
];
const DECISIONS: &[(&str, &str)] = &[
    ("pending", "Waiting for a decision"),
    ("approved", "Approved"),
    ("refused", "Refused"),
];

/// The message shown beside the field at `path`, if the reader named it.
pub fn error_for(errors: &[FieldError], path: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field.as_deref() == Some(path))
        .map(student_message)
}

/// Where a control is bound: the form field, its row (if in one) and its contract path.
struct Bind<'a> {
    label: &'a str,
    bind: &'a str,
    row: Option<u32>,
    path: &'a str,
}

impl Bind<'_> {
    fn open(&self, out: &mut String, id: &str) {
        attr(out, "id", id);
        attr(out, "name", id);
        attr(out, "data-bind", self.bind);
        if let Some(row) = self.row {
            let _ = write!(out, " data-row=\"{row}\"");
        }
    }

    /// `data-path`, `aria-invalid` and `aria-describedby`, then the closing `>`.
    fn described(&self, out: &mut String, id: &str, hint: bool, error: bool) {
        attr(out, "data-path", self.path);
        if hint {
            out.push_str(" data-hint");
        }
        let _ = write!(out, " aria-invalid=\"{error}\"");
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if error {
            ids.push(format!("{id}-error"));
        }
        if !ids.is_empty() {
            attr(out, "aria-describedby", &ids.join(" "));
        }
        out.push('>');
    }
}

fn label(out: &mut String, id: &str, label: &str) {
    out.push_str("<label");
    attr(out, "for", id);
    out.push('>');
    text(out, label);
    out.push_str("</label>");
}

fn field_error(out: &mut String, id: &str, message: Option<&str>) {
    if let Some(message) = message {
        element(
            out,
            "p",
            &format!(" class=\"field-error\" id=\"{id}-error\""),
            message,
        );
    }
}

/// A checkbox with its label after it.
fn check(out: &mut String, b: &Bind<'_>, checked: bool) {
    let id = field_id(b.path);
    out.push_str("<div class=\"field check\"><input type=\"checkbox\"");
    b.open(out, &id);
    if checked {
        out.push_str(" checked");
    }
    out.push('>');
    label(out, &id, b.label);
    out.push_str("</div>");
}

/// A text-like input (`date`, `datetime-local`, `text`), with its hint and error.
fn input(
    out: &mut String,
    b: &Bind<'_>,
    kind: &str,
    value: &str,
    errors: &[FieldError],
    hint: Option<&str>,
) {
    let id = field_id(b.path);
    let error = error_for(errors, b.path);
    out.push_str("<div class=\"field\">");
    label(out, &id, b.label);
    if let Some(hint) = hint {
        element(out, "p", &format!(" class=\"hint\" id=\"{id}-hint\""), hint);
    }
    out.push_str("<input");
    attr(out, "type", kind);
    b.open(out, &id);
    if b.bind == "zone" {
        out.push_str(" list=\"zone-names\" autocomplete=\"off\"");
    }
    attr(out, "value", value);
    b.described(out, &id, hint.is_some(), error.is_some());
    field_error(out, &id, error.as_deref());
    out.push_str("</div>");
}

/// A select of fixed choices, with its error.
fn select(
    out: &mut String,
    b: &Bind<'_>,
    choices: &[(&str, &str)],
    value: &str,
    errors: &[FieldError],
) {
    let id = field_id(b.path);
    let error = error_for(errors, b.path);
    out.push_str("<div class=\"field\">");
    label(out, &id, b.label);
    out.push_str("<select");
    b.open(out, &id);
    b.described(out, &id, false, error.is_some());
    for (code, name) in choices {
        out.push_str("<option");
        attr(out, "value", code);
        if *code == value {
            out.push_str(" selected");
        }
        out.push('>');
        text(out, name);
        out.push_str("</option>");
    }
    out.push_str("</select>");
    field_error(out, &id, error.as_deref());
    out.push_str("</div>");
}

fn plain<'a>(label: &'a str, bind: &'a str, path: &'a str) -> Bind<'a> {
    Bind {
        label,
        bind,
        row: None,
        path,
    }
}

/// The whole page region: the form and the answer. `picker` is the programs catalogue and the
/// student's choice, once the page runs in a browser.
pub fn region(
    form: &SelfCheckForm,
    errors: &[FieldError],
    answer: &str,
    picker: Option<(&[Choice], &str)>,
) -> String {
    let f = form;
    let mut out = String::with_capacity(48_000);
    out.push_str("<form class=\"situation\" aria-label=\"Your situation\">");
    out.push_str("<fieldset><legend>Your program</legend>");
    let _ = write!(out, "<div id=\"{PROGRAM_PICKER}\">");
    if let Some((catalogue, chosen)) = picker {
        out.push_str(&program_picker(catalogue, chosen));
    }
    out.push_str("</div>");
    let o = &mut out;
    check(
        o,
        &plain(
            "I am in the Co-op program",
            "coop_program",
            "student.coop_program",
        ),
        f.coop_program,
    );
    select(
        o,
        &plain("COOP 1101", "coop1101", "student.coop1101"),
        COOP1101,
        &f.coop1101,
        errors,
    );
    check(
        o,
        &plain(
            "My program's continuance requirements are met",
            "continuance_met",
            "student.continuance_met",
        ),
        f.continuance_met,
    );
    check(
        o,
        &plain(
            "I study full-time (9 credits or more)",
            "full_time",
            "student.full_time",
        ),
        f.full_time,
    );
    check(
        o,
        &plain(
            "The co-op office has issued my placement letter",
            "placement_letter",
            "student.placement_letter",
        ),
        f.placement_letter,
    );
    select(
        o,
        &plain("Level of study", "level", "student.level"),
        LEVELS,
        &f.level,
        errors,
    );
    check(
        o,
        &plain("I am in Canada", "in_canada", "student.in_canada"),
        f.in_canada,
    );
    o.push_str("</fieldset><fieldset><legend>Your study permit</legend>");
    input(
        o,
        &plain(
            "Study permit expiry date",
            "study_permit_expires",
            "study_permit.expires",
        ),
        "date",
        &f.study_permit_expires,
        errors,
        Some("Leave empty if you have no study permit."),
    );
    check(
        o,
        &plain(
            "It carries an on-campus work condition",
            "on_campus_work",
            "study_permit.on_campus_work",
        ),
        f.on_campus_work,
    );
    check(
        o,
        &plain(
            "The co-op office has verified my study permit",
            "study_permit_verified",
            "study_permit.verified",
        ),
        f.study_permit_verified,
    );
    o.push_str("</fieldset><fieldset><legend>Co-op work permit</legend>");
    select(
        o,
        &plain(
            "Co-op work permit or approval letter",
            "coop_kind",
            "coop_work_permit.kind",
        ),
        COOP_KINDS,
        &f.coop_kind,
        errors,
    );
    let _ = write!(
        o,
        "<div id=\"{COOP_DETAILS}\">{}</div>",
        coop_details(f, errors)
    );
    o.push_str("</fieldset><fieldset><legend>Applications you made to IRCC</legend>");
    let _ = write!(
        o,
        "<div id=\"{APPLICATIONS}\">{}</div>",
        applications(f, errors)
    );
    o.push_str(
        "<button type=\"button\" data-action=\"add-application\">Add an application</button>",
    );
    o.push_str("</fieldset><fieldset><legend>Your work terms</legend>");
    let _ = write!(
        o,
        "<div id=\"{WORK_TERMS}\">{}</div>",
        work_terms(f, errors)
    );
    o.push_str("<button type=\"button\" data-action=\"add-work-term\">Add a work term</button>");
    o.push_str("</fieldset><fieldset><legend>Your time zone</legend>");
    input(
        o,
        &plain("Time zone", "zone", "zone"),
        "text",
        &f.zone,
        errors,
        Some("Deadlines are shown in this zone, in Vancouver time and in UTC."),
    );
    o.push_str("<datalist id=\"zone-names\">");
    for zone in time::zone_names() {
        o.push_str("<option");
        attr(o, "value", zone);
        o.push_str("></option>");
    }
    o.push_str("</datalist></fieldset></form>");
    o.push_str("<section class=\"answer\" aria-labelledby=\"answer-title\"><h2 id=\"answer-title\">Your answer</h2><div aria-live=\"polite\" class=\"live\">");
    o.push_str(answer);
    o.push_str("</div></section>");
    out
}

/// The co-op work permit's date and verification, shown once a kind is chosen.
pub fn coop_details(f: &SelfCheckForm, errors: &[FieldError]) -> String {
    let mut out = String::new();
    if f.coop_kind != "none" {
        input(
            &mut out,
            &plain(
                "Co-op work permit expiry date",
                "coop_expires",
                "coop_work_permit.expires",
            ),
            "date",
            &f.coop_expires,
            errors,
            None,
        );
        check(
            &mut out,
            &plain(
                "The co-op office has verified it",
                "coop_verified",
                "coop_work_permit.verified",
            ),
            f.coop_verified,
        );
    }
    out
}

/// One group per application made to IRCC, each with its remove button.
pub fn applications(f: &SelfCheckForm, errors: &[FieldError]) -> String {
    let mut out = String::new();
    for (index, a) in f.applications.iter().enumerate() {
        let n = index + 1;
        let row = Some(a.row);
        let _ = write!(
            out,
            "<div class=\"row\" role=\"group\" aria-label=\"Application {n}\">"
        );
        let path = format!("applications[{index}].for");
        select(
            &mut out,
            &Bind {
                label: "For",
                bind: "for_document",
                row,
                path: &path,
            },
            DOCUMENTS,
            &a.for_document,
            errors,
        );
        let path = format!("applications[{index}].submitted_at");
        input(
            &mut out,
            &Bind {
                label: "Submitted on (your local date and time)",
                bind: "submitted_local",
                row,
                path: &path,
            },
            "datetime-local",
            &a.submitted_local,
            errors,
            None,
        );
        let path = format!("applications[{index}].decision");
        select(
            &mut out,
            &Bind {
                label: "Decision",
                bind: "decision",
                row,
                path: &path,
            },
            DECISIONS,
            &a.decision,
            errors,
        );
        let _ = write!(
            out,
            "<button type=\"button\" class=\"secondary\" data-action=\"remove-application\" data-row=\"{}\">Remove application {n}</button></div>",
            a.row
        );
    }
    out
}

/// One group per work term, each with its remove button.
pub fn work_terms(f: &SelfCheckForm, errors: &[FieldError]) -> String {
    let mut out = String::new();
    for (index, t) in f.work_terms.iter().enumerate() {
        let n = index + 1;
        let row = Some(t.row);
        let _ = write!(
            out,
            "<div class=\"row\" role=\"group\" aria-label=\"Work term {n}\">"
        );
        let path = format!("work_terms[{index}].start");
        input(
            &mut out,
            &Bind {
                label: "Work term starts",
                bind: "start",
                row,
                path: &path,
            },
            "date",
            &t.start,
            errors,
            None,
        );
        let path = format!("work_terms[{index}].end");
        input(
            &mut out,
            &Bind {
                label: "Work term ends",
                bind: "end",
                row,
                path: &path,
            },
            "date",
            &t.end,
            errors,
            None,
        );
        let _ = write!(
            out,
            "<button type=\"button\" class=\"secondary\" data-action=\"remove-work-term\" data-row=\"{}\">Remove work term {n}</button></div>",
            t.row
        );
    }
    out
}

/// The program select: "Not listed / I don't know" keeps W2f out of the answer
/// (check-format.md).
pub fn program_picker(catalogue: &[Choice], chosen: &str) -> String {
    let mut out = String::from(
        "<div class=\"field\"><label for=\"program-code\">My program</label>\
         <select id=\"program-code\" data-bind=\"program\" aria-describedby=\"program-code-hint\">",
    );
    out.push_str("<option value=\"\"");
    if chosen.is_empty() {
        out.push_str(" selected");
    }
    out.push_str(">Not listed / I don&#39;t know</option>");
    for choice in catalogue {
        out.push_str("<option");
        attr(&mut out, "value", &choice.code);
        if choice.code == chosen {
            out.push_str(" selected");
        }
        out.push('>');
        text(&mut out, &choice.name);
        out.push_str("</option>");
    }
    out.push_str(
        "</select><p class=\"hint\" id=\"program-code-hint\">From the institution's list. Whether \
         your program qualifies for a placement under your study permit is rule W2f; if yours is \
         not listed, ask the co-op office.</p></div>",
    );
    out
}
