//! Many believable articles, fast, for benchmarks and load tests (`cong generate N`): the
//! demo's phrase lists over the demo's sections, titles repeating as a real portal's do, slugs
//! made unique with a number, written a few thousand rows per transaction; over several sites,
//! the first gathers the others (`cong generate N --sites S`).

use crate::corpus::{AUTHORS, body, pick, title};
use crate::site::{CCHC, GIOI_THIEU, KHCN, TIN_TUC, VAN_BAN};
use cong_domain::content::Content;
use cong_store::SiteId;
use cong_store::articles::NewArticle;
use std::collections::HashMap;

/// The first site's section that gathers the other sites' articles.
pub const GATHERING: &str = "Tin từ các sở, ngành";

/// Rows per transaction.
const BATCH: usize = 5_000;

/// How the articles spread over the sections, out of 20 (news gets most, as on a portal).
const SHARE: [(&str, usize); 5] = [
    (TIN_TUC, 9),
    (KHCN, 5),
    (CCHC, 3),
    (VAN_BAN, 2),
    (GIOI_THIEU, 1),
];

/// One article apart in time: the newest is a minute ago, the rest go back this far each.
const SPACING_SECS: i64 = 317;

/// Adds `n` published articles (seeding the demo first on an empty database, for its
/// sections), spread over the first `sites` sites by id (each gets the demo's sections when it
/// lacks them); calls `progress` with the number written so far. Returns how many.
pub async fn generate(
    content: &Content,
    media_dir: &std::path::Path,
    n: u64,
    sites: usize,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<u64> {
    crate::seed(content, media_dir).await?;
    let store = content.store();
    let ids: Vec<SiteId> = store
        .sites()
        .list_all()
        .await?
        .into_iter()
        .map(|s| s.id)
        .take(sites.max(1))
        .collect();
    if ids.len() < sites {
        anyhow::bail!(
            "{sites} sites asked for, {} exist (`cong site add` them first)",
            ids.len()
        );
    }
    // One wheel of (site, section) per site, taken in turn.
    let mut wheels = Vec::new();
    for site in &ids {
        let mut by_name: HashMap<String, i64> = store
            .sections(*site)
            .list_all()
            .await?
            .into_iter()
            .map(|s| (s.name, s.id))
            .collect();
        let mut wheel = Vec::new();
        for (position, (name, share)) in SHARE.into_iter().enumerate() {
            let id = match by_name.get(name) {
                Some(id) => *id,
                None if *site != SiteId::FIRST => {
                    let id = content
                        .create_section(*site, name, i64::try_from(position)?, None)
                        .await?;
                    by_name.insert(name.to_owned(), id);
                    id
                }
                None => anyhow::bail!("the demo section {name:?} is missing"),
            };
            wheel.extend(std::iter::repeat_n((name, id), share));
        }
        wheels.push((*site, wheel));
    }
    // Over several sites, the first gathers the others' news, as a provincial portal does.
    if ids.len() > 1 {
        let slug = cong_domain::text::slugify(GATHERING);
        let gathering = match store.sections(ids[0]).find_by_slug(&slug).await? {
            Some(s) => s.id,
            None => content.create_section(ids[0], GATHERING, 9, None).await?,
        };
        content
            .set_section_sources(ids[0], gathering, &ids[1..])
            .await?;
    }
    // Numbers continue after earlier runs, so slugs stay unique.
    let first = u64::try_from(store.articles().count().await?)?;
    let now = jiff::Timestamp::now().as_second();
    let tz = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh")?;
    let mut written = 0u64;
    while written < n {
        let count = usize::try_from((n - written).min(BATCH as u64))?;
        let rows: Vec<Generated> = (0..count)
            .map(|j| Generated::new(first + written + j as u64, &wheels, now, &tz))
            .collect::<anyhow::Result<_>>()?;
        let batch: Vec<NewArticle<'_>> = rows.iter().map(Generated::row).collect();
        written += store.articles().insert_many(&batch, now).await?;
        progress(written);
    }
    // One change for all: every node's search index and caches start again from the store.
    store
        .changes()
        .record_alone(cong_store::changes::ChangeKind::Reindex, 0, now)
        .await?;
    Ok(written)
}

/// The owned text of one generated article.
struct Generated {
    site_id: SiteId,
    section_id: i64,
    slug: String,
    title: String,
    summary: String,
    body: String,
    author: &'static str,
    published_at: i64,
}

impl Generated {
    fn new(
        k: u64,
        wheels: &[(SiteId, Vec<(&'static str, i64)>)],
        now: i64,
        tz: &jiff::tz::TimeZone,
    ) -> anyhow::Result<Self> {
        let i = usize::try_from(k)?;
        let (site_id, wheel) = &wheels[i % wheels.len()];
        let (section, section_id) = wheel[(i / wheels.len()) % wheel.len()];
        let published_at = now - 60 - i64::try_from(k)? * SPACING_SECS;
        let local = tz.to_datetime(jiff::Timestamp::from_second(published_at)?);
        let (title, topic) = title(section, i / wheel.len(), i % 7, local.year());
        let date = local.strftime("%d/%m/%Y").to_string();
        let (summary, body) = body(i, &date, topic, &title);
        let slug = format!("{}-{}", cong_domain::text::slugify(&title), k + 1);
        Ok(Generated {
            site_id: *site_id,
            section_id,
            slug,
            title,
            summary,
            body,
            author: pick(&AUTHORS, i),
            published_at,
        })
    }

    fn row(&self) -> NewArticle<'_> {
        NewArticle {
            site_id: self.site_id,
            section_id: self.section_id,
            slug: &self.slug,
            title: &self.title,
            summary: &self.summary,
            body_html: &self.body,
            author: self.author,
            status: "published",
            featured: false,
            cover_media_id: None,
            gallery_title: "",
            published_at: self.published_at,
        }
    }
}
