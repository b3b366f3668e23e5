//! The page's state and how an edit changes it, without a browser: what the student typed, the
//! state of their zone's rules, the clock, and the programs catalogue. The browser glue
//! (`browser`) only turns DOM events into [`Edit`]s and draws what this returns.

use chrono::{DateTime, Utc};
use coop_core::contract::FieldError;
use coop_core::evaluate;

use crate::answer;
use crate::catalogue::{self, Choice};
use crate::form::SelfCheckForm;
use crate::render;
use crate::zone_rules::ZoneRules;

/// Everything the page shows is drawn from this.
#[derive(Debug, Clone)]
pub struct Page {
    pub form: SelfCheckForm,
    pub zone_rules: ZoneRules,
    /// `None` until the page runs in a browser: the server renders the form, the browser answers.
    pub now: Option<DateTime<Utc>>,
    pub catalogue: Vec<Choice>,
    /// The code of the chosen program (empty: not listed, or "I don't know").
    pub chosen: String,
}

/// One change the student made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// A text, date or select control: its `data-bind`, its row, the new value.
    Text {
        bind: String,
        row: Option<u32>,
        value: String,
    },
    /// A checkbox.
    Flag {
        bind: String,
        value: bool,
    },
    AddApplication,
    AddWorkTerm,
    RemoveApplication(u32),
    RemoveWorkTerm(u32),
}

/// The part of the form whose shape an edit changed, to draw again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redraw {
    Nothing,
    CoopDetails,
    Applications,
    WorkTerms,
    ProgramPicker,
}

impl Page {
    /// A page for a form; its zone's rules are looked at by [`Page::zone_to_fetch`].
    pub fn new(form: SelfCheckForm) -> Page {
        Page {
            form,
            zone_rules: ZoneRules::Ready,
            now: None,
            catalogue: Vec::new(),
            chosen: String::new(),
        }
    }

