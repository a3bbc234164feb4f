//! `/co-cau-to-chuc` (the structure as nested lists), `/co-cau-to-chuc/{slug}` (a unit),
//! `/danh-ba` (the contact directory, searched folded) and `/lanh-dao-qua-cac-thoi-ky`.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::extract::Path;
use axum::response::Response;
use cong_domain::navigation::Lang;
use cong_domain::organisation::UnitNode;
use cong_render::urls;
use cong_render::views::Head;
use cong_store::organisation::{PersonRow, UnitRow};
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Serialize)]
struct PhotoView {
    src: String,
    webp_srcset: String,
    srcset: String,
    width: i64,
    height: i64,
}

#[derive(Serialize)]
struct PersonView {
    name: String,
    title: String,
    unit: String,
    unit_url: String,
    phone: String,
    tel: String,
    email: String,
    photo: Option<PhotoView>,
    from: String,
    until: String,
}

#[derive(Serialize)]
struct UnitView {
    /// In the page's language where the editor filled it, else in Vietnamese.
    name: String,
    /// The name in the other language, if there is one (said under the heading).
    alt_name: String,
    alt_lang: &'static str,
    kind: &'static str,
    url: String,
    duties: Vec<String>,
    address: String,
    phone: String,
    tel: String,
    email: String,
    people: Vec<PersonView>,
    children: Vec<UnitView>,
}

/// The English text on English pages where an editor filled it, else the Vietnamese one.
fn shown<'a>(vi: &'a str, en: &'a str) -> &'a str {
    cong_render::i18n::either(vi, en)
}

/// A number a phone can dial: its digits and a leading `+`.
fn tel(phone: &str) -> String {
    phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect()
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// dd/mm/yyyy ("17 May 2023" in English) from a stored yyyy-mm-dd.
fn shown_day(day: Option<&str>) -> String {
    day.and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .map(cong_render::views::documents::shown_day)
        .unwrap_or_default()
}

/// The photo shown 120 pixels wide, from the library's copies.
fn photo(p: &PersonRow) -> Option<PhotoView> {
    let file = p.photo_file.as_deref()?;
    let widths: Vec<u32> = p
        .photo_widths
        .split(',')
        .filter_map(|w| w.trim().parse().ok())
        .collect();
    let (webp_srcset, srcset) = urls::srcsets(file, &widths);
    let (w, h) = p.photo_size.unwrap_or((3, 4));
    Some(PhotoView {
        src: urls::media(file),
        webp_srcset,
        srcset,
        width: 120,
        height: if w > 0 { (120 * h / w).max(1) } else { 160 },
    })
}

fn person(p: &PersonRow) -> PersonView {
    PersonView {
        name: p.name.clone(),
        title: shown(&p.title, &p.title_en).to_owned(),
        unit: shown(&p.unit_name, &p.unit_name_en).to_owned(),
        unit_url: unit_url(&p.unit_slug),
        tel: tel(&p.phone),
        phone: p.phone.clone(),
        email: p.email.clone(),
        photo: photo(p),
        from: shown_day(p.served_from.as_deref()),
        until: shown_day(p.served_until.as_deref()),
    }
}

fn unit_url(slug: &str) -> String {
    format!("/co-cau-to-chuc/{slug}")
}

fn kind(u: &UnitRow) -> &'static str {
    u.kind.as_str()
}

fn unit(n: &UnitNode) -> UnitView {
    let u = &n.unit;
    let name = shown(&u.name, &u.name_en);
    let (alt_name, alt_lang) = if name == u.name {
        (u.name_en.clone(), Lang::En.code())
    } else {
        (u.name.clone(), Lang::Vi.code())
    };
    UnitView {
        name: name.to_owned(),
        alt_name,
        alt_lang,
        kind: kind(u),
        url: unit_url(&u.slug),
        duties: paragraphs(shown(&u.duties, &u.duties_en)),
        address: u.address.clone(),
        tel: tel(&u.phone),
        phone: u.phone.clone(),
        email: u.email.clone(),
        people: n.people.iter().map(person).collect(),
        children: n.children.iter().map(unit).collect(),
    }
}

