//! Every e-mail and in-app message the office sends, worded in one place, each citing its rule.
//! The app informs and points to the institution's international advisors; it never gives
//! immigration advice.

use coop_core::datetime_text::{date_words, datetime_words};
use coop_core::time::Zone;
use coop_core::validation::DocumentKind;

use crate::entity::{reminder, student};

/// An e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A message in the app (a notice): its kind (a stable code), title and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
}

/// R1/R2: a reminder before a document expires — the deadline in the student's zone, in
/// Vancouver time and in UTC, what to do, and the rules.
pub fn reminder(row: &reminder::Model, student: &student::Model, to: &str) -> Message {
    let zone = Zone::named(&student.zone).unwrap_or_default();
    let deadline = coop_core::time::deadline_utc(row.expires);
    let local = datetime_words(&zone.local(deadline));
    let vancouver = datetime_words(&Zone::vancouver().local(deadline));
    let utc = datetime_words(&deadline);
    let what = row.for_document.words();
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

/// S8, J: staff verified a document.
pub fn document_verified(kind: DocumentKind) -> Notice {
    let what = kind.words();
    Notice {
        kind: "document_verified",
        title: format!("Your {what} is verified"),
        body: format!(
            "The co-op office verified your {what}; it now counts for your co-op status (S8, J)."
        ),
    }
}

/// S8: staff rejected a document, with their reason.
pub fn document_rejected(kind: DocumentKind, reason: &str) -> Notice {
    Notice {
        kind: "document_rejected",
        title: format!("Your {} was not accepted", kind.words()),
        body: format!(
            "The co-op office says: {reason} (S8). Submit a corrected document from your home page."
        ),
    }
}

/// L, W2d: the letter is issued.
pub fn letter_approved() -> Notice {
    Notice {
        kind: "letter_approved",
        title: "Your co-op letter is ready".to_owned(),
        body: "The co-op office issued your letter; download it from your home page (L, W2d)."
            .to_owned(),
    }
}

/// L: the request is declined, with the office's reason.
pub fn letter_rejected(reason: &str) -> Notice {
    Notice {
        kind: "letter_rejected",
        title: "Your letter request was not approved".to_owned(),
        body: format!(
            "The co-op office says: {reason} (L). You can send a new request when this is resolved."
        ),
    }
}

/// T4: an application reported after the document had expired.
pub fn application_late() -> Notice {
    Notice {
        kind: "application_late",
        title: "Your application was after the deadline".to_owned(),
        body: coop_core::explain::timeliness(Some(false)).to_owned(),
    }
}

/// A reminder's copy in the app.
pub fn reminder_notice(message: &Message) -> Notice {
    Notice {
        kind: "reminder",
        title: message.subject.clone(),
        body: message.text.clone(),
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn every_notice_cites_its_rule() {
        for notice in [
            document_verified(DocumentKind::StudyPermit),
            document_rejected(DocumentKind::CoopWorkPermit, "blurred"),
            letter_approved(),
            letter_rejected("no work term"),
        ] {
            assert!(notice.body.contains('('), "{notice:?}");
        }
        assert_eq!(
            document_verified(DocumentKind::ApprovalLetter).title,
            "Your approval letter is verified"
        );
    }
}