    /// Brings the state of the zone's rules up to the typed zone; the canonical name to fetch,
    /// unless a fetch of it is already under way.
    pub fn zone_to_fetch(&mut self) -> Option<&'static str> {
        let (state, fetch) = ZoneRules::of(&self.form.zone);
        let already_loading = fetch.is_some() && self.zone_rules == state;
        self.zone_rules = state;
        fetch.filter(|_| !already_loading)
    }

    /// The page as the server sends it: the default form, waiting for the rules to run. The same
    /// for every request (about 40 KB with the zone list), so drawn once.
    pub fn server_region() -> &'static str {
        static REGION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        REGION.get_or_init(|| Page::new(SelfCheckForm::default()).region())
    }

    /// Every field's problems, by contract path. Validation does not depend on the time of day,
    /// only on what was typed; a zone whose rules are not here yet is said so, not "unknown".
    pub fn errors(&self) -> Vec<FieldError> {
        let at = self.now.unwrap_or_default();
        let mut errors = self.form.check(at).err().unwrap_or_default();
        if let Some(message) = self.zone_rules.message() {
            for error in errors
                .iter_mut()
                .filter(|e| e.field.as_deref() == Some("zone"))
            {
                error.message.clone_from(&message);
            }
        }
        errors
    }

    /// The answer's HTML.
    pub fn answer(&self) -> String {
        let Some(now) = self.now else {
            return answer::LOADING.to_owned();
        };
        match self.form.check(now) {
            Ok(case) => answer::results(&evaluate(&case), &case.zone),
            Err(_) => match self.zone_rules.message() {
                Some(message) => answer::waiting(&message),
                None => answer::INCOMPLETE.to_owned(),
            },
        }
    }

    /// The whole region's HTML.
    pub fn region(&self) -> String {
        let picker = self
            .now
            .is_some()
            .then_some((self.catalogue.as_slice(), self.chosen.as_str()));
        render::region(&self.form, &self.errors(), &self.answer(), picker)
    }

    /// What a part to redraw holds now.
    pub fn draw(&self, part: Redraw) -> Option<(&'static str, String)> {
        let errors = self.errors();
        match part {
            Redraw::Nothing => None,
            Redraw::CoopDetails => Some((
                render::COOP_DETAILS,
                render::coop_details(&self.form, &errors),
            )),
            Redraw::Applications => Some((
                render::APPLICATIONS,
                render::applications(&self.form, &errors),
            )),
            Redraw::WorkTerms => {
                Some((render::WORK_TERMS, render::work_terms(&self.form, &errors)))
            }
            Redraw::ProgramPicker => Some((
                render::PROGRAM_PICKER,
                render::program_picker(&self.catalogue, &self.chosen),
            )),
        }
    }

    /// Applies an edit; says which part changed shape.
    pub fn edit(&mut self, edit: Edit) -> Redraw {
        let f = &mut self.form;
        match edit {
            Edit::Text { bind, row, value } => match (bind.as_str(), row) {
                ("program", _) => {
                    self.form.program = catalogue::facts_of(&self.catalogue, &value);
                    self.chosen = value;
                }
                ("coop_kind", _) => {
                    let shape = (f.coop_kind == "none") != (value == "none");
                    f.coop_kind = value;
                    return if shape {
                        Redraw::CoopDetails
                    } else {
                        Redraw::Nothing
                    };
                }
                (key, None) => {
                    let field = match key {
                        "zone" => &mut f.zone,
                        "coop1101" => &mut f.coop1101,
                        "level" => &mut f.level,
                        "study_permit_expires" => &mut f.study_permit_expires,
                        "coop_expires" => &mut f.coop_expires,
                        _ => return Redraw::Nothing,
                    };
                    *field = value;
                }
                (key, Some(row)) => {
                    if let Some(a) = f.application_mut(row) {
                        match key {
                            "for_document" => a.for_document = value,
                            "submitted_local" => a.submitted_local = value,
                            "decision" => a.decision = value,
                            _ => {}
                        }
                    } else if let Some(t) = f.work_term_mut(row) {
                        match key {
                            "start" => t.start = value,
                            "end" => t.end = value,
                            _ => {}
                        }
                    }
                }
            },
            Edit::Flag { bind, value } => {
                let flag = match bind.as_str() {
                    "coop_program" => &mut f.coop_program,
                    "continuance_met" => &mut f.continuance_met,
                    "full_time" => &mut f.full_time,
                    "placement_letter" => &mut f.placement_letter,
                    "in_canada" => &mut f.in_canada,
                    "on_campus_work" => &mut f.on_campus_work,
                    "study_permit_verified" => &mut f.study_permit_verified,
                    "coop_verified" => &mut f.coop_verified,
                    _ => return Redraw::Nothing,
                };
                *flag = value;
            }
            Edit::AddApplication => {
                f.add_application();
                return Redraw::Applications;
            }
            Edit::RemoveApplication(row) => {
                f.applications.retain(|a| a.row != row);
                return Redraw::Applications;
            }
            Edit::AddWorkTerm => {
                f.add_work_term();
                return Redraw::WorkTerms;
            }
            Edit::RemoveWorkTerm(row) => {
                f.work_terms.retain(|t| t.row != row);
                return Redraw::WorkTerms;
            }
        }
        Redraw::Nothing
    }

    /// A catalogue arrived (kept, or the server's): the chosen program's facts come from it.
    pub fn take_catalogue(&mut self, choices: Vec<Choice>) {
        self.form.program = catalogue::facts_of(&choices, &self.chosen);
        self.catalogue = choices;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn text(bind: &str, row: Option<u32>, value: &str) -> Edit {
        Edit::Text {
            bind: bind.to_owned(),
            row,
            value: value.to_owned(),
        }
    }

    #[test]
    fn the_server_page_waits_for_the_rules_and_has_every_field() {
        let html = Page::server_region();
        assert!(html.contains(answer::LOADING));
        for id in [
            "f-student-coop_program",
            "f-student-coop1101",
            "f-study_permit-expires",
            "f-coop_work_permit-kind",
            "f-zone",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        // No program picker before the page runs: the catalogue is the browser's to fetch.
        assert!(!html.contains("program-code"));
        assert!(html.contains("<option value=\"America/Vancouver\">"));
    }

    #[test]
    fn edits_change_the_form_and_say_what_to_redraw() {
        let mut page = Page::new(SelfCheckForm::default());
        page.now = Some(at("2026-12-15T20:00:00Z"));
        assert_eq!(
            page.edit(text("coop1101", None, "completed")),
            Redraw::Nothing
        );
        assert_eq!(page.form.coop1101, "completed");
        assert_eq!(
            page.edit(Edit::Flag {
                bind: "coop_program".into(),
                value: false
            }),
            Redraw::Nothing
        );
        assert!(!page.form.coop_program);
        assert_eq!(
            page.edit(text("coop_kind", None, "approval_letter")),
            Redraw::CoopDetails
        );
        assert_eq!(
            page.edit(text("coop_kind", None, "coop_work_permit")),
            Redraw::Nothing
        );
        assert_eq!(page.edit(Edit::AddWorkTerm), Redraw::WorkTerms);
        let row = page.form.work_terms[0].row;
        page.edit(text("start", Some(row), "2027-05-04"));
        page.edit(text("end", Some(row), "2027-05-01"));
        // The missing co-op permit date and the backwards term, each beside its field.
        let errors = page.errors();
        assert_eq!(
            render::error_for(&errors, "work_terms[0].end").as_deref(),
            Some("the work term ends (2027-05-01) before it starts (2027-05-04)")
        );
        assert!(render::error_for(&errors, "coop_work_permit.expires").is_some());
        assert_eq!(page.answer(), answer::INCOMPLETE);
        let (id, html) = page.draw(Redraw::WorkTerms).unwrap();
        assert_eq!(id, render::WORK_TERMS);
        assert!(html.contains("aria-label=\"Work term 1\""));
        assert!(html.contains("id=\"f-work_terms-0-end-error\""));
        assert!(html.contains("aria-describedby=\"f-work_terms-0-end-error\""));
        assert_eq!(page.edit(Edit::RemoveWorkTerm(row)), Redraw::WorkTerms);
        assert!(page.form.work_terms.is_empty());
    }

    #[test]
    fn the_answer_cites_its_rules_and_leaves_the_countdown_to_the_clock() {
        let mut page = Page::new(SelfCheckForm::default());
        page.now = Some(at("2026-12-15T20:00:00Z"));
        page.edit(text("study_permit_expires", None, "2027-01-31"));
        let answer = page.answer();
        assert!(
            answer.contains("data-regime=\"study_permit_placement\""),
            "{answer}"
        );
        assert!(answer.contains("(J).</h3>"));
        assert!(
            answer.contains("data-deadline=\"2027-02-01T00:00:00Z\""),
            "{answer}"
        );
        assert!(
            answer.contains(
                "role=\"timer\" aria-label=\"Time left before the deadline\" data-deadline"
            )
        );
        // Rendered again a second later: the same markup, so nothing is redrawn or announced.
        page.now = Some(at("2026-12-15T20:00:01Z"));
        assert_eq!(page.answer(), answer);
    }

    #[test]
    fn a_zone_without_rules_here_is_fetched_once_and_said_so() {
        let mut page = Page::new(SelfCheckForm {
            zone: "asia/tokyo".to_owned(),
            ..SelfCheckForm::default()
        });
        page.now = Some(at("2026-12-15T20:00:00Z"));
        if coop_core::time::zone_available("Asia/Tokyo") {
            // Native builds with coop-core's `tzdb` have every zone; the browser build is
            // covered end to end.
            assert_eq!(page.zone_to_fetch(), None);
            return;
        }
        assert_eq!(page.zone_to_fetch(), Some("Asia/Tokyo"));
        assert_eq!(page.zone_to_fetch(), None, "already under way");
        assert!(
            page.answer()
                .contains("Loading the time-zone rules of Asia/Tokyo")
        );
        let errors = page.errors();
        assert!(
            render::error_for(&errors, "zone")
                .unwrap()
                .contains("Loading")
        );
        page.zone_rules = ZoneRules::Failed("Asia/Tokyo");
        assert!(page.answer().contains("could not be loaded"));
        // Typed again (back online, say): fetched again.
        assert_eq!(page.zone_to_fetch(), Some("Asia/Tokyo"));
        page.edit(text("zone", None, "UTC"));
        assert_eq!(page.zone_to_fetch(), None);
        assert_eq!(page.zone_rules, ZoneRules::Ready);
    }

    #[test]
    fn the_chosen_program_brings_its_facts_from_the_catalogue() {
        let catalogue = crate::catalogue::parse(
            r#"{"items":[{"code":"BBA","name":"Bachelor <Co-op>","credential":true,"months":48,"work_months":12,"placement_required":true,"language_or_preparatory":false}]}"#,
        )
        .unwrap();
        let mut page = Page::new(SelfCheckForm::default());
        page.chosen = "BBA".to_owned();
        page.take_catalogue(catalogue);
        assert_eq!(page.form.program.map(|p| p.months), Some(48));
        let (_, picker) = page.draw(Redraw::ProgramPicker).unwrap();
        assert!(picker.contains("<option value=\"BBA\" selected>Bachelor &lt;Co-op&gt;</option>"));
        page.edit(text("program", None, ""));
        assert_eq!(page.form.program, None);
        assert!(
            page.draw(Redraw::ProgramPicker)
                .unwrap()
                .1
                .contains("<option value=\"\" selected>")
        );
    }
}
