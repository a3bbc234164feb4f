//! Sites: which site a request's host name reaches, and the system administrator's changes
//! to sites (each checked, audited and recorded as a change in one transaction).

use crate::audit::Entry;
use crate::auth::{Action, By};
use crate::text::nfc;
use crate::{Clock, Error, Result};
use cong_store::changes::ChangeKind;
use cong_store::sites::{NewSite, SiteKind, SiteRow};
use cong_store::{SiteId, Store, Tx};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// A site as requests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    pub id: SiteId,
    pub name: String,
    /// Scheme, host and optional port (`https://skhcn.binhthuan.gov.vn`); empty: the address
    /// each request comes to.
    pub address: String,
    pub kind: SiteKind,
    pub disabled: bool,
    /// Host names that redirect to the address.
    pub aliases: Vec<String>,
}

/// What a request's host name reaches.
#[derive(Debug, Clone)]
pub enum Resolved {
    Site(Arc<SiteInfo>),
    /// An alias: the same path answers at this address (scheme, host, port).
    Alias(String),
    /// No site answers here.
    Unknown,
}

/// Every site and host name, as of the last load.
#[derive(Debug, Default)]
pub struct Directory {
    sites: Vec<Arc<SiteInfo>>,
    /// Host name → (site, is it the canonical name).
    hosts: HashMap<String, (SiteId, bool)>,
}

impl Directory {
    fn build(
        rows: Vec<SiteRow>,
        hosts: Vec<cong_store::sites::HostRow>,
        https: Option<Https>,
    ) -> Directory {
        let mut aliases: HashMap<SiteId, Vec<String>> = HashMap::new();
        for h in hosts.iter().filter(|h| !h.canonical) {
            aliases.entry(h.site_id).or_default().push(h.host.clone());
        }
        let sites = rows
            .into_iter()
            .map(|r| {
                Arc::new(SiteInfo {
                    aliases: aliases.remove(&r.id).unwrap_or_default(),
                    id: r.id,
                    name: r.name,
                    address: match https {
                        Some(h) => h.address(&r.address),
                        None => r.address,
                    },
                    kind: r.kind,
                    disabled: r.disabled,
                })
            })
            .collect();
        let hosts = hosts
            .into_iter()
            .map(|h| (h.host, (h.site_id, h.canonical)))
            .collect();
        Directory { sites, hosts }
    }

    /// The site a host name (lower case, no port) reaches. While one site is enabled, it
    /// answers on any name, as a single-site install always did; a disabled site answers
    /// on none.
    pub fn resolve(&self, host: &str) -> Resolved {
        self.resolve_with(host, false)
    }

    /// As [`resolve`](Self::resolve); with `canonical_only`, the one enabled site sends a
    /// name it does not hold to its address (301) when it has one, as it does its aliases.
    pub fn resolve_with(&self, host: &str, canonical_only: bool) -> Resolved {
        let enabled = || self.sites.iter().filter(|s| !s.disabled);
        match self.hosts.get(host) {
            Some(&(id, canonical)) => match self.find(id).filter(|s| !s.disabled) {
                Some(site) if canonical || site.address.is_empty() => Resolved::Site(site),
                Some(site) => Resolved::Alias(site.address.clone()),
                None => Resolved::Unknown,
            },
            None => {
                let mut on = enabled();
                match (on.next(), on.next()) {
                    (Some(only), None) if canonical_only && !only.address.is_empty() => {
                        Resolved::Alias(only.address.clone())
                    }
                    (Some(only), None) => Resolved::Site(Arc::clone(only)),
                    _ => Resolved::Unknown,
                }
            }
        }
    }

    pub fn find(&self, id: SiteId) -> Option<Arc<SiteInfo>> {
        self.sites.iter().find(|s| s.id == id).cloned()
    }

    pub fn all(&self) -> &[Arc<SiteInfo>] {
        &self.sites
    }

    /// The provincial portal: the first enabled site of kind portal (where articles are
    /// shared to).
    pub fn portal(&self) -> Option<&Arc<SiteInfo>> {
        self.sites
            .iter()
            .find(|s| s.kind == SiteKind::Portal && !s.disabled)
    }
}

/// A site as the system administrator sets it.
#[derive(Debug, Clone)]
pub struct SiteForm {
    pub name: String,
    /// `http(s)://host[:port]`, nothing after.
    pub address: String,
    pub kind: SiteKind,
    /// Host names (or addresses, whose host is taken) that redirect to the site.
    pub aliases: Vec<String>,
}

