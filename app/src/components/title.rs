//! Every page's own title (WCAG 2.4.2): "Sign in · coop-permits", the office's views
//! "Students · Co-op office · coop-permits". The server writes it into the page it renders (the
//! shell, from the address); in the browser each page sets it when it opens, so moving between
//! pages keeps it right — and a lazily loaded page carries its own title in its own chunk.

/// The site's name, last in every title.
pub const SITE: &str = "coop-permits";

/// The self-check's title.
pub const SELF_CHECK: &str = "Co-op work authorization self-check";

/// The office's part of a title.
pub const OFFICE: &str = "Co-op office";

/// A page's whole title.
pub fn full(page: &str) -> String {
    format!("{page} · {SITE}")
}

/// An office view's whole title.
pub fn office(view: &str) -> String {
    full(&format!("{view} · {OFFICE}"))
}

/// The office view a `view=` names, in words.
pub fn office_view(view: &str) -> &'static str {
    match view {
        "letters" => "Letter requests",
        "documents" => "Documents to verify",
        "students" => "Students",
        "programs" => "Programs",
        "import" => "Import",
        "history" => "History",
        "users" => "Users",
        "tokens" => "API tokens",
        _ => "Overview",
    }
}

/// The title of the page at `path` (with its query), as the server renders it before any script
/// runs; `staff` says whose home `/home` is.
#[cfg(feature = "ssr")]
pub fn for_address(path: &str, query: &str, staff: bool) -> String {
    let param = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    };
    match path {
        "/" => full(SELF_CHECK),
        "/sign-in" => full("Sign in"),
        "/account" => full("Your account"),
        "/record" => full("My record"),
        "/forgot-password" => full("Forgot your password?"),
        "/reset-password" | "/set-password" => full("Set your password"),
        "/home" if staff => match param("student") {
            Some(_) => office("Student file"),
            None => office(office_view(param("view").as_deref().unwrap_or(""))),
        },
        "/home" => full("Your co-op status"),
        _ => full("Page not found"),
    }
}

/// Sets the browser's title to `page`'s (nothing on the server, whose shell wrote it).
pub fn set_title(page: &str) {
    set_whole(&full(page));
}

/// Sets the browser's title to a whole title.
pub fn set_whole(title: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = title;
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_its_own_title() {
        assert_eq!(
            for_address("/", "", false),
            "Co-op work authorization self-check · coop-permits"
        );
        assert_eq!(
            for_address("/home", "view=students&job_access=not_cleared", true),
            "Students · Co-op office · coop-permits"
        );
        assert_eq!(
            for_address("/home", "", false),
            "Your co-op status · coop-permits"
        );
        assert_eq!(
            for_address("/reset-password", "token=x", false),
            "Set your password · coop-permits"
        );
        assert_eq!(
            for_address("/nowhere", "", false),
            "Page not found · coop-permits"
        );
    }
}
