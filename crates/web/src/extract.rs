//! Extractors: what handlers need from a request, validated, with our errors as rejections.

use crate::app::SharedApp;
use crate::cache::LivePage;
use crate::error::{Error, Result, Words};
use crate::sites::CurrentSite;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};
use axum::response::Html;
use axum::response::{IntoResponse, Response};
use cong_domain::navigation::{Lang, tree};
use cong_domain::sites::SiteInfo;
use cong_render::i18n;
use cong_render::live::Live;
use cong_render::views::{Layout, SiteView, WidgetView};
use serde::Serialize;
use std::net::IpAddr;

/// A slug from the path: lower-case ASCII letters, digits and dashes. Anything else cannot
/// name content, so it is a 404 without asking the store; bytes that are not UTF-8 are a 400.
#[derive(Debug)]
pub struct Slug(pub String);

const MAX_SLUG: usize = 200;

impl<S: Send + Sync> FromRequestParts<S> for Slug {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::bad(Words::new("error-bad-page-address")))?;
        let value = params
            .iter()
            .next()
            .map(|(_, v)| v)
            .ok_or(Error::NotFound)?;
        let valid = !value.is_empty()
            && value.len() <= MAX_SLUG
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Slug(value.to_owned()))
        } else {
            Err(Error::NotFound)
        }
    }
}

/// A page number from the query string: absent is page 1; anything but a positive whole
/// number is a 400; a number past any list is left to the list to refuse (404).
pub fn page_number(parts_query: Option<&str>, name: &str) -> Result<u32> {
    let Some(query) = parts_query else {
        return Ok(1);
    };
    let Some((_, raw)) = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name) else {
        return Ok(1);
    };
    let invalid = || Error::bad(Words::new("error-page-number").with("name", name));
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 20 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match raw.parse::<u64>() {
        Ok(0) => Err(invalid()),
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) => Ok(u32::MAX),
    }
}

/// Whether the client accepts `coding` (listed, and not with q=0).
pub fn accepts(accept: &str, coding: &str) -> bool {
    accept.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// Everything a public page handler needs besides its own data: the services, the query,
/// the site's address, and the layout (with live placeholders for the widget).
pub struct PageContext {
    pub app: SharedApp,
    /// The site the request reached.
    pub site: CurrentSite,
    pub query: Option<String>,
    /// The request's path: the arranged menu marks the entry that leads here.
    pub path: String,
    /// The site's absolute base URL for canonical links: see [`site_base`].
    pub base: String,
}

impl FromRequestParts<SharedApp> for PageContext {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &SharedApp) -> Result<Self> {
        let site = CurrentSite::from_request_parts(parts, app).await?;
        Ok(PageContext {
            app: app.clone(),
            base: site_base(app, &site),
            site,
            query: parts.uri.query().map(str::to_owned),
            path: parts.uri.path().to_owned(),
        })
    }
}

impl PageContext {
    /// A page number from the query string.
    pub fn page_number(&self, name: &str) -> Result<u32> {
        page_number(self.query.as_deref(), name)
    }

    /// The layout: site data, menu (`current` section shown, `active` section of the
    /// article shown), the widget as placeholders the page cache fills in.
    pub async fn layout(&self, current: Option<&str>, active: Option<&str>) -> Result<Layout> {
        layout(
            &self.app,
            &self.site,
            current,
            active,
            Some(&self.path),
            self.app.cache.marker().widget(),
        )
        .await
    }

    /// The page, marked for the page cache (which counts it and fills in its numbers).
    pub fn render<V: Serialize>(
        &self,
        template: &str,
        view: &V,
        live: LivePage,
    ) -> Result<Response> {
        let mut res = Html(self.app.renderer.render(template, view)?).into_response();
        res.extensions_mut().insert(live);
        Ok(res)
    }
}

/// The site's absolute address as public pages are rendered with it: its own (or the
/// configured one), else a placeholder the page cache replaces with each request's own
/// address ([`base_url`]), so one kept copy serves every Host.
pub fn site_base(app: &SharedApp, site: &SiteInfo) -> String {
    if !site.address.is_empty() {
        return site.address.clone();
    }
    match &app.public_url {
        Some(url) => url.clone(),
        None => app.cache.marker().slot(Live::Base),
    }
}

/// The site's absolute address for one request: the configured one, else the request's Host
/// (or, without one, the authority of its target; else `localhost`) over HTTPS when a trusted
/// proxy says so. A Host that is not a host name or address with an optional port is a 400:
/// it is written into pages.
pub fn base_url(
    app: &SharedApp,
    site: &SiteInfo,
    peer: IpAddr,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<String> {
    if !site.address.is_empty() {
        return Ok(site.address.clone());
    }
    if let Some(url) = &app.public_url {
        return Ok(url.clone());
    }
    let named = match headers.get(header::HOST) {
        Some(v) => Some(v.to_str().ok().and_then(host).ok_or_else(bad_host)?),
        None => uri
            .authority()
            .map(|a| host(a.as_str()).ok_or_else(bad_host))
            .transpose()?,
    };
    let host = named.unwrap_or_else(|| "localhost".to_owned());
    let https = crate::admin::session::is_secure_proxy(app, peer, headers);
    Ok(format!("{}://{host}", if https { "https" } else { "http" }))
}

fn bad_host() -> Error {
    Error::bad(Words::new("error-bad-host"))
}

/// A Host value as pages may show it, lower-cased: a DNS name or IPv4 address (labels of
/// letters, digits and inner dashes) or a bracketed IPv6 address, with an optional port.
pub(crate) fn host(raw: &str) -> Option<String> {
    let (name, port) = if let Some(rest) = raw.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<std::net::Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (&raw[..v6.len() + 2], port)
    } else {
        match raw.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (raw, None),
        }
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok()
    });
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let name_ok = name.starts_with('[') || (name.len() <= 253 && name.split('.').all(label_ok));
    (port_ok && name_ok).then(|| raw.to_ascii_lowercase())
}

