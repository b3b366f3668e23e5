//! The public self-check at `/`: the student describes their situation and `coop-core`,
//! compiled to WebAssembly, answers in the browser as they type — offline too.
//!
//! The page itself is `coop-self-check`, which has no web framework: a first visit to `/` loads
//! only its small bundle (the server's shell, `crate::shell`). Here the app shows the same page
//! when its router comes to `/` from another page, by mounting the same code on the same markup.

use leptos::prelude::*;

/// The self-check page.
#[component]
pub fn SelfCheckPage() -> impl IntoView {
    crate::components::title::set_title(crate::components::title::SELF_CHECK);
    let region = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(element) = region.get() {
            let mounted = coop_self_check::browser::mount_on(element.into());
            let mounted = send_wrapper::SendWrapper::new(mounted);
            on_cleanup(move || drop(mounted));
        }
    });
    view! {
        <h1>"May I work in my co-op placement?"</h1>
        <p class="lead">
            "Describe your situation; the answer below updates as you type, with the rule behind each sentence. "
            "Nothing leaves this device: the rules run in your browser, and your answers are kept only here."
        </p>
        <p class="jump"><a href="#answer-title">"Jump to your answer"</a></p>
        <div class="self-check" id=coop_self_check::render::ROOT_ID node_ref=region
            inner_html=coop_self_check::page::Page::server_region()></div>
    }
}
