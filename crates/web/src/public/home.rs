//! `/` — the home page.

use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Html;
use cong_render::views::HomeView;

pub async fn show(ctx: PageContext) -> Result<Html<String>> {
    let home = ctx.app.content.home().await?;
    ctx.count(None);
    let mut layout = ctx.layout(None, None).await?.titled("", "");
    super::meta::home(&mut layout, &ctx.base);
    ctx.render("home.html", &HomeView::new(layout, &home, &ctx.app.tz))
}
