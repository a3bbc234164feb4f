//! The old addresses a site keeps answering after it moved in (from WordPress or NukeViet):
//! the one form an address is kept and looked up in, and where it leads now.

use crate::Result;
use cong_store::{SiteId, Store};

/// WordPress's query addresses that name one item (`/?p=12`, `/?page_id=2`, …).
const QUERY_KEYS: [&str; 5] = ["p", "page_id", "attachment_id", "cat", "tag"];

/// Looks old addresses up; an importer records them in its own transaction.
#[derive(Clone)]
pub struct Redirects {
    store: Store,
}

impl std::fmt::Debug for Redirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redirects").finish_non_exhaustive()
    }
}

impl Redirects {
    pub fn new(store: Store) -> Self {
        Redirects { store }
    }

    /// Where an old address leads now, if it is one.
    pub async fn find(
        &self,
        site: SiteId,
        path: &str,
        query: Option<&str>,
    ) -> Result<Option<String>> {
        let Some(old) = old_address(path, query) else {
            return Ok(None);
        };
        Ok(self.store.redirects().find(site, &old).await?)
    }
}

/// The form an old address is kept in: the path decoded, without its trailing slash, or for
/// the home page with one of WordPress's item parameters, `/?p=12` (other parameters
/// dropped). None for the home page itself and for what no redirect can name.
pub fn old_address(path: &str, query: Option<&str>) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let trimmed = decoded.trim_end_matches('/');
    if trimmed.is_empty() {
        let query = query?;
        return form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| QUERY_KEYS.contains(&k.as_ref()) && !v.trim().is_empty())
            .map(|(k, v)| format!("/?{k}={}", v.trim()));
    }
    if trimmed.len() > 1000 || trimmed.chars().any(char::is_control) {
        return None;
    }
    Some(crate::text::nfc(trimmed))
}

/// The kept form of an address given whole (`/2023/05/17/slug/`, `http://old.vn/?p=12`,
/// `/vi/news/tin-tuc/slug-12.html`): the site's address taken off, then [`old_address`].
pub fn old_address_of(url: &str) -> Option<String> {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => url,
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q.split('#').next().unwrap_or(q))),
        None => (rest.split('#').next().unwrap_or(rest), None),
    };
    old_address(if path.is_empty() { "/" } else { path }, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_have_one_form() {
        assert_eq!(
            old_address("/2023/05/17/hoi-nghi/", None).as_deref(),
            Some("/2023/05/17/hoi-nghi")
        );
        assert_eq!(
            old_address("/2023/05/17/h%E1%BB%99i-ngh%E1%BB%8B", Some("utm=x")).as_deref(),
            Some("/2023/05/17/hội-nghị"),
            "decoded, the query dropped"
        );
        assert_eq!(
            old_address("/", Some("p=12&utm_source=zalo")).as_deref(),
            Some("/?p=12")
        );
        assert_eq!(
            old_address("/", Some("page_id=2")).as_deref(),
            Some("/?page_id=2")
        );
        assert_eq!(
            old_address("/", Some("s=khoa+hoc")),
            None,
            "a search is no item"
        );
        assert_eq!(
            old_address("/", None),
            None,
            "the home page is the home page"
        );
        assert_eq!(old_address("/%FF", None), None, "not UTF-8");
        assert_eq!(
            old_address_of("http://wp.example.vn/?attachment_id=4").as_deref(),
            Some("/?attachment_id=4")
        );
        assert_eq!(
            old_address_of("https://old.vn/vi/news/tin-tuc/hoi-nghi-12.html#top").as_deref(),
            Some("/vi/news/tin-tuc/hoi-nghi-12.html")
        );
        assert_eq!(
            old_address_of("http://wp.example.vn/category/tin-tuc/").as_deref(),
            Some("/category/tin-tuc")
        );
    }
}
