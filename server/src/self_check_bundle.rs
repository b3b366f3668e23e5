//! `/`'s own bundle in this build's site (`coop-self-check-web`): `scripts/build-self-check.sh`
//! names its files by a digest of their content and writes the digest to
//! `pkg/coop-self-check.txt`. Without it, `/` loads the whole app (which shows the same page),
//! and the server says so at start-up.

use std::path::Path;

use coop_app::SelfCheckBundle;

/// The file holding the bundle's digest, in the site's pkg folder.
pub const MANIFEST: &str = "coop-self-check.txt";

/// The bundle's paths, when the site has it and both its files are there.
pub fn find(site_root: &Path, pkg_dir: &str) -> Option<SelfCheckBundle> {
    let dir = site_root.join(pkg_dir);
    let digest = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let digest = digest.trim();
    if digest.is_empty() || !digest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let js = format!("coop-self-check.{digest}.js");
    let wasm = format!("coop-self-check.{digest}.wasm");
    (dir.join(&js).is_file() && dir.join(&wasm).is_file()).then(|| SelfCheckBundle {
        js: format!("/{pkg_dir}/{js}"),
        wasm: format!("/{pkg_dir}/{wasm}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_only_with_its_digest_and_both_files() {
        let dir = std::env::temp_dir().join(format!("coop-bundle-{}", uuid::Uuid::new_v4()));
        let pkg = dir.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        assert_eq!(find(&dir, "pkg"), None);
        std::fs::write(pkg.join(MANIFEST), "0123456789abcdef0123\n").unwrap();
        std::fs::write(pkg.join("coop-self-check.0123456789abcdef0123.js"), b"").unwrap();
        assert_eq!(find(&dir, "pkg"), None, "the wasm is missing");
        std::fs::write(pkg.join("coop-self-check.0123456789abcdef0123.wasm"), b"").unwrap();
        assert_eq!(
            find(&dir, "pkg"),
            Some(SelfCheckBundle {
                js: "/pkg/coop-self-check.0123456789abcdef0123.js".to_owned(),
                wasm: "/pkg/coop-self-check.0123456789abcdef0123.wasm".to_owned(),
            })
        );
        std::fs::write(pkg.join(MANIFEST), "../../etc/passwd").unwrap();
        assert_eq!(find(&dir, "pkg"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
