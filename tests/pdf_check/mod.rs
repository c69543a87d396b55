//! What every document must pass, checked by tools that are not ours: `qpdf --check`
//! (the file's syntax), the `pdfua` checker (the machine-checkable part of PDF/UA-1; from
//! PyPI, installed by `cargo xtask test`) with no finding at any severity, and the XMP
//! metadata's claims of PDF/A-2a and PDF/UA-1 (which krilla only writes after checking
//! the file against both).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Panics, naming the file and the finding, unless `pdf` passes every check.
pub fn conforms(pdf: &Path) {
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf is installed");
    assert!(
        qpdf.status.success(),
        "qpdf --check {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&qpdf.stdout)
    );

    let checker = Command::new("python3")
        .args(["-m", "pdfua", "check", "--format", "json"])
        .arg(pdf)
        .output()
        .expect("python3 runs");
    let report: Value = serde_json::from_slice(&checker.stdout).unwrap_or_else(|e| {
        panic!(
            "pdfua (`pip install pdfua==0.1.3`) on {}: {e}: {}",
            pdf.display(),
            String::from_utf8_lossy(&checker.stderr)
        )
    });
    assert_eq!(
        report["summary"]["findings"],
        0,
        "pdfua on {}: {:#}",
        pdf.display(),
        report["findings"]
    );
    assert!(
        report["summary"]["rules_run"].as_u64().unwrap_or(0) >= 10,
        "pdfua ran its rules on {}: {report:#}",
        pdf.display()
    );

    let info = Command::new("pdfinfo")
        .arg("-meta")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    let meta = String::from_utf8_lossy(&info.stdout);
    for claim in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
    ] {
        assert!(
            meta.contains(claim),
            "{} does not claim {claim}",
            pdf.display()
        );
    }
}

/// The languages a PDF marks, in its structure tree and on its spans of text (`/Lang`),
/// read from the file rewritten by qpdf with its streams uncompressed.
#[allow(dead_code)] // only the suites that check languages
pub fn languages(pdf: &Path) -> std::collections::BTreeSet<String> {
    let plain = pdf.with_extension("qdf.pdf");
    let out = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&plain)
        .output()
        .expect("qpdf is installed");
    assert!(out.status.success(), "qpdf --qdf {}", pdf.display());
    let bytes = std::fs::read(&plain).unwrap();
    let _ = std::fs::remove_file(&plain);
    let text = String::from_utf8_lossy(&bytes);
    text.split("/Lang")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start().strip_prefix('(')?;
            Some(rest[..rest.find(')')?].to_owned())
        })
        .collect()
}
