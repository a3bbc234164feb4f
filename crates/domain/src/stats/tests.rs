//! The counting rules end to end: a real SQLite store, a hand-moved clock, flushes.

use super::*;
use crate::ManualClock;
use crate::content::{Content, NewArticle};
use cong_config::ListingConfig;
use jiff::{SignedDuration, Timestamp};

/// The site every fixture's article is on (the one site a single-site install has).
const ONE: SiteId = SiteId::FIRST;

const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

struct Fixture {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    article: i64,
}

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

async fn fixture(start: &str) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(at(start)));
    let content = Content::new(store.clone(), ListingConfig::default(), clock.clone());
    let section = content
        .create_section(cong_store::SiteId::FIRST, "Tin tức", 1, None)
        .await
        .expect("section");
    let (article, _) = content
        .create_article(
            cong_store::SiteId::FIRST,
            &NewArticle {
                section_id: section,
                title: "Hội nghị",
                slug: "",
                summary: "",
                body_html: "<p>x</p>",
                author: "Kiều Diễm",
                featured: false,
                cover_media_id: None,
                gallery_title: "",
                published_at: at("2023-05-17T01:00:00Z"),
            },
            &[],
        )
        .await
        .expect("article");
    Fixture {
        _dir: dir,
        _db: db,
        store,
        clock,
        article,
    }
}

async fn stats(f: &Fixture, cfg: StatsConfig) -> Stats {
    Stats::start(
        f.store.clone(),
        &cfg,
        Calendar::named("Asia/Ho_Chi_Minh").expect("zone"),
        vec!["10.0.0.0/8".parse().expect("cidr")],
        f.clock.clone(),
    )
    .await
    .expect("stats start")
}

fn hit<'a>(peer: &str, ua: &'a str) -> Hit<'a> {
    Hit {
        peer: peer.parse().expect("ip"),
        forwarded_for: Vec::new(),
        user_agent: Some(ua),
        is_get: true,
        is_prefetch: false,
    }
}

fn w(online: i64, today: i64, week: i64, month: i64, total: i64) -> Widget {
    Widget {
        online,
        today,
        week,
        month,
        total,
    }
}

#[tokio::test]
async fn widget_counts_distinct_visitors_before_and_after_flush() {
    let f = fixture("2026-03-11T03:00:00Z").await; // Wednesday 10:00 in Hà Nội
    let s = stats(&f, StatsConfig::default()).await;
    s.count(ONE, &hit("127.0.0.1", CHROME), None);
    s.count(ONE, &hit("127.0.0.2", CHROME), None);
    s.count(ONE, &hit("127.0.0.2", CHROME), None); // same visitor again
    s.count(ONE, &hit("2001:db8::7", CHROME), None); // IPv6 reader
    assert_eq!(
        s.widget(ONE),
        w(3, 3, 3, 3, 3),
        "unflushed counts show at once"
    );
    let applied = s.flush().await.expect("flush").expect("something to flush");
    assert_eq!(applied.visits, 3);
    assert_eq!(
        s.widget(ONE),
        w(3, 3, 3, 3, 3),
        "same numbers from the store"
    );
    assert!(s.flush().await.expect("flush").is_none(), "nothing left");
}

#[tokio::test]
async fn bots_prefetch_and_head_are_not_counted() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    let bot = hit(
        "127.0.0.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    );
    assert!(s.count(ONE, &bot, Some(f.article)).is_none());
    let mut head = hit("127.0.0.1", CHROME);
    head.is_get = false;
    assert!(s.count(ONE, &head, Some(f.article)).is_none());
    let mut prefetch = hit("127.0.0.1", CHROME);
    prefetch.is_prefetch = true;
    assert!(s.count(ONE, &prefetch, Some(f.article)).is_none());
    let mut no_ua = hit("127.0.0.1", CHROME);
    no_ua.user_agent = None;
    assert!(s.count(ONE, &no_ua, None).is_none());
    assert_eq!(s.widget(ONE), Widget::default());
    assert_eq!(s.article_views(f.article, 0, 0), 0);
}

#[tokio::test]
async fn online_is_the_last_five_minutes() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    s.count(ONE, &hit("127.0.0.1", CHROME), None);
    s.flush().await.expect("flush");
    f.clock.advance(SignedDuration::from_secs(4 * 60 + 59));
    s.refresh_snapshot().await.expect("refresh");
    assert_eq!(s.widget(ONE).online, 1, "4:59 later: still online");
    f.clock.advance(SignedDuration::from_secs(1));
    s.refresh_snapshot().await.expect("refresh");
    assert_eq!(s.widget(ONE).online, 0, "5:00 later: gone");
    assert_eq!(s.widget(ONE).today, 1, "the visit still counts today");
}

