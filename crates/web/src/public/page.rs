//! `/trang/{slug}` — a static page (introduction, contact, privacy policy).

use crate::cache::LivePage;
use crate::error::Result;
use crate::extract::{PageContext, Slug};
use axum::response::Response;
use cong_render::views::{PageView, StaticPageView};

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Response> {
    let page = ctx.app.content.page(ctx.site.id, &slug).await?;
    let mut layout = ctx.layout(None, None).await?.titled(&page.title, "");
    super::meta::page(&mut layout, &ctx.base, &cong_render::urls::page(&page.slug));
    let files = ctx
        .app
        .files
        .attached(ctx.site.id, cong_domain::files::Owner::Page, page.id)
        .await?;
    let view = StaticPageView {
        layout,
        page: PageView::body(&page, &ctx.app.tz),
        files: cong_render::views::documents::FileLink::list(&files),
    };
    // Static pages show in every page's footer: any change to one reaches every page.
    let mut live = LivePage::page(Vec::new());
    live.video = cong_domain::text::embed::has_video(&page.body_html);
    ctx.render("page.html", &view, live)
}
