//! Password reset by e-mail: a single-use link valid 30 minutes (only its hash stored), the
//! same answer whether an account has the address or not, throttled per address and per
//! client network. The new password ends every session; the second factor stays.

use super::{Auth, User, normalise_email, throttle, tokens};
use crate::Error;
use crate::mail::Mailer;
use cong_store::SiteId;

/// How long a link works, in seconds.
pub const LINK_VALID: i64 = 30 * 60;
/// Requests for one e-mail address within `auth.failure_window`.
const PER_EMAIL: u32 = 3;
/// Requests from one client network within `auth.failure_window`.
const PER_NET: u32 = 10;

/// Someone asks for a reset link.
#[derive(Debug, Clone, Copy)]
pub struct ResetRequest<'a> {
    pub site: SiteId,
    pub site_name: &'a str,
    /// Where links point: the site's address without a trailing slash.
    pub base_url: &'a str,
    pub email: &'a str,
    pub ip: &'a str,
}

impl Auth {
    /// Queues a link to every enabled account with this address. Ok whether there is one or
    /// not; throttled (TooMany) before the address is looked up, so neither answer tells.
    pub async fn request_reset(&self, mailer: &Mailer, r: &ResetRequest<'_>) -> Result<(), Error> {
        let Some(email) = normalise_email(r.email)? else {
            return Err(Error::Invalid("Hãy nhập địa chỉ thư điện tử.".to_owned()));
        };
        let key = self.secrets.derive("cong reset addresses v1")?;
        let hashed = blake3::keyed_hash(&key, email.as_bytes()).to_hex();
        let email_scope = format!("reset:h{}", &hashed[..32]);
        let net_scope = format!("reset-ip:{}", throttle::net(r.ip));
        let now = self.now();
        let window = super::secs(self.cfg.failure_window);
        let mut tx = self.store.begin().await?;
        let throttle = self.store.throttle();
        throttle.lock(&mut tx, &[&email_scope, &net_scope]).await?;
        let mut wait = 0;
        for (scope, cap) in [(&email_scope, PER_EMAIL), (&net_scope, PER_NET)] {
            let (n, last) = throttle.count_since(&mut tx, scope, now - window).await?;
            wait = wait.max(throttle::capped(n, last, cap, window, now));
        }
        if wait > 0 {
            return Err(Error::TooMany(wait));
        }
        throttle.record(&mut tx, &email_scope, now).await?;
        throttle.record(&mut tx, &net_scope, now).await?;
        for row in self.store.users().list_by_email(&email).await? {
            let token = tokens::random_token();
            self.store
                .password_resets()
                .insert(
                    &mut tx,
                    &tokens::token_hash(&token),
                    row.id,
                    now,
                    now + LINK_VALID,
                )
                .await?;
            let context = serde_json::json!({
                "site_name": r.site_name,
                "username": row.username,
                "display_name": if row.display_name.is_empty() { &row.username } else { &row.display_name },
                "link": format!("{}/dat-lai-mat-khau?t={token}", r.base_url),
                "minutes": LINK_VALID / 60,
            });
            mailer
                .queue(&mut tx, r.site, &email, "password_reset", &context)
                .await?;
            let user = self.user_of(row).await?;
            self.audit_user(&mut tx, &user, "user.password_reset_asked", "", r.ip)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The account a link resets, while it works (not used, not expired).
    pub async fn reset_link_user(&self, token: &str) -> Result<Option<User>, Error> {
        let hash = tokens::token_hash(token);
        match self
            .store
            .password_resets()
            .find_valid(&hash, self.now())
            .await?
        {
            Some(id) => Ok(self.user(id).await?.filter(|u| !u.disabled)),
            None => Ok(None),
        }
    }

    /// Sets the new password through a link (NotFound when it no longer works): the link
    /// and the account's other links are used up, every session of the account ends.
    pub async fn finish_reset(&self, token: &str, new: &str, ip: &str) -> Result<(), Error> {
        let user = self.reset_link_user(token).await?.ok_or(Error::NotFound)?;
        let hash = self.hash_new_password(new, &user.username).await?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let resets = self.store.password_resets();
        // Of two uses at once, one takes the link; the other finds it gone.
        let taken = resets
            .take(&mut tx, &tokens::token_hash(token), now)
            .await?;
        if taken != Some(user.id) {
            return Err(Error::NotFound);
        }
        resets.end_for_user(&mut tx, user.id, now).await?;
        self.store
            .users()
            .set_password(&mut tx, user.id, &hash, now)
            .await?;
        self.store
            .sessions()
            .delete_for_user(&mut tx, user.id)
            .await?;
        self.audit_user(&mut tx, &user, "user.password_reset", "", ip)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
