//! The outbound mail queue: mails queued with the write that causes them, claimed by one node
//! at a time under a lease, then marked sent or failed (to be tried again later or for good).

use crate::sites::SiteId;
use crate::{Result, Store, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A queued mail's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting for its next attempt.
    Queued,
    /// Claimed by a node, which holds a lease on it.
    Sending,
    Sent,
    /// Given up after the last attempt.
    Failed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MailStatus> {
        Some(match s {
            "queued" => MailStatus::Queued,
            "sending" => MailStatus::Sending,
            "sent" => MailStatus::Sent,
            "failed" => MailStatus::Failed,
            _ => return None,
        })
    }
}

/// A mail to queue.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    pub site_id: SiteId,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    /// What the mail is for (the template's name, "password_reset").
    pub kind: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRow {
    pub id: i64,
    pub site_id: SiteId,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub kind: String,
    pub created_at: i64,
    pub status: MailStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<i64>,
    pub sent_at: Option<i64>,
}

const COLUMNS: &str = "id, site_id, recipient, subject, body_text, body_html, kind, created_at, \
     status, attempts, next_attempt_at, last_error, claimed_by, claimed_until, sent_at";

/// A mail a node may claim at `$2`: waiting and due, or claimed by a node whose lease ran out
/// (it died mid-send). Used both to find candidates and to guard the claim itself.
const CLAIMABLE: &str = "((status = 'queued' AND next_attempt_at <= $2) \
     OR (status = 'sending' AND claimed_until <= $2))";

fn from_row(r: &AnyRow) -> Result<MailRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(MailRow {
        id: r.try_get("id")?,
        site_id: SiteId(r.try_get("site_id")?),
        recipient: r.try_get("recipient")?,
        subject: r.try_get("subject")?,
        body_text: r.try_get("body_text")?,
        body_html: r.try_get("body_html")?,
        kind: r.try_get("kind")?,
        created_at: r.try_get("created_at")?,
        status: MailStatus::parse(&status).unwrap_or(MailStatus::Failed),
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_error: r.try_get("last_error")?,
        claimed_by: r.try_get("claimed_by")?,
        claimed_until: r.try_get("claimed_until")?,
        sent_at: r.try_get("sent_at")?,
    })
}

pub struct Mail<'a>(&'a Store);

impl Store {
    pub fn mail(&self) -> Mail<'_> {
        Mail(self)
    }
}

