//! Embeds every declaration translation in `data/declarations/` (one JSON file per
//! language), so that a language is added by adding its file, without code; and the
//! fonts of the PDFs, from Debian's fonts-noto-core (or `RESETTLE_FONT_DIR`), so that
//! nothing is loaded from the system at run time.

use std::fmt::Write as _;
use std::path::PathBuf;

/// The fonts the documents use, as (constant name, file name).
const FONTS: [(&str, &str); 4] = [
    ("NOTO_SANS", "NotoSans-Regular.ttf"),
    ("NOTO_SANS_BOLD", "NotoSans-Bold.ttf"),
    ("NOTO_SANS_ARABIC", "NotoSansArabic-Regular.ttf"),
    ("NOTO_SANS_ARABIC_BOLD", "NotoSansArabic-Bold.ttf"),
];

fn main() {
    declarations();
    fonts();
}

fn fonts() {
    println!("cargo:rerun-if-env-changed=RESETTLE_FONT_DIR");
    let dir = PathBuf::from(
        std::env::var("RESETTLE_FONT_DIR")
            .unwrap_or_else(|_| "/usr/share/fonts/truetype/noto".to_owned()),
    );
    let mut out = String::new();
    for (constant, file) in FONTS {
        let path = dir.join(file);
        if !path.is_file() {
            panic!(
                "{} is missing: the PDFs embed Noto Sans. Install Debian's fonts-noto-core \
                 (`cargo xtask` does), or set RESETTLE_FONT_DIR to a folder with {}",
                path.display(),
                FONTS.map(|(_, f)| f).join(", ")
            );
        }
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "pub(crate) const {constant}: &[u8] = include_bytes!({:?});",
            path.display().to_string()
        )
        .expect("writing to a string");
    }
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("fonts.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
}

fn declarations() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"))
        .join("../../data/declarations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = String::from("/// (file name, contents) of each translation file.\n");
    out.push_str("pub(crate) const FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().expect("a file name").to_string_lossy();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a string");
    }
    out.push_str("];\n");
    let target =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("declarations.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
}
