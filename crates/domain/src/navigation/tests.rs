//! The arrangement with a real store and a hand-moved clock: saves checked row by row, one
//! transaction with the audit entry and the change record, banners by their days.

use super::*;
use crate::ManualClock;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use jiff::Timestamp;

struct World {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    nav: Navigation,
    admin: User,
    image: i64,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    // 06/12/2026 23:30 in Hanoi: still the 6th there, already the 6th at 16:30 UTC.
    let clock = Arc::new(ManualClock::new(
        "2026-12-06T16:30:00Z".parse::<Timestamp>().expect("time"),
    ));
    let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("zone");
    let nav = Navigation::new(store.clone(), clock.clone(), tz);
    let auth = Auth::new(
        store.clone(),
        AuthConfig::default(),
        Arc::new(Secrets::ephemeral()),
        clock.clone(),
    );
    let admin = auth
        .create_user(
            By::CommandLine,
            "quantri",
            "Quản trị",
            Grant::System,
            "Đồng hồ cát 2026",
        )
        .await
        .expect("admin");
    let mut tx = store.begin().await.expect("tx");
    let media = cong_store::media::NewMedia {
        hash: "ab12",
        file_name: "ab12.png",
        mime: "image/png",
        width: 300,
        height: 100,
        bytes: 10,
        original_name: "banner.png",
        search_key: "banner",
    };
    let image = store
        .media(SiteId::FIRST)
        .insert(&mut tx, &media, 0)
        .await
        .expect("image");
    let section = cong_store::sections::NewSection {
        slug: "tin-tuc",
        name: "Tin tức",
        description: "",
        position: 1,
        parent_id: None,
        in_menu: true,
        page_id: None,
        lang: "vi",
    };
    store
        .sections(SiteId::FIRST)
        .insert(&mut tx, &section, 0)
        .await
        .expect("section");
    tx.commit().await.expect("commit");
    World {
        _dir: dir,
        _db: db,
        store,
        clock,
        nav,
        admin,
        image,
    }
}

fn actor(w: &World, role: Role) -> Actor<'_> {
    Actor {
        user: &w.admin,
        ip: "10.0.0.9",
        site: SiteId::FIRST,
        role,
    }
}

fn menu_row(sub: bool, label: &str, kind: &str, target: &str) -> MenuInput {
    MenuInput {
        sub,
        label: label.into(),
        kind: kind.into(),
        target: target.into(),
    }
}

async fn changes(w: &World) -> usize {
    w.store
        .changes()
        .list_after(0, 100)
        .await
        .expect("changes")
        .len()
}

#[tokio::test]
async fn a_menu_is_saved_whole_with_its_audit_entry_and_change() {
    let w = world().await;
    let before = changes(&w).await;
    let rows = [
        menu_row(false, "Trang chủ", "home", ""),
        menu_row(false, " Tin tức ", "section", "tin-tuc"),
        menu_row(true, "Lịch công tác", "schedule", ""),
        menu_row(false, "", "", ""), // a spare blank row
        menu_row(true, "Dịch vụ công", "url", "https://dichvucong.gov.vn"),
    ];
    w.nav
        .save_menu(actor(&w, Role::Editor), Lang::Vi, &rows)
        .await
        .expect("saved");
    let menu = w.nav.menu(SiteId::FIRST, Lang::Vi).await.expect("menu");
    let t = tree(&menu);
    assert_eq!(t.len(), 2);
    assert_eq!(t[1].entry.label, "Tin tức", "trimmed");
    assert_eq!(
        t[1].children
            .iter()
            .map(|c| c.target.clone())
            .collect::<Vec<_>>(),
        [
            MenuTarget::Schedule,
            MenuTarget::Url("https://dichvucong.gov.vn".into())
        ]
    );
    assert!(
        w.nav
            .menu(SiteId::FIRST, Lang::En)
            .await
            .expect("ok")
            .is_empty(),
        "per language"
    );
    assert_eq!(changes(&w).await, before + 1, "one change record");
    let (log, _) = w
        .store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 10, 0)
        .await
        .expect("audit");
    assert!(log.iter().any(|r| r.action == "layout.menu"));

    // Saving again replaces, never appends.
    w.nav
        .save_menu(actor(&w, Role::Admin), Lang::Vi, &rows[..1])
        .await
        .expect("saved");
    assert_eq!(
        w.nav.menu(SiteId::FIRST, Lang::Vi).await.expect("ok").len(),
        1
    );
}

#[tokio::test]
async fn bad_rows_are_named_and_nothing_is_saved() {
    let w = world().await;
    let rows = [
        menu_row(false, "Trang chủ", "home", ""),
        menu_row(false, "Không có", "section", "khong-co"),
        menu_row(false, "Xấu", "url", "javascript:alert(1)"),
        menu_row(false, "  ", "url", "/trang/x"),
    ];
    let Err(Error::Fields(errors)) = w
        .nav
        .save_menu(actor(&w, Role::Admin), Lang::Vi, &rows)
        .await
    else {
        panic!("refused");
    };
    let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["menu.1", "menu.2", "menu.3"]);
    assert!(
        w.nav
            .menu(SiteId::FIRST, Lang::Vi)
            .await
            .expect("ok")
            .is_empty()
    );
    // An author may not arrange the site.
    assert!(matches!(
        w.nav
            .save_menu(actor(&w, Role::Author), Lang::Vi, &rows[..1])
            .await,
        Err(Error::Forbidden(_))
    ));
}

