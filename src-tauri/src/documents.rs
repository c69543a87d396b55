//! The Documents view's commands: make a document for the preview (a pack with progress
//! and a cancel), hand its bytes to the preview, and save it where the user chose, through
//! the same export path as the command line (`resettle::exports`), so that every saved
//! file has its audit entry with its SHA-256. A preview records nothing: nothing left the
//! agency until the file is saved.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use resettle::documents::declaration::Translations;
use resettle::exports::{self, DocumentRequest, Exported, Rendered};
use resettle::ipc::{CommandError, DocumentProgress, RenderedDocument, ShellRefusal};
use resettle::paths::suggested_document_path;
use tauri::ipc::{Channel, Response};
use tauri::State;

use crate::cases::store;
use crate::AppState;

/// The document on preview, waiting to be saved, and the cancel flag of the one being
/// made.
#[derive(Default)]
pub struct DocumentState {
    current: Mutex<Option<Rendered>>,
    cancel: Mutex<Arc<AtomicBool>>,
}

impl DocumentState {
    /// Drops the document on preview (its bytes hold personal data), as locking does.
    pub fn forget(&self) {
        *self.current.lock().expect("not poisoned") = None;
    }
}

/// The languages a declaration can be printed in (those with a complete translation).
#[tauri::command]
pub fn declaration_languages() -> Result<Vec<String>, CommandError> {
    let translations = Translations::builtin().map_err(|e| CommandError::from(e.to_string()))?;
    Ok(translations.available())
}

/// Makes a document for the preview; a pack reports its progress form by form. Nothing
/// is recorded until `save_document`.
#[tauri::command]
pub async fn render_document(
    state: State<'_, AppState>,
    request: DocumentRequest,
    on_progress: Channel<DocumentProgress>,
) -> Result<RenderedDocument, CommandError> {
    let store = store(&state)?;
    let cancel = Arc::new(AtomicBool::new(false));
    *state.documents.cancel.lock().expect("not poisoned") = cancel.clone();
    // A new document replaces the one on preview, even if making it fails.
    *state.documents.current.lock().expect("not poisoned") = None;
    let progress: exports::Progress = Arc::new(move |done, total| {
        let _ = on_progress.send(DocumentProgress {
            done: done as u64,
            total: total as u64,
        });
    });
    let rendered = exports::render(&store, &state.session(), &request, progress, cancel).await?;
    let shown = RenderedDocument {
        kind: rendered.kind.to_owned(),
        document_ids: rendered.document_ids.clone(),
        bytes: rendered.bytes.len() as u64,
        suggested_path: suggested_document_path(&request.suggested_name())
            .display()
            .to_string(),
    };
    *state.documents.current.lock().expect("not poisoned") = Some(rendered);
    Ok(shown)
}

/// Stops the document being made (a pack stops between two forms).
#[tauri::command]
pub fn cancel_document(state: State<'_, AppState>) {
    state
        .documents
        .cancel
        .lock()
        .expect("not poisoned")
        .store(true, Ordering::SeqCst);
}

/// The PDF on preview, as raw bytes (no JSON array of numbers).
#[tauri::command]
pub fn document_bytes(state: State<'_, AppState>) -> Result<Response, CommandError> {
    let current = state.documents.current.lock().expect("not poisoned");
    let rendered = current
        .as_ref()
        .ok_or_else(|| CommandError::from("no document is on preview".to_owned()))?;
    Ok(Response::new(rendered.bytes.clone()))
}

/// Saves the document on preview to `path`, recording the export in the audit log.
#[tauri::command]
pub async fn save_document(
    state: State<'_, AppState>,
    path: String,
) -> Result<Exported, CommandError> {
    let store = store(&state)?;
    if path.trim().is_empty() {
        return Err(ShellRefusal::SavePathRequired.into());
    }
    let rendered = state
        .documents
        .current
        .lock()
        .expect("not poisoned")
        .clone()
        .ok_or_else(|| CommandError::from("no document is on preview".to_owned()))?;
    Ok(exports::save(
        &store,
        &state.session(),
        &rendered,
        std::path::Path::new(&path),
    )
    .await?)
}
