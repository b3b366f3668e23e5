//! The institution's programs in the self-check: the student picks theirs, and the browser
//! decides W2f with its facts. Neither the catalogue nor this code is in the first load: once
//! the page runs, the picker's code comes as a lazy chunk (`#[lazy]`, wasm-split) and the
//! catalogue from `GET /api/v1/programs`, kept in local storage so the choice works offline
//! from then on; the chosen program's facts are kept with the form.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;
#[cfg(any(feature = "hydrate", test))]
use serde_json::Value;

#[cfg(feature = "hydrate")]
use super::form::SelfCheckForm;
#[cfg(any(feature = "hydrate", test))]
use coop_core::case::Program;

/// The local-storage keys of the last catalogue fetched and of the student's choice.
#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "coop-permits.programs.v1";
#[cfg(feature = "hydrate")]
const CHOICE_KEY: &str = "coop-permits.program-choice.v1";

/// A program the student may pick.
#[cfg(any(feature = "hydrate", test))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub name: String,
    pub facts: Program,
}

/// Reads the catalogue's answer (`{"items":[…]}`) by hand, as the saved form is read, so no
/// derived deserializer joins the first load; an entry missing a fact is left out.
#[cfg(any(feature = "hydrate", test))]
pub fn parse(text: &str) -> Option<Vec<Choice>> {
    let answer: Value = serde_json::from_str(text).ok()?;
    let items = answer.get("items")?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|item| {
                Some(Choice {
                    code: item.get("code")?.as_str()?.to_owned(),
                    name: item.get("name")?.as_str()?.to_owned(),
                    facts: facts(item)?,
                })
            })
            .collect(),
    )
}

/// W2f's facts of a catalogue entry (check-format.md's `program` object); `None` when one is
/// missing.
#[cfg(any(feature = "hydrate", test))]
fn facts(item: &Value) -> Option<Program> {
    let flag = |key: &str| item.get(key).and_then(Value::as_bool);
    let months = |key: &str| {
        item.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    Some(Program {
        credential: flag("credential")?,
        months: months("months")?,
        work_months: months("work_months")?,
        placement_required: flag("placement_required")?,
        language_or_preparatory: flag("language_or_preparatory")?,
    })
}

/// The id of the element the picker is mounted into (the server renders it empty, so
/// hydration matches).
pub const PLACE: &str = "program-picker";

/// The picker, in a chunk of its own, mounted into [`PLACE`] once the page runs: the kept
/// catalogue at once, the server's when it comes. It stays mounted for the life of the page's
/// document (a few nodes); it touches the form only through `try_` reads and writes, so leaving
/// the page (which disposes the form) cannot make it fail.
#[cfg(feature = "hydrate")]
#[lazy]
pub fn picker(form: RwSignal<SelfCheckForm>) {
    use wasm_bindgen::JsCast;

    let Some(parent) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(PLACE))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let catalogue = RwSignal::new(Vec::new());
    let chosen = RwSignal::new(crate::components::browser::load(CHOICE_KEY).unwrap_or_default());
    load(form, catalogue, chosen);
    leptos::mount::mount_to(parent, move || {
        view! { <ProgramSelect form catalogue chosen/> }
    })
    .forget();
}

/// The select: "Not listed / I don't know" keeps W2f out of the answer (check-format.md).
#[cfg(feature = "hydrate")]
#[component]
fn ProgramSelect(
    form: RwSignal<SelfCheckForm>,
    catalogue: RwSignal<Vec<Choice>>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    let choose = move |code: String| {
        let facts =
            catalogue.with_untracked(|all| all.iter().find(|c| c.code == code).map(|c| c.facts));
        crate::components::browser::save(CHOICE_KEY, &code);
        chosen.set(code);
        form.try_update(|f| f.program = facts);
    };
    view! {
        <div class="field">
            <label for="program-code">"My program"</label>
            <select id="program-code" aria-describedby="program-code-hint" on:change=move |ev| choose(event_target_value(&ev))>
                <option value="" prop:selected=move || chosen.with(String::is_empty)>"Not listed / I don't know"</option>
                {move || catalogue.with(|all| all.iter().map(|choice| {
                    let code = choice.code.clone();
                    view! { <option value=choice.code.clone() prop:selected=move || chosen.with(|c| *c == code)>{choice.name.clone()}</option> }
                }).collect_view())}
            </select>
            <p class="hint" id="program-code-hint">"From the institution's list. Whether your program qualifies for a placement under your study permit is rule W2f; if yours is not listed, ask the co-op office."</p>
        </div>
    }
}

/// In the browser: the catalogue kept from last time at once, then the server's (kept for
/// next time); the form takes the chosen program's facts from the catalogue in hand.
#[cfg(feature = "hydrate")]
fn load(form: RwSignal<SelfCheckForm>, catalogue: RwSignal<Vec<Choice>>, chosen: RwSignal<String>) {
    use crate::components::browser;

    let take = move |choices: Vec<Choice>| {
        let facts =
            chosen.with_untracked(|code| choices.iter().find(|c| c.code == *code).map(|c| c.facts));
        if form.try_with_untracked(|f| f.program != facts) == Some(true) {
            form.try_update(|f| f.program = facts);
        }
        catalogue.set(choices);
    };
    if let Some(saved) = browser::load(STORAGE_KEY).and_then(|text| parse(&text)) {
        take(saved);
    }
    leptos::task::spawn_local(async move {
        match fetch("/api/v1/programs").await {
            Ok(text) => {
                if let Some(choices) = parse(&text) {
                    browser::save(STORAGE_KEY, &text);
                    take(choices);
                }
            }
            // Offline: the kept catalogue serves.
            Err(why) => leptos::logging::warn!("programs catalogue: {why}"),
        }
    });
}

#[cfg(feature = "hydrate")]
async fn fetch(path: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .and_then(|r| r.dyn_into())
        .map_err(|e| format!("{e:?}"))?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = response.text().map_err(|e| format!("{e:?}"))?;
    JsFuture::from(text)
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .ok_or_else(|| "not text".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_catalogue_and_keeps_only_w2f_facts() {
        let text = r#"{"items":[
            {"code":"BBA","name":"Bachelor","credential":true,"months":48,"work_months":12,"placement_required":true,"language_or_preparatory":false},
            {"code":"BAD","name":"Missing facts","credential":true}
        ]}"#;
        let choices = parse(text).unwrap();
        assert_eq!(choices.len(), 1);
        assert_eq!(choices[0].code, "BBA");
        assert_eq!(
            choices[0].facts,
            Program {
                credential: true,
                months: 48,
                work_months: 12,
                placement_required: true,
                language_or_preparatory: false,
            }
        );
        assert!(parse("not json").is_none());
    }
}
