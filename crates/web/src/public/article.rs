//! `/bai-viet/{slug}?tin-khac=N` — an article, its gallery, its live view count, and
//! "Tin khác".

use crate::error::Result;
use crate::extract::{PageContext, Slug};
use axum::response::Html;
use cong_render::urls::OTHERS_PARAM;
use cong_render::views::ArticleView;

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Html<String>> {
    let others_page = ctx.page_number(OTHERS_PARAM)?;
    let ap = ctx.app.content.article_page(&slug, others_page).await?;
    let a = &ap.article;
    // Counted before the count is read, so the reader's own view shows at once.
    ctx.count(Some(a.id));
    let views = ctx
        .app
        .stats
        .article_views(a.id, a.stored_views, a.stored_views_seq);
    let layout = ctx
        .layout(None, Some(&ap.section.slug))
        .await?
        .titled(&a.title, &a.summary);
    ctx.render(
        "article.html",
        &ArticleView::new(layout, &ap, views, &ctx.app.tz),
    )
}