#[tokio::test]
async fn a_visit_ends_after_thirty_idle_minutes() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    let reader = hit("127.0.0.9", CHROME);
    s.count(ONE, &reader, None);
    s.flush().await.expect("flush");
    f.clock.advance(SignedDuration::from_mins(29));
    assert_eq!(
        s.count(ONE, &reader, None).map(|o| o.new_visit),
        Some(false)
    );
    s.flush().await.expect("flush");
    f.clock.advance(SignedDuration::from_mins(30));
    assert_eq!(s.count(ONE, &reader, None).map(|o| o.new_visit), Some(true));
    s.flush().await.expect("flush");
    assert_eq!(s.widget(ONE).today, 2);
}

#[tokio::test]
async fn local_midnight_starts_a_new_day_and_a_new_secret() {
    // 23:58 on Wednesday 11/03/2026 in Hà Nội.
    let f = fixture("2026-03-11T16:58:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    let reader = hit("127.0.0.3", CHROME);
    s.count(ONE, &reader, None);
    s.flush().await.expect("flush");
    assert_eq!(s.widget(ONE), w(1, 1, 1, 1, 1));
    // 00:01: a new day; the daily secret changed, so the reader is a new visitor by design.
    f.clock.advance(SignedDuration::from_mins(3));
    s.refresh_snapshot().await.expect("refresh");
    assert_eq!(s.widget(ONE).today, 0, "nothing yet today");
    assert_eq!(s.widget(ONE).week, 1);
    assert_eq!(s.count(ONE, &reader, None).map(|o| o.new_visit), Some(true));
    s.flush().await.expect("flush");
    assert_eq!(s.widget(ONE), w(2, 1, 2, 2, 2));
    // Maintenance keeps only today's and tomorrow's secrets: yesterday's is gone.
    s.maintain().await.expect("maintain");
    let today = s.calendar().day(f.clock.now().as_second());
    let days = f.store.stats().list_secret_days().await.expect("days");
    assert_eq!(days, vec![today, today + 1]);
}

#[tokio::test]
async fn weeks_turn_on_monday_and_months_at_month_end() {
    // Sunday 31/05/2026 23:50 in Hà Nội: the last day of a week and of a month.
    let f = fixture("2026-05-31T16:50:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    s.count(ONE, &hit("127.0.0.4", CHROME), None);
    s.flush().await.expect("flush");
    assert_eq!(s.widget(ONE), w(1, 1, 1, 1, 1));
    // Monday 01/06/2026 00:20: new day, new week, new month; the total keeps growing.
    f.clock.advance(SignedDuration::from_mins(30));
    s.maintain().await.expect("maintain");
    s.count(ONE, &hit("127.0.0.5", CHROME), None);
    s.flush().await.expect("flush");
    let got = s.widget(ONE);
    assert_eq!((got.today, got.week, got.month, got.total), (1, 1, 1, 2));
}

#[tokio::test]
async fn article_views_dedupe_and_show_at_once() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    let a = f.article;
    s.count(ONE, &hit("127.0.0.1", CHROME), Some(a));
    assert_eq!(
        s.article_views(a, 0, 0),
        1,
        "the reader's own view shows at once"
    );
    s.count(ONE, &hit("127.0.0.1", CHROME), Some(a)); // repeat within 10 minutes
    s.count(ONE, &hit("127.0.0.2", CHROME), Some(a));
    let applied = s.flush().await.expect("flush").expect("batch");
    assert_eq!(applied.article_views[&a], 2);
    assert_eq!(f.store.articles().views(a).await.expect("views"), 2);
    let seq = f.store.stats().flush_seq().await.expect("seq");
    assert_eq!(s.article_views(a, 2, seq), 2, "nothing unflushed");
    // A count read before that flush still gets the flushed views added.
    assert_eq!(s.article_views(a, 0, seq - 1), 2);
    f.clock.advance(SignedDuration::from_mins(10));
    s.count(ONE, &hit("127.0.0.1", CHROME), Some(a));
    s.flush().await.expect("flush");
    assert_eq!(f.store.articles().views(a).await.expect("views"), 3);
}

#[tokio::test]
async fn dedupe_zero_counts_every_view() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let cfg = StatsConfig {
        view_dedupe: SignedDuration::ZERO,
        ..StatsConfig::default()
    };
    let s = stats(&f, cfg).await;
    for _ in 0..7 {
        s.count(ONE, &hit("127.0.0.1", CHROME), Some(f.article));
    }
    s.flush().await.expect("flush");
    assert_eq!(f.store.articles().views(f.article).await.expect("views"), 7);
    assert_eq!(s.widget(ONE).today, 1, "still one visit");
}

