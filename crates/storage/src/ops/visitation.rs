//! The visitation's inputs on the database: a household's job offer (and a quota
//! manager's override of it), the municipalities' wishes for a year, the outcome history
//! of past arrivals, and the learned models as versions, one of them in use. The rules are
//! the domain's (`placement::visitation`, `placement::job_offer`); this file reads and
//! writes them, each write one transaction under `PlaceHouseholds`.

use std::collections::BTreeMap;

use chrono::Utc;
use sqlx::Row;

use super::cases::load_household;
use super::columns::int;
use super::municipalities::{json_tags, known_municipality, tags_json};
use super::settings::{read_setting, write_setting};
use super::Conn;
use super::{append_audit, corrupt, Backend};
use crate::types::{CaseRef, HistoryImport, JobOfferRecord, ModelVersion, MunicipalityWishesRow};
use crate::StoreError;
use resettle_domain::access::Permission;
use resettle_domain::placement::instance::MunicipalityWishes;
use resettle_domain::placement::job_offer::JobOffer;
use resettle_domain::placement::outcomes::{LearnedModel, TrainingData};
use resettle_domain::placement::visitation::{check_job_offer, check_municipality_wishes};

/// The setting that names the model version `placement propose` scores with.
const MODEL_KEY: &str = "placement.model";

