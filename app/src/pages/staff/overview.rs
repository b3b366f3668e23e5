//! The staff overview: how many letter requests and documents wait, and how many students are
//! in each state that needs the office's attention — each count a link to that list.

use leptos::prelude::*;

use crate::api::overview::staff_counts;
use crate::components::forms::alert;

/// The overview.
#[component]
pub fn Overview() -> impl IntoView {
    let counts = LocalResource::new(staff_counts);
    view! {
        <h2>"Overview"</h2>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(c) => view! {
                        <ul class="counts">
                            <li><a href="/home?view=letters"><span class="count" data-count="letters">{c.letters_waiting}</span>" letter requests waiting (L)"</a></li>
                            <li><a href="/home?view=documents"><span class="count" data-count="documents">{c.documents_waiting}</span>" documents to verify (S8)"</a></li>
                        </ul>
                        <h3>"Students"</h3>
                        <ul class="counts">
                            {c.students.into_iter().map(|line| view! {
                                <li><a href=line.link><span class="count">{line.count}</span>" "{line.label}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => alert(&e),
                }
            })}
        </Transition>
    }
}
