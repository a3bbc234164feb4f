//! The photo and video libraries (Thư viện ảnh, Video): the galleries and videos of the
//! articles already published, newest first.

use super::{ArticleSummary, Content, Paged, offset_of, page_count};
use crate::Result;
use cong_store::SiteId;

/// Galleries a page of the photo library shows (and articles a page of the video library).
pub const GALLERIES_PER_PAGE: u32 = 12;

impl Content {
    /// A page of the site's published galleries, as cards: the gallery's title, the
    /// article's and the number of pictures as the summary, the first picture as the cover.
    pub async fn photo_library(&self, site: SiteId, page: u32) -> Result<Paged<ArticleSummary>> {
        let now = self.now();
        let total = self.store.count_galleries(site, now).await?;
        let offset = offset_of(page, total, GALLERIES_PER_PAGE)?;
        let rows = self
            .store
            .list_galleries(site, now, i64::from(GALLERIES_PER_PAGE), offset)
            .await?;
        Ok(cards(rows, "ảnh", page, total))
    }

    /// A page of the site's published articles that play a video, as cards: the first
    /// video's title (else the article's), the number of videos and the article's title as
    /// the summary, the first uploaded video's poster (else the article's cover).
    pub async fn video_library(&self, site: SiteId, page: u32) -> Result<Paged<ArticleSummary>> {
        let now = self.now();
        let videos = self.store.videos(site);
        let total = videos.count_library(now).await?;
        let offset = offset_of(page, total, GALLERIES_PER_PAGE)?;
        let rows = videos
            .library(now, i64::from(GALLERIES_PER_PAGE), offset)
            .await?;
        Ok(cards(rows, "video", page, total))
    }
}

/// A library's page of cards: each says how many `noun`s it has, then the article's title
/// when the card's own title is another.
fn cards(
    rows: Vec<(cong_store::articles::ArticleSummaryRow, i64)>,
    noun: &str,
    page: u32,
    total: i64,
) -> Paged<ArticleSummary> {
    let items = rows
        .into_iter()
        .map(|(row, n)| {
            let mut card = ArticleSummary::from(row);
            card.summary = if card.summary == card.title {
                format!("{n} {noun}")
            } else {
                format!("{n} {noun} · {}", card.summary)
            };
            card
        })
        .collect();
    Paged {
        items,
        page,
        pages: page_count(total, GALLERIES_PER_PAGE),
        total,
    }
}