impl Backend {
    pub(crate) async fn job_offer(
        &self,
        case_no: &str,
    ) -> Result<Option<JobOfferRecord>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let household = load_household(&mut conn, CaseRef::Number(case_no)).await?;
        job_offer_record(&mut conn, &household.id.to_string(), case_no).await
    }

    /// Records (or replaces) a household's job offer; a replaced offer's override goes
    /// with it, since it was about another offer.
    pub(crate) async fn set_job_offer(
        &self,
        case_no: &str,
        offer: &JobOffer,
        actor: &str,
    ) -> Result<JobOfferRecord, StoreError> {
        let offer = JobOffer {
            overridden: None,
            document: offer.document.trim().to_owned(),
            ..offer.clone()
        };
        check_job_offer(&offer)?;
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        known_municipality(&mut tx, offer.municipality).await?;
        sqlx::query(
            "INSERT INTO job_offers (case_id, municipality, hours_per_week, permanent, document,
                 override_reason, overridden_by, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7)
             ON CONFLICT (case_id) DO UPDATE SET municipality = excluded.municipality,
                 hours_per_week = excluded.hours_per_week, permanent = excluded.permanent,
                 document = excluded.document, override_reason = NULL, overridden_by = NULL,
                 recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        )
        .bind(household.id.to_string())
        .bind(i64::from(offer.municipality))
        .bind(offer.hours_per_week)
        .bind(offer.permanent)
        .bind(&offer.document)
        .bind(actor)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(&mut tx, actor, "job_offer.set", &format!("case {case_no}")).await?;
        let record = job_offer_record(&mut tx, &household.id.to_string(), case_no)
            .await?
            .expect("the offer just recorded");
        tx.commit().await?;
        Ok(record)
    }

    /// A quota manager's override of a household's job offer, with its reason (`Some`),
    /// or the override lifted (`None`).
    pub(crate) async fn override_job_offer(
        &self,
        case_no: &str,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<JobOfferRecord, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let id = household.id.to_string();
        let Some(mut record) = job_offer_record(&mut tx, &id, case_no).await? else {
            return Err(StoreError::NoJobOffer(case_no.to_owned()));
        };
        record.offer.overridden = reason.map(|r| r.trim().to_owned());
        check_job_offer(&record.offer)?;
        sqlx::query(
            "UPDATE job_offers SET override_reason = $1, overridden_by = $2 WHERE case_id = $3",
        )
        .bind(&record.offer.overridden)
        .bind(reason.map(|_| actor))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
        let action = if reason.is_some() {
            "job_offer.overridden"
        } else {
            "job_offer.override_lifted"
        };
        append_audit(&mut tx, actor, action, &format!("case {case_no}")).await?;
        let record = job_offer_record(&mut tx, &id, case_no)
            .await?
            .expect("the offer just changed");
        tx.commit().await?;
        Ok(record)
    }

    pub(crate) async fn remove_job_offer(
        &self,
        case_no: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let household = load_household(&mut tx, CaseRef::Number(case_no)).await?;
        let removed = sqlx::query("DELETE FROM job_offers WHERE case_id = $1")
            .bind(household.id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Err(StoreError::NoJobOffer(case_no.to_owned()));
        }
        append_audit(
            &mut tx,
            actor,
            "job_offer.removed",
            &format!("case {case_no}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn municipality_wishes(
        &self,
        year: i32,
    ) -> Result<Vec<MunicipalityWishesRow>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        wishes_rows(&mut conn, year).await
    }

    /// Sets one municipality's wishes for the year; empty wishes remove its row.
    pub(crate) async fn set_municipality_wishes(
        &self,
        year: i32,
        code: u16,
        wishes: &MunicipalityWishes,
        actor: &str,
    ) -> Result<Vec<MunicipalityWishesRow>, StoreError> {
        check_municipality_wishes(wishes)?;
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        known_municipality(&mut tx, code).await?;
        write_wishes(&mut tx, year, code, wishes).await?;
        append_audit(
            &mut tx,
            actor,
            "municipality_wishes.set",
            &format!("{code}, year {year}"),
        )
        .await?;
        let rows = wishes_rows(&mut tx, year).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Replaces the year's wishes with a file's rows (read and checked whole by
    /// `placement::wishes_file`); a municipality the file does not name has none.
    pub(crate) async fn import_municipality_wishes(
        &self,
        year: i32,
        rows: &[(u16, MunicipalityWishes)],
        source: &str,
        actor: &str,
    ) -> Result<Vec<MunicipalityWishesRow>, StoreError> {
        for (_, wishes) in rows {
            check_municipality_wishes(wishes)?;
        }
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        sqlx::query("DELETE FROM municipality_wishes WHERE year = $1")
            .bind(year)
            .execute(&mut *tx)
            .await?;
        for (code, wishes) in rows {
            known_municipality(&mut tx, *code).await?;
            write_wishes(&mut tx, year, *code, wishes).await?;
        }
        append_audit(
            &mut tx,
            actor,
            "municipality_wishes.imported",
            &format!("year {year}: {} municipalities from {source}", rows.len()),
        )
        .await?;
        let rows = wishes_rows(&mut tx, year).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Keeps an outcome history file (read and checked whole by `read_history`, described
    /// by `data`); the newest one is the one forecasts and training read.
    pub(crate) async fn import_history(
        &self,
        content: &str,
        data: &TrainingData,
        actor: &str,
    ) -> Result<HistoryImport, StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        sqlx::query(
            "INSERT INTO outcome_histories (file_name, sha256, content, rows, first_year,
                 last_year, imported_by, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&data.file_name)
        .bind(&data.sha256)
        .bind(content)
        .bind(i64::from(data.rows))
        .bind(data.first_year)
        .bind(data.last_year)
        .bind(actor)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "outcome_history.imported",
            &format!("{} rows, sha256 {}", data.rows, data.sha256),
        )
        .await?;
        let (import, _) = newest_history(&mut tx)
            .await?
            .expect("the history just kept");
        tx.commit().await?;
        Ok(import)
    }

    /// The newest imported history and its file's text.
    pub(crate) async fn outcome_history(
        &self,
    ) -> Result<Option<(HistoryImport, String)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        newest_history(&mut conn).await
    }

    /// Keeps a model trained on the history `history` as the next version. It is not
    /// in use until a quota manager says so (`use_model`), having read its validation.
    pub(crate) async fn save_model(
        &self,
        model: &LearnedModel,
        history: i64,
        actor: &str,
    ) -> Result<ModelVersion, StoreError> {
        model.check().map_err(corrupt)?;
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        let last: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM placement_models")
                .fetch_one(&mut *tx)
                .await?;
        let version = last + 1;
        sqlx::query(
            "INSERT INTO placement_models (version, body, history, trained_by, trained_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(version)
        .bind(serde_json::to_string(model).map_err(corrupt)?)
        .bind(history)
        .bind(actor)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        append_audit(
            &mut tx,
            actor,
            "placement_model.trained",
            &format!(
                "version {version} on history {history}: AUC {:.4}, Brier {:.4}",
                model.validation.learned.auc, model.validation.learned.brier
            ),
        )
        .await?;
        let saved = versions(&mut tx)
            .await?
            .into_iter()
            .find(|v| i64::from(v.version) == version)
            .expect("the version just saved");
        tx.commit().await?;
        Ok(saved)
    }

    pub(crate) async fn model_versions(&self) -> Result<Vec<ModelVersion>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        versions(&mut conn).await
    }

    /// Puts a model version in use for proposals (`None`: the feature model's weights).
    pub(crate) async fn use_model(
        &self,
        version: Option<u32>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_as(actor, Permission::PlaceHouseholds).await?;
        match version {
            Some(v) => {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT version FROM placement_models WHERE version = $1")
                        .bind(i64::from(v))
                        .fetch_optional(&mut *tx)
                        .await?;
                if found.is_none() {
                    return Err(StoreError::NoSuchModel(v));
                }
                write_setting(&mut tx, MODEL_KEY, &v.to_string()).await?;
            }
            None => {
                sqlx::query("UPDATE settings SET value = 'none' WHERE key = $1")
                    .bind(MODEL_KEY)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let detail = version.map_or("none (the feature model's weights)".to_owned(), |v| {
            format!("version {v}")
        });
        append_audit(&mut tx, actor, "placement_model.in_use", &detail).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn job_offer_record(
    conn: &mut Conn,
    case_id: &str,
    case_no: &str,
) -> Result<Option<JobOfferRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT j.municipality, m.name, j.hours_per_week, j.permanent, j.document,
                j.override_reason, j.overridden_by, j.recorded_by, j.recorded_at
         FROM job_offers j JOIN municipalities m ON m.code = j.municipality
         WHERE j.case_id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let offer = JobOffer {
        municipality: int(&r, "municipality")?,
        hours_per_week: r.try_get("hours_per_week")?,
        permanent: r.try_get("permanent")?,
        document: r.try_get("document")?,
        overridden: r.try_get("override_reason")?,
    };
    Ok(Some(JobOfferRecord {
        case_no: case_no.to_owned(),
        municipality_name: r.try_get("name")?,
        qualifies: offer.qualifies(),
        decides: offer.decides(),
        offer,
        overridden_by: r.try_get("overridden_by")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    }))
}

/// The job offer of a case, by its id, as the instance's rule reads it.
pub(super) async fn job_offer_of(
    conn: &mut Conn,
    case_id: &str,
) -> Result<Option<JobOffer>, StoreError> {
    Ok(job_offer_record(conn, case_id, "").await?.map(|r| r.offer))
}

async fn write_wishes(
    conn: &mut Conn,
    year: i32,
    code: u16,
    wishes: &MunicipalityWishes,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM municipality_wishes WHERE year = $1 AND code = $2")
        .bind(year)
        .bind(i64::from(code))
        .execute(&mut *conn)
        .await?;
    if wishes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO municipality_wishes (year, code, household_types, languages, services)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(year)
    .bind(i64::from(code))
    .bind(tags_json(&wishes.household_types))
    .bind(tags_json(&wishes.languages))
    .bind(tags_json(&wishes.services))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn wishes_rows(conn: &mut Conn, year: i32) -> Result<Vec<MunicipalityWishesRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT w.code, m.name, w.household_types, w.languages, w.services
         FROM municipality_wishes w JOIN municipalities m ON m.code = w.code
         WHERE w.year = $1 ORDER BY w.code",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MunicipalityWishesRow {
                code: int(r, "code")?,
                name: r.try_get("name")?,
                wishes: MunicipalityWishes {
                    household_types: json_tags(&r.try_get::<String, _>("household_types")?)?,
                    languages: json_tags(&r.try_get::<String, _>("languages")?)?,
                    services: json_tags(&r.try_get::<String, _>("services")?)?,
                },
            })
        })
        .collect()
}

