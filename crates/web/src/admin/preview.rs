//! Previews: the edit form's content as its public page (theme, widget, "Tin khác"), before
//! it is saved; and preview links a reviewer without an account can open until they expire.
//! Both render through the public article page's own code; neither is counted nor kept.

use super::form::FormData;
use super::session::Admin;
use crate::cache::LivePage;
use crate::error::{Error, Result};
use crate::extract::PageContext;
use axum::extract::{ConnectInfo, Path};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use cong_domain::editorial::PreviewRefused;
use std::net::SocketAddr;

/// Where a preview link leads, under the public site's address.
pub const LINK_PREFIX: &str = "/xem-truoc/";

/// The page cache's mark on a preview of `ap` (an unsaved article has no numbers of its own).
fn preview_live(ap: &cong_domain::content::ArticlePage) -> LivePage {
    let a = &ap.article;
    LivePage::preview((a.id > 0).then_some((a.id, a.stored_views, a.stored_views_seq)))
}

/// POST `/quan-tri/bai-viet/xem-truoc`: the form as sent (with `id` when the article
/// exists), shown as its public page would be.
pub async fn draft(admin: Admin, ctx: PageContext, form: FormData) -> Result<Response> {
    let draft = super::articles::draft_from(&form, &admin)?;
    let id = form.id("id")?;
    // The page is drawn in its section: without one there is nothing to show yet.
    let no_section = || Error::Unprocessable("Chọn chuyên mục trước khi xem trước.".to_owned());
    if draft.section_id == 0 {
        return Err(no_section());
    }
    let p = admin
        .app
        .editorial
        .preview_of(admin.actor(), id, &draft)
        .await?;
    let ap = match admin.app.content.preview_page(admin.site.id, p).await {
        Err(cong_domain::Error::NotFound) => return Err(no_section()),
        other => other?,
    };
    // The page cache's layer splices its numbers and marks it noindex and no-store.
    crate::public::article::respond(&ctx, &ap, preview_live(&ap)).await
}

#[derive(serde::Serialize)]
struct LinkView {
    url: String,
    expires: String,
    article: i64,
}

/// POST `/quan-tri/bai-viet/{id}/lien-ket-xem-truoc`: a link to send, shown once.
pub async fn link(
    admin: Admin,
    Path(id): Path<i64>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    let app = &admin.app;
    // A link to send is absolute: the site's address, else the one this request came by.
    let base = crate::extract::base_url(app, &admin.site, peer.ip(), &headers, &uri)?;
    let (token, expires) = app
        .editorial
        .preview_link(admin.actor(), id, &app.previews, app.preview_link_days)
        .await?;
    let view = LinkView {
        url: format!("{base}{LINK_PREFIX}{token}"),
        expires: cong_render::date_time(super::articles::ts(expires), &app.tz),
        article: id,
    };
    Ok(admin
        .render(
            "admin/preview_link.html",
            "Liên kết xem trước",
            "/quan-tri/bai-viet",
            vec![],
            view,
        )
        .await?
        .into_response())
}

/// GET `/xem-truoc/{token}`: the article as saved now, for whoever holds a valid link.
pub async fn open(ctx: PageContext, Path(token): Path<String>) -> Result<Response> {
    let app = &ctx.app;
    let now = jiff::Timestamp::now().as_second();
    let id = match app.previews.open(ctx.site.id, &token, now) {
        Ok(id) => id,
        Err(PreviewRefused::Expired) => {
            return Err(Error::Gone(
                "Liên kết xem trước đã hết hạn. Xin người gửi tạo liên kết mới.".to_owned(),
            ));
        }
        Err(PreviewRefused::Invalid) => return Err(Error::NotFound),
    };
    let p = app.editorial.preview_saved(ctx.site.id, id).await?;
    let ap = app.content.preview_page(ctx.site.id, p).await?;
    crate::public::article::respond(&ctx, &ap, preview_live(&ap)).await
}