#[tokio::test]
async fn a_restart_recognises_todays_visitors() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let s = stats(&f, StatsConfig::default()).await;
    s.count(ONE, &hit("127.0.0.1", CHROME), Some(f.article));
    s.flush_all().await;
    drop(s);
    f.clock.advance(SignedDuration::from_mins(2));
    let again = stats(&f, StatsConfig::default()).await;
    let o = again
        .count(ONE, &hit("127.0.0.1", CHROME), Some(f.article))
        .expect("counted");
    assert!(!o.new_visit, "same visit after a restart");
    assert!(!o.view_counted, "same dedupe window after a restart");
    assert_eq!(again.widget(ONE), w(1, 1, 1, 1, 1));
}

#[tokio::test]
async fn two_nodes_count_one_visitor_once() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let a = stats(&f, StatsConfig::default()).await;
    let b = stats(&f, StatsConfig::default()).await;
    // The same reader reaches both nodes before either flushes.
    a.count(ONE, &hit("127.0.0.1", CHROME), Some(f.article));
    b.count(ONE, &hit("127.0.0.1", CHROME), Some(f.article));
    b.count(ONE, &hit("127.0.0.2", CHROME), Some(f.article));
    a.flush().await.expect("flush a");
    b.flush().await.expect("flush b");
    a.refresh_snapshot().await.expect("refresh");
    assert_eq!(
        a.widget(ONE),
        w(2, 2, 2, 2, 2),
        "one visit each, two readers online"
    );
    assert_eq!(b.widget(ONE), a.widget(ONE));
    assert_eq!(f.store.articles().views(f.article).await.expect("views"), 2);
}

#[tokio::test]
async fn total_offset_and_trusted_proxies() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let cfg = StatsConfig {
        total_offset: 1000,
        ..StatsConfig::default()
    };
    let s = stats(&f, cfg).await;
    assert_eq!(s.widget(ONE).total, 1000);
    // Behind the trusted proxy 10.0.0.1, two clients by X-Forwarded-For.
    let mut one = hit("10.0.0.1", CHROME);
    one.forwarded_for = vec!["198.51.100.1"];
    let mut two = hit("10.0.0.1", CHROME);
    two.forwarded_for = vec!["198.51.100.2"];
    // An untrusted peer cannot pose as someone else.
    let mut forged = hit("203.0.113.5", CHROME);
    forged.forwarded_for = vec!["198.51.100.1"];
    s.count(ONE, &one, None);
    s.count(ONE, &two, None);
    s.count(ONE, &forged, None);
    s.count(ONE, &one, None);
    assert_eq!(s.widget(ONE).today, 3);
    assert_eq!(s.widget(ONE).total, 1003);
}

/// A second site with a section and a published article of its own.
async fn second_site(f: &Fixture) -> (SiteId, i64) {
    let mut tx = f.store.begin().await.expect("tx");
    let site = f
        .store
        .sites()
        .insert(
            &mut tx,
            &cong_store::sites::NewSite {
                name: "Sở Tư pháp",
                address: "http://stp.localhost",
                kind: cong_store::sites::SiteKind::Component,
            },
            1,
        )
        .await
        .expect("site");
    tx.commit().await.expect("commit");
    let content = Content::new(f.store.clone(), ListingConfig::default(), f.clock.clone());
    let section = content
        .create_section(site, "Tin tức", 1, None)
        .await
        .expect("section");
    let (article, _) = content
        .create_article(
            site,
            &NewArticle {
                section_id: section,
                title: "Phổ biến pháp luật",
                slug: "",
                summary: "",
                body_html: "<p>y</p>",
                author: "Kiều Diễm",
                featured: false,
                cover_media_id: None,
                gallery_title: "",
                published_at: at("2023-05-17T01:00:00Z"),
            },
            &[],
        )
        .await
        .expect("article");
    (site, article)
}