/// The year's wishes by municipality code, as the instance's slots take them.
pub(super) async fn wishes_of_year(
    conn: &mut Conn,
    year: i32,
) -> Result<BTreeMap<u16, MunicipalityWishes>, StoreError> {
    Ok(wishes_rows(conn, year)
        .await?
        .into_iter()
        .map(|r| (r.code, r.wishes))
        .collect())
}

async fn newest_history(conn: &mut Conn) -> Result<Option<(HistoryImport, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT seq, file_name, sha256, content, rows, first_year, last_year, imported_by, imported_at
         FROM outcome_histories ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    Ok(Some((
        HistoryImport {
            seq: r.try_get("seq")?,
            file_name: r.try_get("file_name")?,
            sha256: r.try_get("sha256")?,
            rows: int(&r, "rows")?,
            first_year: int(&r, "first_year")?,
            last_year: int(&r, "last_year")?,
            imported_by: r.try_get("imported_by")?,
            imported_at: r.try_get("imported_at")?,
        },
        r.try_get("content")?,
    )))
}

fn model_of(body: &str) -> Result<LearnedModel, StoreError> {
    let model: LearnedModel = serde_json::from_str(body).map_err(corrupt)?;
    model.check().map_err(corrupt)?;
    Ok(model)
}

async fn in_use(conn: &mut Conn) -> Result<Option<u32>, StoreError> {
    match read_setting(conn, MODEL_KEY).await?.as_deref() {
        None | Some("none") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(corrupt),
    }
}

/// The model version in use and the model, if a quota manager put one in use.
pub(super) async fn model_in_use(
    conn: &mut Conn,
) -> Result<Option<(u32, LearnedModel)>, StoreError> {
    let Some(version) = in_use(conn).await? else {
        return Ok(None);
    };
    let body: String = sqlx::query_scalar("SELECT body FROM placement_models WHERE version = $1")
        .bind(i64::from(version))
        .fetch_one(&mut *conn)
        .await?;
    Ok(Some((version, model_of(&body)?)))
}

async fn versions(conn: &mut Conn) -> Result<Vec<ModelVersion>, StoreError> {
    let using = in_use(conn).await?;
    let rows = sqlx::query(
        "SELECT version, body, trained_by, trained_at FROM placement_models ORDER BY version",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let model = model_of(&r.try_get::<String, _>("body")?)?;
            let version: u32 = int(r, "version")?;
            Ok(ModelVersion {
                version,
                trained_by: r.try_get("trained_by")?,
                trained_at: r.try_get("trained_at")?,
                history_file: model.data.file_name.clone(),
                history_sha256: model.data.sha256.clone(),
                rows: model.data.rows,
                folds: model.validation.folds,
                learned: model.validation.learned,
                hand_weighted: model.validation.hand_weighted,
                in_use: using == Some(version),
            })
        })
        .collect()
}
