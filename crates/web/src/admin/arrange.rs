//! *Giao diện*: the webmaster arranges the site per language — the menu, the home page's
//! blocks, banners and the "Liên kết website" links — each as a form of rows saved whole.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::Result;
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_domain::navigation::{BannerInput, BlockInput, Lang, LinkInput, MenuInput};
use serde::Serialize;

/// Blank rows offered under the saved ones (a script adds more).
const SPARE_ROWS: usize = 3;

/// One of the four lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Menu,
    Home,
    Banners,
    Links,
}

impl Tab {
    fn path(self) -> &'static str {
        match self {
            Tab::Menu => "/quan-tri/giao-dien",
            Tab::Home => "/quan-tri/giao-dien/trang-chu",
            Tab::Banners => "/quan-tri/giao-dien/banner",
            Tab::Links => "/quan-tri/giao-dien/lien-ket",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Tab::Menu => "menu",
            Tab::Home => "home",
            Tab::Banners => "banners",
            Tab::Links => "links",
        }
    }
}

#[derive(Serialize, Default)]
struct MenuRowView {
    sub: bool,
    label: String,
    kind: String,
    target: String,
}

#[derive(Serialize, Default)]
struct BlockRowView {
    kind: String,
    section: String,
    count: String,
    title: String,
}

#[derive(Serialize, Default)]
struct BannerRowView {
    place: String,
    image: String,
    link: String,
    alt: String,
    starts: String,
    ends: String,
}

