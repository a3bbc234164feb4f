//! `/video?page=N` — the video library: the articles already published that play a video
//! (uploaded or YouTube), as recorded at each save.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Response;
use cong_render::i18n::current;
use cong_render::urls::{PAGE_PARAM, VIDEOS};
use cong_render::views::LibraryView;
use fluent_bundle::FluentArgs;

pub async fn show(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let found = ctx.app.content.video_library(ctx.site.id, page).await?;
    let words = ctx.app.renderer.catalogue();
    let title = if page > 1 {
        let mut args = FluentArgs::new();
        args.set("page", page);
        words
            .message(current(), "videos-title-page", Some(&args))
            .unwrap_or_default()
    } else {
        words.text("nav-videos")
    };
    let layout = ctx
        .layout(Some(VIDEOS), None)
        .await?
        .titled(&title, &words.text("videos-description"));
    let view = LibraryView::new(layout, &found, &ctx.app.tz, VIDEOS);
    // Any article published, changed or taken down may change the list, as on the home page.
    ctx.render("videos.html", &view, LivePage::page(vec![Tag::Home]))
}
