//! Typed configuration: flags with `COOP_*` environment fallbacks, read once at start; a bad
//! value stops the program with a message that names the setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

/// coop-permits: co-op work authorization for a university co-op office and its students.
#[derive(Debug, Parser)]
#[command(name = "coop-permits", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log lines as human-readable text or as JSON (one object per line).
    #[arg(long, env = "COOP_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (migrating the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate(DatabaseArgs),
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Folder for the SQLite database and uploaded files; created when missing.
    #[arg(long, env = "COOP_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH, or postgres://USER:PASSWORD@HOST/DB to share one database
    /// between several server instances. Default: sqlite://<data-dir>/coop-permits.db.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    /// The URL to open.
    pub fn url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.data_dir.join("coop-permits.db").display()
            ),
        }
    }
}

/// `serve`'s settings.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The database.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "COOP_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// The URL people reach the app at (e.g. https://coop.example.ca); cookies are Secure when
    /// it is https. Default: http://<listen>.
    #[arg(long, env = "COOP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The site folder built by cargo-leptos (pages' JavaScript, WebAssembly, CSS, icons).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The flag and variable.
    pub setting: &'static str,
    /// What is wrong.
    pub problem: String,
}

impl ServeArgs {
    /// The public URL, checked.
    pub fn public_url(&self) -> Result<String, ConfigError> {
        let url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen));
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| ConfigError {
                setting: "--public-url / COOP_PUBLIC_URL",
                problem: format!("{url:?} must start with http:// or https://"),
            })?;
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(ConfigError {
                setting: "--public-url / COOP_PUBLIC_URL",
                problem: format!("{url:?} has no host"),
            });
        }
        Ok(url.trim_end_matches('/').to_owned())
    }
}

/// Whether a site folder holds a built app (its `pkg/` with the wasm).
pub fn site_is_built(site_root: &Path) -> bool {
    site_root.join("pkg").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> ServeArgs {
        let cli = Cli::try_parse_from(["coop-permits", "serve"].iter().chain(args)).unwrap();
        match cli.command {
            Command::Serve(args) => args,
            Command::Migrate(_) => panic!("serve expected"),
        }
    }

    #[test]
    fn defaults() {
        let args = serve(&[]);
        assert_eq!(args.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(args.database.url(), "sqlite://./data/coop-permits.db");
        assert_eq!(args.public_url().unwrap(), "http://127.0.0.1:3000");
    }

    #[test]
    fn bad_values_name_their_setting() {
        assert!(Cli::try_parse_from(["coop-permits", "serve", "--listen", "nowhere"]).is_err());
        let err = serve(&["--public-url", "coop.example.ca"])
            .public_url()
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--public-url / COOP_PUBLIC_URL")
        );
        assert_eq!(
            serve(&["--public-url", "https://coop.example.ca/"])
                .public_url()
                .unwrap(),
            "https://coop.example.ca"
        );
    }
}
