//! `/chuyen-muc/{slug}?page=N` — a section's articles, newest first.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::{PageContext, Slug};
use axum::response::{IntoResponse, Redirect, Response};
use cong_render::i18n::localize_in;
use cong_render::urls::{self, PAGE_PARAM};
use cong_render::views::SectionView;

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let sp = ctx
        .app
        .content
        .section_page(ctx.site.id, &slug, page)
        .await?;
    // A section lists articles in one language, on that language's pages only.
    let lang = sp.section.lang;
    if lang != cong_render::i18n::current() {
        let path = localize_in(lang, &urls::section(&slug));
        return Ok(Redirect::temporary(&path).into_response());
    }
    let title = if page > 1 {
        let n = ctx.app.renderer.catalogue().text("page-number");
        format!("{} - {n} {page}", sp.section.name)
    } else {
        sp.section.name.clone()
    };
    let own = [(lang, localize_in(lang, &urls::section(&slug)))];
    let mut layout = ctx
        .layout(Some(&slug), None)
        .await?
        .titled(&title, &sp.section.description)
        .with_languages(&ctx.base, lang, &own);
    super::meta::section(&mut layout, &ctx.base, &sp.section, page);
    let view = SectionView::new(layout, &sp, &ctx.app.tz);
    let mut tags = vec![Tag::Section(sp.section.id)];
    tags.extend(sp.sources.iter().map(|s| Tag::Gathers(*s)));
    let live = LivePage::page(tags);
    ctx.render("section.html", &view, live)
}
