//! Documents exported to files, the one path the command line and the app both take:
//! build the document from the store (`render`), then write it beside its destination,
//! record the export in the audit log with the file's SHA-256, and only then move it into
//! place (`save`). A failed export leaves no file, and no exported file exists without
//! its audit entry. Rendering alone (the app's preview) records nothing: nothing left
//! the agency.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use resettle_documents::declaration::{declaration, DeclarationError, Translations, REFERENCE};
use resettle_documents::pack::Pack;
use resettle_documents::pack_pdf::PackError;
use resettle_documents::pdf::PdfError;
use resettle_documents::referral::{referral, Referral};
use resettle_documents::{
    access_report_pdf, declaration_pdf, pack_pdf, quota_report_pdf, referral_pdf, sha256_hex,
    statistics_pdf,
};
use resettle_domain::access::Permission;
use resettle_storage::{CheckedIn, ReferralSource, Store, StoreError};

use crate::session::Session;

/// Which document to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocumentRequest {
    /// The declaration of each adult of a case, in Danish and `language`.
    Declaration { case_no: String, language: String },
    /// A household's referral form, for the municipality of its active placement.
    Referral { case_no: String },
    /// A municipality's pack for the year: the cover letter and the referral forms of
    /// its confirmed households.
    Pack { municipality: u16, year: i32 },
    /// A quota period's figures and chart.
    QuotaReport { period: i32 },
    /// The year's statistics for the ministry, as a spreadsheet, CSV or PDF.
    Statistics { year: i32, format: StatisticsFormat },
    /// A person's access report (GDPR Art. 15) as a PDF for them: the household's, or
    /// member `member`'s (from 1), in Danish and `language` (by default the first of
    /// the person's languages a declaration is translated into).
    AccessReport {
        case_no: String,
        member: Option<u32>,
        language: Option<String>,
    },
}

/// The file a statistics export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatisticsFormat {
    Xlsx,
    Csv,
    /// For reading: the same tables, tagged and archivable like every document.
    Pdf,
}

impl StatisticsFormat {
    /// The format a file name asks for by its extension (.xlsx, .csv or .pdf), if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Self::Xlsx),
            "csv" => Some(Self::Csv),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
            Self::Pdf => "pdf",
        }
    }
}

impl DocumentRequest {
    /// A file name to offer when saving, e.g. `pack-751-2026.pdf`.
    pub fn suggested_name(&self) -> String {
        match self {
            DocumentRequest::Declaration { case_no, language } => {
                format!("declaration-{case_no}-{language}.pdf")
            }
            DocumentRequest::Referral { case_no } => format!("referral-{case_no}.pdf"),
            DocumentRequest::Pack { municipality, year } => {
                format!("pack-{municipality}-{year}.pdf")
            }
            DocumentRequest::QuotaReport { period } => format!("quota-report-{period}.pdf"),
            DocumentRequest::Statistics { year, format } => {
                format!("statistics-{year}.{}", format.extension())
            }
            DocumentRequest::AccessReport {
                case_no, member, ..
            } => match member {
                Some(m) => format!("access-report-{case_no}-{m}.pdf"),
                None => format!("access-report-{case_no}.pdf"),
            },
        }
    }

    /// The audit log's name for the document's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            DocumentRequest::Declaration { .. } => "declaration",
            DocumentRequest::Referral { .. } => "referral",
            DocumentRequest::Pack { .. } => "pack",
            DocumentRequest::QuotaReport { .. } => "quota_report",
            DocumentRequest::Statistics { .. } => "statistics",
            DocumentRequest::AccessReport { .. } => "access_report",
        }
    }
}

/// A document made and not yet saved.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub kind: &'static str,
    /// Whom it is for, as the audit log names it: `case:<uuid>`, `municipality:<code>`
    /// (with ` case:<uuid>` for each household in a pack), `period:<year>`, `year:<year>`.
    pub subject: String,
    pub document_ids: Vec<String>,
    pub bytes: Vec<u8>,
}

