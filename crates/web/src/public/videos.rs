//! `/video?page=N` — the video library: the articles already published that play a video
//! (uploaded or YouTube), as recorded at each save.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Response;
use cong_render::urls::{PAGE_PARAM, VIDEOS};
use cong_render::views::LibraryView;

pub async fn show(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let found = ctx.app.content.video_library(ctx.site.id, page).await?;
    let title = if page > 1 {
        format!("Video - Trang {page}")
    } else {
        "Video".to_owned()
    };
    let layout = ctx
        .layout(Some(VIDEOS), None)
        .await?
        .titled(&title, "Các video kèm bài viết đã đăng.");
    let view = LibraryView::new(layout, &found, &ctx.app.tz, VIDEOS);
    // Any article published, changed or taken down may change the list, as on the home page.
    ctx.render("videos.html", &view, LivePage::page(vec![Tag::Home]))
}
