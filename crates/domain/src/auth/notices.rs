//! Whether an account gets the editorial workflow's notices by mail (its own choice).

use super::{Auth, By, User};
use crate::Error;

impl Auth {
    /// Turns the user's own workflow notices on or off (audited; no change, no entry).
    pub async fn set_notices(&self, by: By<'_>, user: &User, on: bool) -> Result<(), Error> {
        // Only the user chooses what lands in their own mailbox.
        if !by.is(user.id) {
            return Err(Error::Forbidden(
                "Chỉ người dùng tự chọn nhận thư báo.".to_owned(),
            ));
        }
        if on == self.notices_of(user.id).await? {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        self.store
            .users()
            .set_notices(&mut tx, user.id, on, self.now())
            .await?;
        let detail = format!("{} {}", user.username, if on { "bật" } else { "tắt" });
        self.audit_change_on(&mut tx, by, "user.notices", user.id, &detail, None)
            .await?;
        tx.commit().await.map_err(Error::from)
    }

    /// Whether the account gets the workflow's notices (on for an unknown account: the
    /// default a new one has).
    pub async fn notices_of(&self, user_id: i64) -> Result<bool, Error> {
        Ok(self
            .store
            .users()
            .find_by_id(user_id)
            .await?
            .is_none_or(|u| u.notices))
    }
}
