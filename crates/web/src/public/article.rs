//! `/bai-viet/{slug}?tin-khac=N` — an article, its gallery, its live view count, and
//! "Tin khác".

use crate::cache::{LivePage, Tag};
use crate::error::{Error, Result};
use crate::extract::{PageContext, Slug};
use axum::response::{IntoResponse, Redirect, Response};
use cong_domain::content::ArticlePage;
use cong_render::live::Live;
use cong_render::urls::{self, OTHERS_PARAM};
use cong_render::views::ArticleView;

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Response> {
    let others_page = ctx.page_number(OTHERS_PARAM)?;
    let ap = match ctx
        .app
        .content
        .article_page(ctx.site.id, &slug, others_page)
        .await
    {
        Err(cong_domain::Error::NotFound) => {
            // A slug the article had before it was renamed: send readers to the new one.
            return match ctx.app.content.renamed_article(ctx.site.id, &slug).await? {
                Some(current) => {
                    let path = cong_render::i18n::localize(&urls::article(&current));
                    Ok(Redirect::permanent(&path).into_response())
                }
                None => Err(Error::NotFound),
            };
        }
        other => other?,
    };
    // An article has the language of its section: asked for in another, it is elsewhere.
    let lang = cong_render::i18n::current();
    if ap.section.lang != lang {
        let path = cong_render::i18n::localize_in(ap.section.lang, &urls::article(&slug));
        return Ok(Redirect::temporary(&path).into_response());
    }
    let a = &ap.article;
    let mut tags = vec![Tag::Article(a.id), Tag::Section(ap.section.id)];
    // The article it translates, whose publication its switch follows (the original's page
    // follows its translations through the change feed: see `App::follow`).
    tags.extend(a.translation_of.map(Tag::Article));
    // A shared copy shows its original: a change to it makes this page stale.
    tags.extend(a.origin.as_ref().map(|o| Tag::Article(o.article_id)));
    let mut live = LivePage::page(tags);
    live.article = Some((a.id, a.stored_views, a.stored_views_seq));
    respond(&ctx, &ap, live).await
}

/// The page of `ap` as readers get it; a preview passes a `live` that is neither counted
/// nor kept, and gets the very same page.
pub(crate) async fn respond(
    ctx: &PageContext,
    ap: &ArticlePage,
    mut live: LivePage,
) -> Result<Response> {
    let a = &ap.article;
    let versions: Vec<_> = ap
        .versions
        .iter()
        .map(|(l, slug)| (*l, cong_render::i18n::localize_in(*l, &urls::article(slug))))
        .collect();
    let mut layout = ctx
        .layout(None, Some(&ap.section.slug))
        .await?
        .titled(&a.title, &a.summary)
        .with_languages(&ctx.base, ap.section.lang, &versions);
    super::meta::article(&mut layout, &ctx.base, a, &ap.section, &ctx.app.tz);
    let most_read = super::most_read::fill(ctx, &mut layout).await?;
    let views = ctx.app.cache.marker().slot(Live::Views);
    let mut view = ArticleView::new(layout, ap, views, &ctx.app.tz);
    let files = ctx
        .app
        .files
        .attached(ctx.site.id, cong_domain::files::Owner::Article, a.id)
        .await?;
    view.files = cong_render::views::documents::FileLink::list(&files);
    // A page that plays a video opens its frame source (kept pages too).
    live.video = cong_domain::text::embed::has_video(&a.body_html);
    live.tags.extend(most_read);
    ctx.render("article.html", &view, live)
}