/// The host of an address as requests name it: lower case, without the port.
pub fn host_of(address: &str) -> Option<String> {
    let rest = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"))
        .unwrap_or(address);
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => format!("[{}]", v6.split(']').next()?),
        None => authority.split(':').next().unwrap_or("").to_owned(),
    };
    let host = host.to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.len() <= 253
        && (host.starts_with('[')
            || host.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            }));
    ok.then_some(host)
}

/// A site address as stored: scheme, host, optional port; lower case, no trailing slash.
fn clean_address(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    let (scheme, rest) = raw.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !(scheme == "http" || scheme == "https") || rest.contains(['/', '?', '#', '@']) {
        return None;
    }
    host_of(rest)?;
    // What follows the host, if anything: a port.
    let after = match rest.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or("", |(_, p)| p),
        None => rest.split_once(':').map_or("", |(_, p)| p),
    };
    let after = after.strip_prefix(':').unwrap_or(after);
    let port_ok = after.is_empty() || after.parse::<u16>().is_ok_and(|p| p > 0);
    port_ok.then(|| format!("{scheme}://{}", rest.to_ascii_lowercase()))
}

/// Sites served over HTTPS by this node: every stored address is shown with `https://`
/// and the HTTPS port, whatever scheme and port it was entered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Https {
    /// The port browsers reach HTTPS on (443 is left out of addresses).
    pub port: u16,
}

impl Https {
    /// `address` (`http(s)://host[:port]`) as reached over HTTPS; empty stays empty.
    pub fn address(self, address: &str) -> String {
        let Some(host) = host_of(address) else {
            return address.to_owned();
        };
        if self.port == 443 {
            format!("https://{host}")
        } else {
            format!("https://{host}:{}", self.port)
        }
    }
}

/// The sites service: the directory every request asks, and changes to it.
pub struct Sites {
    store: Store,
    clock: Arc<dyn Clock>,
    directory: RwLock<Arc<Directory>>,
    https: RwLock<Option<Https>>,
}

impl std::fmt::Debug for Sites {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sites").finish_non_exhaustive()
    }
}

