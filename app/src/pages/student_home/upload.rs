//! A document's submission in the browser: the form checked with `coop-core` (S1–S7, the file
//! by its first bytes), kept as a draft (its file in Cache Storage), then sent to
//! `POST /api/v1/me/documents`; and what happened to it.

/// What happened to the last submission.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "only the browser submits documents")
)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) enum Outcome {
    #[default]
    Nothing,
    Sending,
    /// Kept on the device, to be sent when the connection returns.
    Kept,
    /// Taken for review, with the warnings to heed.
    Sent(Vec<String>),
    /// Refused: by field (`None` for the whole form).
    Refused(Vec<(Option<String>, String)>),
}

impl Outcome {
    pub(super) fn error_for(&self, field: &str) -> Option<String> {
        match self {
            Outcome::Refused(errors) => errors
                .iter()
                .find(|(f, _)| f.as_deref() == Some(field))
                .map(|(_, message)| message.clone()),
            _ => None,
        }
    }
}

#[cfg(feature = "hydrate")]
pub use browser::submit;

#[cfg(feature = "hydrate")]
mod browser {
    use coop_core::validation::{self, DocumentForm, FormContext, check_file, validate_document};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use coop_api::documents::DocumentsPage;

    use super::Outcome;

    fn text(data: &web_sys::FormData, name: &str) -> String {
        data.get(name).as_string().unwrap_or_default()
    }

    fn refused(field: &str, message: &str) -> (Option<String>, String) {
        (Some(field.to_owned()), message.to_owned())
    }

    /// S1–S7 in the browser, with `coop-core`; the findings by field, or nothing to say.
    async fn check(
        data: &web_sys::FormData,
        context: Option<&DocumentsPage>,
    ) -> Vec<(Option<String>, String)> {
        let mut errors = Vec::new();
        let kind = match text(data, "kind").as_str() {
            "coop_work_permit" => validation::DocumentKind::CoopWorkPermit,
            "approval_letter" => validation::DocumentKind::ApprovalLetter,
            _ => validation::DocumentKind::StudyPermit,
        };
        let date = |name: &str| coop_core::contract::parse_date(text(data, name).trim());
        let (issued_on, expires_on) = (date("issued_on"), date("expires_on"));
        if issued_on.is_none() {
            errors.push(refused("issued_on", "Enter the issue date."));
        }
        if expires_on.is_none() {
            errors.push(refused("expires_on", "Enter the expiry date."));
        }
        let file = data.get("file").dyn_into::<web_sys::File>().ok();
        match file.as_ref().filter(|f| !f.name().is_empty()) {
            None => errors.push(refused("file", "Choose the file of the document (S7).")),
            Some(file) => {
                let size = file.size() as u64;
                let head = match file.slice_with_i32_and_i32(0, 8) {
                    Ok(blob) => match JsFuture::from(blob.array_buffer()).await {
                        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                        Err(_) => Vec::new(),
                    },
                    Err(_) => Vec::new(),
                };
                if let Err(finding) = check_file(&head, size) {
                    errors.push(refused(finding.field, finding.code.message()));
                }
            }
        }
        if let (Some(issued_on), Some(expires_on), Some(context)) = (issued_on, expires_on, context)
        {
            let today = coop_core::contract::parse_date(&context.today);
            let study_permit_expires = context
                .study_permit_expires
                .as_deref()
                .and_then(coop_core::contract::parse_date);
            if let Some(today) = today {
                let (number, uci) = (text(data, "number"), text(data, "uci"));
                let form = DocumentForm {
                    kind,
                    number: &number,
                    uci: &uci,
                    issued_on,
                    expires_on,
                };
                let ctx = FormContext {
                    today,
                    study_permit_expires,
                };
                if let Err(findings) = validate_document(&form, &ctx) {
                    errors.extend(findings.iter().map(|f| refused(f.field, f.code.message())));
                }
            }
        }
        errors
    }

    /// Checks the form, keeps it as a draft (the file in Cache Storage), and sends it; where the
    /// browser cannot keep the file, sends it straight away.
    pub async fn submit(
        form: web_sys::HtmlFormElement,
        context: Option<DocumentsPage>,
        drafts: crate::drafts::Drafts,
    ) -> Outcome {
        use crate::drafts::{Draft, DraftForm, Sent};
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return Outcome::Refused(vec![(None, "The form cannot be read.".to_owned())]);
        };
        let errors = check(&data, context.as_ref()).await;
        if !errors.is_empty() {
            return Outcome::Refused(errors);
        }
        let Ok(file) = data.get("file").dyn_into::<web_sys::File>() else {
            return Outcome::Refused(vec![refused(
                "file",
                "Choose the file of the document (S7).",
            )]);
        };
        let key = crate::drafts::new_key();
        if !crate::drafts::keep_file(&key, &file).await {
            return send(form).await;
        }
        let mut fields = crate::components::forms::fields(&form);
        fields.push(("file_name".to_owned(), file.name()));
        let draft = Draft {
            key,
            form: DraftForm::Document,
            fields,
            saved: crate::drafts::saved_now(),
        };
        match drafts.submit(draft).await {
            Sent::Offline => Outcome::Kept,
            other => outcome_of(other),
        }
    }

    /// Sends a checked form straight away (where the browser cannot keep the file as a draft).
    async fn send(form: web_sys::HtmlFormElement) -> Outcome {
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return Outcome::Refused(vec![(None, "The form cannot be read.".to_owned())]);
        };
        outcome_of(crate::drafts::post_document(&data, None).await)
    }

    fn outcome_of(sent: crate::drafts::Sent) -> Outcome {
        use crate::drafts::Sent;
        match sent {
            Sent::Done { warnings, .. } => Outcome::Sent(warnings),
            Sent::Offline => Outcome::Refused(vec![(
                None,
                "The server cannot be reached; check your connection and submit again.".to_owned(),
            )]),
            Sent::Refused(error) => {
                let fields = error.0.fields.clone().unwrap_or_default();
                let mut errors = vec![(None, error.0.message)];
                errors.extend(fields.into_iter().map(|f| (f.field, f.message)));
                Outcome::Refused(errors)
            }
        }
    }
}
