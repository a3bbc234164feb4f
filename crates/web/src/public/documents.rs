//! `/van-ban?loai=…&co-quan=…&linh-vuc=…&nam=…&hieu-luc=…&q=…&page=N` — the documents
//! library, filtered by plain GET parameters (shareable addresses); `/van-ban/{slug}` — one
//! document with its files and relations. An unknown filter value is a 400 with the form and
//! a sentence saying which.

use crate::cache::LivePage;
use crate::error::Result;
use crate::extract::{PageContext, Slug};
use axum::http::StatusCode;
use axum::response::Response;
use cong_domain::documents::{Lists, Query};
use cong_render::i18n::Catalogue;
use cong_render::urls::{self, PAGE_PARAM};
use cong_render::views::documents::{
    DocumentsView, EFFECT_PARAM, FIELD_PARAM, ISSUER_PARAM, LibraryForm, TEXT_PARAM, TYPE_PARAM,
    YEAR_PARAM, effect_of_slug,
};

/// The form as sent, and the query it makes (or what is wrong with it).
fn parse(
    raw: Option<&str>,
    lists: &Lists,
    words: &Catalogue,
) -> (LibraryForm, std::result::Result<Query, String>) {
    let mut form = LibraryForm::default();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v: String = v.trim().chars().take(200).collect();
        match k.as_ref() {
            TYPE_PARAM => form.type_slug = v,
            ISSUER_PARAM => form.issuer_slug = v,
            FIELD_PARAM => form.field_slug = v,
            YEAR_PARAM => form.year = v,
            EFFECT_PARAM => form.effect = v,
            TEXT_PARAM => form.q = v,
            _ => {}
        }
    }
    let mut q = Query {
        text: form.q.clone(),
        ..Query::default()
    };
    let mut problems = Vec::new();
    for (slug, terms, slot, what) in [
        (
            &form.type_slug,
            &lists.types,
            &mut q.type_id,
            "documents-type",
        ),
        (
            &form.issuer_slug,
            &lists.issuers,
            &mut q.issuer_id,
            "documents-issuer",
        ),
        (
            &form.field_slug,
            &lists.fields,
            &mut q.field_id,
            "documents-field",
        ),
    ] {
        if slug.is_empty() {
            continue;
        }
        match terms.iter().find(|t| &t.slug == slug) {
            Some(t) => *slot = Some(t.id),
            None => problems.push(format!(
                "{} “{slug}” {}",
                words.text(what),
                words.text("documents-not-listed")
            )),
        }
    }
    if !form.year.is_empty() {
        match form.year.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => q.year = Some(y),
            _ => problems.push(format!(
                "{} “{}” {}",
                words.text("documents-the-year"),
                form.year,
                words.text("documents-not-valid")
            )),
        }
    }
    if !form.effect.is_empty() {
        match effect_of_slug(&form.effect) {
            Some(e) => q.effect = Some(e),
            None => problems.push(words.text("documents-bad-effect")),
        }
    }
    let query = if problems.is_empty() {
        Ok(q)
    } else {
        Err(problems.join(" "))
    };
    (form, query)
}

pub async fn list(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let site = ctx.site.id;
    let lists = ctx.app.documents.lists(site).await?;
    let years = ctx.app.documents.years(site).await?;
    let words = ctx.app.renderer.catalogue();
    let (form, query) = parse(ctx.query.as_deref(), &lists, words);
    let title = if page > 1 {
        format!(
            "{} - {} {page}",
            words.text("documents"),
            words.text("documents-page")
        )
    } else {
        words.text("documents")
    };
    let mut layout = ctx
        .layout(Some(urls::DOCUMENTS), None)
        .await?
        .titled(&title, &words.text("documents-description"));
    let filtered = form.filtered();
    let path = if filtered {
        form.url()
    } else {
        urls::paged(urls::DOCUMENTS, PAGE_PARAM, page, "")
    };
    super::meta::page(&mut layout, &ctx.base, &path);
    if filtered {
        // Every combination of filters is an address; one canonical list is enough.
        layout.head.robots = Some("noindex, follow");
    }
    let (status, view) = match query {
        Err(message) => (
            StatusCode::BAD_REQUEST,
            DocumentsView::new(layout, form, &lists, &years, None, Some(message)),
        ),
        Ok(q) => {
            let paged = ctx.app.documents.list(site, &q, page, true).await?;
            (
                StatusCode::OK,
                DocumentsView::new(layout, form, &lists, &years, Some(&paged), None),
            )
        }
    };
    // The plain list is kept; filtered ones are endless addresses, given live numbers only.
    let live = LivePage {
        keep: !filtered,
        ..LivePage::page(Vec::new())
    };
    let mut res = ctx.render("documents.html", &view, live)?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn show(Slug(slug): Slug, ctx: PageContext) -> Result<Response> {
    let detail = ctx.app.documents.published(ctx.site.id, &slug).await?;
    let typed = super::consultations::Typed::default();
    super::consultations::document_page(&ctx, &detail, &typed, StatusCode::OK).await
}