impl Sites {
    /// An empty directory until [`Sites::load`] (nothing resolves before the store is up).
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Sites {
            store,
            clock,
            directory: RwLock::default(),
            https: RwLock::default(),
        }
    }

    /// Serves every site over HTTPS from the next [`Sites::load`] on (TLS is on).
    pub fn serve_https(&self, https: Https) {
        *self.https.write().unwrap_or_else(|p| p.into_inner()) = Some(https);
    }

    /// Whether sites are served over HTTPS, and on which port.
    pub fn https(&self) -> Option<Https> {
        *self.https.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads every site and host name again (at start, and on every site change).
    pub async fn load(&self) -> Result<()> {
        let sites = self.store.sites().list_all().await?;
        let hosts = self.store.sites().list_hosts().await?;
        let dir = Arc::new(Directory::build(sites, hosts, self.https()));
        *self.directory.write().unwrap_or_else(|p| p.into_inner()) = dir;
        Ok(())
    }

    /// The directory as last loaded (cheap: one reference count).
    pub fn directory(&self) -> Arc<Directory> {
        Arc::clone(&self.directory.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Creates a site; returns its id.
    pub async fn add(&self, by: By<'_>, form: &SiteForm) -> Result<SiteId> {
        by.require(Action::ManageSites)?;
        let (name, address, aliases) = check(form)?;
        self.refuse_hiding_an_addressless_site(None)?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let row = NewSite {
            name: &name,
            address: &address,
            kind: form.kind,
        };
        let id = self.store.sites().insert(&mut tx, &row, now).await?;
        self.put_hosts(&mut tx, id, &address, &aliases).await?;
        // The banner's first line is the site's name until an administrator says otherwise.
        self.store
            .settings(id)
            .set(&mut tx, "site.name", &name)
            .await?;
        self.record(&mut tx, by, id, "site.create", &name, now)
            .await?;
        tx.commit().await?;
        self.load().await?;
        Ok(id)
    }

    /// Changes a site's name, address, kind and aliases.
    pub async fn update(&self, by: By<'_>, id: SiteId, form: &SiteForm) -> Result<()> {
        by.require(Action::ManageSites)?;
        let (name, address, aliases) = check(form)?;
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        self.store
            .sites()
            .find_for_update(&mut tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        let row = NewSite {
            name: &name,
            address: &address,
            kind: form.kind,
        };
        self.store.sites().update(&mut tx, id, &row, now).await?;
        self.put_hosts(&mut tx, id, &address, &aliases).await?;
        self.record(&mut tx, by, id, "site.update", &name, now)
            .await?;
        tx.commit().await?;
        self.load().await
    }

    /// Stops (or starts again) answering on a site's addresses; its content stays.
    pub async fn set_disabled(&self, by: By<'_>, id: SiteId, disabled: bool) -> Result<()> {
        by.require(Action::ManageSites)?;
        if !disabled {
            self.refuse_hiding_an_addressless_site(Some(id))?;
        }
        let now = self.clock.now().as_second();
        let mut tx = self.store.begin().await?;
        let row = self
            .store
            .sites()
            .find_for_update(&mut tx, id)
            .await?
            .ok_or(Error::NotFound)?;
        self.store
            .sites()
            .set_disabled(&mut tx, id, disabled, now)
            .await?;
        let action = if disabled {
            "site.disable"
        } else {
            "site.enable"
        };
        self.record(&mut tx, by, id, action, &row.name, now).await?;
        tx.commit().await?;
        self.load().await
    }

    /// Gives the first site the configured public address when it has none yet (an
    /// install from before sites: `server.public_url` was its address).
    pub async fn adopt_address(&self, public_url: &str) -> Result<bool> {
        let Some(address) = clean_address(public_url) else {
            return Ok(false);
        };
        let dir = self.directory();
        let Some(first) = dir.find(SiteId::FIRST) else {
            return Ok(false);
        };
        if !first.address.is_empty() {
            return Ok(false);
        }
        let form = SiteForm {
            name: first.name.clone(),
            address,
            kind: first.kind,
            aliases: first.aliases.clone(),
        };
        self.update(By::CommandLine, SiteId::FIRST, &form).await?;
        Ok(true)
    }

    /// A site without an address answers only while it is the only one enabled: a second
    /// one (`enabling`, or a new one) would take it off the air, its back office included.
    fn refuse_hiding_an_addressless_site(&self, enabling: Option<SiteId>) -> Result<()> {
        let dir = self.directory();
        let on: Vec<_> = dir
            .all()
            .iter()
            .filter(|s| !s.disabled && Some(s.id) != enabling)
            .collect();
        match on.iter().find(|s| s.address.is_empty()) {
            Some(bare) => Err(Error::Fields(vec![(
                "address".into(),
                format!(
                    "Trang số {} ({}) chưa có địa chỉ: đặt địa chỉ cho nó trước, nếu không nó \
                     sẽ không còn trả lời khi có trang thứ hai.",
                    bare.id, bare.name
                ),
            )])),
            None => Ok(()),
        }
    }

    async fn put_hosts(
        &self,
        tx: &mut Tx,
        id: SiteId,
        address: &str,
        aliases: &[String],
    ) -> Result<()> {
        let canonical = host_of(address);
        for host in canonical.iter().chain(aliases) {
            if let Some(other) = self.store.sites().holder_of(tx, host).await?
                && other != id
            {
                return Err(Error::Fields(vec![(
                    "address".into(),
                    format!("Tên miền “{host}” đã thuộc trang số {other}."),
                )]));
            }
        }
        self.store
            .sites()
            .set_hosts(tx, id, canonical.as_deref(), aliases)
            .await?;
        Ok(())
    }

    async fn record(
        &self,
        tx: &mut Tx,
        by: By<'_>,
        id: SiteId,
        action: &str,
        detail: &str,
        now: i64,
    ) -> Result<()> {
        let entry = Entry {
            action,
            kind: "site",
            id: Some(id.0),
            detail,
        };
        crate::audit::append_by(&self.store, tx, by, entry, Some(id), now).await?;
        self.store
            .changes()
            .record(tx, ChangeKind::Site, id.0, now)
            .await?;
        Ok(())
    }
}

/// The form's name, address and aliases, cleaned; the errors name the fields.
fn check(form: &SiteForm) -> Result<(String, String, Vec<String>)> {
    let mut errors = Vec::new();
    let name = nfc(form.name.trim());
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(("name".into(), "Nhập tên trang (tối đa 200 ký tự).".into()));
    }
    let address = clean_address(&form.address);
    if address.is_none() {
        errors.push((
            "address".into(),
            "Địa chỉ có dạng https://ten-mien (có thể kèm cổng), không có đường dẫn.".into(),
        ));
    }
    let mut aliases = Vec::new();
    for a in form
        .aliases
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
    {
        match host_of(a) {
            Some(h) if Some(&h) != address.as_deref().and_then(host_of).as_ref() => {
                if !aliases.contains(&h) {
                    aliases.push(h);
                }
            }
            Some(_) => {}
            None => errors.push(("aliases".into(), format!("Tên miền “{a}” không hợp lệ."))),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Fields(errors));
    }
    Ok((name, address.unwrap_or_default(), aliases))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(id: i64, address: &str, disabled: bool) -> SiteRow {
        SiteRow {
            id: SiteId(id),
            name: format!("site {id}"),
            address: address.to_owned(),
            kind: SiteKind::Component,
            disabled,
        }
    }

    fn host(h: &str, id: i64, canonical: bool) -> cong_store::sites::HostRow {
        cong_store::sites::HostRow {
            host: h.to_owned(),
            site_id: SiteId(id),
            canonical,
        }
    }

    fn id_of(r: Resolved) -> Option<i64> {
        match r {
            Resolved::Site(s) => Some(s.id.0),
            _ => None,
        }
    }

    #[test]
    fn one_site_answers_everywhere_two_answer_only_on_their_names() {
        let one = Directory::build(vec![site(1, "", false)], vec![], None);
        assert_eq!(id_of(one.resolve("anything.example")), Some(1));
        let two = Directory::build(
            vec![
                site(1, "http://portal.test", false),
                site(2, "http://skhcn.portal.test:8080", false),
            ],
            vec![
                host("portal.test", 1, true),
                host("skhcn.portal.test", 2, true),
                host("old-skhcn.test", 2, false),
            ],
            None,
        );
        assert_eq!(id_of(two.resolve("portal.test")), Some(1));
        assert_eq!(id_of(two.resolve("skhcn.portal.test")), Some(2));
        assert!(matches!(two.resolve("elsewhere.test"), Resolved::Unknown));
        match two.resolve("old-skhcn.test") {
            Resolved::Alias(to) => assert_eq!(to, "http://skhcn.portal.test:8080"),
            other => panic!("alias resolved as {other:?}"),
        }
    }

    #[test]
    fn with_the_canonical_redirect_a_lone_site_sends_other_names_to_its_address() {
        let dir = Directory::build(
            vec![site(1, "https://skhcn.test", false)],
            vec![host("skhcn.test", 1, true), host("old.test", 1, false)],
            None,
        );
        assert_eq!(id_of(dir.resolve_with("skhcn.test", true)), Some(1));
        for name in ["www.skhcn.test", "203.0.113.7", "old.test"] {
            match dir.resolve_with(name, true) {
                Resolved::Alias(to) => assert_eq!(to, "https://skhcn.test", "{name}"),
                other => panic!("{name} resolved as {other:?}"),
            }
        }
        assert_eq!(
            id_of(dir.resolve_with("www.skhcn.test", false)),
            Some(1),
            "off: any name"
        );
        // Without an address there is nowhere to send them.
        let bare = Directory::build(vec![site(1, "", false)], vec![], None);
        assert_eq!(id_of(bare.resolve_with("anything.test", true)), Some(1));
    }

    #[test]
    fn a_disabled_site_answers_nowhere_and_leaves_the_other_answering_everywhere() {
        let dir = Directory::build(
            vec![
                site(1, "http://a.test", false),
                site(2, "http://b.test", true),
            ],
            vec![host("a.test", 1, true), host("b.test", 2, true)],
            None,
        );
        assert!(matches!(dir.resolve("b.test"), Resolved::Unknown));
        assert_eq!(id_of(dir.resolve("c.test")), Some(1));
    }

    #[test]
    fn over_https_every_address_takes_the_https_scheme_and_port() {
        let dir = Directory::build(
            vec![
                site(1, "http://skhcn.portal.test:8080", false),
                site(2, "", false),
            ],
            vec![
                host("skhcn.portal.test", 1, true),
                host("old.test", 1, false),
            ],
            Some(Https { port: 8443 }),
        );
        let a = dir.find(SiteId(1)).expect("site 1");
        assert_eq!(a.address, "https://skhcn.portal.test:8443");
        assert_eq!(dir.find(SiteId(2)).expect("site 2").address, "");
        match dir.resolve("old.test") {
            Resolved::Alias(to) => assert_eq!(to, "https://skhcn.portal.test:8443"),
            other => panic!("alias resolved as {other:?}"),
        }
        assert_eq!(
            Https { port: 443 }.address("http://[2001:db8::1]:8080"),
            "https://[2001:db8::1]"
        );
    }

    #[test]
    fn addresses_are_a_scheme_a_host_and_a_port_only() {
        assert_eq!(
            clean_address("HTTPS://SKHCN.BinhThuan.gov.vn/").as_deref(),
            Some("https://skhcn.binhthuan.gov.vn")
        );
        assert_eq!(
            clean_address("http://skhcn.localhost:8080").as_deref(),
            Some("http://skhcn.localhost:8080")
        );
        for bad in [
            "skhcn.gov.vn",
            "ftp://a.vn",
            "http://a.vn/tin-tuc",
            "http://user@a.vn",
            "http://a.vn:99999",
            "http://-a.vn",
            "http://",
        ] {
            assert_eq!(clean_address(bad), None, "{bad}");
        }
        assert_eq!(host_of("http://A.vn:8080").as_deref(), Some("a.vn"));
    }
}
