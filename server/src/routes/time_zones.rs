//! `GET /tz/{release}/{name}`: one zone's TZif data (RFC 8536) from the bundled release, for the
//! browser build of coop-core, which carries only Vancouver and UTC and registers a student's
//! other zone from here. The release is in the path, so an answer never changes: cached for a year.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use coop_core::time;

use crate::error::ApiError;

pub async fn tzif(Path((release, name)): Path<(String, String)>) -> Result<Response, ApiError> {
    if release != time::tzdb_version() {
        return Err(ApiError::NotFound(format!(
            "This server has time-zone release {}, not {release}.",
            time::tzdb_version()
        )));
    }
    let (_, data) = time::tzif_data(&name).ok_or_else(|| {
        ApiError::NotFound(format!(
            "{name:?} is not an IANA time zone of release {release}."
        ))
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/tzif"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        data,
    )
        .into_response())
}
