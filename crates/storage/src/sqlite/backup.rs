//! A database file's backup and its restore. The backup is SQLite's `VACUUM INTO`: one
//! read transaction's snapshot written to a new file while others go on working (WAL
//! readers never block writers). An encrypted database's copy is encrypted by SQLCipher
//! under the same key, and its key file is copied beside it, so the same members'
//! passphrases (and the office's recovery key) open it. A restore checks the backup's
//! audit chain on a copy before anything replaces the database.

use std::path::{Path, PathBuf};

use super::{append_audit, key_file_path, raw_key_pragma, sidecar, Dialect, SqliteStore};
use crate::keyslots::Unlock;
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::audit::ChainCheck;
use resettle_domain::digest::Sha256Parts;

/// What a backup or a restore wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    /// The audit log's entries in the file (a backup holds the log up to its own moment;
    /// the entry recording the backup is in the database it was taken from).
    pub audit_entries: usize,
    pub encrypted: bool,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::FileAccess {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// `path` with `suffix` added to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    sidecar(path, suffix)
}

/// The file's size and SHA-256, read in chunks of 1 MiB.
fn file_digest(path: &Path) -> Result<(u64, String), StoreError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(io(path))?;
    let mut digest = Sha256Parts::default();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(io(path))?;
        if n == 0 {
            break;
        }
        digest.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((size, digest.hex()))
}

