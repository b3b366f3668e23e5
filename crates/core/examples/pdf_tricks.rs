//! Writes S7's PDF tricks (refused and accepted) into a folder, for the fuzz corpus:
//! `cargo run -p coop-core --features pdf --example pdf_tricks -- crates/fuzz/corpus/pdf_structure`.

#[path = "../tests/pdf_tricks/mod.rs"]
mod pdf_tricks;

fn main() -> std::io::Result<()> {
    let folder = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "crates/fuzz/corpus/pdf_structure".to_owned());
    std::fs::create_dir_all(&folder)?;
    for (name, pdf) in pdf_tricks::refused()
        .into_iter()
        .chain(pdf_tricks::accepted())
    {
        // Bombs stay out of the corpus: the fuzzer's inputs are small.
        if pdf.len() > 256 * 1024 {
            continue;
        }
        std::fs::write(format!("{folder}/pdf-{name}.pdf"), pdf)?;
    }
    Ok(())
}
