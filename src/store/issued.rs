//! Monthly reports as issued: kept in the store byte for byte, so that a board pack can be
//! reproduced exactly as it was sent, whatever the plan files say later (docs/store.md).

use anyhow::Context;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Store;

/// One rendering of an issued report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedFile {
    /// `md`, `html`, `json` or `csv`.
    pub format: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// An issued report, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub plan: String,
    pub month: String,
    pub issued_at: String,
    /// The formats kept, each with its SHA-256.
    pub formats: Vec<(String, String)>,
}

/// Keeps a report as issued: its JSON document and every rendering, in one transaction.
pub fn record(
    store: &mut Store,
    plan_id: &str,
    month: &str,
    issued_at: &str,
    document: &str,
    files: &[(&str, &[u8])],
) -> anyhow::Result<()> {
    let tx = store.write_transaction()?;
    let write = || -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO issued_reports (plan_id, month, issued_at, document) VALUES (?1, ?2, ?3, ?4)",
            params![plan_id, month, issued_at, document],
        )?;
        let id = tx.last_insert_rowid();
        for (format, bytes) in files {
            tx.execute(
                "INSERT INTO issued_report_files (report_id, format, sha256, bytes) VALUES (?1, ?2, ?3, ?4)",
                params![id, format, sha256(bytes), bytes],
            )?;
        }
        Ok(())
    };
    write().context("cannot keep the issued report in the store")?;
    tx.commit()
        .context("cannot keep the issued report in the store")
}

pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The latest issue of a plan's report for a month: when it was issued and its JSON document.
pub fn latest(
    store: &Store,
    plan_id: &str,
    month: &str,
) -> anyhow::Result<Option<(i64, String, String)>> {
    store
        .conn
        .query_row(
            "SELECT id, issued_at, document FROM issued_reports
             WHERE plan_id = ?1 AND month = ?2 ORDER BY id DESC LIMIT 1",
            params![plan_id, month],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .context("cannot read the issued reports")
}

/// One format of an issued report, with its bytes checked against the SHA-256 kept beside them.
pub fn file(store: &Store, report_id: i64, format: &str) -> anyhow::Result<Option<IssuedFile>> {
    let found: Option<IssuedFile> = store
        .conn
        .query_row(
            "SELECT format, sha256, bytes FROM issued_report_files WHERE report_id = ?1 AND format = ?2",
            params![report_id, format],
            |r| {
                Ok(IssuedFile {
                    format: r.get(0)?,
                    sha256: r.get(1)?,
                    bytes: r.get(2)?,
                })
            },
        )
        .optional()
        .context("cannot read the issued reports")?;
    if let Some(file) = &found
        && sha256(&file.bytes) != file.sha256
    {
        anyhow::bail!(
            "the issued {} report in the store does not match its SHA-256: the store is damaged",
            file.format
        );
    }
    Ok(found)
}

/// Every issued report, oldest first.
pub fn list(store: &Store) -> anyhow::Result<Vec<Issued>> {
    let mut reports = store.conn.prepare(
        "SELECT r.id, r.plan_id, r.month, r.issued_at, f.format, f.sha256
         FROM issued_reports r JOIN issued_report_files f ON f.report_id = r.id
         ORDER BY r.id, f.format",
    )?;
    let mut listed: Vec<(i64, Issued)> = Vec::new();
    let rows = reports.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (id, plan, month, issued_at, format, sha) =
            row.context("cannot read the issued reports")?;
        match listed.last_mut() {
            Some((last, issued)) if *last == id => issued.formats.push((format, sha)),
            _ => listed.push((
                id,
                Issued {
                    plan,
                    month,
                    issued_at,
                    formats: vec![(format, sha)],
                },
            )),
        }
    }
    Ok(listed.into_iter().map(|(_, issued)| issued).collect())
}