#[derive(Serialize, Default)]
struct LinkRowView {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Choice {
    id: i64,
    value: String,
    label: String,
}

#[derive(Serialize, Default)]
struct ArrangePage {
    tab: &'static str,
    lang: &'static str,
    action: String,
    menu: Vec<MenuRowView>,
    blocks: Vec<BlockRowView>,
    banners: Vec<BannerRowView>,
    links: Vec<LinkRowView>,
    sections: Vec<Choice>,
    pages: Vec<Choice>,
    media: Vec<super::articles::MediaChoice>,
}

fn lang_of(admin: &Admin) -> Lang {
    Lang::parse(&admin.param("ngon-ngu")).unwrap_or(Lang::Vi)
}

fn lang_from(form: &FormData) -> Lang {
    Lang::parse(form.get("ngon-ngu")).unwrap_or(Lang::Vi)
}

pub async fn menu(admin: Admin) -> Result<Response> {
    show(&admin, Tab::Menu, lang_of(&admin), None, Vec::new()).await
}

pub async fn home(admin: Admin) -> Result<Response> {
    show(&admin, Tab::Home, lang_of(&admin), None, Vec::new()).await
}

pub async fn banners(admin: Admin) -> Result<Response> {
    show(&admin, Tab::Banners, lang_of(&admin), None, Vec::new()).await
}

pub async fn links(admin: Admin) -> Result<Response> {
    show(&admin, Tab::Links, lang_of(&admin), None, Vec::new()).await
}

/// The same row of several fields sent once per row, zipped back into rows.
fn rows<const N: usize>(form: &FormData, names: [&str; N]) -> Vec<[String; N]> {
    let cols: Vec<Vec<&str>> = names.iter().map(|n| form.all(n)).collect();
    let len = cols.iter().map(Vec::len).max().unwrap_or(0);
    (0..len)
        .map(|i| std::array::from_fn(|c| cols[c].get(i).copied().unwrap_or("").to_owned()))
        .collect()
}

pub async fn save_menu(admin: Admin, form: FormData) -> Result<Response> {
    let lang = lang_from(&form);
    let input: Vec<MenuInput> = rows(&form, ["depth", "label", "kind", "target"])
        .into_iter()
        .map(|[depth, label, kind, target]| MenuInput {
            sub: depth == "1",
            label,
            kind,
            target,
        })
        .collect();
    let r = admin
        .app
        .navigation
        .save_menu(admin.actor(), lang, &input)
        .await;
    let sent = || Sent::Menu(input.iter().map(MenuRowView::from).collect());
    finish(&admin, Tab::Menu, lang, r, sent).await
}

pub async fn save_home(admin: Admin, form: FormData) -> Result<Response> {
    let lang = lang_from(&form);
    let input: Vec<BlockInput> = rows(&form, ["kind", "section", "count", "title"])
        .into_iter()
        .map(|[kind, section, count, title]| BlockInput {
            kind,
            section,
            count,
            title,
        })
        .collect();
    let r = admin
        .app
        .navigation
        .save_blocks(admin.actor(), lang, &input)
        .await;
    let sent = || Sent::Blocks(input.iter().map(BlockRowView::from).collect());
    finish(&admin, Tab::Home, lang, r, sent).await
}

pub async fn save_banners(admin: Admin, form: FormData) -> Result<Response> {
    let lang = lang_from(&form);
    let input: Vec<BannerInput> = rows(&form, ["place", "image", "link", "alt", "starts", "ends"])
        .into_iter()
        .map(|[place, image, link, alt, starts, ends]| BannerInput {
            place,
            image,
            link,
            alt,
            starts,
            ends,
        })
        .collect();
    let r = admin
        .app
        .navigation
        .save_banners(admin.actor(), lang, &input)
        .await;
    let sent = || Sent::Banners(input.iter().map(BannerRowView::from).collect());
    finish(&admin, Tab::Banners, lang, r, sent).await
}

pub async fn save_links(admin: Admin, form: FormData) -> Result<Response> {
    let lang = lang_from(&form);
    let input: Vec<LinkInput> = rows(&form, ["title", "url"])
        .into_iter()
        .map(|[title, url]| LinkInput { title, url })
        .collect();
    let r = admin
        .app
        .navigation
        .save_links(admin.actor(), lang, &input)
        .await;
    let sent = || Sent::Links(input.iter().map(LinkRowView::from).collect());
    finish(&admin, Tab::Links, lang, r, sent).await
}

/// What a refused form sent, shown again as typed.
enum Sent {
    Menu(Vec<MenuRowView>),
    Blocks(Vec<BlockRowView>),
    Banners(Vec<BannerRowView>),
    Links(Vec<LinkRowView>),
}

async fn finish(
    admin: &Admin,
    tab: Tab,
    lang: Lang,
    r: cong_domain::Result<()>,
    sent: impl FnOnce() -> Sent,
) -> Result<Response> {
    match r {
        Ok(()) => Ok(redirect(&format!(
            "{}?ngon-ngu={}&ok=luu",
            tab.path(),
            lang.code()
        ))),
        Err(cong_domain::Error::Fields(errors)) => {
            let messages = errors
                .into_iter()
                .map(|(key, m)| match key.rsplit_once('.') {
                    Some((_, n)) => match n.parse::<usize>() {
                        Ok(i) => format!("Dòng {}: {m}", i + 1),
                        Err(_) => m,
                    },
                    None => m,
                })
                .collect();
            let mut res = show(admin, tab, lang, Some(sent()), messages).await?;
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn show(
    admin: &Admin,
    tab: Tab,
    lang: Lang,
    sent: Option<Sent>,
    errors: Vec<String>,
) -> Result<Response> {
    admin.require(Action::ArrangeSite)?;
    let site = admin.site.id;
    let nav = &admin.app.navigation;
    let store = admin.app.content.store();
    let mut page = ArrangePage {
        tab: tab.code(),
        lang: lang.code(),
        action: tab.path().to_owned(),
        ..ArrangePage::default()
    };
    match sent {
        Some(Sent::Menu(r)) => page.menu = r,
        Some(Sent::Blocks(r)) => page.blocks = r,
        Some(Sent::Banners(r)) => page.banners = r,
        Some(Sent::Links(r)) => page.links = r,
        None => match tab {
            Tab::Menu => {
                page.menu = nav
                    .menu(site, lang)
                    .await?
                    .into_iter()
                    .map(|m| {
                        let (kind, target) = m.target.to_row();
                        MenuRowView {
                            sub: m.depth > 0,
                            label: m.label,
                            kind: kind.to_owned(),
                            target: target.to_owned(),
                        }
                    })
                    .collect();
            }
            Tab::Home => {
                page.blocks = nav
                    .blocks(site, lang)
                    .await?
                    .into_iter()
                    .map(|b| BlockRowView {
                        kind: b.kind.code().to_owned(),
                        section: b.section.map(|s| s.to_string()).unwrap_or_default(),
                        count: b.count.to_string(),
                        title: b.title,
                    })
                    .collect();
            }
            Tab::Banners => {
                let iso = |d: Option<jiff::civil::Date>| {
                    d.map(|d| d.strftime("%d/%m/%Y").to_string())
                        .unwrap_or_default()
                };
                page.banners = nav
                    .banners(site, lang)
                    .await?
                    .into_iter()
                    .map(|b| BannerRowView {
                        place: b.place.code().to_owned(),
                        image: b.image.to_string(),
                        link: b.link,
                        alt: b.alt,
                        starts: iso(b.starts),
                        ends: iso(b.ends),
                    })
                    .collect();
            }
            Tab::Links => {
                page.links = nav
                    .links(site, lang)
                    .await?
                    .into_iter()
                    .map(|l| LinkRowView {
                        title: l.title,
                        url: l.url,
                    })
                    .collect();
            }
        },
    }
    page.menu
        .extend((0..SPARE_ROWS).map(|_| MenuRowView::default()));
    page.blocks
        .extend((0..SPARE_ROWS).map(|_| BlockRowView::default()));
    page.banners
        .extend((0..SPARE_ROWS).map(|_| BannerRowView::default()));
    page.links
        .extend((0..SPARE_ROWS).map(|_| LinkRowView::default()));
    match tab {
        Tab::Menu | Tab::Home => {
            let sections = store
                .sections(site)
                .list_all()
                .await
                .map_err(cong_domain::Error::from)?;
            page.sections = sections
                .into_iter()
                .map(|s| Choice {
                    id: s.id,
                    value: s.slug,
                    label: s.name,
                })
                .collect();
            page.pages = admin
                .app
                .content
                .page_titles(site, lang)
                .await?
                .into_iter()
                .map(|(slug, title)| Choice {
                    id: 0,
                    value: slug,
                    label: title,
                })
                .collect();
        }
        Tab::Banners => page.media = super::articles::media_choices(admin).await?,
        Tab::Links => {}
    }
    let title = match tab {
        Tab::Menu => "Giao diện: menu",
        Tab::Home => "Giao diện: trang chủ",
        Tab::Banners => "Giao diện: banner",
        Tab::Links => "Giao diện: liên kết website",
    };
    Ok(admin
        .render(
            "admin/arrange.html",
            title,
            "/quan-tri/giao-dien",
            errors,
            page,
        )
        .await?
        .into_response())
}

impl From<&MenuInput> for MenuRowView {
    fn from(m: &MenuInput) -> Self {
        MenuRowView {
            sub: m.sub,
            label: m.label.clone(),
            kind: m.kind.clone(),
            target: m.target.clone(),
        }
    }
}

impl From<&BlockInput> for BlockRowView {
    fn from(b: &BlockInput) -> Self {
        BlockRowView {
            kind: b.kind.clone(),
            section: b.section.clone(),
            count: b.count.clone(),
            title: b.title.clone(),
        }
    }
}

impl From<&BannerInput> for BannerRowView {
    fn from(b: &BannerInput) -> Self {
        BannerRowView {
            place: b.place.clone(),
            image: b.image.clone(),
            link: b.link.clone(),
            alt: b.alt.clone(),
            starts: b.starts.clone(),
            ends: b.ends.clone(),
        }
    }
}

impl From<&LinkInput> for LinkRowView {
    fn from(l: &LinkInput) -> Self {
        LinkRowView {
            title: l.title.clone(),
            url: l.url.clone(),
        }
    }
}