/// A saved export, as the command line prints it and the app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Exported {
    pub file: String,
    pub kind: String,
    pub document_ids: Vec<String>,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Declaration(#[from] DeclarationError),
    #[error("case {0} has no adult member to sign a declaration")]
    NoAdult(String),
    #[error("{municipality} has no confirmed household in {year}: there is no pack to make")]
    EmptyPack { municipality: String, year: i32 },
    #[error("the export was cancelled; nothing was written")]
    Cancelled,
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error("the spreadsheet could not be made: {0}")]
    Spreadsheet(String),
    #[error("{path}: this file differs from the return {bundle} checked in before, so it gets no receipt")]
    NoReceipt { path: String, bundle: String },
    #[error("{path}: an access report is written as PDF or JSON, to a file whose name ends in .pdf or .json")]
    AccessReportFormat { path: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

resettle_domain::refusal_table! {
    impl ExportError {
        Self::Declaration(DeclarationError::NoTranslation { language, available }) =>
            "no_declaration_language" in "language" [language, available = available.join(", ")],
        Self::Declaration(DeclarationError::Incomplete { language, missing }) =>
            "declaration_incomplete" in "language" [language, missing = missing.join(", ")],
        Self::NoAdult(case) => "no_adult" [case],
        Self::EmptyPack { municipality, year } => "empty_pack" [municipality, year],
        Self::Cancelled => "export_cancelled",
        Self::Write { path, source } => "cannot_write_file" in "path" [path, reason = source],
        Self::AccessReportFormat { path } => "access_report_format" in "out" [path],
        Self::NoReceipt { path, bundle } => "no_checkin_receipt" in "path" [path, bundle],
        Self::Pdf(PdfError::Unprintable { text }) => "pdf_unprintable" in "text" [text],
    }
    delegated { Self::Store(e) => e }
    faults { Self::Declaration(_), Self::Spreadsheet(_), Self::Pdf(_) }
}

/// Progress of a long export: forms done of the total.
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// Makes the document, for the session's user, who must hold the export grant: a document
/// is not even rendered for someone who could not save it. Dates on it are the session's
/// today. `progress` and `cancel` matter for a pack, which renders form by form:
/// cancelling stops it between two forms.
pub async fn render(
    store: &Store,
    session: &Session,
    request: &DocumentRequest,
    progress: Progress,
    cancel: Arc<AtomicBool>,
) -> Result<Rendered, ExportError> {
    store
        .authorize(session.actor(), Permission::ExportDocuments)
        .await?;
    let kind = request.kind();
    match request {
        DocumentRequest::Declaration { case_no, language } => {
            let household = store.household(case_no).await?;
            let translations = Translations::builtin()?;
            let today = session.today();
            let declarations = household
                .members
                .iter()
                .filter(|m| m.is_adult_on(today))
                .map(|m| {
                    declaration(
                        &household,
                        m,
                        language,
                        today,
                        &new_id("DECL"),
                        &translations,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            if declarations.is_empty() {
                return Err(ExportError::NoAdult(case_no.clone()));
            }
            Ok(Rendered {
                kind,
                subject: format!("case:{}", household.id),
                document_ids: declarations.iter().map(|d| d.document_id.clone()).collect(),
                bytes: declaration_pdf::render(&declarations)?,
            })
        }
        DocumentRequest::Referral { case_no } => {
            let source = store.referral_source(case_no).await?;
            let r = to_referral(&source);
            Ok(Rendered {
                kind,
                subject: format!("case:{}", source.household.id),
                document_ids: vec![r.document_id.clone()],
                bytes: referral_pdf::render(std::slice::from_ref(&r))?,
            })
        }
        DocumentRequest::Pack { municipality, year } => {
            let source = store.pack_source(*municipality, *year).await?;
            if source.households.is_empty() {
                return Err(ExportError::EmptyPack {
                    municipality: source.municipality_name,
                    year: *year,
                });
            }
            let pack = Pack {
                document_id: new_id("PACK"),
                issued: session.today(),
                municipality_code: source.municipality_code.to_string(),
                municipality_name: source.municipality_name.clone(),
                year: *year,
                quota: source.quota,
                used: source.used,
                referrals: source.households.iter().map(to_referral).collect(),
            };
            // The audit entry names each household by id, so a person's access report
            // finds the packs their data went out in.
            let mut subject = format!("municipality:{municipality}");
            for h in &source.households {
                subject.push_str(&format!(" case:{}", h.household.id));
            }
            let mut document_ids = vec![pack.document_id.clone()];
            document_ids.extend(pack.referrals.iter().map(|r| r.document_id.clone()));
            // Rendering is CPU work of up to seconds: off the async runtime's threads.
            let bytes = tokio::task::spawn_blocking(move || {
                pack_pdf::render(&pack, &mut |done, total| {
                    progress(done, total);
                    !cancel.load(Ordering::SeqCst)
                })
            })
            .await
            .expect("the pack renderer does not panic")
            .map_err(|e| match e {
                PackError::Cancelled => ExportError::Cancelled,
                PackError::Pdf(e) => ExportError::Pdf(e),
            })?;
            Ok(Rendered {
                kind,
                subject,
                document_ids,
                bytes,
            })
        }
        DocumentRequest::QuotaReport { period } => {
            let status = store.quota_status(*period).await?;
            let id = new_id("QR");
            Ok(Rendered {
                kind,
                subject: format!("period:{period}"),
                document_ids: vec![id.clone()],
                bytes: quota_report_pdf::render(&status, &id, session.today())?,
            })
        }
        DocumentRequest::Statistics { year, format } => {
            let statistics = store.statistics(*year, session.actor()).await?;
            let id = new_id("STAT");
            let bytes = match format {
                StatisticsFormat::Xlsx => resettle_documents::statistics::xlsx(&statistics)
                    .map_err(|e| ExportError::Spreadsheet(e.to_string()))?,
                StatisticsFormat::Csv => resettle_documents::statistics::csv(&statistics),
                StatisticsFormat::Pdf => statistics_pdf::render(&statistics, &id, session.today())?,
            };
            Ok(Rendered {
                kind,
                subject: format!("year:{year}"),
                document_ids: vec![id],
                bytes,
            })
        }
        DocumentRequest::AccessReport {
            case_no,
            member,
            language,
        } => {
            subject_access(
                store,
                session,
                case_no,
                *member,
                AccessReportFile::Pdf {
                    language: language.as_deref(),
                },
            )
            .await
        }
    }
}

/// A person's access report (GDPR Art. 15) for the command line: a PDF for the person
/// when `out` ends in .pdf (see `DocumentRequest::AccessReport`), JSON for the file when
/// it ends in .json. Saved by `save` like any document, so its export is in the audit log
/// (`document.access_report.exported`).
pub async fn access_report(
    store: &Store,
    session: &Session,
    case_no: &str,
    member: Option<u32>,
    language: Option<&str>,
    out: &Path,
) -> Result<Rendered, ExportError> {
    let extension = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let file = match extension.as_deref() {
        Some("pdf") => AccessReportFile::Pdf { language },
        Some("json") => AccessReportFile::Json,
        _ => {
            return Err(ExportError::AccessReportFormat {
                path: out.display().to_string(),
            })
        }
    };
    store
        .authorize(session.actor(), Permission::ExportDocuments)
        .await?;
    subject_access(store, session, case_no, member, file).await
}

/// How an access report is written.
enum AccessReportFile<'a> {
    Pdf { language: Option<&'a str> },
    Json,
}

/// The access report, for a user with the export grant (it leaves the agency; the
/// caller checked). A language without a translation is refused before anything is read.
async fn subject_access(
    store: &Store,
    session: &Session,
    case_no: &str,
    member: Option<u32>,
    file: AccessReportFile<'_>,
) -> Result<Rendered, ExportError> {
    let translations = Translations::builtin()?;
    if let AccessReportFile::Pdf {
        language: Some(language),
    } = file
    {
        translations.get(language)?;
    }
    let report = store
        .access_report(case_no, member, session.today(), session.actor())
        .await?;
    let mut subject = format!("case:{}", report.household.id);
    if let Some(m) = member {
        subject.push_str(&format!(" member:{m}"));
    }
    let id = new_id("SAR");
    let bytes = match file {
        AccessReportFile::Pdf { language } => {
            // The person's language: the one asked for, or the first of theirs (the
            // member's, or the household's in order) that a declaration is in.
            let available = translations.available();
            let language = language.map(str::to_owned).or_else(|| {
                report
                    .household
                    .members
                    .iter()
                    .flat_map(|m| &m.languages)
                    .find(|l| available.contains(l))
                    .cloned()
            });
            let signer = match language.as_deref() {
                Some(l) if l != REFERENCE => Some(translations.get(l)?),
                _ => None,
            };
            access_report_pdf::render(&report, translations.get(REFERENCE)?, signer, &id)?
        }
        AccessReportFile::Json => {
            let mut bytes = serde_json::to_vec_pretty(&report).expect("a report serialises");
            bytes.push(b'\n');
            bytes
        }
    };
    Ok(Rendered {
        kind: "access_report",
        subject,
        document_ids: vec![id],
        bytes,
    })
}

/// Writes the document to `out`, whole or not at all, with its audit entry by the
/// session's user.
pub async fn save(
    store: &Store,
    session: &Session,
    rendered: &Rendered,
    out: &Path,
) -> Result<Exported, ExportError> {
    let sha256 = sha256_hex(&rendered.bytes);
    write_recorded(out, &rendered.bytes, async {
        store
            .record_export(
                session.actor(),
                rendered.kind,
                &rendered.subject,
                &rendered.document_ids,
                &sha256,
            )
            .await
    })
    .await?;
    Ok(Exported {
        file: out.display().to_string(),
        kind: rendered.kind.to_owned(),
        document_ids: rendered.document_ids.clone(),
        sha256,
        bytes: rendered.bytes.len() as u64,
    })
}

/// Writes `bytes` to `out` whole or not at all: beside it as `NAME.partial`, then
/// `record` (the audit entry), then renamed into place. A refused record or a failed
/// rename leaves no file.
pub async fn write_recorded(
    out: &Path,
    bytes: &[u8],
    record: impl std::future::Future<Output = Result<(), StoreError>>,
) -> Result<(), ExportError> {
    let partial = write_partial(out, bytes)?;
    if let Err(e) = record.await {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    std::fs::rename(&partial, out).map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        ExportError::Write {
            path: out.display().to_string(),
            source,
        }
    })
}

/// Writes the laptop's receipt for a check-in of the return file `returned` to `out`,
/// whole or not at all. The check-in stands whatever happens here: checking the same
/// file in again gives the receipt again. Only a file that differs from the return
/// checked in before under its ID has none.
pub async fn write_receipt(
    done: &CheckedIn,
    returned: &Path,
    out: &Path,
) -> Result<(), ExportError> {
    let receipt = done
        .receipt
        .as_ref()
        .ok_or_else(|| ExportError::NoReceipt {
            path: returned.display().to_string(),
            bundle: done.bundle.to_string(),
        })?;
    write_recorded(out, &receipt.to_bytes(), async { Ok(()) }).await
}

/// The referral at this moment: the household's consents decide what it releases.
fn to_referral(source: &ReferralSource) -> Referral {
    referral(
        &source.household,
        &source.consents,
        source.arrival.clone(),
        &new_id("REF"),
        Utc::now(),
    )
}

/// A document ID: its kind and 12 random hex digits, e.g. REF-3f9a0c1d2e4b.
fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", &Uuid::new_v4().simple().to_string()[..12])
}

/// Writes the bytes to a file beside `path` (`NAME.partial`), for a rename into place:
/// a reader never sees half a PDF, and a failure leaves no file behind.
fn write_partial(path: &Path, bytes: &[u8]) -> Result<PathBuf, ExportError> {
    let name = path.file_name().ok_or_else(|| ExportError::Write {
        path: path.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
    })?;
    let mut partial = name.to_owned();
    partial.push(".partial");
    let temporary = path.with_file_name(partial);
    if let Err(source) = std::fs::write(&temporary, bytes) {
        let _ = std::fs::remove_file(&temporary);
        return Err(ExportError::Write {
            path: temporary.display().to_string(),
            source,
        });
    }
    Ok(temporary)
}
