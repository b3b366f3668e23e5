//! A router of its own for a test, on a new SQLite database (the tests that need no seeded world).

/// A router on a new SQLite database in a temporary folder, with these session settings.
pub async fn router_with(
    auth: coop_store::settings::AuthSettings,
) -> (axum::Router, coop_store::Store, std::path::PathBuf) {
    router_with_mail(auth, Default::default()).await
}

/// [`router_with`], sending the office's e-mail through `mail`.
pub async fn router_with_mail(
    auth: coop_store::settings::AuthSettings,
    mail: coop_store::settings::OfficeMail,
) -> (axum::Router, coop_store::Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("coop-server-{}", uuid::Uuid::new_v4()));
    let store = coop_store::Store::open_and_migrate(&format!("sqlite://{}/coop.db", dir.display()))
        .await
        .expect("open SQLite");
    let leptos = leptos::config::LeptosOptions::builder()
        .output_name("coop-permits")
        .site_root(dir.display().to_string())
        .build();
    let state = coop_server::AppState::new(coop_server::state::Shared {
        store: store.clone(),
        auth,
        leptos,
        privacy: Default::default(),
        institution: Some(crate::support::institution()),
        vault: coop_store::vault::Vault::new(
            dir.join("files"),
            &coop_store::vault::FileKey::generate().expect("a key"),
        ),
        mail,
        service_worker: None,
        sso: None,
    });
    (coop_server::routes::router(state), store, dir)
}
