//! `/thu-vien-anh?page=N` — the photo library: the galleries already published.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Response;
use cong_render::i18n::current;
use cong_render::urls::{PAGE_PARAM, PHOTOS};
use cong_render::views::LibraryView;
use fluent_bundle::FluentArgs;

pub async fn show(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let galleries = ctx.app.content.photo_library(ctx.site.id, page).await?;
    let words = ctx.app.renderer.catalogue();
    let title = if page > 1 {
        let mut args = FluentArgs::new();
        args.set("page", page);
        words
            .message(current(), "photos-title-page", Some(&args))
            .unwrap_or_default()
    } else {
        words.text("nav-photos")
    };
    let layout = ctx
        .layout(Some(PHOTOS), None)
        .await?
        .titled(&title, &words.text("photos-description"));
    let view = LibraryView::new(layout, &galleries, &ctx.app.tz, PHOTOS);
    // Any article published, changed or taken down may change the list, as on the home page.
    ctx.render("photos.html", &view, LivePage::page(vec![Tag::Home]))
}
