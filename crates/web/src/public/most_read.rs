//! "Tin xem nhiều" on the home and article pages: the site's most-read published articles
//! of the last week. The page cache keeps it as rendered (at most `cache.max_age`, as the
//! issue allows); each listed article tags the page, so unpublishing or editing one
//! renders the page again at once.

use crate::cache::Tag;
use crate::error::Result;
use crate::extract::PageContext;
use cong_render::urls;
use cong_render::views::{Layout, LinkView};

/// The last days the list counts, today included.
pub(super) const DAYS: i64 = 7;
/// How many articles it shows.
const SHOWN: i64 = 5;

/// Puts the list in `layout`; returns the page-cache tags of the articles in it.
pub async fn fill(ctx: &PageContext, layout: &mut Layout) -> Result<Vec<Tag>> {
    let list = ctx
        .app
        .stats
        .most_read_public(ctx.site.id, cong_render::i18n::current(), DAYS, SHOWN)
        .await?;
    let tags = list.iter().map(|m| Tag::Article(m.id)).collect();
    layout.most_read = list
        .into_iter()
        .map(|m| LinkView {
            url: urls::article(&m.slug),
            title: m.title,
        })
        .collect();
    Ok(tags)
}
