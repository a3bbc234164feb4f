//! The statistics page's figures end to end: known page views across a day, a week and a
//! month boundary (Sunday 31/05/2026 → Monday 01/06/2026 in Hà Nội), flushed into a real
//! store with a hand-moved clock, read back as the counting rules imply.

use super::*;
use crate::ManualClock;
use crate::content::{Content, NewArticle};
use crate::navigation::Lang;
use cong_config::ListingConfig;
use cong_store::sites::{NewSite, SiteKind};
use jiff::{SignedDuration, Timestamp};

const ONE: SiteId = SiteId::FIRST;
const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
const BOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn hit(peer: &str, ua: &'static str) -> Hit<'static> {
    Hit {
        peer: peer.parse().expect("ip"),
        forwarded_for: Vec::new(),
        user_agent: Some(ua),
        is_get: true,
        is_prefetch: false,
    }
}

struct World {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    two: SiteId,
    /// Site 1: a1 (May, "Tin tức", by Kiều Diễm), a2 (June, "Thông báo", no byline), a4
    /// (scheduled for July); site 2: a3.
    a1: i64,
    a2: i64,
    a3: i64,
    a4: i64,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    // Sunday 31/05/2026 23:50 in Hà Nội.
    let clock = Arc::new(ManualClock::new(at("2026-05-31T16:50:00Z")));
    let mut tx = store.begin().await.expect("tx");
    let two = store
        .sites()
        .insert(
            &mut tx,
            &NewSite {
                name: "Sở Y tế",
                address: "",
                kind: SiteKind::Component,
            },
            0,
        )
        .await
        .expect("site");
    tx.commit().await.expect("commit");
    let content = Content::new(store.clone(), ListingConfig::default(), clock.clone());
    let news = content
        .create_section(ONE, "Tin tức", 1, None)
        .await
        .expect("section");
    let notices = content
        .create_section(ONE, "Thông báo", 2, None)
        .await
        .expect("section");
    let other = content
        .create_section(two, "Tin y tế", 1, None)
        .await
        .expect("section");
    let article = |site: SiteId, section: i64, title: &'static str, author: &'static str, when| {
        let content = content.clone();
        async move {
            content
                .create_article(
                    site,
                    &NewArticle {
                        section_id: section,
                        title,
                        slug: "",
                        summary: "",
                        body_html: "<p>x</p>",
                        author,
                        featured: false,
                        cover_media_id: None,
                        gallery_title: "",
                        published_at: at(when),
                    },
                    &[],
                )
                .await
                .expect("article")
                .0
        }
    };
    let a1 = article(ONE, news, "Hội nghị", "Kiều Diễm", "2026-05-10T01:00:00Z").await;
    let a2 = article(
        ONE,
        notices,
        "Thông báo tuyển dụng",
        "",
        "2026-06-01T01:00:00Z",
    )
    .await;
    let a3 = article(two, other, "Tiêm chủng", "", "2026-05-20T01:00:00Z").await;
    let a4 = article(ONE, news, "Sắp đăng", "", "2026-07-01T01:00:00Z").await;
    World {
        _dir: dir,
        _db: db,
        store,
        clock,
        two,
        a1,
        a2,
        a3,
        a4,
    }
}

async fn stats(w: &World) -> Stats {
    Stats::start(
        w.store.clone(),
        &StatsConfig::default(),
        Calendar::named("Asia/Ho_Chi_Minh").expect("zone"),
        Vec::new(),
        w.clock.clone(),
    )
    .await
    .expect("stats")
}

fn ids(list: &[cong_store::stats_days::MostRead]) -> Vec<(i64, i64)> {
    list.iter().map(|m| (m.id, m.views)).collect()
}

#[tokio::test]
async fn daily_series_months_and_most_read_follow_the_counting_rules() {
    let w = world().await;
    let s = stats(&w).await;
    let (r1, r2, r3) = ("127.0.0.1", "127.0.0.2", "127.0.0.3");

    // Sunday 31/05 23:50: two readers of a1, one reads it again a minute later (same visit,
    // within the dedupe window: a page view, not an article view), one opens the home page;
    // a crawler is not counted at all.
    s.count(ONE, &hit(r1, CHROME), Some(w.a1));
    s.count(ONE, &hit(r2, CHROME), Some(w.a1));
    s.count(ONE, &hit(r2, BOT), Some(w.a1));
    w.clock.advance(SignedDuration::from_mins(1));
    s.count(ONE, &hit(r1, CHROME), Some(w.a1));
    s.count(ONE, &hit(r2, CHROME), None);
    s.flush().await.expect("flush");

    // Monday 01/06 00:05: a new day, week and month. The daily secret changed, so r1 is a
    // new visitor (and their view of a1 counts again).
    w.clock.advance(SignedDuration::from_mins(14));
    s.count(ONE, &hit(r1, CHROME), Some(w.a2));
    s.count(ONE, &hit(r1, CHROME), Some(w.a1));
    s.count(ONE, &hit(r3, CHROME), Some(w.a2));
    s.count(w.two, &hit(r3, CHROME), Some(w.a3));
    s.flush().await.expect("flush");

    // Tuesday 02/06 10:00: r1 reads a2 three times in 11 minutes (the second is inside the
    // 10-minute window), r3 reads the scheduled a4 (counted, never shown to readers).
    w.clock.set(at("2026-06-02T03:00:00Z"));
    s.maintain().await.expect("maintain");
    s.count(ONE, &hit(r1, CHROME), Some(w.a2));
    w.clock.advance(SignedDuration::from_mins(5));
    s.count(ONE, &hit(r1, CHROME), Some(w.a2));
    w.clock.advance(SignedDuration::from_mins(6));
    s.count(ONE, &hit(r1, CHROME), Some(w.a2));
    s.count(ONE, &hit(r3, CHROME), Some(w.a4));
    assert_eq!(
        s.page_views_today(ONE).await.expect("today"),
        4,
        "unflushed show"
    );
    s.flush().await.expect("flush");
    assert_eq!(s.page_views_today(ONE).await.expect("today"), 4, "stored");

    let days = s.daily(ONE, 3).await.expect("daily");
    let figures: Vec<(String, i64, i64)> = days
        .iter()
        .map(|d| {
            (
                d.date.strftime("%d/%m/%Y").to_string(),
                d.visits,
                d.page_views,
            )
        })
        .collect();
    assert_eq!(
        figures,
        vec![
            ("31/05/2026".to_owned(), 2, 4),
            ("01/06/2026".to_owned(), 2, 3),
            ("02/06/2026".to_owned(), 2, 4),
        ]
    );
    let two_days = s.daily(w.two, 2).await.expect("daily");
    assert_eq!(
        two_days
            .iter()
            .map(|d| (d.visits, d.page_views))
            .collect::<Vec<_>>(),
        vec![(1, 1), (0, 0)],
        "site 2's own figures"
    );
    assert_eq!(s.daily(ONE, 30).await.expect("daily").len(), 30);

    let (this, last) = s.months(ONE).await.expect("months");
    assert_eq!(this.first, jiff::civil::date(2026, 6, 1));
    assert_eq!((this.visits, this.page_views), (4, 7));
    assert_eq!(last.first, jiff::civil::date(2026, 5, 1));
    assert_eq!((last.visits, last.page_views), (2, 4));

    // Most views first; equal views: the newest article first.
    let read = |p| s.most_read(ONE, p, 10);
    assert_eq!(
        ids(&read(ReadPeriod::Today).await.expect("r")),
        vec![(w.a2, 2), (w.a4, 1)]
    );
    assert_eq!(
        ids(&read(ReadPeriod::Week).await.expect("r")),
        vec![(w.a2, 4), (w.a4, 1), (w.a1, 1)]
    );
    assert_eq!(
        ids(&read(ReadPeriod::Month).await.expect("r")),
        vec![(w.a2, 4), (w.a4, 1), (w.a1, 1)]
    );
    assert_eq!(
        ids(&read(ReadPeriod::All).await.expect("r")),
        vec![(w.a2, 4), (w.a1, 3), (w.a4, 1)]
    );
    let all = read(ReadPeriod::All).await.expect("r");
    assert_eq!(all[0].section_name, "Thông báo");
    // Readers see published articles only (of the last 30 days), and each site its own.
    let public = s.most_read_public(ONE, Lang::Vi, 30, 10).await.expect("r");
    assert_eq!(ids(&public), vec![(w.a2, 4), (w.a1, 3)]);
    let other = s
        .most_read_public(w.two, Lang::Vi, 30, 10)
        .await
        .expect("r");
    assert_eq!(ids(&other), vec![(w.a3, 1)]);
    let limited = s.most_read_public(ONE, Lang::Vi, 30, 1).await.expect("r");
    assert_eq!(ids(&limited), vec![(w.a2, 4)]);

    let (sections, authors) = s.published_per_month(ONE, 2).await.expect("published");
    let rows = |v: &[PublishedCount]| -> Vec<(String, String, i64)> {
        v.iter()
            .map(|p| {
                (
                    p.month.strftime("%m/%Y").to_string(),
                    p.name.clone(),
                    p.articles,
                )
            })
            .collect()
    };
    assert_eq!(
        rows(&sections),
        vec![
            ("06/2026".to_owned(), "Thông báo".to_owned(), 1),
            ("05/2026".to_owned(), "Tin tức".to_owned(), 1),
        ],
        "the scheduled article is not published yet"
    );
    assert_eq!(
        rows(&authors),
        vec![
            ("06/2026".to_owned(), "(không ghi tác giả)".to_owned(), 1),
            ("05/2026".to_owned(), "Kiều Diễm".to_owned(), 1),
        ]
    );
}
