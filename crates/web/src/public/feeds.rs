//! Feeds, the sitemap and robots.txt: `/rss.xml`, `/atom.xml`, `/chuyen-muc/{slug}/rss.xml`,
//! `/chuyen-muc/{slug}/atom.xml`, `/van-ban/rss.xml`, `/van-ban/atom.xml`, `/sitemap.xml`
//! (an index past `listing.sitemap_urls`; documents with the pages), `/robots.txt`.

use crate::app::SharedApp;
use crate::cache::{LivePage, Tag};
use crate::error::{Error, Result};
use crate::extract::{Slug, site_base};
use crate::sites::CurrentSite;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cong_domain::navigation::Lang;
use cong_domain::sites::SiteInfo;
use cong_render::feeds::{self, FeedInfo, Item};
use cong_render::i18n::localize_in;
use cong_render::{iso, urls};
use cong_store::SiteId;
use jiff::tz::TimeZone;

fn xml(body: String, content_type: &'static str, tags: Vec<Tag>) -> Response {
    let mut res = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        body,
    )
        .into_response();
    res.extensions_mut().insert(LivePage::document(tags));
    res
}

async fn feed(
    app: &SharedApp,
    site: &SiteInfo,
    base: &str,
    section_slug: Option<&str>,
    kind: &str,
) -> Result<Response> {
    // A section's feed is in its articles' language; the site's, in the page's.
    let asked = cong_render::i18n::current();
    let (section, articles) = app.content.feed(site.id, section_slug, asked).await?;
    let lang = section.as_ref().map_or(asked, |s| s.lang);
    let data = app.content.site(site.id).await?;
    let words = app.renderer.catalogue();
    let site_name = match data.get_in("site.name", lang) {
        "" => words.text("default-site-name"),
        n => n.to_owned(),
    };
    let page_path = localize_in(
        lang,
        &section
            .as_ref()
            .map_or_else(|| "/".to_owned(), |s| urls::section(&s.slug)),
    );
    let self_path = localize_in(
        lang,
        &match &section {
            Some(s) => format!("{}/{kind}.xml", urls::section(&s.slug)),
            None => format!("/{kind}.xml"),
        },
    );
    let description = section
        .as_ref()
        .map(|s| s.description.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| {
            cong_render::i18n::sync_scope(lang, || {
                words.say("feed-latest", &[("site", site_name.as_str().into())])
            })
        });
    let info = FeedInfo {
        base,
        site_name: &site_name,
        section: section.as_ref().map(|s| s.name.as_str()),
        page_path: &page_path,
        self_path: &self_path,
        description: &description,
        language: lang.code(),
    };
    let tags = vec![section.as_ref().map_or(Tag::Feeds, |s| Tag::Section(s.id))];
    let items: Vec<Item> = articles
        .iter()
        .map(|a| {
            let mut item = Item::article(a);
            item.path = localize_in(lang, &item.path);
            item
        })
        .collect();
    Ok(render(&info, &items, kind, &app.tz, tags))
}

fn render(
    info: &FeedInfo<'_>,
    items: &[Item],
    kind: &str,
    tz: &TimeZone,
    tags: Vec<Tag>,
) -> Response {
    if kind == "rss" {
        xml(
            feeds::rss(info, items, tz),
            "application/rss+xml; charset=utf-8",
            tags,
        )
    } else {
        xml(
            feeds::atom(info, items, tz),
            "application/atom+xml; charset=utf-8",
            tags,
        )
    }
}

/// Documents in a feed.
const DOCUMENTS_FEED: i64 = 30;

async fn documents_feed(app: &SharedApp, site: &SiteInfo, kind: &str) -> Result<Response> {
    let docs = app.documents.recent(site.id, DOCUMENTS_FEED).await?;
    let data = app.content.site(site.id).await?;
    let site_name = match data.get("site.name") {
        "" => "Cổng thông tin điện tử",
        n => n,
    };
    let base = site_base(app, site);
    let self_path = format!("{}/{kind}.xml", urls::DOCUMENTS);
    let description = format!("Văn bản mới của {site_name}");
    let info = FeedInfo {
        base: &base,
        site_name,
        section: Some("Văn bản"),
        page_path: urls::DOCUMENTS,
        self_path: &self_path,
        description: &description,
        language: Lang::Vi.code(),
    };
    let items: Vec<Item> = docs.iter().map(Item::document).collect();
    Ok(render(&info, &items, kind, &app.tz, Vec::new()))
}