/// A `Person` of schema.org, working for `unit` (absolute URLs from `base`).
fn person_ld(p: &PersonRow, base: &str) -> Value {
    let mut ld = json!({
        "@type": "Person",
        "name": p.name,
        "jobTitle": shown(&p.title, &p.title_en),
        "worksFor": {
            "@type": "GovernmentOrganization",
            "name": shown(&p.unit_name, &p.unit_name_en),
            "url": format!("{base}{}", unit_url(&p.unit_slug)),
        },
    });
    if !p.phone.is_empty() {
        ld["telephone"] = json!(p.phone);
    }
    if !p.email.is_empty() {
        ld["email"] = json!(p.email);
    }
    if let Some(f) = &p.photo_file {
        ld["image"] = json!(format!("{base}{}", urls::media(f)));
    }
    ld
}

/// A unit as a `GovernmentOrganization`, with its people and its own units.
fn unit_ld(n: &UnitNode, base: &str) -> Value {
    let u = &n.unit;
    let name = shown(&u.name, &u.name_en);
    let mut ld = json!({
        "@type": "GovernmentOrganization",
        "name": name,
        "url": format!("{base}{}", unit_url(&u.slug)),
    });
    let other = if name == u.name { &u.name_en } else { &u.name };
    if !other.is_empty() {
        ld["alternateName"] = json!(other);
    }
    if !u.address.is_empty() {
        ld["address"] = json!(u.address);
    }
    if !u.phone.is_empty() {
        ld["telephone"] = json!(u.phone);
    }
    if !u.email.is_empty() {
        ld["email"] = json!(u.email);
    }
    if !n.people.is_empty() {
        ld["employee"] = n.people.iter().map(|p| person_ld(p, base)).collect();
    }
    if !n.children.is_empty() {
        ld["subOrganization"] = n.children.iter().map(|c| unit_ld(c, base)).collect();
    }
    ld
}

/// Kept until a unit or person of the site changes, or until midnight (a term begins or
/// ends with the day, without an edit).
fn kept(ctx: &PageContext) -> LivePage {
    LivePage {
        until: Some(ctx.app.organisation.good_until()),
        ..LivePage::page(vec![Tag::Organisation])
    }
}

#[derive(Serialize)]
struct StructureView {
    layout: cong_render::views::Layout,
    units: Vec<UnitView>,
}

pub async fn structure(ctx: PageContext) -> Result<Response> {
    let nodes = ctx.app.organisation.structure(ctx.site.id).await?;
    let words = ctx.app.renderer.catalogue();
    let mut layout = ctx.layout(None, None).await?.titled(
        &words.text("nav-organisation"),
        &words.text("org-description"),
    );
    super::meta::page(&mut layout, &ctx.base, "/co-cau-to-chuc");
    let base = ctx.base.trim_end_matches('/');
    let ld = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": layout.site.name,
        "url": format!("{base}/co-cau-to-chuc"),
        "subOrganization": nodes.iter().map(|n| unit_ld(n, base)).collect::<Vec<_>>(),
    });
    layout.head.json_ld = Some(Head::json_ld(&ld));
    let view = StructureView {
        layout,
        units: nodes.iter().map(unit).collect(),
    };
    ctx.render("organisation.html", &view, kept(&ctx))
}

#[derive(Serialize)]
struct UnitPageView {
    layout: cong_render::views::Layout,
    unit: UnitView,
    parent: Option<(String, String)>,
}

