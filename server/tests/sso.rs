//! Single sign-on against a real OpenID provider (issue 18): the npm package `oidc-provider`
//! (OpenID Certified), started here with its development login form (`end2end/oidc/provider.mjs`),
//! and the `coop-permits` binary serving with `--oidc-issuer`. Every step is plain HTTP as a
//! browser makes it: the app's redirect, the provider's login form, the callback. A registered
//! staff member and a student (by e-mail, and by the student-number claim) get a session and
//! `/api/v1/me` names them; an unregistered person, an e-mail the provider does not vouch for, a
//! replayed callback, a forged or missing state and a callback in another browser get none.
//! Signing out names the provider's end-session endpoint. The pages are tested in Chromium
//! (`end2end/tests/sso.spec.ts`). Needs Node.js and `end2end`'s npm
//! packages (`scripts/setup-e2e.sh`, run by `scripts/test.sh`).
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap};
use reqwest::{StatusCode, Url};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_coop-permits");
const CLIENT_SECRET: &str = "coop-permits-test-secret";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn end2end() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end")
}

/// The provider, for the app at `app_url`.
fn start_provider(port: u16, app_url: &str) -> Running {
    assert!(
        end2end().join("node_modules/oidc-provider").is_dir(),
        "the OpenID provider's npm package is missing: run `bash scripts/setup-e2e.sh`"
    );
    let child = Command::new("node")
        .arg(end2end().join("oidc/provider.mjs"))
        .env("OIDC_PORT", port.to_string())
        .env("APP_URL", app_url)
        .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
        // Its start-up warnings (development keys, in-memory store) are what a test provider is.
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs (Node.js is installed by scripts/setup-e2e.sh)");
    Running(child)
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{args:?}: {text}");
    text
}

/// The password `user add` printed.
fn printed_password(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .unwrap()
        .to_owned()
}

fn start_app(dir: &Path, port: u16, issuer: &str, extra: &[&str]) -> Running {
    let child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--oidc-issuer",
            issuer,
            "--oidc-client-id",
            "coop-permits",
            "--oidc-client-secret",
            CLIENT_SECRET,
            "--oidc-name",
            "Example Polytechnic account",
            "--oidc-student-number-claim",
            "student_number",
        ])
        .args(extra)
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Running(child)
}

/// Waits until `url` answers 200.
async fn wait_for(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let http = reqwest::Client::new();
    while Instant::now() < deadline {
        if let Ok(r) = http.get(url).send().await
            && r.status() == StatusCode::OK
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

/// A browser as far as sign-on goes: it keeps each host's cookies and follows no redirect by
/// itself, so each step can be looked at.
struct Browser {
    http: reqwest::Client,
    cookies: BTreeMap<String, BTreeMap<String, String>>,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    url: Url,
}

impl Answer {
    fn location(&self) -> Url {
        let to = self.headers[header::LOCATION].to_str().unwrap();
        self.url.join(to).unwrap()
    }

    fn sets(&self, name: &str) -> bool {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with(&format!("{name}=")) && !c.starts_with(&format!("{name}=;")))
    }
}

impl Browser {
    fn new() -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    fn host(url: &Url) -> String {
        format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(80))
    }

    fn cookie(&self, url: &Url, name: &str) -> Option<String> {
        self.cookies.get(&Self::host(url))?.get(name).cloned()
    }

    fn set_cookie(&mut self, url: &Url, name: &str, value: &str) {
        self.cookies
            .entry(Self::host(url))
            .or_default()
            .insert(name.to_owned(), value.to_owned());
    }

    async fn send(&mut self, request: reqwest::RequestBuilder, url: Url) -> Answer {
        let jar = self.cookies.entry(Self::host(&url)).or_default();
        let mut request = request;
        if !jar.is_empty() {
            let header: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, header.join("; "));
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let gone = value.is_empty()
                || attributes.to_ascii_lowercase().contains("max-age=0")
                || attributes.contains("1970");
            if gone {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.to_owned());
            }
        }
        let body = response.text().await.unwrap_or_default();
        Answer {
            status,
            headers,
            body,
            url,
        }
    }

    async fn get(&mut self, url: &Url) -> Answer {
        let request = self.http.get(url.clone());
        self.send(request, url.clone()).await
    }

    async fn post_form(&mut self, url: &Url, form: &[(&str, &str)]) -> Answer {
        let request = self.http.post(url.clone()).form(form);
        self.send(request, url.clone()).await
    }

    /// From "Sign in with …" to the provider's redirect back to the app's callback, signing in
    /// on the provider's form as `login`; the callback URL, not yet visited.
    async fn sign_on_at_provider(&mut self, app: &Url, login: &str) -> Url {
        let start = self.get(&app.join("/auth/oidc/login").unwrap()).await;
        assert_eq!(start.status, StatusCode::FOUND, "{}", start.body);
        let authorize = start.location();
        let query: BTreeMap<String, String> = authorize.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["code_challenge_method"], "S256", "PKCE");
        assert!(query.contains_key("state") && query.contains_key("nonce"));
        let mut at = self.get(&authorize).await;
        // The provider: to its login form (or straight back when its session is still open).
        while at.status.is_redirection() && Self::host(&at.location()) == Self::host(&authorize) {
            let next = at.location();
            at = self.get(&next).await;
        }
        if at.status == StatusCode::OK {
            assert!(at.body.contains("name=\"login\""), "{}", at.body);
            let action = at.body.split("action=\"").nth(1).unwrap();
            let form = at.url.join(action.split('"').next().unwrap()).unwrap();
            at = self
                .post_form(
                    &form,
                    &[("prompt", "login"), ("login", login), ("password", "any")],
                )
                .await;
            while at.status.is_redirection() && Self::host(&at.location()) == Self::host(&authorize)
            {
                let next = at.location();
                at = self.get(&next).await;
            }
        }
        assert!(at.status.is_redirection(), "{} {}", at.status, at.body);
        let callback = at.location();
        assert_eq!(callback.path(), "/auth/oidc/callback", "{callback}");
        callback
    }

    async fn me(&mut self, app: &Url) -> (StatusCode, Value) {
        let answer = self.get(&app.join("/api/v1/me").unwrap()).await;
        (
            answer.status,
            serde_json::from_str(&answer.body).unwrap_or(Value::Null),
        )
    }
}

