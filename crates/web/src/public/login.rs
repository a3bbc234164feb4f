//! `/dang-nhap` — the way to the back office. Until the back office exists, it says so;
//! it never shows a form that pretends to log anyone in.

use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Html;
use cong_render::views::LoginView;

pub async fn show(ctx: PageContext) -> Result<Html<String>> {
    let layout = ctx.layout(None, None).await?.titled("Đăng nhập", "");
    ctx.render("login.html", &LoginView { layout })
}
