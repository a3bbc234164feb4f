//! The audit log: every back-office action, appended, never changed.

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::{AssertSqlSafe, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<i64>,
    pub detail: String,
    pub ip: String,
    pub site_id: Option<SiteId>,
}

/// An entry to append.
#[derive(Debug, Clone, Default)]
pub struct NewAudit<'a> {
    pub user_id: Option<i64>,
    pub username: &'a str,
    pub action: &'a str,
    pub object_kind: &'a str,
    pub object_id: Option<i64>,
    pub detail: &'a str,
    pub ip: &'a str,
    /// The site the action concerned (none for accounts and logins).
    pub site_id: Option<SiteId>,
}

/// What the administrator filters by; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub object_kind: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub site: Option<SiteId>,
}

pub struct Audit<'a>(&'a Store);

impl Store {
    pub fn audit(&self) -> Audit<'_> {
        Audit(self)
    }
}

impl Audit<'_> {
    /// Appends an entry in `tx`, so it stands or falls with the action it records.
    pub async fn append(&self, tx: &mut Tx, e: &NewAudit<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, username, action, object_kind, object_id, detail, ip, site_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(now)
        .bind(e.user_id)
        .bind(e.username)
        .bind(e.action)
        .bind(e.object_kind)
        .bind(e.object_id)
        .bind(e.detail)
        .bind(e.ip)
        .bind(e.site_id.map(|s| s.0))
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    /// Newest first, a page of `limit` after skipping `offset`; and the total.
    pub async fn list(
        &self,
        f: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditRow>, i64)> {
        let mut conds = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if f.username.is_some() {
            conds.push(format!("username = {}", next()));
        }
        if f.action.is_some() {
            conds.push(format!("action = {}", next()));
        }
        if f.object_kind.is_some() {
            conds.push(format!("object_kind = {}", next()));
        }
        if f.since.is_some() {
            conds.push(format!("at >= {}", next()));
        }
        if f.until.is_some() {
            conds.push(format!("at < {}", next()));
        }
        if f.site.is_some() {
            conds.push(format!("site_id = {}", next()));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let bind_all = |sql: String| {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for s in [&f.username, &f.action, &f.object_kind]
                .into_iter()
                .flatten()
            {
                q = q.bind(s.clone());
            }
            for t in [f.since, f.until, f.site.map(|s| s.0)]
                .into_iter()
                .flatten()
            {
                q = q.bind(t);
            }
            q
        };
        let total: i64 = bind_all(format!("SELECT COUNT(*) AS n FROM audit_log{filter}"))
            .fetch_one(self.0.read())
            .await?
            .try_get("n")?;
        let rows = bind_all(format!(
            "SELECT id, at, user_id, username, action, object_kind, object_id, detail, ip, site_id \
             FROM audit_log{filter} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
        ))
        .fetch_all(self.0.read())
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    user_id: r.try_get("user_id")?,
                    username: r.try_get("username")?,
                    action: r.try_get("action")?,
                    object_kind: r.try_get("object_kind")?,
                    object_id: r.try_get("object_id")?,
                    detail: r.try_get("detail")?,
                    ip: r.try_get("ip")?,
                    site_id: r.try_get::<Option<i64>, _>("site_id")?.map(SiteId),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }
}
