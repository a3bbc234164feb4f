//! `/` — the home page.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Response;
use cong_render::views::HomeView;

pub async fn show(ctx: PageContext) -> Result<Response> {
    let home = ctx.app.content.home(ctx.site.id).await?;
    let mut layout = ctx.layout(None, None).await?.titled("", "");
    super::meta::home(&mut layout, &ctx.base);
    let most_read = super::most_read::fill(&ctx, &mut layout).await?;
    let view = HomeView::new(layout, &home, &ctx.app.tz);
    let mut tags = vec![Tag::Home];
    tags.extend(home.gathers.iter().map(|s| Tag::Gathers(*s)));
    tags.extend(most_read);
    ctx.render("home.html", &view, LivePage::page(tags))
}
