//! `/thu-vien-anh?page=N` — the photo library: the galleries already published.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Response;
use cong_render::urls::{PAGE_PARAM, PHOTOS};
use cong_render::views::LibraryView;

pub async fn show(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let galleries = ctx.app.content.photo_library(ctx.site.id, page).await?;
    let title = if page > 1 {
        format!("Thư viện ảnh - Trang {page}")
    } else {
        "Thư viện ảnh".to_owned()
    };
    let layout = ctx
        .layout(Some(PHOTOS), None)
        .await?
        .titled(&title, "Các bộ ảnh kèm bài viết đã đăng.");
    let view = LibraryView::new(layout, &galleries, &ctx.app.tz, PHOTOS);
    // Any article published, changed or taken down may change the list, as on the home page.
    ctx.render("photos.html", &view, LivePage::page(vec![Tag::Home]))
}