pub async fn documents_rss(State(app): State<SharedApp>, site: CurrentSite) -> Result<Response> {
    documents_feed(&app, &site, "rss").await
}

pub async fn documents_atom(State(app): State<SharedApp>, site: CurrentSite) -> Result<Response> {
    documents_feed(&app, &site, "atom").await
}

pub async fn site_rss(State(app): State<SharedApp>, site: CurrentSite) -> Result<Response> {
    feed(&app, &site, &site_base(&app, &site), None, "rss").await
}

pub async fn site_atom(State(app): State<SharedApp>, site: CurrentSite) -> Result<Response> {
    feed(&app, &site, &site_base(&app, &site), None, "atom").await
}

pub async fn section_rss(
    State(app): State<SharedApp>,
    site: CurrentSite,
    Slug(slug): Slug,
) -> Result<Response> {
    feed(&app, &site, &site_base(&app, &site), Some(&slug), "rss").await
}

pub async fn section_atom(
    State(app): State<SharedApp>,
    site: CurrentSite,
    Slug(slug): Slug,
) -> Result<Response> {
    feed(&app, &site, &site_base(&app, &site), Some(&slug), "atom").await
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn url_entry(out: &mut String, loc: &str, lastmod: Option<&str>) {
    out.push_str("<url><loc>");
    out.push_str(&escape(loc));
    out.push_str("</loc>");
    if let Some(m) = lastmod {
        out.push_str("<lastmod>");
        out.push_str(m);
        out.push_str("</lastmod>");
    }
    out.push_str("</url>\n");
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The pages that are not articles: home, sections, static pages (each at its language's
/// address), the organisation and the directory (in both languages), the schedule and
/// Hỏi đáp.
async fn other_urls(app: &SharedApp, site: SiteId, base: &str, out: &mut String) -> Result<()> {
    url_entry(out, &format!("{base}/"), None);
    for s in app.content.sections(site).await? {
        let path = localize_in(s.lang, &urls::section(&s.slug));
        url_entry(out, &format!("{base}{path}"), None);
    }
    for p in app.content.all_pages(site).await? {
        let m = iso(p.updated_at, &app.tz);
        let path = localize_in(p.lang, &urls::page(&p.slug));
        url_entry(out, &format!("{base}{path}"), Some(&m));
    }
    for path in [
        urls::ORGANISATION,
        urls::DIRECTORY,
        urls::SCHEDULE,
        urls::QUESTIONS,
    ] {
        url_entry(out, &format!("{base}{path}"), None);
    }
    for path in ["/", urls::ORGANISATION, urls::DIRECTORY] {
        let path = localize_in(Lang::En, path);
        url_entry(out, &format!("{base}{path}"), None);
    }
    Ok(())
}

async fn article_urls(
    app: &SharedApp,
    site: SiteId,
    base: &str,
    part: i64,
    out: &mut String,
) -> Result<()> {
    for (slug, changed, lang) in app.content.sitemap_page(site, part).await? {
        let m = iso(changed, &app.tz);
        let path = localize_in(lang, &urls::article(&slug));
        url_entry(out, &format!("{base}{path}"), Some(&m));
    }
    Ok(())
}

const URLSET_OPEN: &str = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";
const XML_TYPE: &str = "application/xml; charset=utf-8";

/// The library's address, then each published document (part `part` of `per` URLs, from 1;
/// 0: all of them).
async fn document_urls(
    app: &SharedApp,
    site: SiteId,
    base: &str,
    part: i64,
    out: &mut String,
) -> Result<()> {
    let documents = app.documents.sitemap(site).await?;
    if documents.is_empty() {
        return Ok(());
    }
    // The library's own page counts as the first URL of the first part.
    let per = usize::try_from(app.content.sitemap_size()).unwrap_or(usize::MAX);
    let (skip, take) = if part == 0 {
        (0, usize::MAX)
    } else {
        let n = usize::try_from(part - 1).unwrap_or(0);
        (n * per, per)
    };
    let listing = std::iter::once(None).chain(documents.into_iter().map(Some));
    for entry in listing.skip(skip).take(take) {
        match entry {
            None => url_entry(out, &format!("{base}{}", urls::DOCUMENTS), None),
            Some((slug, changed)) => {
                let m = jiff::Timestamp::from_second(changed)
                    .map(|t| iso(t, &app.tz))
                    .unwrap_or_default();
                url_entry(out, &format!("{base}{}", urls::document(&slug)), Some(&m));
            }
        }
    }
    Ok(())
}

/// How many article and document sitemaps the site needs: (0, 0) when one sitemap holds
/// everything.
async fn article_parts(app: &SharedApp, site: SiteId) -> Result<(i64, i64)> {
    let per = app.content.sitemap_size();
    let articles = app.content.count_published(site).await?;
    let documents = app.documents.count_published(site).await?;
    // With the library's own page.
    let documents = documents + i64::from(documents > 0);
    let others =
        1 + app.content.sections(site).await?.len() + app.content.all_pages(site).await?.len();
    let others = i64::try_from(others).unwrap_or(i64::MAX);
    Ok(
        if articles.saturating_add(others).saturating_add(documents) <= per {
            (0, 0)
        } else {
            ((articles + per - 1) / per, (documents + per - 1) / per)
        },
    )
}

/// `/sitemap.xml`: every URL, or, past `listing.sitemap_urls`, an index of
/// `/sitemap-trang.xml` (home, sections, pages), `/sitemap-N.xml` (articles) and
/// `/sitemap-van-ban-N.xml` (the library and its documents).
pub async fn sitemap(State(app): State<SharedApp>, site: CurrentSite) -> Result<Response> {
    let base = site_base(&app, &site);
    let (parts, document_parts) = article_parts(&app, site.id).await?;
    let mut out = String::from(XML_HEAD);
    if parts == 0 && document_parts == 0 {
        out.push_str(URLSET_OPEN);
        other_urls(&app, site.id, &base, &mut out).await?;
        document_urls(&app, site.id, &base, 0, &mut out).await?;
        article_urls(&app, site.id, &base, 1, &mut out).await?;
        out.push_str(URLSET_CLOSE);
        return Ok(xml(out, XML_TYPE, vec![Tag::Sitemap]));
    }
    out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let names = std::iter::once("trang".to_owned())
        .chain((1..=parts).map(|n| n.to_string()))
        .chain((1..=document_parts).map(|n| format!("van-ban-{n}")));
    for name in names {
        out.push_str("<sitemap><loc>");
        out.push_str(&escape(&format!("{base}/sitemap-{name}.xml")));
        out.push_str("</loc></sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    Ok(xml(out, XML_TYPE, vec![Tag::Sitemap]))
}

/// `/sitemap-trang.xml` and `/sitemap-N.xml`, when `/sitemap.xml` is an index.
pub async fn sitemap_part(
    State(app): State<SharedApp>,
    site: CurrentSite,
    Path(name): Path<String>,
) -> Result<Response> {
    let part = name
        .strip_prefix("sitemap-")
        .and_then(|r| r.strip_suffix(".xml"))
        .ok_or(Error::NotFound)?;
    let (parts, document_parts) = article_parts(&app, site.id).await?;
    if parts == 0 && document_parts == 0 {
        return Err(Error::NotFound);
    }
    let base = site_base(&app, &site);
    let mut out = String::from(XML_HEAD);
    out.push_str(URLSET_OPEN);
    // Digits only: "+1" or "01" would parse, and one sitemap must have one address.
    let number = |p: &str, max: i64| -> Result<i64> {
        Some(p)
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()) && !p.starts_with('0'))
            .and_then(|p| p.parse().ok())
            .filter(|n| (1..=max).contains(n))
            .ok_or(Error::NotFound)
    };
    if part == "trang" {
        other_urls(&app, site.id, &base, &mut out).await?;
    } else if let Some(n) = part.strip_prefix("van-ban-") {
        let n = number(n, document_parts)?;
        document_urls(&app, site.id, &base, n, &mut out).await?;
    } else {
        let n = number(part, parts)?;
        article_urls(&app, site.id, &base, n, &mut out).await?;
    }
    out.push_str(URLSET_CLOSE);
    Ok(xml(out, XML_TYPE, vec![Tag::Sitemap]))
}

pub async fn robots(State(app): State<SharedApp>, site: CurrentSite) -> Response {
    let base = site_base(&app, &site);
    let mut res = (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
        format!(
            "User-agent: *\nAllow: /\nDisallow: /quan-tri\nDisallow: /dang-nhap\nDisallow: /dang-xuat\nDisallow: /tim-kiem\n\nSitemap: {base}/sitemap.xml\n"
        ),
    )
        .into_response();
    res.extensions_mut().insert(LivePage::document(Vec::new()));
    res
}