fn with_state(callback: &Url, state: Option<&str>) -> Url {
    let mut changed = callback.clone();
    let pairs: Vec<(String, String)> = callback
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != "state")
        .collect();
    {
        let mut query = changed.query_pairs_mut();
        query.clear();
        for (k, v) in &pairs {
            query.append_pair(k, v);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    changed
}

#[tokio::test(flavor = "multi_thread")]
async fn single_sign_on_against_a_real_openid_provider() {
    let dir = std::env::temp_dir().join(format!("coop-sso-{}", uuid::Uuid::new_v4()));
    let dir = dir.as_path();
    let (app_port, provider_port) = (free_port(), free_port());
    let app_url = format!("http://127.0.0.1:{app_port}");
    let issuer = format!("http://127.0.0.1:{provider_port}");
    run(dir, &["migrate"]);
    run(
        dir,
        &[
            "user",
            "add",
            "--email",
            "staff@coop.example",
            "--role",
            "staff",
            "--name",
            "Sam Staff",
        ],
    );
    run(
        dir,
        &[
            "user",
            "add",
            "--email",
            "amara@students.coop.example",
            "--role",
            "student",
            "--name",
            "Amara Obi",
            "--student-number",
            "300000123",
        ],
    );
    run(
        dir,
        &[
            "user",
            "add",
            "--email",
            "bao@students.coop.example",
            "--role",
            "student",
            "--name",
            "Bao Tran",
            "--student-number",
            "300000456",
        ],
    );
    let _provider = start_provider(provider_port, &app_url);
    wait_for(&format!("{issuer}/.well-known/openid-configuration")).await;
    let _app = start_app(dir, app_port, &issuer, &[]);
    wait_for(&format!("{app_url}/healthz")).await;
    let app = Url::parse(&app_url).unwrap();

    // A registered staff member: a session, and /api/v1/me names them.
    let mut staff = Browser::new();
    let callback = staff.sign_on_at_provider(&app, "staff@coop.example").await;
    let sso_cookie = staff
        .cookie(&app, "coop_sso")
        .expect("the sign-on is tied to this browser");
    let landed = staff.get(&callback).await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER);
    assert_eq!(landed.location().path(), "/home");
    assert!(landed.sets("coop_session"));
    let (status, me) = staff.me(&app).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["email"], "staff@coop.example");
    assert_eq!(me["user"]["role"], "staff");

    // The same callback replayed (even with the browser's cookie captured): nobody signed in.
    let mut replay = Browser::new();
    replay.set_cookie(&app, "coop_sso", &sso_cookie);
    let again = replay.get(&callback).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.location().as_str(),
        format!("{app_url}/sign-in?sso=expired")
    );
    assert!(!again.sets("coop_session"));
    assert_eq!(replay.me(&app).await.0, StatusCode::UNAUTHORIZED);

    // A student by e-mail.
    let mut amara = Browser::new();
    let callback = amara
        .sign_on_at_provider(&app, "amara@students.coop.example")
        .await;
    // A forged state, and none at all: refused, and the real callback still works after.
    let forged = amara
        .get(&with_state(&callback, Some("forged-state")))
        .await;
    assert_eq!(
        forged.location().as_str(),
        format!("{app_url}/sign-in?sso=expired")
    );
    assert!(!forged.sets("coop_session"));
    assert_eq!(amara.me(&app).await.0, StatusCode::UNAUTHORIZED);
    // (The refused callback cleared this browser's sign-on cookie: put it back, as the real
    // browser would still hold it had the forgery come from elsewhere.)
    let state: String = callback
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    amara.set_cookie(&app, "coop_sso", &state);
    let missing = amara.get(&with_state(&callback, None)).await;
    assert_eq!(
        missing.location().as_str(),
        format!("{app_url}/sign-in?sso=expired")
    );
    amara.set_cookie(&app, "coop_sso", &state);
    // The callback reaching another browser (someone's sign-on pushed on a victim): refused.
    let mut victim = Browser::new();
    let pushed = victim.get(&callback).await;
    assert_eq!(
        pushed.location().as_str(),
        format!("{app_url}/sign-in?sso=expired")
    );
    assert_eq!(victim.me(&app).await.0, StatusCode::UNAUTHORIZED);
    let landed = amara.get(&callback).await;
    assert_eq!(landed.location().path(), "/home");
    let (status, me) = amara.me(&app).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["role"], "student");
    assert_eq!(me["student"]["student_number"], "300000123");

    // A student by the student-number claim, the provider releasing no e-mail.
    let mut bao = Browser::new();
    let callback = bao.sign_on_at_provider(&app, "number:300000456").await;
    assert_eq!(bao.get(&callback).await.location().path(), "/home");
    let (_, me) = bao.me(&app).await;
    assert_eq!(me["user"]["email"], "bao@students.coop.example", "{me}");

    // A person the office has not registered, and an address the provider does not vouch for.
    for login in [
        "nobody@coop.example",
        "unverified:staff@coop.example",
        "number:399999999",
    ] {
        let mut stranger = Browser::new();
        let callback = stranger.sign_on_at_provider(&app, login).await;
        let refused = stranger.get(&callback).await;
        assert_eq!(
            refused.location().as_str(),
            format!("{app_url}/sign-in?sso=unregistered"),
            "{login}"
        );
        assert!(!refused.sets("coop_session"), "{login}");
        assert_eq!(
            stranger.me(&app).await.0,
            StatusCode::UNAUTHORIZED,
            "{login}"
        );
    }
    // Signing out ends the session here and names the provider's end-session endpoint.
    let out = staff
        .send(
            staff
                .http
                .post(app.join("/api/app/sign_out").unwrap())
                .header(header::ORIGIN, &app_url)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json"),
            app.join("/api/app/sign_out").unwrap(),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    let provider_url: String = serde_json::from_str(&out.body).unwrap();
    let provider_url = Url::parse(&provider_url).unwrap();
    assert_eq!(provider_url.host_str(), Some("127.0.0.1"));
    assert_eq!(provider_url.port(), Some(provider_port));
    let query: BTreeMap<String, String> = provider_url.query_pairs().into_owned().collect();
    assert!(query.contains_key("id_token_hint"), "{provider_url}");
    assert_eq!(query["post_logout_redirect_uri"], format!("{app_url}/"));
    assert_eq!(staff.me(&app).await.0, StatusCode::UNAUTHORIZED);
    let logout = staff.get(&provider_url).await;
    assert_eq!(
        logout.status,
        StatusCode::OK,
        "the provider asks to confirm"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_password_sign_in_off_only_single_sign_on_opens_a_session() {
    let dir = std::env::temp_dir().join(format!("coop-sso-only-{}", uuid::Uuid::new_v4()));
    let dir = dir.as_path();
    let (app_port, provider_port) = (free_port(), free_port());
    let app_url = format!("http://127.0.0.1:{app_port}");
    let issuer = format!("http://127.0.0.1:{provider_port}");
    let added = run(
        dir,
        &[
            "user",
            "add",
            "--email",
            "staff@coop.example",
            "--role",
            "staff",
        ],
    );
    let password = printed_password(&added);
    let _provider = start_provider(provider_port, &app_url);
    wait_for(&format!("{issuer}/.well-known/openid-configuration")).await;
    let _app = start_app(dir, app_port, &issuer, &["--password-sign-in", "off"]);
    wait_for(&format!("{app_url}/healthz")).await;
    let app = Url::parse(&app_url).unwrap();

    let mut browser = Browser::new();
    let refused = browser
        .send(
            browser
                .http
                .post(app.join("/api/v1/session").unwrap())
                .header(header::ORIGIN, &app_url)
                .json(&serde_json::json!({ "email": "staff@coop.example", "password": password })),
            app.join("/api/v1/session").unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("password_sign_in_off"),
        "{}",
        refused.body
    );

    let callback = browser
        .sign_on_at_provider(&app, "staff@coop.example")
        .await;
    assert_eq!(browser.get(&callback).await.location().path(), "/home");
    let (status, me) = browser.me(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["email"], "staff@coop.example");

    // The sign-in is in the history, marked as single sign-on.
    let audit = browser
        .get(&app.join("/api/v1/audit?action=session").unwrap())
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
    assert!(audit.body.contains("\"sso\""), "{}", audit.body);
    let _ = std::fs::remove_dir_all(dir);
}