impl Mail<'_> {
    /// Queues a mail in the caller's transaction: it exists only if that write commits.
    pub async fn enqueue(&self, tx: &mut Tx, m: &NewMail<'_>, now: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO mail_outbox (site_id, recipient, subject, body_text, body_html, kind, \
             created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(m.site_id.0)
        .bind(m.recipient)
        .bind(m.subject)
        .bind(m.body_text)
        .bind(m.body_html)
        .bind(m.kind)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Claims up to `limit` due mails for `node` until `until`, counting an attempt on each.
    /// Each claim is one UPDATE guarded on the status and the lease, so when two nodes race
    /// for a mail the second one's UPDATE matches no row and it skips that mail.
    pub async fn claim_due(
        &self,
        node: &str,
        now: i64,
        until: i64,
        limit: i64,
    ) -> Result<Vec<MailRow>> {
        let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM mail_outbox WHERE status IN ('queued', 'sending') AND {CLAIMABLE} \
             ORDER BY next_attempt_at, id LIMIT $1"
        )))
        .bind(limit)
        .bind(now)
        .fetch_all(self.0.read())
        .await?;
        let mut claimed = Vec::new();
        for id in ids {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, \
                 claimed_by = $3, claimed_until = $4 WHERE id = $1 AND {CLAIMABLE} \
                 RETURNING {COLUMNS}"
            )))
            .bind(id)
            .bind(now)
            .bind(node)
            .bind(until)
            .fetch_optional(self.0.write())
            .await?;
            if let Some(row) = row {
                claimed.push(from_row(&row)?);
            }
        }
        Ok(claimed)
    }

    /// Marks a claimed mail sent. False when `node` no longer holds it (its lease ran out and
    /// another node took it).
    pub async fn mark_sent(&self, id: i64, node: &str, now: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE mail_outbox SET status = 'sent', sent_at = $3, last_error = '', \
             claimed_by = NULL, claimed_until = NULL \
             WHERE id = $1 AND status = 'sending' AND claimed_by = $2",
        )
        .bind(id)
        .bind(node)
        .bind(now)
        .execute(self.0.write())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records a failed attempt: queued again for `retry_at`, or failed for good when None.
    pub async fn mark_failed(
        &self,
        id: i64,
        node: &str,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<bool> {
        let (status, next) = match retry_at {
            Some(at) => (MailStatus::Queued, Some(at)),
            None => (MailStatus::Failed, None),
        };
        let r = sqlx::query(
            "UPDATE mail_outbox SET status = $3, last_error = $4, \
             next_attempt_at = COALESCE($5, next_attempt_at), \
             claimed_by = NULL, claimed_until = NULL \
             WHERE id = $1 AND status = 'sending' AND claimed_by = $2",
        )
        .bind(id)
        .bind(node)
        .bind(status.as_str())
        .bind(error)
        .bind(next)
        .execute(self.0.write())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A page of a site's mails, newest first (the back office's mail log).
    pub async fn list(&self, site: SiteId, limit: i64, offset: i64) -> Result<Vec<MailRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM mail_outbox WHERE site_id = $1 ORDER BY id DESC \
             LIMIT $2 OFFSET $3"
        )))
        .bind(site.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Mails of a site (for the log's pages).
    pub async fn count(&self, site: SiteId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE site_id = $1")
                .bind(site.0)
                .fetch_one(self.0.read())
                .await?,
        )
    }

    /// Every mail sent or to be sent to an address, on any site (a person's data export).
    pub async fn by_recipient(&self, email: &str) -> Result<Vec<MailRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM mail_outbox WHERE LOWER(recipient) = LOWER($1) ORDER BY id"
        )))
        .bind(email)
        .fetch_all(self.0.read())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Deletes every mail to an address (a person's data erased); how many.
    pub async fn delete_by_recipient(&self, tx: &mut Tx, email: &str) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM mail_outbox WHERE LOWER(recipient) = LOWER($1)")
                .bind(email)
                .execute(tx.conn())
                .await?
                .rows_affected(),
        )
    }

    /// One mail (for tests and checks).
    pub async fn find(&self, id: i64) -> Result<Option<MailRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM mail_outbox WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.0.read())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::migrated_store;

    fn mail(to: &str) -> NewMail<'_> {
        NewMail {
            site_id: SiteId::FIRST,
            recipient: to,
            subject: "Đặt lại mật khẩu",
            body_text: "Chào bạn",
            body_html: "<p>Chào bạn</p>",
            kind: "password_reset",
        }
    }

    /// Two nodes claiming at once never get the same mail, and between them get every one.
    #[tokio::test]
    async fn two_claimers_never_share_a_mail() {
        let dir = tempfile::tempdir().expect("dir");
        let (db, store) = migrated_store(dir.path()).await;
        // The second node has its own pool, as another process would.
        let other = Store::open(&cong_config::DatabaseConfig {
            url: db.url().to_owned(),
            ..Default::default()
        })
        .await
        .expect("open");
        let mut tx = store.begin().await.expect("begin");
        let addresses: Vec<String> = (0..40).map(|i| format!("u{i}@example.vn")).collect();
        for to in &addresses {
            store
                .mail()
                .enqueue(&mut tx, &mail(to), 100)
                .await
                .expect("enqueue");
        }
        tx.commit().await.expect("commit");

        let claim = |node: &'static str, store: &Store| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                loop {
                    let batch = store
                        .mail()
                        .claim_due(node, 100, 400, 3)
                        .await
                        .expect("claim");
                    if batch.is_empty() {
                        break;
                    }
                    got.extend(batch.into_iter().map(|m| m.id));
                }
                got
            })
        };
        let (a, b) = (claim("node-a", &store), claim("node-b", &other));
        let (a, b) = (a.await.expect("a"), b.await.expect("b"));
        let mut all: Vec<i64> = a.iter().chain(&b).copied().collect();
        all.sort_unstable();
        let before = all.len();
        all.dedup();
        assert_eq!(before, all.len(), "a mail was claimed twice");
        assert_eq!(all.len(), 40, "every mail claimed once");
    }

    /// A lease that runs out (the node died mid-send) lets another node retry the mail; the
    /// dead node can no longer mark it. A failure queues it again, or ends it for good.
    #[tokio::test]
    async fn leases_expire_and_failures_back_off() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, store) = migrated_store(dir.path()).await;
        let mut tx = store.begin().await.expect("begin");
        let id = store
            .mail()
            .enqueue(&mut tx, &mail("a@example.vn"), 100)
            .await
            .expect("q");
        tx.commit().await.expect("commit");

        let got = store
            .mail()
            .claim_due("a", 100, 160, 10)
            .await
            .expect("claim");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].attempts, 1);
        assert!(
            store
                .mail()
                .claim_due("b", 159, 220, 10)
                .await
                .expect("b")
                .is_empty()
        );
        let got = store.mail().claim_due("b", 160, 220, 10).await.expect("b");
        assert_eq!(got.len(), 1, "the lease ran out");
        assert_eq!(got[0].attempts, 2);
        assert!(!store.mail().mark_sent(id, "a", 170).await.expect("a"));

        assert!(
            store
                .mail()
                .mark_failed(id, "b", "refused", Some(500))
                .await
                .expect("f")
        );
        let m = store.mail().find(id).await.expect("find").expect("row");
        assert_eq!((m.status, m.next_attempt_at), (MailStatus::Queued, 500));
        assert_eq!(m.last_error, "refused");
        assert!(
            store
                .mail()
                .claim_due("b", 499, 600, 10)
                .await
                .expect("b")
                .is_empty()
        );
        assert_eq!(
            store
                .mail()
                .claim_due("b", 500, 600, 10)
                .await
                .expect("b")
                .len(),
            1
        );
        assert!(
            store
                .mail()
                .mark_failed(id, "b", "refused", None)
                .await
                .expect("f")
        );
        let m = store.mail().find(id).await.expect("find").expect("row");
        assert_eq!(m.status, MailStatus::Failed);
        assert!(
            store
                .mail()
                .claim_due("b", 10_000, 10_100, 10)
                .await
                .expect("b")
                .is_empty()
        );

        let mut tx = store.begin().await.expect("begin");
        let id = store
            .mail()
            .enqueue(&mut tx, &mail("b@example.vn"), 100)
            .await
            .expect("q");
        tx.commit().await.expect("commit");
        store
            .mail()
            .claim_due("a", 100, 160, 10)
            .await
            .expect("claim");
        assert!(store.mail().mark_sent(id, "a", 120).await.expect("sent"));
        let m = store.mail().find(id).await.expect("find").expect("row");
        assert_eq!((m.status, m.sent_at), (MailStatus::Sent, Some(120)));
        assert_eq!(store.mail().count(SiteId::FIRST).await.expect("count"), 2);
        let page = store.mail().list(SiteId::FIRST, 1, 0).await.expect("list");
        assert_eq!(page[0].id, id, "newest first");
    }
}
