//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of `/api/v1`, derived from the code.
//! Each handler's `#[utoipa::path]` names its method, path, parameters, bodies and statuses;
//! the bodies' schemas come from coop-api's types; the router is built from the same
//! annotations (`utoipa_axum::routes!`), so a route cannot be served undocumented. The snapshot
//! test below shows every change to the document in review.

use std::marker::PhantomData;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{
    AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{IntoParams, Modify, OpenApi, PartialSchema, ToResponse, ToSchema};

/// What the document says before the routes add their paths.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "coop-permits API",
        version = "1",
        description = "The versioned JSON API of coop-permits (spec/api.md). Errors are JSON {error, message, fields?}; 5xx never answers bad input. State-changing requests with a session cookie must carry a same-origin Origin header.",
        license(name = "MIT OR Apache-2.0"),
    ),
    servers((url = "/")),
    components(
        schemas(coop_api::ErrorBody),
        responses(E400, E401, E403, E404, E409, E413, E415, E422, E429, E503)
    ),
    modifiers(&Security)
)]
pub struct ApiDoc;

/// The two ways to authenticate: the session cookie (browsers) and a bearer token (staff
/// integrations).
#[derive(Debug)]
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            // `__Host-coop_session` when the public URL is https (AuthSettings::cookie_name).
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("coop_session"))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The error answers every endpoint shares, each a `{error, message, fields?}` body.
macro_rules! error_responses {
    ($($name:ident => $description:literal,)+) => {$(
        #[doc = $description]
        #[derive(Debug)]
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (
                    stringify!($name),
                    ResponseBuilder::new()
                        .description($description)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Error")))
                                .build(),
                        )
                        .build()
                        .into(),
                )
            }
        }
    )+};
}

error_responses! {
    E400 => "The request cannot be read (unreadable_body).",
    E401 => "Not signed in.",
    E403 => "Signed in but not allowed, or a cookie request without a same-origin Origin (csrf).",
    E404 => "Not found, or not yours.",
    E409 => "Conflicts with the record's current state.",
    E413 => "The body is too large.",
    E415 => "The body is not the media type this endpoint reads.",
    E422 => "Fails a rule: the fields or reasons say which.",
    E429 => "Too many failed sign-ins.",
    E503 => "A service it needs (database, mail server) is unavailable.",
}

/// The `Idempotency-Key` header of a student's submission.
#[derive(Debug)]
pub struct IdempotencyKey;

impl IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(utoipa::openapi::Required::False)
                .description(Some(
                    "The same key twice finds the first submission instead of adding one.",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .max_length(Some(coop_store::service::idempotency::MAX_KEY_LEN)),
                ))
                .build(),
        ]
    }
}

/// A filter given as text, where an empty value means "no filter": `T`, or the empty string.
#[derive(Debug)]
pub struct Blank<T>(PhantomData<T>);

impl<T: PartialSchema> PartialSchema for Blank<T> {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(T::schema())
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(0)),
            )
            .into()
    }
}

impl<T: PartialSchema> ToSchema for Blank<T> {}

/// An instant as the filters read it: RFC 3339 (or a `YYYY-MM-DD` day).
#[derive(Debug)]
pub struct Instant;

impl PartialSchema for Instant {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into()
    }
}

impl ToSchema for Instant {}

/// A day, `YYYY-MM-DD`.
#[derive(Debug)]
pub struct Day;

impl PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}

impl ToSchema for Day {}

/// Job access, as staff's list filters it (J).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only a schema: the handler reads these as text")]
pub enum JobAccessFilter {
    Cleared,
    NotCleared,
}

/// Whether a student's program is in the catalogue (W2f's facts on file).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only a schema: the handler reads these as text")]
pub enum ProgramFilter {
    OnFile,
    NotOnFile,
}

/// The orders staff's list can be sorted in.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only a schema: the handler reads these as text")]
pub enum SortOrder {
    Name,
    Number,
    Expiry,
}

/// `POST /api/v1/check`'s body: a case of `check-format.md`. The case is read by hand (every
/// error names its field's path), so its schema says what every case must have; the reader
/// answers the rest field by field.
#[derive(Debug)]
pub struct CheckCase;

impl PartialSchema for CheckCase {
    fn schema() -> RefOr<Schema> {
        let boolean = || ObjectBuilder::new().schema_type(Type::Boolean);
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("A case of check-format.md."))
            .property(
                "now",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            )
            .required("now")
            .property(
                "student",
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("coop_program", boolean())
                    .required("coop_program")
                    .property("coop1101", coop_core::case::Coop1101::schema())
                    .required("coop1101")
                    .property("continuance_met", boolean())
                    .required("continuance_met"),
            )
            .required("student")
            .into()
    }
}

impl ToSchema for CheckCase {}

/// `POST /api/v1/me/documents`'s multipart form (S1–S7).
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only a schema: the handler reads these as text")]
pub struct DocumentForm {
    kind: coop_core::validation::DocumentKind,
    number: String,
    uci: String,
    #[schema(format = Date)]
    issued_on: String,
    #[schema(format = Date)]
    expires_on: String,
    /// `true` or `false` (W2c).
    on_campus_work: Option<BoolText>,
    /// The document: PDF, PNG or JPEG, at most 10 MiB (S7).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// A yes or no sent as form text.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only a schema: the handler reads these as text")]
pub enum BoolText {
    True,
    False,
}

/// The derived document as JSON, set by `routes::router` from the routes it serves (derived from
/// the code, so every router of this build has the same one). Not a router extension: that was
/// a clone and an insertion on every API request.
pub static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "get_openapi_json",
    summary = "This document",
    description = "Who: anyone.",
    responses(
        (status = 200, description = "OK", body = Object),
        (status = 401, response = crate::routes::openapi::E401),
    ),
    security(()),
)]
pub async fn document() -> axum::response::Response {
    match DOCUMENT.get() {
        Some(document) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            document.as_str(),
        )
            .into_response(),
        None => crate::error::ApiError::Internal("the API document was not built".to_owned())
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_as_reviewed() {
        let doc: serde_json::Value =
            serde_json::from_str(&crate::routes::api_document_json()).unwrap();
        insta::assert_json_snapshot!("openapi", doc);
    }
}
