//! The photo library (Thư viện ảnh): the galleries already published, newest first.

use super::{ArticleSummary, Content, Paged, offset_of, page_count};
use crate::Result;
use cong_store::SiteId;

/// Galleries a page of the photo library shows.
pub const GALLERIES_PER_PAGE: u32 = 12;

impl Content {
    /// A page of the site's published galleries, as cards: the gallery's title, the
    /// article's and the number of pictures as the summary, the first picture as the cover.
    pub async fn photo_library(&self, site: SiteId, page: u32) -> Result<Paged<ArticleSummary>> {
        let now = self.now();
        let total = self.store.count_galleries(site, now).await?;
        let offset = offset_of(page, total, GALLERIES_PER_PAGE)?;
        let items = self
            .store
            .list_galleries(site, now, i64::from(GALLERIES_PER_PAGE), offset)
            .await?
            .into_iter()
            .map(|(row, photos)| {
                let mut card = ArticleSummary::from(row);
                card.summary = if card.summary == card.title {
                    format!("{photos} ảnh")
                } else {
                    format!("{photos} ảnh · {}", card.summary)
                };
                card
            })
            .collect();
        Ok(Paged {
            items,
            page,
            pages: page_count(total, GALLERIES_PER_PAGE),
            total,
        })
    }
}
