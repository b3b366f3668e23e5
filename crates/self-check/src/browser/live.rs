//! The page in a browser: the form restored from this device, every edit applied to the
//! [`Page`] and the changed parts drawn again, errors patched beside their fields (so focus and
//! typing are never disturbed), the answer redrawn only when its markup changes, and the
//! countdown ticked once a second.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::catalogue;
use crate::countdown::remaining;
use crate::form::{self, SelfCheckForm};
use crate::page::{Edit, Page, Redraw};
use crate::render;
use crate::zone_rules::{self, ZoneRules};

#[derive(Debug)]
struct Live {
    root: Element,
    page: RefCell<Page>,
    /// The answer's markup as last drawn: a live region is redrawn (and announced) only when
    /// what it says changes.
    answer: RefCell<String>,
}

type Listener = Closure<dyn FnMut(Event)>;

/// The page, live. Dropping it stops its clock and its listeners (the app does so when its
/// router leaves `/`); `/`'s own bundle keeps it for the life of the document.
pub struct Mounted {
    live: Rc<Live>,
    listeners: Vec<(&'static str, Listener)>,
    tick: Option<(i32, Closure<dyn FnMut()>)>,
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mounted")
            .field("live", &self.live)
            .finish_non_exhaustive()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        for (kind, listener) in &self.listeners {
            let _ = self
                .live
                .root
                .remove_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        }
        if let (Some(window), Some((id, _))) = (web_sys::window(), &self.tick) {
            window.clear_interval_with_handle(*id);
        }
    }
}

impl Mounted {
    fn listen(&mut self, kind: &'static str, listener: impl FnMut(Event) + 'static) {
        let listener = Listener::new(listener);
        let _ = self
            .live
            .root
            .add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        self.listeners.push((kind, listener));
    }
}

/// The page in the element the server rendered it into ([`render::ROOT_ID`]).
pub fn mount() -> Option<Mounted> {
    let root = web_sys::window()?
        .document()?
        .get_element_by_id(render::ROOT_ID)?;
    mount_on(root)
}

/// The page in `root`, drawn afresh with what this device kept.
pub fn mount_on(root: Element) -> Option<Mounted> {
    let form = super::load(form::STORAGE_KEY)
        .and_then(|text| SelfCheckForm::from_saved(&text))
        .unwrap_or_else(|| {
            // A first visit: the browser's own zone, when the rules know it.
            let mut form = SelfCheckForm::default();
            if let Some(zone) = super::zone().and_then(|z| coop_core::time::canonical_zone_name(&z))
            {
                zone.clone_into(&mut form.zone);
            }
            form
        });
    let mut page = Page::new(form);
    page.now = Some(super::now());
    page.chosen = super::load(catalogue::CHOICE_KEY).unwrap_or_default();
    if let Some(kept) = super::load(catalogue::STORAGE_KEY).and_then(|t| catalogue::parse(&t)) {
        page.take_catalogue(kept);
    }
    let first_fetch = page.zone_to_fetch();
    root.set_inner_html(&page.region());
    let answer = page.answer();
    let live = Rc::new(Live {
        root,
        page: RefCell::new(page),
        answer: RefCell::new(answer),
    });
    live.tick_countdown();
    if let Some(name) = first_fetch {
        fetch_zone(&live, name);
    }
    load_catalogue(Rc::clone(&live));

    let mut mounted = Mounted {
        live: Rc::clone(&live),
        listeners: Vec::new(),
        tick: None,
    };
    // `input` alone: text fields, dates, checkboxes and selects all fire it, and listening to
    // `change` as well applied every checkbox and select edit twice.
    let edited = Rc::clone(&live);
    mounted.listen("input", move |event| on_edit(&edited, &event));
    let clicked = Rc::clone(&live);
    mounted.listen("click", move |event| on_click(&clicked, &event));
    // Enter in a field would submit (and reload) the page; the answer is already there.
    mounted.listen("submit", |event| event.prevent_default());
    let tick = Closure::<dyn FnMut()>::new(move || live.tick());
    let id = web_sys::window()?
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            1_000,
        )
        .ok()?;
    mounted.tick = Some((id, tick));
    Some(mounted)
}

