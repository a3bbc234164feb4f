//! The sections a user may write in on a site (none listed: every section).

use crate::sites::SiteId;
use crate::{Result, Store, Tx};

impl Store {
    /// The sections `user` is limited to on `site`; empty: not limited.
    pub async fn user_sections(&self, user: i64, site: SiteId) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT section_id FROM user_sections WHERE user_id = $1 AND site_id = $2 \
             ORDER BY section_id",
        )
        .bind(user)
        .bind(site.0)
        .fetch_all(self.read())
        .await?)
    }

    /// Limits `user` on `site` to `sections` (empty: every section), in `tx`.
    pub async fn set_user_sections(
        &self,
        tx: &mut Tx,
        user: i64,
        site: SiteId,
        sections: &[i64],
    ) -> Result<()> {
        sqlx::query("DELETE FROM user_sections WHERE user_id = $1 AND site_id = $2")
            .bind(user)
            .bind(site.0)
            .execute(tx.conn())
            .await?;
        for s in sections {
            // Only the site's own sections: another site's id inserts nothing.
            sqlx::query(
                "INSERT INTO user_sections (user_id, site_id, section_id) \
                 SELECT $1, $2, id FROM sections WHERE id = $3 AND site_id = $2",
            )
            .bind(user)
            .bind(site.0)
            .bind(s)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }
}
