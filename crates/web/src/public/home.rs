//! `/` — the home page: the webmaster's blocks when they arranged some, else featured,
//! latest and a block per section in the menu.

use crate::cache::{LivePage, Tag};
use crate::error::Result;
use crate::extract::PageContext;
use axum::response::Response;
use cong_domain::navigation::{BannerPlace, BlockKind, HomeBlock, Lang};
use cong_render::urls;
use cong_render::views::{BannerView, Card, HomeBlockView, HomeView, LinkView};

pub async fn show(ctx: PageContext) -> Result<Response> {
    if let Some(moved) = super::moved::home(&ctx.app, &ctx.site, ctx.query.as_deref()).await {
        return Ok(moved);
    }
    let lang = cong_render::i18n::current();
    let blocks = ctx.app.navigation.blocks(ctx.site.id, lang).await?;
    if !blocks.is_empty() {
        return arranged(ctx, lang, &blocks).await;
    }
    let home = ctx.app.content.home(ctx.site.id, lang).await?;
    let mut layout = ctx.layout(None, None).await?.titled("", "");
    super::meta::home(&mut layout, &ctx.base);
    let most_read = super::most_read::fill(&ctx, &mut layout).await?;
    let view = HomeView::new(layout, &home, &ctx.app.tz);
    let mut tags = vec![Tag::Home];
    tags.extend(home.gathers.iter().map(|s| Tag::Gathers(*s)));
    tags.extend(most_read);
    ctx.render("home.html", &view, LivePage::page(tags))
}

/// Each block filled in its order. Kept pages follow what they show: articles (`Home`, and
/// each most-read article), other sites gathered, and the site's settings (menu, banners,
/// links) and documents, which make every page of the site stale.
async fn arranged(ctx: PageContext, lang: Lang, blocks: &[HomeBlock]) -> Result<Response> {
    let site = ctx.site.id;
    let app = &ctx.app;
    let mut layout = ctx.layout(None, None).await?.titled("", "");
    super::meta::home(&mut layout, &ctx.base);
    let mut tags = vec![Tag::Home];
    let mut gathers = Vec::new();
    let mut views = Vec::new();
    let mut until = None;
    for b in blocks {
        let mut view = HomeBlockView {
            kind: b.kind.code(),
            title: b.title.clone(),
            ..HomeBlockView::default()
        };
        match b.kind {
            BlockKind::Featured
            | BlockKind::Latest
            | BlockKind::Section
            | BlockKind::Photos
            | BlockKind::Videos => {
                let Some((items, section)) = app
                    .content
                    .block_articles(site, lang, b.kind, b.section, b.count, &mut gathers)
                    .await?
                else {
                    continue;
                };
                if let Some(s) = section {
                    if view.title.is_empty() {
                        view.title = s.name.clone();
                    }
                    view.url = urls::section(&s.slug);
                }
                match b.kind {
                    BlockKind::Photos => view.url = urls::PHOTOS.to_owned(),
                    BlockKind::Videos => view.url = urls::VIDEOS.to_owned(),
                    _ => {}
                }
                view.cards = Card::list(&items, &app.tz);
            }
            BlockKind::Documents => {
                let q = cong_domain::documents::Query::default();
                let found = app.documents.list(site, &q, 1, true).await?;
                view.url = urls::DOCUMENTS.to_owned();
                view.links = found
                    .items
                    .iter()
                    .take(b.count as usize)
                    .map(|d| LinkView {
                        title: if d.number.is_empty() {
                            d.summary.clone()
                        } else {
                            format!("{}: {}", d.number, d.summary)
                        },
                        url: urls::document(&d.slug),
                    })
                    .collect();
            }
            BlockKind::MostRead => {
                let list = app
                    .stats
                    .most_read_public(site, lang, super::most_read::DAYS, i64::from(b.count))
                    .await?;
                tags.extend(list.iter().map(|m| Tag::Article(m.id)));
                view.links = list
                    .into_iter()
                    .map(|m| LinkView {
                        url: urls::article(&m.slug),
                        title: m.title,
                    })
                    .collect();
            }
            BlockKind::Banners => {
                view.banners = app
                    .navigation
                    .shown_banners(site, lang)
                    .await?
                    .iter()
                    .filter(|x| x.place == BannerPlace::Home)
                    .take(b.count as usize)
                    .map(BannerView::new)
                    .collect();
            }
            BlockKind::Links => {
                view.links = app
                    .navigation
                    .links(site, lang)
                    .await?
                    .into_iter()
                    .take(b.count as usize)
                    .map(|l| LinkView {
                        title: l.title,
                        url: l.url,
                    })
                    .collect();
            }
            // What is left of this week, from today: the block changes at midnight too.
            BlockKind::Schedule => {
                let today = app.schedule.today();
                let week = app.schedule.week(site, today).await?;
                tags.push(Tag::Schedule);
                until = Some(app.schedule.today_good_until());
                view.url = urls::SCHEDULE.to_owned();
                view.links = week
                    .days
                    .iter()
                    .filter(|d| d.date >= today)
                    .flat_map(|d| d.entries.iter())
                    .filter(|e| e.status == cong_domain::schedule::EntryStatus::Published)
                    .take(b.count as usize)
                    .map(|e| LinkView {
                        title: schedule_line(&e.fields, &app.tz),
                        url: urls::SCHEDULE.to_owned(),
                    })
                    .collect();
            }
        }
        if view.cards.is_empty() && view.links.is_empty() && view.banners.is_empty() {
            continue;
        }
        views.push(view);
    }
    gathers.sort_unstable();
    gathers.dedup();
    tags.extend(gathers.into_iter().map(Tag::Gathers));
    let view = HomeView::arranged(layout, views);
    let live = LivePage {
        until,
        ..LivePage::page(tags)
    };
    ctx.render("home.html", &view, live)
}

/// "07/12 08:00 · Giao ban (Nguyễn Văn A)": day, time unless all day, content, leaders.
fn schedule_line(e: &cong_domain::schedule::EntryFields, tz: &jiff::tz::TimeZone) -> String {
    let at = jiff::Timestamp::from_second(e.starts_at).unwrap_or_default();
    let local = tz.to_datetime(at);
    let when = if e.all_day {
        local.strftime("%d/%m").to_string()
    } else {
        local.strftime("%d/%m %H:%M").to_string()
    };
    let leaders: Vec<&str> = e
        .leaders
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if leaders.is_empty() {
        format!("{when} · {}", e.content)
    } else {
        format!("{when} · {} ({})", e.content, leaders.join(", "))
    }
}