/// An `input` of a bound control.
fn on_edit(live: &Rc<Live>, event: &Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(bind) = target.get_attribute("data-bind") else {
        return;
    };
    let row = target
        .get_attribute("data-row")
        .and_then(|r| r.parse().ok());
    let edit = if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        if input.type_() == "checkbox" {
            Edit::Flag {
                bind,
                value: input.checked(),
            }
        } else {
            Edit::Text {
                bind,
                row,
                value: input.value(),
            }
        }
    } else if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        Edit::Text {
            bind,
            row,
            value: select.value(),
        }
    } else {
        return;
    };
    apply(live, edit);
}

/// A click on an add or remove button.
fn on_click(live: &Rc<Live>, event: &Event) {
    let Some(button) = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("[data-action]").ok().flatten())
    else {
        return;
    };
    let row = button
        .get_attribute("data-row")
        .and_then(|r| r.parse::<u32>().ok());
    let edit = match (button.get_attribute("data-action").as_deref(), row) {
        (Some("add-application"), _) => Edit::AddApplication,
        (Some("add-work-term"), _) => Edit::AddWorkTerm,
        (Some("remove-application"), Some(row)) => Edit::RemoveApplication(row),
        (Some("remove-work-term"), Some(row)) => Edit::RemoveWorkTerm(row),
        _ => return,
    };
    let adding = matches!(edit, Edit::AddApplication | Edit::AddWorkTerm);
    let part = apply(live, edit);
    live.focus_after(part, adding);
}

/// An edit, then everything it changes: the part whose shape changed, the zone's rules, the
/// errors, the answer, and the copy kept on this device.
fn apply(live: &Rc<Live>, edit: Edit) -> Redraw {
    let program = matches!(&edit, Edit::Text { bind, .. } if bind == "program");
    let (part, drawn) = {
        let mut page = live.page.borrow_mut();
        let part = page.edit(edit);
        if program {
            super::save(catalogue::CHOICE_KEY, &page.chosen);
        }
        (part, page.draw(part))
    };
    if let Some((id, html)) = drawn {
        live.set_html(id, &html);
    }
    zone_rules_for(live);
    live.refresh();
    let saved = live.page.borrow().form.to_saved();
    if let Some(text) = saved {
        super::save(form::STORAGE_KEY, &text);
    }
    part
}

/// Whenever the chosen zone is one whose rules this build lacks, fetch them.
fn zone_rules_for(live: &Rc<Live>) {
    let fetch = live.page.borrow_mut().zone_to_fetch();
    if let Some(name) = fetch {
        fetch_zone(live, name);
    }
}

/// Fetches a zone's rules; a change of zone meanwhile leaves the newer choice in charge.
fn fetch_zone(live: &Rc<Live>, name: &'static str) {
    let live = Rc::clone(live);
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = zone_rules::load(name).await;
        let chosen = coop_core::time::canonical_zone_name(live.page.borrow().form.zone.trim());
        if chosen != Some(name) {
            return;
        }
        let state = match outcome {
            Ok(()) => ZoneRules::Ready,
            Err(why) => {
                super::warn(&format!("time-zone rules of {name}: {why}"));
                ZoneRules::Failed(name)
            }
        };
        live.page.borrow_mut().zone_rules = state;
        live.refresh();
    });
}

/// The catalogue kept from last time is already drawn; the server's replaces it (kept for next
/// time), and the chosen program's facts come from it.
fn load_catalogue(live: Rc<Live>) {
    wasm_bindgen_futures::spawn_local(async move {
        match super::fetch_text(catalogue::PATH).await {
            Ok(text) => {
                let Some(choices) = catalogue::parse(&text) else {
                    return;
                };
                super::save(catalogue::STORAGE_KEY, &text);
                let drawn = {
                    let mut page = live.page.borrow_mut();
                    page.take_catalogue(choices);
                    page.draw(Redraw::ProgramPicker)
                };
                if let Some((id, html)) = drawn {
                    live.set_html(id, &html);
                }
                live.refresh();
            }
            // Offline: the kept catalogue serves.
            Err(why) => super::warn(&format!("programs catalogue: {why}")),
        }
    });
}