#[tokio::test]
async fn banners_come_and_go_with_their_days_in_the_sites_zone() {
    let w = world().await;
    let banner = |starts: &str, ends: &str, alt: &str| BannerInput {
        place: "sidebar".into(),
        image: w.image.to_string(),
        link: "https://dichvucong.gov.vn".into(),
        alt: alt.into(),
        starts: starts.into(),
        ends: ends.into(),
    };
    let rows = [
        banner("07/12/2026", "", "Từ ngày mai"),
        banner("", "06/12/2026", "Hết hôm nay"),
        banner("", "", "Luôn hiện"),
    ];
    w.nav
        .save_banners(actor(&w, Role::Admin), Lang::Vi, &rows)
        .await
        .expect("saved");
    let alts = |b: Vec<Banner>| b.into_iter().map(|b| b.alt).collect::<Vec<_>>();
    // 23:30 on the 6th in Hanoi.
    assert_eq!(
        alts(
            w.nav
                .shown_banners(SiteId::FIRST, Lang::Vi)
                .await
                .expect("ok")
        ),
        ["Hết hôm nay", "Luôn hiện"]
    );
    assert!(
        !w.nav
            .banners_changed_today(SiteId::FIRST)
            .await
            .expect("ok")
    );
    // Midnight in Hanoi is 17:00 UTC.
    w.clock.advance(jiff::SignedDuration::from_mins(30));
    assert_eq!(
        alts(
            w.nav
                .shown_banners(SiteId::FIRST, Lang::Vi)
                .await
                .expect("ok")
        ),
        ["Từ ngày mai", "Luôn hiện"]
    );
    assert!(
        w.nav
            .banners_changed_today(SiteId::FIRST)
            .await
            .expect("ok"),
        "one started and one stopped at midnight"
    );

    // No alt text, a foreign image, days the wrong way round: each named.
    let bad = [
        BannerInput {
            alt: String::new(),
            ..banner("", "", "")
        },
        BannerInput {
            image: "999999".into(),
            ..banner("", "", "x")
        },
        banner("10/12/2026", "09/12/2026", "x"),
        banner("32/12/2026", "", "x"),
    ];
    let Err(Error::Fields(errors)) = w
        .nav
        .save_banners(actor(&w, Role::Admin), Lang::Vi, &bad)
        .await
    else {
        panic!("refused");
    };
    assert_eq!(errors.len(), 4);
    // The image a banner shows cannot be deleted.
    assert_eq!(w.store.banners_showing(w.image).await.expect("ok"), 3);
}

#[tokio::test]
async fn home_blocks_and_links() {
    let w = world().await;
    let section = w
        .store
        .sections(SiteId::FIRST)
        .list_all()
        .await
        .expect("ok")[0]
        .id;
    let block = |kind: &str, section: &str, count: &str| BlockInput {
        kind: kind.into(),
        section: section.into(),
        count: count.into(),
        title: String::new(),
    };
    w.nav
        .save_blocks(
            actor(&w, Role::Editor),
            Lang::Vi,
            &[
                block("featured", "", "3"),
                block("section", &section.to_string(), ""),
                block("", "", ""),
                block("most_read", "", "10"),
            ],
        )
        .await
        .expect("saved");
    let blocks = w.nav.blocks(SiteId::FIRST, Lang::Vi).await.expect("ok");
    assert_eq!(
        blocks.iter().map(|b| (b.kind, b.count)).collect::<Vec<_>>(),
        [
            (BlockKind::Featured, 3),
            (BlockKind::Section, 5),
            (BlockKind::MostRead, 10)
        ]
    );
    assert_eq!(blocks[1].section, Some(section));
    let Err(Error::Fields(errors)) = w
        .nav
        .save_blocks(
            actor(&w, Role::Editor),
            Lang::Vi,
            &[
                block("section", "", "5"),
                block("latest", "", "31"),
                block("x", "", ""),
            ],
        )
        .await
    else {
        panic!("refused");
    };
    assert_eq!(errors.len(), 3);

    let link = |title: &str, url: &str| LinkInput {
        title: title.into(),
        url: url.into(),
    };
    w.nav
        .save_links(
            actor(&w, Role::Admin),
            Lang::Vi,
            &[link("Chính phủ", "https://chinhphu.vn"), link("", "")],
        )
        .await
        .expect("saved");
    assert_eq!(
        w.nav
            .links(SiteId::FIRST, Lang::Vi)
            .await
            .expect("ok")
            .len(),
        1
    );
    assert!(matches!(
        w.nav
            .save_links(
                actor(&w, Role::Admin),
                Lang::Vi,
                &[link("X", "javascript:x")]
            )
            .await,
        Err(Error::Fields(_))
    ));
}
