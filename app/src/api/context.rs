//! What a server function's body reads from the request and the running server: who is asking,
//! from where, the store and the server's settings.

use axum::Extension;
use coop_store::Store;
use coop_store::service::access::Principal;
use coop_store::service::client_limit::ClientAddr;
use leptos::prelude::use_context;

use super::AppError;

/// A value the server provided to server functions (the store, a setting).
pub fn provided<T: Clone + Send + Sync + 'static>() -> Result<T, AppError> {
    use_context::<T>().ok_or_else(|| {
        tracing::error!(
            setting = std::any::type_name::<T>(),
            "a server function's setting is not provided"
        );
        AppError::new("internal", "Something went wrong on our side.")
    })
}

/// The store.
pub fn store() -> Result<Store, AppError> {
    provided::<Store>()
}

/// Who sent the request (the server's authentication layer put it there).
pub async fn principal() -> Principal {
    leptos_axum::extract::<Extension<Principal>>()
        .await
        .map_or(Principal::Anonymous, |Extension(p)| p)
}

/// Where the request came from, as the server's edge recorded it.
pub async fn client_addr() -> ClientAddr {
    leptos_axum::extract::<Extension<ClientAddr>>()
        .await
        .map_or(ClientAddr(None), |Extension(c)| c)
}

/// The response this server function answers with (for its cookies).
pub fn response() -> Result<leptos_axum::ResponseOptions, AppError> {
    provided::<leptos_axum::ResponseOptions>()
}
