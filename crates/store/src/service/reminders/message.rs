//! A reminder's wording: the e-mail's subject, text and HTML (R2), each citing its rule.

use super::*;

/// The reminder's words: the deadline in the student's zone, in Vancouver time and in UTC, what
/// to do, and the rules.
pub fn message(row: &reminder::Model, student: &student::Model, to: &str) -> Message {
    let zone = Zone::named(&student.zone).unwrap_or_default();
    let deadline = coop_core::time::deadline_utc(row.expires);
    let local = datetime_words(&zone.local(deadline));
    let vancouver = datetime_words(&Zone::vancouver().local(deadline));
    let utc = datetime_words(&deadline);
    let what = crate::service::documents::kind_words(&row.for_document);
    let expires = date_words(row.expires);
    let subject = match row.days_before {
        0 => format!("Your {what} expires today ({expires}): apply before midnight UTC"),
        1 => format!("Your {what} expires tomorrow ({expires})"),
        n => format!("Your {what} expires in {n} days ({expires})"),
    };
    let lines = [
        format!("Dear {},", student.name),
        format!("your {what} expires on {expires} (R1)."),
        format!(
            "To keep your status while IRCC decides, submit your extension online before {local} in your time zone ({}), which is {vancouver} in Vancouver and {utc} UTC (T4, M1).",
            zone.name()
        ),
        "Apply at least 30 days before it expires if you can (P4). Once you have applied, report the application on your co-op home page: these reminders then stop (R1) and your co-op status stays right.".to_owned(),
        "This is information from your co-op office, not immigration advice: for advice, talk to your institution's international student advisors.".to_owned(),
    ];
    let text = lines.join("\n\n");
    let html = lines
        .iter()
        .map(|l| format!("<p>{}</p>", escape_html(l)))
        .collect::<String>();
    Message {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
}

pub(super) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
