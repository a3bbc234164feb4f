//! Feeds, the sitemap and robots.txt: `/rss.xml`, `/atom.xml`, `/chuyen-muc/{slug}/rss.xml`,
//! `/chuyen-muc/{slug}/atom.xml`, `/sitemap.xml` (an index of `/sitemap-N.xml` past 50,000
//! URLs), `/robots.txt`.

use crate::app::SharedApp;
use crate::error::{Error, Result};
use crate::extract::{Slug, base_url};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cong_render::feeds::{self, FeedInfo};
use cong_render::{iso, urls};
use std::net::SocketAddr;

/// Articles in a feed.
const FEED_ITEMS: i64 = 20;
/// URLs a sitemap may hold (sitemaps.org).
const SITEMAP_URLS: i64 = 50_000;

fn xml(body: String, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        body,
    )
        .into_response()
}

async fn feed(
    app: &SharedApp,
    base: &str,
    section_slug: Option<&str>,
    kind: &str,
) -> Result<Response> {
    let (section, articles) = app.content.feed(section_slug, FEED_ITEMS).await?;
    let site = app.content.site().await?;
    let site_name = match site.get("site.name") {
        "" => "Cổng thông tin điện tử",
        n => n,
    };
    let page_path = section
        .as_ref()
        .map_or_else(|| "/".to_owned(), |s| urls::section(&s.slug));
    let self_path = match &section {
        Some(s) => format!("{}/{kind}.xml", urls::section(&s.slug)),
        None => format!("/{kind}.xml"),
    };
    let description = section
        .as_ref()
        .map(|s| s.description.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("Tin mới nhất của {site_name}"));
    let info = FeedInfo {
        base,
        site_name,
        section: section.as_ref().map(|s| s.name.as_str()),
        page_path: &page_path,
        self_path: &self_path,
        description: &description,
    };
    Ok(if kind == "rss" {
        xml(feeds::rss(&info, &articles, &app.tz), "application/rss+xml; charset=utf-8")
    } else {
        xml(feeds::atom(&info, &articles, &app.tz), "application/atom+xml; charset=utf-8")
    })
}

fn base(app: &SharedApp, peer: &ConnectInfo<SocketAddr>, headers: &HeaderMap) -> String {
    base_url(app, peer.0.ip(), headers)
}

pub async fn site_rss(State(app): State<SharedApp>, peer: ConnectInfo<SocketAddr>, headers: HeaderMap) -> Result<Response> {
    feed(&app, &base(&app, &peer, &headers), None, "rss").await
}

pub async fn site_atom(State(app): State<SharedApp>, peer: ConnectInfo<SocketAddr>, headers: HeaderMap) -> Result<Response> {
    feed(&app, &base(&app, &peer, &headers), None, "atom").await
}

pub async fn section_rss(
    State(app): State<SharedApp>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Slug(slug): Slug,
) -> Result<Response> {
    feed(&app, &base(&app, &peer, &headers), Some(&slug), "rss").await
}

pub async fn section_atom(
    State(app): State<SharedApp>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Slug(slug): Slug,
) -> Result<Response> {
    feed(&app, &base(&app, &peer, &headers), Some(&slug), "atom").await
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

/// The pages that are not articles: home, sections, static pages (in the first sitemap).
async fn other_urls(app: &SharedApp, base: &str, out: &mut String) -> Result<()> {
    url_entry(out, &format!("{base}/"), None);
    for s in app.content.sections().await? {
        url_entry(out, &format!("{base}{}", urls::section(&s.slug)), None);
    }
    for p in app.content.all_pages().await? {
        let m = iso(p.updated_at, &app.tz);
        url_entry(out, &format!("{base}{}", urls::page(&p.slug)), Some(&m));
    }
    Ok(())
}

async fn urlset(app: &SharedApp, base: &str, n: i64, with_others: bool) -> Result<String> {
    let mut out = String::from(XML_HEAD);
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    // The first sitemap holds the other pages too, so it takes that many fewer articles.
    let reserve = if with_others { 1000 } else { 0 };
    if with_others {
        other_urls(app, base, &mut out).await?;
    }
    let per = SITEMAP_URLS - reserve;
    for (slug, changed) in app.content.sitemap_page(n, per).await? {
        let m = iso(changed, &app.tz);
        url_entry(&mut out, &format!("{base}{}", urls::article(&slug)), Some(&m));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// How many article sitemaps the site needs.
async fn parts(app: &SharedApp) -> Result<i64> {
    let n = app.content.count_published().await?;
    Ok(((n + SITEMAP_URLS - 1001) / (SITEMAP_URLS - 1000)).max(1))
}

pub async fn sitemap(State(app): State<SharedApp>, peer: ConnectInfo<SocketAddr>, headers: HeaderMap) -> Result<Response> {
    let base = base(&app, &peer, &headers);
    let parts = parts(&app).await?;
    if parts == 1 {
        return Ok(xml(urlset(&app, &base, 1, true).await?, "application/xml; charset=utf-8"));
    }
    let mut out = String::from(XML_HEAD);
    out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        out.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", escape(&format!("{base}/sitemap-{n}.xml"))));
    }
    out.push_str("</sitemapindex>\n");
    Ok(xml(out, "application/xml; charset=utf-8"))
}

/// `/sitemap-N.xml`, when the site needs an index.
pub async fn sitemap_part(
    State(app): State<SharedApp>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response> {
    let n: i64 = name
        .strip_prefix("sitemap-")
        .and_then(|r| r.strip_suffix(".xml"))
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1)
        .ok_or(Error::NotFound)?;
    if n > parts(&app).await? {
        return Err(Error::NotFound);
    }
    let base = base(&app, &peer, &headers);
    Ok(xml(urlset(&app, &base, n, n == 1).await?, "application/xml; charset=utf-8"))
}

pub async fn robots(State(app): State<SharedApp>, peer: ConnectInfo<SocketAddr>, headers: HeaderMap) -> Response {
    let base = base(&app, &peer, &headers);
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
        format!(
            "User-agent: *\nAllow: /\nDisallow: /quan-tri\nDisallow: /dang-nhap\nDisallow: /dang-xuat\n\nSitemap: {base}/sitemap.xml\n"
        ),
    )
        .into_response()
}