/// The layout for any page, errors included, in the request's language: that language's
/// menu (arranged, else its sections), footer pages and banners, and the language switch
/// (to the same page in the other language: a page made of the interface and shared data
/// exists in both; articles and static pages name their translations themselves).
pub async fn layout(
    app: &SharedApp,
    site: &SiteInfo,
    current: Option<&str>,
    active: Option<&str>,
    path: Option<&str>,
    widget: WidgetView,
) -> Result<Layout> {
    let content = &app.content;
    let lang = i18n::current();
    let data = content.site(site.id).await?;
    let pages = content.page_titles(site.id, lang).await?;
    let menu = content.menu(site.id, lang).await?;
    let nav = &app.navigation;
    let arranged = nav.menu(site.id, lang).await?;
    let mut layout = Layout::new(SiteView::new(&data, &pages), &menu, widget, current, active)
        .with_banners(&nav.shown_banners(site.id, lang).await?);
    if lang != Lang::Vi {
        // The site's data carries the Vietnamese pages' links.
        layout.site.links = nav
            .links(site.id, lang)
            .await?
            .into_iter()
            .map(|l| cong_render::views::LinkView {
                title: l.title,
                url: l.url,
            })
            .collect();
    }
    if let Some(path) = path {
        let base = site_base(app, site);
        let versions: Vec<(Lang, String)> = Lang::ALL
            .into_iter()
            .map(|l| (l, i18n::localize_in(l, path)))
            .collect();
        layout = layout.with_languages(&base, lang, &versions);
    }
    Ok(if !arranged.is_empty() {
        layout.with_menu(&tree(&arranged), current.or(path), active)
    } else if lang == Lang::Vi && app.documents.any_published(site.id).await? {
        // The library has its place in the sections' menu once it has something to show.
        let name = app.renderer.catalogue().text("nav-documents");
        layout.with_library(current == Some(cong_render::urls::DOCUMENTS), name)
    } else if lang != Lang::Vi {
        // Without an arranged menu, English pages lead to what the law asks for in English.
        let catalogue = app.renderer.catalogue();
        layout.with_places(
            &[
                (
                    cong_render::urls::ORGANISATION,
                    catalogue.text("nav-organisation"),
                ),
                (
                    cong_render::urls::DIRECTORY,
                    catalogue.text("nav-directory"),
                ),
            ],
            current.or(path),
        )
    } else {
        layout
    })
}

#[cfg(test)]
mod tests {
    use super::{accepts, host, page_number};

    #[test]
    fn host_names_and_addresses_with_a_port_only() {
        for (raw, want) in [
            ("localhost", "localhost"),
            ("Portal.Gov.VN", "portal.gov.vn"),
            ("sokhcn.example.gov.vn:8443", "sokhcn.example.gov.vn:8443"),
            ("127.0.0.1:8080", "127.0.0.1:8080"),
            ("[::1]", "[::1]"),
            ("[2001:DB8::7]:80", "[2001:db8::7]:80"),
            ("xn--cng-thng-tin-4ib.vn", "xn--cng-thng-tin-4ib.vn"),
        ] {
            assert_eq!(host(raw).as_deref(), Some(want), "{raw}");
        }
        for raw in [
            "",
            "a b",
            "x..y",
            ".x",
            "x.",
            "-x.example",
            "x-.example",
            "evil.example/<script>",
            "a\"b",
            "h:",
            "h:99999",
            "h:8o",
            "h:1:2",
            "[::1",
            "[::1]x",
            "[::1]:",
            "[zz::1]",
            "[127.0.0.1]",
            "ex_ample.vn",
            &"a".repeat(64),
            &["a"; 130].join("."),
        ] {
            assert_eq!(host(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn accept_encoding_with_q_values() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=0.5, gzip", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
        assert!(accepts("GZIP", "gzip"));
    }

    #[test]
    fn page_numbers() {
        assert_eq!(page_number(None, "page").ok(), Some(1));
        assert_eq!(page_number(Some("x=1"), "page").ok(), Some(1));
        assert_eq!(page_number(Some("page=3"), "page").ok(), Some(3));
        assert_eq!(page_number(Some("tin-khac=2"), "tin-khac").ok(), Some(2));
        assert_eq!(
            page_number(Some("page=99999999"), "page").ok(),
            Some(99_999_999)
        );
        assert_eq!(
            page_number(Some("page=99999999999999"), "page").ok(),
            Some(u32::MAX)
        );
        for bad in [
            "page=abc", "page=-1", "page=0", "page=", "page=1.5", "page=%FF", "page=1e3",
        ] {
            assert!(page_number(Some(bad), "page").is_err(), "{bad}");
        }
    }
}
