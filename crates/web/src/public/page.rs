//! `/trang/{slug}` — a static page (introduction, contact, privacy policy).

use crate::cache::LivePage;
use crate::error::Result;
use crate::extract::{PageContext, Slug};
use axum::response::{IntoResponse, Redirect, Response};
use cong_render::i18n::localize_in;
use cong_render::urls;
use cong_render::views::{PageView, StaticPageView};

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Response> {
    let (page, versions) = ctx.app.content.page_versions(ctx.site.id, &slug).await?;
    // A page is in one language: asked for in another, it is at its own address.
    if page.lang != cong_render::i18n::current() {
        let path = localize_in(page.lang, &urls::page(&page.slug));
        return Ok(Redirect::temporary(&path).into_response());
    }
    let versions: Vec<_> = versions
        .iter()
        .map(|(l, slug)| (*l, localize_in(*l, &urls::page(slug))))
        .collect();
    let mut layout = ctx
        .layout(None, None)
        .await?
        .titled(&page.title, "")
        .with_languages(&ctx.base, page.lang, &versions);
    super::meta::page(&mut layout, &ctx.base, &urls::page(&page.slug));
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
