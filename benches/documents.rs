//! `cargo bench --bench documents` (run by `cargo xtask bench`): a municipality pack of
//! 1,000 referral forms, its time, file size and size per form, against the baseline of
//! the first 100 of those forms as 100 separate referral PDFs (what exporting them one by
//! one gives; 100 rather than 1,000 to keep the run short). Both are tagged PDF/UA-1 and
//! PDF/A-2a, as every document is, each file with its own subset of the fonts. The
//! households are the demo generator's, every third one with its special needs released.
//! Both outputs must pass `qpdf --check` and the PDF/UA checks (`tests/pdf_check`) before
//! anything is reported.

#[path = "../tests/pdf_check/mod.rs"]
mod pdf_check;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use resettle::demo;
use resettle::documents::pack::Pack;
use resettle::documents::referral::{referral, Arrival, Referral};
use resettle::documents::{pack_pdf, referral_pdf};
use resettle::domain::consent::{Consent, ReleaseItem};
use uuid::Uuid;

const FORMS: usize = 1_000;
const RUNS: usize = 5;
const SEPARATE: usize = 100;

fn main() {
    let now: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
    let referrals = referrals(now);
    let persons: usize = referrals.iter().map(|r| r.members.len()).sum();
    let pack = Pack {
        document_id: "PACK-bench".into(),
        issued: now.date_naive(),
        municipality_code: "751".into(),
        municipality_name: "Aarhus".into(),
        year: 2026,
        quota: Some(persons as u32 + 100),
        used: persons as u32,
        referrals,
    };
    println!(
        "Documents benchmark: a pack of {FORMS} referral forms ({persons} persons); median of {RUNS} runs"
    );

    let (pack_time, pack_bytes) =
        median(|| pack_pdf::render(&pack, &mut |_, _| true).expect("rendered"));
    let (single_time, single_bytes) = median(|| {
        pack.referrals[..SEPARATE]
            .iter()
            .map(|r| {
                referral_pdf::render(std::slice::from_ref(r))
                    .expect("rendered")
                    .len()
            })
            .sum::<usize>()
    });

    // Both outputs are checked by a real PDF tool before their figures count.
    let dir = tempfile_dir();
    let file = dir.join("pack.pdf");
    std::fs::write(&file, pack_pdf::render(&pack, &mut |_, _| true).unwrap()).unwrap();
    pdf_check::conforms(&file);
    let one = dir.join("one.pdf");
    std::fs::write(&one, referral_pdf::render(&pack.referrals[..1]).unwrap()).unwrap();
    pdf_check::conforms(&one);
    let pages = pages(&file);

    println!(
        "| {:<40} | {:>5} | {:>8} | {:>9} | {:>9} | {:>9} |",
        "", "forms", "time", "per form", "size", "per form"
    );
    println!(
        "|{:-<42}|{:->7}|{:->10}|{:->11}|{:->11}|{:->11}|",
        "", "", "", "", "", ""
    );
    row(
        &format!("pack: 1 PDF, {pages} pages (target < 2 s)"),
        FORMS,
        pack_time,
        pack_bytes,
    );
    row(
        "baseline: one PDF per form",
        SEPARATE,
        single_time,
        single_bytes,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn row(name: &str, forms: usize, time: Duration, bytes: usize) {
    println!(
        "| {:<40} | {:>5} | {:>6.2} s | {:>6.2} ms | {:>5.1} MiB | {:>5.1} KiB |",
        name,
        forms,
        time.as_secs_f64(),
        time.as_secs_f64() * 1000.0 / forms as f64,
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / forms as f64 / 1024.0
    );
}

/// The median time of `RUNS` runs after one warm-up, and the size `f` made (a PDF's
/// bytes or a sum of sizes).
fn median<T: Size>(f: impl Fn() -> T) -> (Duration, usize) {
    let size = std::hint::black_box(f()).size();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], size)
}

trait Size {
    fn size(&self) -> usize;
}
impl Size for Vec<u8> {
    fn size(&self) -> usize {
        self.len()
    }
}
impl Size for usize {
    fn size(&self) -> usize {
        *self
    }
}

/// 1,000 referrals of the demo generator's households (cycled, each with its own case
/// number and document ID); every third household released its special needs.
fn referrals(now: DateTime<Utc>) -> Vec<Referral> {
    let households = demo::generate(2026).households;
    (0..FORMS)
        .map(|i| {
            let mut household = households[i % households.len()].clone();
            household.unhcr_case_no = format!("{}-{i:04}", household.unhcr_case_no);
            let consents = if i % 3 == 0 {
                vec![Consent {
                    id: Uuid::new_v4(),
                    released: vec![ReleaseItem::SpecialNeeds],
                    language: "ar".into(),
                    recorded_by: "Bench Caseworker".into(),
                    recorded_at: now - chrono::Duration::days(30),
                    withdrawn: None,
                }]
            } else {
                Vec::new()
            };
            let arrival = Arrival {
                municipality_code: "751".into(),
                municipality_name: "Aarhus".into(),
                date: NaiveDate::from_ymd_opt(2026, 12, 1 + (i % 28) as u32),
            };
            referral(&household, &consents, arrival, &format!("REF-{i:012}"), now)
        })
        .collect()
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("resettle-docs-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("qpdf")
        .arg("--show-npages")
        .arg(pdf)
        .output()
        .expect("qpdf");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}