impl Live {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).ok().flatten()
    }

    fn set_html(&self, id: &str, html: &str) {
        if let Some(part) = self.find(&format!("#{id}")) {
            part.set_inner_html(html);
        }
    }

    /// The errors beside the fields, then the answer.
    fn refresh(&self) {
        self.patch_errors();
        self.draw_answer();
    }

    /// Each field's `aria-invalid`, its error line and `aria-describedby`, changed in place.
    fn patch_errors(&self) {
        let errors = self.page.borrow().errors();
        let (Ok(fields), Some(document)) = (
            self.root.query_selector_all("[data-path]"),
            self.root.owner_document(),
        ) else {
            return;
        };
        for i in 0..fields.length() {
            let Some(field) = fields.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let Some(path) = field.get_attribute("data-path") else {
                continue;
            };
            let id = field.id();
            let message = render::error_for(&errors, &path);
            let error_id = format!("{id}-error");
            let invalid = if message.is_some() { "true" } else { "false" };
            let _ = field.set_attribute("aria-invalid", invalid);
            match (&message, document.get_element_by_id(&error_id)) {
                (Some(message), Some(line)) => {
                    if line.text_content().as_deref() != Some(message.as_str()) {
                        line.set_text_content(Some(message));
                    }
                }
                (Some(message), None) => {
                    if let (Ok(line), Some(parent)) =
                        (document.create_element("p"), field.parent_element())
                    {
                        line.set_class_name("field-error");
                        line.set_id(&error_id);
                        line.set_text_content(Some(message));
                        let _ = parent.append_child(&line);
                    }
                }
                (None, Some(line)) => line.remove(),
                (None, None) => {}
            }
            let mut described = Vec::new();
            if field.has_attribute("data-hint") {
                described.push(format!("{id}-hint"));
            }
            if message.is_some() {
                described.push(error_id);
            }
            let _ = if described.is_empty() {
                field.remove_attribute("aria-describedby")
            } else {
                field.set_attribute("aria-describedby", &described.join(" "))
            };
        }
    }

    fn draw_answer(&self) {
        let html = self.page.borrow().answer();
        if *self.answer.borrow() != html {
            if let Some(region) = self.find(".live") {
                region.set_inner_html(&html);
            }
            *self.answer.borrow_mut() = html;
        }
        self.tick_countdown();
    }

    fn tick_countdown(&self) {
        let Some(now) = self.page.borrow().now else {
            return;
        };
        let Some(timer) = self.find(".countdown[data-deadline]") else {
            return;
        };
        let Some(deadline) = timer
            .get_attribute("data-deadline")
            .and_then(|d| crate::answer::countdown_deadline(&d))
        else {
            return;
        };
        let text = remaining(deadline, now);
        if timer.text_content().as_deref() != Some(text.as_str()) {
            timer.set_text_content(Some(&text));
        }
    }

    /// Once a second: the answer at the new instant (redrawn only if it now says something
    /// else, e.g. past midnight) and the countdown.
    fn tick(&self) {
        self.page.borrow_mut().now = Some(super::now());
        self.draw_answer();
    }

    /// Keyboard users stay where they were: in the row just added, or on the add button of the
    /// list a row left.
    fn focus_after(&self, part: Redraw, adding: bool) {
        let list = match part {
            Redraw::Applications => render::APPLICATIONS,
            Redraw::WorkTerms => render::WORK_TERMS,
            _ => return,
        };
        let selector = if adding {
            format!("#{list} > .row:last-child [data-bind]")
        } else {
            format!("#{list} + button")
        };
        if let Some(target) = self
            .find(&selector)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = target.focus();
        }
    }
}
