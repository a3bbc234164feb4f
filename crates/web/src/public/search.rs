//! `/tim-kiem?q=…&chuyen-muc=…&tu-ngay=…&den-ngay=…&page=N` — full-text search of the
//! published articles, in the site's style. A reader's mistake (a malformed query, a bad
//! date, an unknown section) is a 400 with the form and a sentence saying what to fix.

use crate::cache::LivePage;
use crate::error::{Error, Result};
use crate::extract::PageContext;
use axum::http::StatusCode;
use axum::response::Response;
use cong_domain::search::{Kind, Query, SearchFailure};
use cong_render::i18n::{Catalogue, current};
use cong_render::urls::PAGE_PARAM;
use cong_render::views::{
    ALL_SITES, ARTICLES, DOCUMENTS, QUESTIONS, ResultSite, SearchForm, SearchView,
};
use fluent_bundle::FluentArgs;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use cong_domain::documents::parse_day as parse_date;

/// The first second of `d`, and the last, in the site's zone.
fn day_bounds(d: Date, tz: &TimeZone) -> Option<(i64, i64)> {
    let start = d
        .to_zoned_datetime(tz.clone())
        .ok()?
        .timestamp()
        .as_second();
    let next = d
        .tomorrow()
        .ok()?
        .to_zoned_datetime(tz.clone())
        .ok()?
        .timestamp()
        .as_second();
    Some((start, next - 1))
}

/// The form's fields, raw; and the query built from them, or what is wrong with them.
struct Parsed {
    form: SearchForm,
    query: std::result::Result<Query, String>,
}

fn parse(
    raw: Option<&str>,
    page: u32,
    sections: &[cong_domain::content::Section],
    tz: &TimeZone,
    words: &Catalogue,
) -> Parsed {
    let mut form = SearchForm::default();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        // Inputs are capped: the index refuses long queries with its own message, and
        // nothing else here needs more than a slug or a date.
        let v: String = v.chars().take(2000).collect();
        match k.as_ref() {
            "q" => form.q = v,
            "chuyen-muc" => form.section = v,
            "tu-ngay" => form.from = v,
            "den-ngay" => form.until = v,
            // Only the one value means anything; anything else is this site.
            "pham-vi" if v == ALL_SITES => form.scope = v,
            // Articles, documents or questions only; anything else is all of them.
            "loai" if [ARTICLES, DOCUMENTS, QUESTIONS].contains(&v.as_str()) => form.kind = v,
            _ => {}
        }
    }
    let mut query = Query::text(form.q.clone());
    query.page = page;
    query.per_page = 0;
    query.kind = match form.kind.as_str() {
        ARTICLES => Some(Kind::Article),
        DOCUMENTS => Some(Kind::Document),
        QUESTIONS => Some(Kind::Question),
        _ => None,
    };
    let mut problems = Vec::new();
    if !form.section.is_empty() {
        match sections.iter().find(|s| s.slug == form.section) {
            Some(s) => query.section_id = Some(s.id),
            None => problems.push(words.text("search-error-section")),
        }
    }
    for (raw, label, slot, is_from) in [
        (&mut form.from, "search-from", &mut query.from, true),
        (&mut form.until, "search-until", &mut query.until, false),
    ] {
        if raw.trim().is_empty() {
            raw.clear();
            continue;
        }
        match parse_date(raw).and_then(|d| day_bounds(d, tz).map(|b| (d, b))) {
            Some((d, (start, end))) => {
                // Shown back in the form in the format `<input type=date>` accepts.
                *raw = d.to_string();
                *slot = Some(if is_from { start } else { end });
            }
            None => {
                let mut args = FluentArgs::new();
                args.set("label", words.text(label));
                problems.push(
                    words
                        .message(current(), "search-error-date", Some(&args))
                        .unwrap_or_default(),
                );
                raw.clear();
            }
        }
    }
    Parsed {
        form,
        query: if problems.is_empty() {
            Ok(query)
        } else {
            Err(problems.join(" "))
        },
    }
}

pub async fn show(ctx: PageContext) -> Result<Response> {
    let page = ctx.page_number(PAGE_PARAM)?;
    let sections = ctx.app.content.sections(ctx.site.id).await?;
    let Parsed { form, mut query } = parse(
        ctx.query.as_deref(),
        page,
        &sections,
        &ctx.app.tz,
        ctx.app.renderer.catalogue(),
    );
    // A site searches its own articles; the portal (site 1, or a site of the portal kind)
    // may search every site, when there are others.
    let directory = ctx.app.sites.directory();
    let portal = (ctx.site.id == cong_store::SiteId::FIRST
        || ctx.site.kind == cong_store::sites::SiteKind::Portal)
        && directory.all().len() > 1;
    let all_sites = portal && form.scope == ALL_SITES;
    if let Ok(q) = &mut query {
        q.site_id = (!all_sites).then_some(ctx.site.id.0);
    }
    let words = ctx.app.renderer.catalogue();
    let title = if form.q.trim().is_empty() {
        words.text("search-title")
    } else {
        let mut args = FluentArgs::new();
        args.set("query", form.q.trim());
        words
            .message(current(), "search-title-query", Some(&args))
            .unwrap_or_default()
    };
    let mut layout = ctx
        .layout(None, None)
        .await?
        .titled(&title, &words.text("search-description"));
    super::meta::search(&mut layout, &ctx.base, &form);
    let searched = !form.q.trim().is_empty();
    // The filter offers the sections of the page's language.
    let offered: Vec<_> = sections
        .iter()
        .filter(|s| s.lang == current())
        .cloned()
        .collect();
    let mut view = SearchView::new(layout, form, &offered, ctx.app.search.is_building());
    if portal {
        let sites = directory
            .all()
            .iter()
            .map(|s| ResultSite {
                id: s.id.0,
                name: s.name.clone(),
                address: s.address.clone(),
            })
            .collect();
        view = view.across_sites(ctx.site.id.0, sites);
    }
    let (status, view) = match query {
        Err(message) => (StatusCode::BAD_REQUEST, view.failed(message)),
        // An empty box shows the form: someone who followed a link to the search page.
        Ok(_) if !searched => (StatusCode::OK, view),
        Ok(q) => match ctx.app.search.search(q).await {
            Ok(results) if results.total > 0 && results.hits.is_empty() => {
                return Err(Error::NotFound);
            }
            Ok(results) => (
                StatusCode::OK,
                view.with_results(&results, &sections, &ctx.app.tz),
            ),
            Err(SearchFailure::Query(e)) => (StatusCode::BAD_REQUEST, view.failed(said(words, &e))),
            Err(SearchFailure::Other(e)) => return Err(e.into()),
        },
    };
    // Results are not kept (their addresses are endless), only given their live numbers.
    let live = LivePage {
        keep: false,
        ..LivePage::page(Vec::new())
    };
    let mut res = ctx.render("search.html", &view, live)?;
    *res.status_mut() = status;
    Ok(res)
}

/// A reader's mistake in the page's language.
fn said(words: &cong_render::i18n::Catalogue, e: &cong_domain::search::QueryError) -> String {
    use cong_domain::search::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX).into();
    words.say(
        &format!("search-error-{}", e.code()),
        &[
            ("chars", count(MAX_QUERY_CHARS)),
            ("words", count(MAX_QUERY_WORDS)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_in_hanoi_is_24_hours_from_midnight() {
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("tz");
        let (start, end) = day_bounds(Date::new(2023, 5, 17).expect("date"), &tz).expect("bounds");
        assert_eq!(start, 1_684_256_400); // 2023-05-16T17:00:00Z
        assert_eq!(end - start, 86_399);
    }
}
