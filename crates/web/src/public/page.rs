//! `/trang/{slug}` — a static page (introduction, contact, privacy policy).

use crate::error::Result;
use crate::extract::{PageContext, Slug};
use axum::response::Html;
use cong_render::views::{PageView, StaticPageView};

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Html<String>> {
    let page = ctx.app.content.page(&slug).await?;
    ctx.count(None);
    let mut layout = ctx.layout(None, None).await?.titled(&page.title, "");
    super::meta::page(&mut layout, &ctx.base, &cong_render::urls::page(&page.slug));
    let view = StaticPageView {
        layout,
        page: PageView::body(&page, &ctx.app.tz),
    };
    ctx.render("page.html", &view)
}
