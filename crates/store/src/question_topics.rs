//! A site's Hỏi đáp fields (lĩnh vực): listed in order, added, renamed, removed.

use crate::feedback::TopicName;
use crate::questions::{QuestionTopic, Questions};
use crate::sites::SiteId;
use crate::{Result, Tx};
use sqlx::Row;

impl Questions<'_> {
    pub async fn topics(&self, site: SiteId) -> Result<Vec<QuestionTopic>> {
        let rows = sqlx::query(
            "SELECT id, site_id, name, name_en, position FROM question_topics WHERE site_id = $1 \
             ORDER BY position, id",
        )
        .bind(site.0)
        .fetch_all(self.0.read())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(QuestionTopic {
                id: r.try_get("id")?,
                site_id: SiteId(r.try_get("site_id")?),
                name: r.try_get("name")?,
                name_en: r.try_get("name_en")?,
                position: r.try_get("position")?,
            });
        }
        Ok(out)
    }

    pub async fn insert_topic(
        &self,
        tx: &mut Tx,
        site: SiteId,
        name: &TopicName<'_>,
        position: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO question_topics (site_id, name, name_en, position) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site.0)
        .bind(name.vi)
        .bind(name.en)
        .bind(position)
        .fetch_one(tx.conn())
        .await?)
    }

    /// Changes a field of `site`; false when it has none with that id.
    pub async fn update_topic(
        &self,
        tx: &mut Tx,
        site: SiteId,
        id: i64,
        name: &TopicName<'_>,
        position: i64,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE question_topics SET name = $3, name_en = $4, position = $5 \
             WHERE site_id = $1 AND id = $2",
        )
        .bind(site.0)
        .bind(id)
        .bind(name.vi)
        .bind(name.en)
        .bind(position)
        .execute(tx.conn())
        .await?
        .rows_affected()
            > 0)
    }

    /// Removes a field; its questions stay, without one.
    pub async fn delete_topic(&self, tx: &mut Tx, site: SiteId, id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM question_topics WHERE site_id = $1 AND id = $2")
                .bind(site.0)
                .bind(id)
                .execute(tx.conn())
                .await?
                .rows_affected()
                > 0,
        )
    }
}
