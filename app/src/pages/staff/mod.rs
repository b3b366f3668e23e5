//! The co-op office's side of `/home` (loaded on demand with it): the counts that open filtered
//! lists, the letter requests and documents to decide, the student search, a student's whole
//! file, the programs catalogue, CSV import and export, and the history of every change. Which of these shows is in the
//! address (`/home?view=students&job_access=not_cleared`, `/home?student=42`), so every list
//! and every student has a link that can be shared and reloaded.

mod history;
mod import;
mod letters;
mod overview;
mod programs;
mod review;
mod student;
mod students;
mod tokens;
mod users;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The staff home: a menu of views, the view the address names.
#[component]
pub fn StaffHome(
    /// An admin also manages users and API tokens.
    admin: bool,
) -> impl IntoView {
    let query = use_query_map();
    let view_name = move || query.with(|q| q.get("view").unwrap_or_default());
    let student = move || query.with(|q| q.get("student").and_then(|s| s.parse::<i64>().ok()));
    let link = |view: &'static str, label: &'static str| {
        view! {
            <li><a href=format!("/home?view={view}")
                aria-current=move || (view_name() == view || (view == "overview" && view_name().is_empty() && student().is_none())).then_some("page")>
                {label}</a></li>
        }
    };
    // The view's title; a student's file sets its own once it has the name.
    Effect::new(move |_| {
        if student().is_none() {
            crate::components::title::set_whole(&crate::components::title::office(
                crate::components::title::office_view(&view_name()),
            ));
        }
    });
    view! {
        <h1>"Co-op office"</h1>
        <nav class="staff-nav" aria-label="Co-op office">
            <ul>
                {link("overview", "Overview")}
                {link("letters", "Letter requests")}
                {link("documents", "Documents to verify")}
                {link("students", "Students")}
                {link("programs", "Programs")}
                {link("import", "Import")}
                {link("history", "History")}
                {admin.then(|| view! { {link("users", "Users")} {link("tokens", "API tokens")} })}
            </ul>
        </nav>
        {move || match (student(), view_name().as_str()) {
            (Some(id), _) => view! { <student::StudentPage id/> }.into_any(),
            (None, "letters") => view! { <letters::LetterQueue/> }.into_any(),
            (None, "documents") => view! { <review::ReviewQueue/> }.into_any(),
            (None, "students") => view! { <students::StudentList/> }.into_any(),
            (None, "programs") => view! { <programs::Programs/> }.into_any(),
            (None, "import") => view! { <import::ImportPanel/> }.into_any(),
            (None, "history") => view! { <history::History/> }.into_any(),
            (None, "users") if admin => view! { <users::Users/> }.into_any(),
            (None, "tokens") if admin => view! { <tokens::Tokens/> }.into_any(),
            _ => view! { <overview::Overview/> }.into_any(),
        }}
    }
}
