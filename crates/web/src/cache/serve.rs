//! The middleware in front of every public page: serves kept pages, renders a missing or
//! stale one once, in a task of its own (other requests wait for it, or get the stale copy),
//! counts the view, and splices in the numbers of the moment.

use super::{LivePage, Page, PageCache};
use crate::app::{InFlight, SharedApp};
use crate::error::Error;
use crate::extract::{accepts, base_url, page_number};
use crate::sites::CurrentSite;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cong_domain::sites::SiteInfo;
use cong_domain::stats::{Hit, is_prefetch};
use cong_render::live::Live;
use cong_render::urls::{self, OTHERS_PARAM, PAGE_PARAM};
use cong_store::SiteId;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Largest page body kept (a page is tens of kilobytes; a sitemap part a few megabytes).
const MAX_BODY: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// What the client takes: brotli, else gzip, else the plain bytes.
fn negotiate(headers: &HeaderMap) -> Encoding {
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accepts(accept, "br") {
        Encoding::Brotli
    } else if accepts(accept, "gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Paths never kept nor counted: the back office, files, the health check. A page drawn there
/// all the same (a preview) is still given its numbers.
fn passes_by(path: &str) -> bool {
    [
        "/quan-tri",
        "/dang-nhap",
        "/dang-xuat",
        "/static/",
        "/media/",
        "/healthz",
        "/metrics",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

/// The start of a page's key: its site, then its language (an English page's path has lost
/// its `/en` by now; see `crate::lang`).
fn page_prefix(site: &SiteInfo) -> String {
    let mut key = super::key_prefix(site.id);
    let lang = cong_render::i18n::current();
    if lang != cong_domain::navigation::Lang::Vi {
        key.push('/');
        key.push_str(lang.code());
    }
    key
}

/// The cache key: the site, its language, the path and the page numbers the pages read (other query
/// parameters change nothing). Not the Host: the site's address is spliced in per request, so
/// one kept copy serves every name of a site and invented ones cost nothing. `None`: do not
/// keep (a page number the handler will refuse, or search).
fn key(app: &SharedApp, site: &SiteInfo, req: &Request) -> Option<String> {
    let path = req.uri().path();
    if path == "/tim-kiem" || !app.cache.enabled {
        return None;
    }
    let query = req.uri().query();
    // The library, Hỏi đáp or the consultations filtered or searched: endless addresses,
    // never kept (their plain pages are). A question's tracking answer is the asker's own.
    if path == urls::QUESTION_TRACK {
        return None;
    }
    if [
        urls::DOCUMENTS,
        urls::QUESTIONS,
        urls::CONSULTATIONS,
        urls::DIRECTORY,
    ]
    .contains(&path)
        && query.is_some_and(|q| {
            q.split('&')
                .any(|p| !p.is_empty() && p.split('=').next() != Some(PAGE_PARAM))
        })
    {
        return None;
    }
    // Lịch công tác: one kept page per day asked for and view; a leader's is not kept.
    if path == urls::SCHEDULE {
        let q = crate::public::schedule::cache_key(query)?;
        return Some(format!("{}{path}?{q}", page_prefix(site)));
    }
    // `/?p=12`: perhaps an address the site had before it moved in (not the kept home page).
    if path == "/" && cong_domain::redirects::old_address(path, query).is_some() {
        return None;
    }
    let page = page_number(query, PAGE_PARAM).ok()?;
    let others = page_number(query, OTHERS_PARAM).ok()?;
    let mut key = page_prefix(site);
    key.push_str(path);
    if page > 1 {
        key.push_str(&format!("?{PAGE_PARAM}={page}"));
    }
    if others > 1 {
        key.push_str(&format!("&{OTHERS_PARAM}={others}"));
    }
    Some(key)
}

/// The counting facts of a request, kept past the request itself.
struct Visit {
    /// The site the request reached: the one that counts it and whose numbers it shows.
    site: SiteId,
    peer: IpAddr,
    forwarded_for: Vec<String>,
    user_agent: Option<String>,
    is_get: bool,
    is_prefetch: bool,
}

impl Visit {
    fn of(site: SiteId, peer: IpAddr, req: &Request) -> Self {
        let h = req.headers();
        let s = |name: &str| h.get(name).and_then(|v| v.to_str().ok());
        Visit {
            site,
            peer,
            forwarded_for: h
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_owned)
                .collect(),
            user_agent: s(header::USER_AGENT.as_str()).map(str::to_owned),
            is_get: req.method() == Method::GET,
            is_prefetch: is_prefetch(s("sec-purpose"), s("purpose"), s("x-purpose"), s("x-moz")),
        }
    }

    fn hit(&self) -> Hit<'_> {
        Hit {
            peer: self.peer,
            forwarded_for: self.forwarded_for.iter().map(String::as_str).collect(),
            user_agent: self.user_agent.as_deref(),
            is_get: self.is_get,
            is_prefetch: self.is_prefetch,
        }
    }
}

/// The fast path, outside the router's other layers: a kept page that is fresh goes out at
/// once, with the security headers the layers would have added. Everything else (a miss, a
/// stale page, anything but a public GET) goes on to [`pages`] and the router.
pub async fn kept(State(app): State<SharedApp>, mut req: Request, next: Next) -> Response {
    let method = req.method();
    if (method != Method::GET && method != Method::HEAD)
        || !app.cache.enabled
        || !app.is_ready()
        || passes_by(req.uri().path())
        || req.uri().path_and_query().map_or(0, |pq| pq.as_str().len()) > app.max_uri_bytes
    {
        return next.run(req).await;
    }
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let encoding = negotiate(req.headers());
    // A page whose compressed parts are still being made (or never are) goes the long way,
    // where the router's compression layer serves the client meanwhile; so does a request
    // whose Host is refused.
    let site = req.extensions().get::<CurrentSite>().cloned();
    let key = site.as_ref().and_then(|s| key(&app, s, &req));
    let base = site
        .as_ref()
        .and_then(|s| base_url(&app, s, peer, req.headers(), req.uri()).ok());
    let Some(((page, base), site_id)) = key
        .as_deref()
        .and_then(|k| app.cache.get(k))
        .filter(|p| !p.is_stale(app.cache.max_age))
        .filter(|p| encoding == Encoding::Identity || p.compressed_ready())
        .zip(base)
        .zip(site.as_ref().map(|s| s.id))
    else {
        // [`pages`] takes the key from here rather than working it out again.
        req.extensions_mut().insert(Keyed(key));
        return next.run(req).await;
    };
    // The same limit as every request: past it, the router's layers shed this one.
    let _permit = match &app.in_flight {
        Some(limit) => match limit.try_acquire() {
            Ok(p) => Some(p),
            Err(_) => return next.run(req).await,
        },
        None => None,
    };
    let https = crate::admin::session::is_secure_proxy(&app, peer, req.headers());
    let visit = Visit::of(site_id, peer, &req);
    let mut res = serve(&app, &page, &visit, &Bytes::from(base), encoding, "hit").await;
    crate::headers::put(&app, Some(site_id), https, res.headers_mut());
    res
}

/// The cache key the fast path worked out for a request it passed on (`None`: not kept).
#[derive(Clone)]
struct Keyed(Option<String>);

pub async fn pages(State(app): State<SharedApp>, mut req: Request, next: Next) -> Response {
    let method = req.method();
    let public = (method == Method::GET || method == Method::HEAD) && !passes_by(req.uri().path());
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let Some(site) = req.extensions().get::<CurrentSite>().cloned() else {
        // No site (the store was not ready when the request came in): the router answers.
        return next.run(req).await;
    };
    // A Host unfit to be written into a page is refused before a public page is drawn; any
    // other request needs the address only if its answer turns out to be a page.
    let base = match base_url(&app, &site, peer, req.headers(), req.uri()) {
        Ok(b) => Ok(Bytes::from(b)),
        Err(e) if public => return e.into_response(),
        Err(e) => Err(e),
    };
    let visit = Visit::of(site.id, peer, &req);
    let encoding = negotiate(req.headers());
    let key = match req.extensions_mut().remove::<Keyed>() {
        Some(Keyed(key)) => key,
        None if public => key(&app, &site, &req),
        None => None,
    };
    let (Some(key), Some(base)) = (key, base.as_ref().ok().cloned()) else {
        return match (render(&app, next, req).await, base) {
            (Ok(page), Ok(base)) => serve(&app, &page, &visit, &base, encoding, "bypass").await,
            (Ok(_), Err(e)) => e.into_response(),
            (Err(res), _) => res,
        };
    };
    let cache = &app.cache;
    if let Some(page) = cache.get(&key) {
        if !page.is_stale(cache.max_age) || !page.claim_refresh() {
            let how = if page.is_stale(cache.max_age) {
                "stale"
            } else {
                "hit"
            };
            if encoding != Encoding::Identity {
                // Not compressed yet: the permits were taken when it was kept.
                cache.compress(&page);
            }
            return serve(&app, &page, &visit, &base, encoding, how).await;
        }
        // This request renders the page again; others get the stale copy meanwhile. The
        // claim is given back when the render ends, whether or not this request is there.
        let claim = Refresh(Arc::clone(&page));
        return match detached(&app, next, req, claim, key, settle_refresh).await {
            Ok(fresh) => serve(&app, &fresh, &visit, &base, encoding, "refresh").await,
            // The store is away (or the render failed otherwise): the page as it was beats
            // an error page; the next request tries again.
            Err(res) if res.status().is_server_error() => {
                serve(&app, &page, &visit, &base, encoding, "stale").await
            }
            Err(res) => res,
        };
    }
    let guard = cache.render_lock(&key).lock_owned().await;
    if let Some(page) = cache.get(&key) {
        // Rendered by the request this one waited for.
        drop(guard);
        return serve(&app, &page, &visit, &base, encoding, "hit").await;
    }
    let flight = Flight {
        app: app.clone(),
        key: key.clone(),
        _lock: guard,
    };
    match detached(&app, next, req, flight, key, settle_miss).await {
        // A page its handler did not let keep (a preview link) went by the cache.
        Ok(page) if !page.live.keep => serve(&app, &page, &visit, &base, encoding, "bypass").await,
        Ok(page) => serve(&app, &page, &visit, &base, encoding, "miss").await,
        Err(res) => res,
    }
}

/// The claim on a stale page's re-render, given back when the render is over (on success the
/// page is replaced, so giving it back changes nothing).
struct Refresh(Arc<Page>);

impl Drop for Refresh {
    fn drop(&mut self) {
        self.0.release_refresh();
    }
}

/// A first render of a page: concurrent requests for it wait on the lock; the entry in the
/// map of renders in flight goes when the render is over, however it ends.
struct Flight {
    app: SharedApp,
    key: String,
    _lock: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Flight {
    fn drop(&mut self) {
        self.app.cache.rendered(&self.key);
    }
}

fn settle_refresh(cache: &PageCache, key: String, rendered: &Result<Arc<Page>, Response>) {
    match rendered {
        Ok(fresh) => keep(cache, key, fresh),
        Err(res) if res.status() == StatusCode::NOT_FOUND || res.status().is_redirection() => {
            cache.remove(&key);
        }
        Err(_) => {}
    }
}

fn settle_miss(cache: &PageCache, key: String, rendered: &Result<Arc<Page>, Response>) {
    if let Ok(page) = rendered {
        keep(cache, key, page);
    }
}

/// Renders a page to keep in a task of its own and waits for it: a requester who hangs up
/// neither cancels the render nor strands `hold` (its claim, released when the task ends);
/// `settle` records the outcome in the cache. The task keeps the request's place under
/// `server.max_in_flight` until it ends.
async fn detached<H: Send + 'static>(
    app: &SharedApp,
    next: Next,
    mut req: Request,
    hold: H,
    key: String,
    settle: fn(&PageCache, String, &Result<Arc<Page>, Response>),
) -> Result<Arc<Page>, Response> {
    let app = app.clone();
    let permit = req.extensions_mut().remove::<InFlight>();
    // The task renders in the request's language (a task-local does not cross a spawn).
    let lang = cong_render::i18n::current();
    let task = tokio::spawn(cong_render::i18n::scope(lang, async move {
        let _permit = permit;
        let _hold = hold;
        let rendered = render(&app, next, req).await;
        settle(&app.cache, key, &rendered);
        rendered
    }));
    match task.await {
        Ok(rendered) => rendered,
        Err(e) => Err(Error::Internal(format!("page render ended early: {e}")).into_response()),
    }
}

fn keep(cache: &PageCache, key: String, page: &Arc<Page>) {
    if page.keepable() {
        cache.put(key, Arc::clone(page));
        cache.compress(page);
    }
}

/// Runs the handler; a page it marked live comes back as a [`Page`], anything else (errors,
/// redirects, files) as the response to send.
async fn render(app: &SharedApp, next: Next, req: Request) -> Result<Arc<Page>, Response> {
    let res = next.run(req).await;
    if res.extensions().get::<LivePage>().is_none() {
        return Err(res);
    }
    let (mut head, body) = res.into_parts();
    let live = head.extensions.remove::<LivePage>().unwrap_or_default();
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|e| Error::Internal(format!("page body not read: {e}")).into_response())?;
    if let Some((id, stored, seq)) = live.article {
        app.stats.note_views(id, stored, seq);
    }
    Ok(Arc::new(Page::new(&head, &body, app.cache.marker(), live)))
}

/// Counts the view, splices in the numbers of now and the request's address (`base`), and
/// answers in the chosen encoding.
async fn serve(
    app: &SharedApp,
    page: &Page,
    visit: &Visit,
    base: &Bytes,
    encoding: Encoding,
    how: &'static str,
) -> Response {
    metrics::counter!("cong_page_cache_total", "outcome" => how).increment(1);
    let article = page.live.article;
    if page.counted() {
        // Counted before the numbers are read, so the reader's own view shows at once.
        app.stats
            .count(visit.site, &visit.hit(), article.map(|(id, _, _)| id));
    }
    let mut numbers: Vec<Bytes> = Vec::with_capacity(page.slots().len());
    if !page.slots().is_empty() {
        let widget = app.stats.widget(visit.site);
        let views = match article {
            Some((id, stored, seq)) if page.slots().contains(&Live::Views) => {
                match app.stats.views_now(id).await {
                    Ok(n) => n,
                    // The store is away and this node forgot the count: the one the page
                    // was rendered with, plus this node's views since, beats no page.
                    Err(e) => {
                        tracing::debug!(error = %e, id, "view count as the page knew it");
                        app.stats.article_views(id, stored, seq)
                    }
                }
            }
            _ => 0,
        };
        for slot in page.slots() {
            numbers.push(match slot {
                Live::Online => cong_render::number(widget.online).into(),
                Live::Today => cong_render::number(widget.today).into(),
                Live::Week => cong_render::number(widget.week).into(),
                Live::Month => cong_render::number(widget.month).into(),
                Live::Total => cong_render::number(widget.total).into(),
                Live::Views => cong_render::number(views).into(),
                Live::Base => base.clone(),
            });
        }
    }
    let compressed = {
        let numbers: Vec<&[u8]> = numbers.iter().map(|n| &n[..]).collect();
        match encoding {
            Encoding::Brotli => page
                .brotli(&numbers)
                .map(|b| (b, "br"))
                .or_else(|| page.gzip(&numbers).map(|b| (b, "gzip"))),
            Encoding::Gzip => page.gzip(&numbers).map(|b| (b, "gzip")),
            Encoding::Identity => None,
        }
    };
    let (body, coding) = match compressed {
        Some((b, c)) => (Body::from(b), Some(c)),
        None => (Body::new(page.plain(numbers)), None),
    };
    let mut res = Response::new(body);
    *res.status_mut() = page.status();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, page.content_type().clone());
    if let Some(cc) = page.cache_control() {
        h.insert(header::CACHE_CONTROL, cc.clone());
    }
    if let Some(ra) = page.retry_after() {
        h.insert(header::RETRY_AFTER, ra.clone());
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(c) = coding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
    }
    h.insert("x-cache", HeaderValue::from_static(how));
    if page.live.private {
        h.insert(
            header::HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if page.live.video {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            crate::headers::with_video(&app.csp.get(Some(visit.site))),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> Encoding {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(v).expect("value"),
        );
        negotiate(&h)
    }

    #[test]
    fn brotli_first_then_gzip_unless_refused() {
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(accept("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(accept("gzip"), Encoding::Gzip);
        assert_eq!(accept("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(accept("br;q=0,gzip;q=0"), Encoding::Identity);
        assert_eq!(accept("identity"), Encoding::Identity);
        assert_eq!(accept("BR"), Encoding::Brotli);
    }
}