impl SqliteStore {
    /// Writes a consistent copy of this database to `out`, which must not exist yet, for
    /// an administrator. Nothing is left at `out` if the copy fails.
    pub(crate) async fn backup_to(
        &self,
        out: &Path,
        actor: &str,
    ) -> Result<BackupFile, StoreError> {
        let actor = self.acting_as(actor)?;
        self.authorize(actor, Permission::ManageSettings).await?;
        let out_key = key_file_path(out);
        if out.exists() || out_key.exists() {
            return Err(StoreError::BackupExists {
                path: out.display().to_string(),
            });
        }
        let partial = beside(out, ".partial");
        let _ = std::fs::remove_file(&partial);
        let written = async {
            // One statement, one read transaction: the copy is the database as of its start.
            sqlx::query("VACUUM INTO ?")
                .bind(partial.to_str().ok_or_else(|| StoreError::FileAccess {
                    path: out.display().to_string(),
                    reason: "the path is not valid UTF-8".into(),
                })?)
                .execute(&self.pool)
                .await?;
            let encrypted = self.unlocked.is_some();
            if encrypted {
                // The key file first: `out` never exists without the slots that open it.
                std::fs::copy(key_file_path(&self.path), &out_key).map_err(io(&out_key))?;
            }
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(io(&partial))?;
            std::fs::rename(&partial, out).map_err(io(out))?;
            Ok::<bool, StoreError>(encrypted)
        }
        .await;
        let encrypted = match written {
            Ok(encrypted) => encrypted,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                let _ = std::fs::remove_file(&out_key);
                return Err(e);
            }
        };
        let (bytes, sha256) = file_digest(out)?;
        let audit_entries = self.entries_in(out).await?;
        let mut tx = self.begin_as(actor, Permission::ManageSettings).await?;
        let name = out.file_name().unwrap_or_default().to_string_lossy();
        append_audit(
            &mut tx,
            actor,
            "database.backed_up",
            &format!("{name}: {bytes} bytes, sha256 {sha256}"),
        )
        .await?;
        tx.commit().await?;
        Ok(BackupFile {
            path: out.display().to_string(),
            bytes,
            sha256,
            audit_entries: audit_entries as usize,
            encrypted,
        })
    }

    /// The audit entries in the copy at `path` (read from the copy, since others wrote on
    /// after its moment), opened read-only under this database's key.
    async fn entries_in(&self, path: &Path) -> Result<usize, StoreError> {
        let mut options = super::connect_options(path).read_only(true);
        if let Some(unlocked) = &self.unlocked {
            options = options.pragma("key", raw_key_pragma(&unlocked.key).to_string());
        }
        let mut conn = sqlx::ConnectOptions::connect(&options).await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&mut conn)
            .await?;
        sqlx::Connection::close(conn).await?;
        Ok(n as usize)
    }

    /// Puts the backup at `backup` (with its key file, if encrypted) in place of the
    /// database at `target`. The backup is copied first and opened there with `unlock`;
    /// its audit chain must verify and `actor` must be one of its administrators, or
    /// nothing at `target` changes. An existing database is replaced only with `force`.
    pub async fn restore(
        backup: &Path,
        target: &Path,
        unlock: Option<Unlock<'_>>,
        force: bool,
        actor: &str,
    ) -> Result<BackupFile, StoreError> {
        if !backup.is_file() {
            return Err(StoreError::FileAccess {
                path: backup.display().to_string(),
                reason: "there is no such file".into(),
            });
        }
        if (target.exists() || key_file_path(target).exists()) && !force {
            return Err(StoreError::RestoreWouldOverwrite {
                path: target.display().to_string(),
            });
        }
        let (bytes, sha256) = file_digest(backup)?;
        let staged = beside(target, ".restoring");
        let staged_key = key_file_path(&staged);
        let cleanup = |staged: &Path| {
            for leftover in [
                staged.to_owned(),
                key_file_path(staged),
                sidecar(staged, "-wal"),
                sidecar(staged, "-shm"),
            ] {
                let _ = std::fs::remove_file(leftover);
            }
        };
        cleanup(&staged);
        let checked = async {
            std::fs::copy(backup, &staged).map_err(io(&staged))?;
            let backup_key = key_file_path(backup);
            if backup_key.exists() {
                std::fs::copy(&backup_key, &staged_key).map_err(io(&staged_key))?;
            }
            // Opening brings an older backup's schema up to date, on the copy only.
            let store = SqliteStore::open_unlocking(&staged, unlock).await?;
            // Who acts on a laptop's file is the member its key slot unlocked.
            let actor = store.member().unwrap_or(actor).to_owned();
            store.authorize(&actor, Permission::ManageSettings).await?;
            let entries = match store.verify_audit().await? {
                ChainCheck::Intact { entries, .. } => entries,
                ChainCheck::Broken { seq, why } => {
                    store.close().await;
                    return Err(StoreError::RestoreChainBroken {
                        path: backup.display().to_string(),
                        seq,
                        why,
                    });
                }
            };
            let mut tx = store.begin_as(&actor, Permission::ManageSettings).await?;
            let name = backup.file_name().unwrap_or_default().to_string_lossy();
            append_audit(
                &mut tx,
                &actor,
                "database.restored",
                &format!("from {name}: {bytes} bytes, sha256 {sha256}"),
            )
            .await?;
            tx.commit().await?;
            store.close().await;
            Ok::<usize, StoreError>(entries)
        }
        .await;
        let entries = match checked {
            Ok(entries) => entries,
            Err(e) => {
                cleanup(&staged);
                return Err(e);
            }
        };
        // The old database's WAL and index would be read as the new one's: gone first.
        for stale in [sidecar(target, "-wal"), sidecar(target, "-shm")] {
            match std::fs::remove_file(&stale) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    cleanup(&staged);
                    return Err(io(&stale)(e));
                }
                _ => {}
            }
        }
        let target_key = key_file_path(target);
        if staged_key.exists() {
            std::fs::rename(&staged_key, &target_key).map_err(io(&target_key))?;
        } else {
            let _ = std::fs::remove_file(&target_key);
        }
        std::fs::rename(&staged, target).map_err(io(target))?;
        let (bytes, sha256) = file_digest(target)?;
        Ok(BackupFile {
            path: target.display().to_string(),
            bytes,
            sha256,
            audit_entries: entries + 1,
            encrypted: target_key.exists(),
        })
    }
}