pub async fn show(ctx: PageContext, Path(slug): Path<String>) -> Result<Response> {
    let page = ctx.app.organisation.unit(ctx.site.id, &slug).await?;
    let view = unit(&page.node);
    let mut layout = ctx.layout(None, None).await?.titled(&view.name, "");
    super::meta::page(&mut layout, &ctx.base, &view.url);
    let base = ctx.base.trim_end_matches('/');
    let mut ld = unit_ld(&page.node, base);
    ld["@context"] = json!("https://schema.org");
    let duties = shown(&page.node.unit.duties, &page.node.unit.duties_en);
    if !duties.is_empty() {
        ld["description"] = json!(duties);
    }
    layout.head.json_ld = Some(Head::json_ld(&ld));
    let view = UnitPageView {
        layout,
        unit: view,
        parent: page
            .parent
            .map(|p| (shown(&p.name, &p.name_en).to_owned(), unit_url(&p.slug))),
    };
    ctx.render("org_unit.html", &view, kept(&ctx))
}

#[derive(Serialize)]
struct DirectoryView {
    layout: cong_render::views::Layout,
    people: Vec<PersonView>,
    q: String,
    unit: String,
    units: Vec<(String, String, usize)>,
    searched: bool,
}

pub async fn directory(ctx: PageContext) -> Result<Response> {
    let param = |name: &str| {
        ctx.query
            .as_deref()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name))
            .map(|(_, v)| v.trim().chars().take(200).collect::<String>())
            .unwrap_or_default()
    };
    let (q, chosen) = (param("q"), param("don-vi"));
    let org = &ctx.app.organisation;
    let units = org.units(ctx.site.id).await?;
    if !chosen.is_empty() && !units.iter().any(|(_, u)| u.slug == chosen) {
        return Err(crate::error::Error::NotFound);
    }
    let people = org
        .directory(
            ctx.site.id,
            &q,
            (!chosen.is_empty()).then_some(chosen.as_str()),
        )
        .await?;
    let words = ctx.app.renderer.catalogue();
    let mut layout = ctx
        .layout(None, None)
        .await?
        .titled(&words.text("nav-directory"), &words.text("dir-description"));
    super::meta::page(&mut layout, &ctx.base, urls::DIRECTORY);
    let base = ctx.base.trim_end_matches('/');
    let ld = json!({
        "@context": "https://schema.org",
        "@graph": people.iter().map(|p| person_ld(p, base)).collect::<Vec<_>>(),
    });
    layout.head.json_ld = Some(Head::json_ld(&ld));
    let view = DirectoryView {
        layout,
        people: people.iter().map(person).collect(),
        searched: !q.is_empty() || !chosen.is_empty(),
        units: units
            .into_iter()
            .map(|(d, u)| (u.slug, shown(&u.name, &u.name_en).to_owned(), d))
            .collect(),
        q,
        unit: chosen,
    };
    ctx.render("directory.html", &view, kept(&ctx))
}

#[derive(Serialize)]
struct PastView {
    layout: cong_render::views::Layout,
    people: Vec<PersonView>,
}

pub async fn past(ctx: PageContext) -> Result<Response> {
    let people = ctx.app.organisation.past_leaders(ctx.site.id).await?;
    let title = ctx.app.renderer.catalogue().text("org-past-leaders");
    let mut layout = ctx.layout(None, None).await?.titled(&title, "");
    super::meta::page(&mut layout, &ctx.base, "/lanh-dao-qua-cac-thoi-ky");
    let base = ctx.base.trim_end_matches('/');
    let ld = json!({
        "@context": "https://schema.org",
        "@graph": people.iter().map(|p| person_ld(p, base)).collect::<Vec<_>>(),
    });
    layout.head.json_ld = Some(Head::json_ld(&ld));
    let view = PastView {
        layout,
        people: people.iter().map(person).collect(),
    };
    ctx.render("past_leaders.html", &view, kept(&ctx))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_phone_number_becomes_dialable() {
        assert_eq!(super::tel("+84 (24) 3825.1234"), "+842438251234");
    }
}
