//! S7 on the structure: every trick of the 2026-12-03 review is refused, and ordinary files
//! pass. The files are built by `pdf_tricks` (also the fuzz corpus's source).

mod pdf_tricks;

use coop_core::pdf_structure::{Active, Refusal, inspect};

#[test]
fn every_trick_is_refused() {
    for (name, pdf) in pdf_tricks::refused() {
        assert!(inspect(&pdf).is_err(), "{name} was accepted");
    }
}

#[test]
fn ordinary_files_pass() {
    for (name, pdf) in pdf_tricks::accepted() {
        assert_eq!(inspect(&pdf), Ok(()), "{name}");
    }
}

#[test]
fn refusals_name_what_was_found() {
    let tricks = pdf_tricks::refused();
    let found = |name: &str| {
        let (_, pdf) = tricks.iter().find(|(n, _)| *n == name).unwrap();
        inspect(pdf)
    };
    for name in [
        "open-action-script",
        "stream-comment",
        "objstm-flate",
        "objstm-asciihex",
        "objstm-lzw",
        "objstm-two-filters",
        "objstm-predictor",
        "objstm-padded-dictionary",
        "escaped-name",
        "annotation-script",
        "page-additional-action",
    ] {
        assert_eq!(found(name), Err(Refusal::Active(Active::Script)), "{name}");
    }
    assert_eq!(found("launch"), Err(Refusal::Active(Active::Launch)));
    assert_eq!(found("submit-form"), Err(Refusal::Active(Active::FormData)));
    assert_eq!(found("import-data"), Err(Refusal::Active(Active::FormData)));
    assert_eq!(
        found("goto-remote-unc"),
        Err(Refusal::Active(Active::RemoteGoTo))
    );
    assert_eq!(
        found("goto-embedded"),
        Err(Refusal::Active(Active::RemoteGoTo))
    );
    assert_eq!(found("xfa-form"), Err(Refusal::Active(Active::Xfa)));
    assert_eq!(
        found("embedded-file"),
        Err(Refusal::Active(Active::EmbeddedFile))
    );
    assert_eq!(found("unknown-filter"), Err(Refusal::Undecodable));
    assert_eq!(found("objstm-bomb"), Err(Refusal::Undecodable));
    assert_eq!(found("content-bomb"), Err(Refusal::Undecodable));
    assert_eq!(found("not-a-pdf-structure"), Err(Refusal::Unreadable));
}

/// An RC4-encrypted file with an empty user password opens in any reader without a prompt; its
/// object streams are ciphertext to a scan.
#[test]
fn an_encrypted_file_is_refused() {
    let mut document = lopdf::Document::load_mem(&pdf_tricks::script_in_object_stream(
        pdf_tricks::Encoding::None,
    ))
    .unwrap();
    document.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::string_literal(b"0123456789abcdef".to_vec()),
            lopdf::Object::string_literal(b"0123456789abcdef".to_vec()),
        ]),
    );
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V1 {
        document: &document,
        owner_password: "owner",
        user_password: "",
        permissions: lopdf::Permissions::all(),
    })
    .unwrap();
    document.encrypt(&state).unwrap();
    let mut encrypted = Vec::new();
    document.save_to(&mut encrypted).unwrap();
    assert!(encrypted.windows(8).any(|w| w == b"/Encrypt"));
    assert_eq!(inspect(&encrypted), Err(Refusal::Encrypted));
}

/// Arrays nested far deeper than any reader allows, where the cross-reference points: the
/// parser stops at its depth limit, nothing overflows the stack, and the object it could not
/// read refuses the file (a more lenient reader might read it).
#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for depth in [500, 5_000, 50_000] {
        let pdf = pdf_tricks::Doc {
            catalog: "/Extra 5 0 R".into(),
            objects: vec![format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()],
            ..pdf_tricks::Doc::default()
        }
        .build();
        let verdict = inspect(&pdf);
        if depth > 1_000 {
            assert!(verdict.is_err(), "{depth} deep: {verdict:?}");
        }
    }
}
