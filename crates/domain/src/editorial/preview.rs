//! Previews: what the edit form holds, shown as its public page would show it, and links
//! that open an article's saved state for a while to a reviewer without an account.

use super::write::Clean;
use super::{Draft, Editorial, forbidden};
use crate::audit::{self, Actor, Entry};
use crate::auth::Action;
use crate::content::PreviewArticle;
use crate::secrets::Secrets;
use crate::{Error, Result};
use cong_store::SiteId;
use std::sync::Arc;

/// Why a preview link does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewRefused {
    /// Not a link this portal made (or made for another site).
    Invalid,
    /// It was, and its time is over.
    Expired,
}

/// Makes and checks preview links: `{article}.{expiry}.{mac}`, the MAC keyed by a key
/// derived from the secrets key, over the site, the article and the expiry.
#[derive(Clone)]
pub struct PreviewLinks {
    secrets: Arc<Secrets>,
}

impl std::fmt::Debug for PreviewLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewLinks").finish_non_exhaustive()
    }
}

const PURPOSE: &str = "cong 2026 preview links v1";

impl PreviewLinks {
    pub fn new(secrets: Arc<Secrets>) -> Self {
        PreviewLinks { secrets }
    }

    fn mac(&self, site: SiteId, id: i64, expires: i64) -> Result<blake3::Hash> {
        let key = self.secrets.derive(PURPOSE)?;
        Ok(blake3::keyed_hash(
            &key,
            format!("{}.{id}.{expires}", site.0).as_bytes(),
        ))
    }

    /// A link's token for article `id` of `site`, good until `expires` (Unix seconds).
    pub fn make(&self, site: SiteId, id: i64, expires: i64) -> Result<String> {
        Ok(format!(
            "{id}.{expires}.{}",
            self.mac(site, id, expires)?.to_hex()
        ))
    }

    /// The article a token opens on `site` at `now`.
    pub fn open(&self, site: SiteId, token: &str, now: i64) -> Result<i64, PreviewRefused> {
        let mut parts = token.splitn(3, '.');
        let (Some(id), Some(expires), Some(mac)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(PreviewRefused::Invalid);
        };
        let (Ok(id), Ok(expires), Ok(mac)) = (
            id.parse::<i64>(),
            expires.parse::<i64>(),
            blake3::Hash::from_hex(mac),
        ) else {
            return Err(PreviewRefused::Invalid);
        };
        // blake3's Hash compares in constant time.
        match self.mac(site, id, expires) {
            Ok(expected) if expected == mac => {}
            _ => return Err(PreviewRefused::Invalid),
        }
        if now >= expires {
            return Err(PreviewRefused::Expired);
        }
        Ok(id)
    }
}

impl Editorial {
    /// What the form holds, as a preview: refused as a save would be (who may, which
    /// section); nothing is written. `id`: the article edited, `None` for a new one.
    pub async fn preview_of(
        &self,
        actor: Actor<'_>,
        id: Option<i64>,
        d: &Draft,
    ) -> Result<PreviewArticle> {
        let row = match id {
            Some(id) => Some(self.get(actor, id).await?.0),
            None => {
                if !actor.may(Action::CreateArticle) {
                    return Err(forbidden());
                }
                None
            }
        };
        self.require_section(actor, d.section_id).await?;
        let clean = Clean::of(d);
        let now = self.now();
        Ok(PreviewArticle {
            id: row.as_ref().map_or(0, |r| r.id),
            section_id: d.section_id,
            slug: row.as_ref().map(|r| r.slug.clone()).unwrap_or_default(),
            title: clean.title,
            summary: clean.summary,
            body_html: clean.body,
            author: clean.author,
            cover_media_id: d.cover_media_id,
            gallery_title: clean.gallery_title,
            gallery: clean
                .gallery
                .into_iter()
                .map(|g| (g.media_id, g.caption, g.alt))
                .collect(),
            published_at: d.published_at.map_or_else(
                || row.as_ref().map_or(now, |r| r.published_at),
                |t| t.as_second(),
            ),
            updated_at: row.as_ref().map_or(now, |r| r.updated_at),
        })
    }

    /// An article as saved, whatever its state (not in the trash), for a preview link.
    pub async fn preview_saved(&self, site: SiteId, id: i64) -> Result<PreviewArticle> {
        let ed = self.store.editorial(site);
        let row = ed.find(id).await?.ok_or(Error::NotFound)?;
        if row.trashed_at.is_some() {
            return Err(Error::NotFound);
        }
        let gallery = ed.gallery(id).await?;
        Ok(PreviewArticle {
            id: row.id,
            section_id: row.section_id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            body_html: row.body_html,
            author: row.author,
            cover_media_id: row.cover_media_id,
            gallery_title: row.gallery_title,
            gallery: gallery
                .into_iter()
                .map(|g| (g.media_id, g.caption, g.alt))
                .collect(),
            published_at: row.published_at,
            updated_at: row.updated_at,
        })
    }

    /// A preview link's token for an article the actor may see, good for `days`; the
    /// audit log records who sent one.
    pub async fn preview_link(
        &self,
        actor: Actor<'_>,
        id: i64,
        links: &PreviewLinks,
        days: u32,
    ) -> Result<(String, i64)> {
        let (row, _) = self.get(actor, id).await?;
        if row.trashed_at.is_some() {
            return Err(super::in_trash());
        }
        let now = self.now();
        let expires = now + i64::from(days.max(1)) * 86_400;
        let token = links.make(actor.site, id, expires)?;
        let mut tx = self.store.begin().await?;
        let entry = Entry {
            action: "article.preview_link",
            kind: "article",
            id: Some(id),
            detail: &row.title,
        };
        audit::append(&self.store, &mut tx, actor, entry, now).await?;
        tx.commit().await?;
        Ok((token, expires))
    }
}