async fn set_offset(f: &Fixture, site: SiteId, value: &str) {
    let mut tx = f.store.begin().await.expect("tx");
    f.store
        .settings(site)
        .set(&mut tx, cong_store::stats::TOTAL_OFFSET_KEY, value)
        .await
        .expect("set");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn a_reader_of_two_sites_is_one_visitor_of_each() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let (two, article_two) = second_site(&f).await;
    let s = stats(&f, StatsConfig::default()).await;
    let reader = hit("127.0.0.1", CHROME);
    let o = s.count(ONE, &reader, Some(f.article)).expect("counted");
    assert!(o.new_visit && o.view_counted);
    s.count(ONE, &reader, None);
    // The same reader (same address and browser, same moment) on the other site: a visit
    // there too, and online there.
    let o = s.count(two, &reader, Some(article_two)).expect("counted");
    assert!(
        o.new_visit,
        "a first page of site 2 starts a visit of site 2"
    );
    assert_eq!(s.widget(ONE), w(1, 1, 1, 1, 1), "before the flush");
    assert_eq!(s.widget(two), w(1, 1, 1, 1, 1), "before the flush");
    let applied = s.flush().await.expect("flush").expect("batch");
    assert_eq!(applied.visits, 2, "one visit on each site");
    assert_eq!(s.widget(ONE), w(1, 1, 1, 1, 1), "stored");
    assert_eq!(s.widget(two), w(1, 1, 1, 1, 1), "stored");
    // A second reader only on site 2: site 1's numbers do not move.
    s.count(two, &hit("127.0.0.2", CHROME), Some(article_two));
    assert_eq!(s.widget(two), w(2, 2, 2, 2, 2));
    assert_eq!(s.widget(ONE), w(1, 1, 1, 1, 1), "nothing leaks to site 1");
    s.flush().await.expect("flush");
    assert_eq!(s.widget(two), w(2, 2, 2, 2, 2));
    assert_eq!(s.widget(ONE), w(1, 1, 1, 1, 1));
    // A site nobody read has nothing.
    assert_eq!(s.widget(SiteId(99)), Widget::default());
    // Each article counted on its own site.
    assert_eq!(f.store.articles().views(f.article).await.expect("views"), 1);
    assert_eq!(
        f.store.articles().views(article_two).await.expect("views"),
        2
    );
}

/// The store decides again at the flush, per site: a reader the store knows from site 1
/// starts a visit when they first reach site 2, also after a restart or on another node.
#[tokio::test]
async fn the_store_keeps_visitors_apart_per_site() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let (two, _) = second_site(&f).await;
    let reader = hit("127.0.0.7", CHROME);
    let a = stats(&f, StatsConfig::default()).await;
    a.count(ONE, &reader, None);
    a.flush().await.expect("flush");
    // Another node (knowing nothing of the reader) sees them on site 2, then on site 1.
    let b = stats(&f, StatsConfig::default()).await;
    f.clock.advance(SignedDuration::from_mins(2));
    let o = b.count(two, &reader, None).expect("counted");
    assert!(o.new_visit);
    let o = b.count(ONE, &reader, None).expect("counted");
    assert!(
        !o.new_visit,
        "node b learnt at start that the reader is on site 1"
    );
    let applied = b.flush().await.expect("flush").expect("batch");
    assert_eq!(applied.visits, 1, "only site 2's visit is new to the store");
    a.refresh_snapshot().await.expect("refresh");
    assert_eq!(a.widget(ONE), w(1, 1, 1, 1, 1));
    assert_eq!(a.widget(two), w(1, 1, 1, 1, 1));
    // A node that starts now knows the reader on both sites.
    let c = stats(&f, StatsConfig::default()).await;
    f.clock.advance(SignedDuration::from_mins(2));
    assert_eq!(
        c.count(two, &reader, None).map(|o| o.new_visit),
        Some(false)
    );
    assert_eq!(
        c.count(ONE, &reader, None).map(|o| o.new_visit),
        Some(false)
    );
    assert!(
        c.flush()
            .await
            .expect("flush")
            .is_some_and(|a| a.visits == 0)
    );
    assert_eq!(c.widget(ONE).total + c.widget(two).total, 2);
}

#[tokio::test]
async fn each_site_has_its_own_total_offset() {
    let f = fixture("2026-03-11T03:00:00Z").await;
    let (two, _) = second_site(&f).await;
    let cfg = StatsConfig {
        total_offset: 1000,
        ..StatsConfig::default()
    };
    set_offset(&f, two, "250").await;
    let s = stats(&f, cfg).await;
    assert_eq!(s.widget(ONE).total, 1000, "site 1: the configured offset");
    assert_eq!(s.widget(two).total, 250, "site 2: its own setting");
    s.count(two, &hit("127.0.0.1", CHROME), None);
    assert_eq!((s.widget(ONE).total, s.widget(two).total), (1000, 251));
    // Site 1's own setting wins over the configuration; an empty one does not count.
    set_offset(&f, ONE, "7").await;
    s.flush().await.expect("flush");
    assert_eq!((s.widget(ONE).total, s.widget(two).total), (7, 251));
    set_offset(&f, ONE, "").await;
    set_offset(&f, two, "không phải số").await;
    s.refresh_snapshot().await.expect("refresh");
    assert_eq!((s.widget(ONE).total, s.widget(two).total), (1000, 1));
}
