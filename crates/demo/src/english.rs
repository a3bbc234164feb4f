//! The demo's English pages (Decree 42/2022 asks for at least the introduction, the
//! organisation and the contact details in English): the department's names in English, an
//! English "News" section with translations of three Vietnamese articles, the introduction
//! and contact pages translated, and English links.

use cong_domain::content::{Content, NewArticle};
use cong_domain::navigation::Lang;
use cong_store::SiteId;
use cong_store::navigation::LinkItem;

const SETTINGS: [(&str, &str); 8] = [
    ("site.name.en", "Department of Science and Technology"),
    ("site.parent.en", "Binh Thuan Provincial People's Committee"),
    ("site.tagline.en", "Electronic information portal"),
    (
        "footer.address.en",
        "No. 5 Nguyen Tat Thanh, Phu Thuy ward, Binh Thuan province (example address)",
    ),
    (
        "footer.responsible.en",
        "Director of the Department of Science and Technology",
    ),
    ("footer.phone.en", "+84 252 3 000 000 (example number)"),
    (
        "footer.copyright.en",
        "© Department of Science and Technology. Please cite the source when republishing.",
    ),
    (
        "footer.license.en",
        "Demonstration content of the cong software; not an official government site.",
    ),
];

const INTRO: &str = "<p>The Department of Science and Technology is a specialised agency of the \
Provincial People's Committee. It advises and assists the Committee in the state management of \
science and technology: research and development, standards, metrology and quality, intellectual \
property, radiation and nuclear safety, and digital transformation, as the law provides.</p>\
<h2>Functions</h2><p>The Department has legal status, its own seal and accounts. It is directed by \
the Provincial People's Committee on organisation, staffing and work, and guided by the Ministry \
of Science and Technology on professional matters.</p>\
<p>See the <a href=\"/en/co-cau-to-chuc\">organisation chart</a> and the \
<a href=\"/en/danh-ba\">contact directory</a>.</p>";

const CONTACT: &str = "<p>Questions, comments and suggestions from organisations and citizens are \
welcome at:</p><p><strong>Office of the Department of Science and Technology</strong><br>\
No. 5 Nguyen Tat Thanh, Phu Thuy ward (example address)<br>Phone: +84 252 3 000 000<br>\
E-mail: <a href=\"mailto:skhcn@example.gov.vn\">skhcn@example.gov.vn</a></p>\
<p>Office hours: 7:00 to 11:30 and 13:30 to 17:00, Monday to Friday.</p>";

const LINKS: [(&str, &str); 3] = [
    ("Government of Viet Nam", "https://en.baochinhphu.vn"),
    ("Ministry of Science and Technology", "https://mst.gov.vn"),
    (
        "National Public Service Portal",
        "https://dichvucong.gov.vn",
    ),
];

/// English versions of demo articles: the Vietnamese slug and the English title, summary
/// and body.
const ARTICLES: [(&str, &str, &str); 3] = [
    (
        "Science and technology conference reviews the year's work",
        "The Department met its partners to review the year's research tasks and plan the next.",
        "<p>The Department of Science and Technology held its annual conference to review the \
         research and development tasks of the year, the results transferred to businesses and \
         farmers, and the plan for the coming year.</p><p>Delegates agreed to speed up the \
         digital transformation of public services and to support local innovation.</p>",
    ),
    (
        "Intellectual property support for local businesses",
        "A programme helps small firms register trademarks and protect their products.",
        "<p>The Department opened this year's programme to help small and medium businesses \
         register trademarks, geographical indications and industrial designs.</p>",
    ),
    (
        "Measurement and quality checks before the holiday season",
        "Inspectors checked scales, fuel pumps and packaged goods at markets and stations.",
        "<p>Teams of the Standards, Metrology and Quality Sub-department checked measuring \
         instruments and packaged goods at markets and fuel stations across the province.</p>",
    ),
];

const DONE: &str = "demo.english";

/// Adds the English pages to a demo database (one the demo seeded), once; returns how many
/// English articles it wrote.
pub async fn seed(content: &Content) -> anyhow::Result<usize> {
    let store = content.store();
    let site = SiteId::FIRST;
    let settings = store.settings(site);
    if settings.find(super::DONE).await?.is_none() || settings.find(DONE).await?.is_some() {
        return Ok(0);
    }
    let mut tx = store.begin().await?;
    for (k, v) in SETTINGS {
        settings.set(&mut tx, k, v).await?;
    }
    let links: Vec<LinkItem> = LINKS
        .iter()
        .map(|(title, url)| LinkItem {
            title: (*title).to_owned(),
            url: (*url).to_owned(),
        })
        .collect();
    store
        .navigation(site, Lang::En.code())
        .set_links(&mut tx, &links)
        .await?;
    tx.commit().await?;

    for (slug, title, body, original) in [
        ("introduction", "Introduction", INTRO, "gioi-thieu"),
        ("contact", "Contact", CONTACT, "lien-he"),
    ] {
        let id = match store.pages(site).find_by_slug(slug).await? {
            Some(p) => p.id,
            None => content.create_page(site, slug, title, body).await?,
        };
        let original = store
            .pages(site)
            .find_by_slug(original)
            .await?
            .map(|p| p.id);
        content
            .set_page_language(site, id, Lang::En, original)
            .await?;
    }

    let section = match store.sections(site).find_by_slug("news").await? {
        Some(s) => s.id,
        None => {
            content
                .create_section_in(site, Lang::En, "News", 0, None)
                .await?
        }
    };
    // The newest Vietnamese articles get their English versions.
    let now = jiff::Timestamp::now();
    let originals = store
        .articles()
        .list_latest(site, Lang::Vi.code(), now.as_second(), 3)
        .await?;
    let mut made = 0;
    for (o, (title, summary, body)) in originals.iter().zip(ARTICLES) {
        let (id, _) = content
            .create_article(
                site,
                &NewArticle {
                    section_id: section,
                    title,
                    slug: "",
                    summary,
                    body_html: body,
                    author: "Office of the Department",
                    featured: made == 0,
                    cover_media_id: None,
                    gallery_title: "",
                    published_at: jiff::Timestamp::from_second(o.published_at).unwrap_or(now),
                },
                &[],
            )
            .await?;
        content
            .set_article_translation(site, id, Some(o.id))
            .await?;
        made += 1;
    }
    super::mark(store, DONE).await?;
    Ok(made)
}
