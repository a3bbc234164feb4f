//! The workflow with a hand-moved clock: a scheduled article appears exactly on time.

use crate::auth::{Auth, By, Role};
use crate::content::Content;
use crate::editorial::{Actor, Draft, Editorial};
use crate::{Clock, Error, ManualClock};
use cong_config::{AuthConfig, ListingConfig};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

/// A store with one section and one editor, at a hand-moved time.
struct Newsroom {
    dir: tempfile::TempDir,
    db: cong_store::testing::TestDb,
    store: cong_store::Store,
    clock: Arc<ManualClock>,
    content: Content,
    section: i64,
    editor: crate::auth::User,
}

async fn newsroom(at: &str) -> Newsroom {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(at.parse::<Timestamp>().expect("ts")));
    let content = Content::new(store.clone(), ListingConfig::default(), clock.clone());
    let section = content
        .create_section(cong_store::SiteId::FIRST, "Tin tức", 1, None)
        .await
        .expect("section");
    let secrets = Arc::new(crate::secrets::Secrets::ephemeral());
    let auth = Auth::new(store.clone(), AuthConfig::default(), secrets, clock.clone());
    let editor = auth
        .create_user(
            By::CommandLine,
            "bientap",
            "",
            crate::auth::Grant::On(cong_store::SiteId::FIRST, Role::Editor),
            "Giấy trắng 2026!",
        )
        .await
        .expect("user");
    Newsroom {
        dir,
        db,
        store,
        clock,
        content,
        section,
        editor,
    }
}

#[tokio::test]
async fn a_scheduled_article_appears_when_its_time_comes() {
    let Newsroom {
        dir: _dir,
        db: _db,
        store,
        clock,
        content,
        section,
        editor,
    } = newsroom("2026-03-11T03:00:00Z").await;
    let ed = Editorial::new(store, clock.clone());
    let actor = Actor {
        user: &editor,
        ip: "10.0.0.1",
        site: cong_store::SiteId::FIRST,
        role: Role::Editor,
    };
    let saved = ed
        .create(
            actor,
            &Draft {
                section_id: section,
                title: "Thông báo lịch nghỉ Tết".into(),
                body_html: "<p>Lịch nghỉ.</p>".into(),
                ..Draft::default()
            },
        )
        .await
        .expect("draft");
    let at = clock.now() + SignedDuration::from_hours(2);
    ed.publish(actor, saved.id, Some(at))
        .await
        .expect("schedule");
    assert!(matches!(
        content
            .article_page(cong_store::SiteId::FIRST, &saved.slug, 1)
            .await,
        Err(Error::NotFound)
    ));
    clock.advance(SignedDuration::from_mins(119));
    assert!(
        matches!(
            content
                .article_page(cong_store::SiteId::FIRST, &saved.slug, 1)
                .await,
            Err(Error::NotFound)
        ),
        "a minute early"
    );
    clock.advance(SignedDuration::from_mins(1));
    let page = content
        .article_page(cong_store::SiteId::FIRST, &saved.slug, 1)
        .await
        .expect("on time");
    assert_eq!(page.article.published_at, at);
    let home = content
        .home(cong_store::SiteId::FIRST, crate::navigation::Lang::Vi)
        .await
        .expect("home");
    assert!(
        home.latest.iter().any(|a| a.slug == saved.slug),
        "on the home page too"
    );
}

/// What sits in the trash past `editorial.trash_keep_days` is deleted for good by the
/// upkeep, with an audit entry; what went in later stays; a restored article is a draft.
#[tokio::test]
async fn the_trash_keeps_what_is_young_and_purges_what_is_old() {
    let Newsroom {
        dir,
        db: _db,
        store,
        clock,
        content: _,
        section,
        editor,
    } = newsroom("2026-03-01T03:00:00Z").await;
    let ed = Editorial::new(store.clone(), clock.clone());
    let media = crate::media::MediaLibrary::new(
        store.clone(),
        dir.path().join("m"),
        cong_media::Limits::default(),
    );
    let trash = crate::trash::Trash::new(store.clone(), clock.clone(), media);
    let actor = Actor {
        user: &editor,
        ip: "10.0.0.1",
        site: cong_store::SiteId::FIRST,
        role: Role::Editor,
    };
    let mut ids = Vec::new();
    for title in ["Bài cũ", "Bài mới", "Bài khôi phục"] {
        let saved = ed
            .create(
                actor,
                &Draft {
                    section_id: section,
                    title: title.into(),
                    body_html: "<p>x</p>".into(),
                    ..Draft::default()
                },
            )
            .await
            .expect("draft");
        ed.publish(actor, saved.id, None).await.expect("publish");
        ids.push(saved.id);
    }
    let kind = crate::trash::TrashKind::Article;
    trash.put(actor, kind, ids[0]).await.expect("trash old");
    trash.put(actor, kind, ids[2]).await.expect("trash third");
    assert!(matches!(
        trash.put(actor, kind, ids[0]).await,
        Err(Error::NotFound)
    ));
    clock.advance(SignedDuration::from_hours(20 * 24));
    trash.put(actor, kind, ids[1]).await.expect("trash new");
    trash.restore(actor, kind, ids[2]).await.expect("restore");
    let (row, _) = ed.get(actor, ids[2]).await.expect("restored");
    assert_eq!(row.status, crate::editorial::Status::Draft);
    assert!(row.trashed_at.is_none());
    // An editor may not delete for good; the upkeep may, after 30 days.
    assert!(matches!(trash.empty(actor).await, Err(Error::Forbidden(_))));
    clock.advance(SignedDuration::from_hours(11 * 24));
    assert_eq!(trash.purge_expired(30).await.expect("purge"), 1);
    assert!(
        store
            .editorial(cong_store::SiteId::FIRST)
            .find(ids[0])
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .editorial(cong_store::SiteId::FIRST)
            .find(ids[1])
            .await
            .expect("read")
            .is_some()
    );
    let (log, _) = store
        .audit()
        .list(&Default::default(), 50, 0)
        .await
        .expect("audit");
    let actions: Vec<&str> = log.iter().map(|l| l.action.as_str()).collect();
    for a in ["article.trash", "article.untrash", "article.purge"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

/// A video in the trash is refused while an article plays it, and once free goes with the
/// upkeep after the days kept: its row and its stored file, audited as done by the upkeep.
#[tokio::test]
async fn a_video_leaves_the_trash_with_its_file_when_nothing_plays_it() {
    let Newsroom {
        dir,
        db: _db,
        store,
        clock,
        content: _,
        section,
        editor,
    } = newsroom("2026-03-01T03:00:00Z").await;
    let ed = Editorial::new(store.clone(), clock.clone());
    let media = crate::media::MediaLibrary::new(
        store.clone(),
        dir.path().join("m"),
        cong_media::Limits::default(),
    );
    let trash = crate::trash::Trash::new(store.clone(), clock.clone(), media.clone());
    let actor = Actor {
        user: &editor,
        ip: "10.0.0.1",
        site: cong_store::SiteId::FIRST,
        role: Role::Editor,
    };
    let id = media
        .upload_video(
            cong_store::SiteId::FIRST,
            Some(actor),
            crate::media::videos::VideoUpload {
                bytes: include_bytes!("../../../media/src/tests/data/clip.webm").to_vec(),
                original_name: "hop.webm".into(),
                title: "Họp báo".into(),
                poster: None,
            },
        )
        .await
        .expect("video");
    let v = media
        .find_video(cong_store::SiteId::FIRST, id)
        .await
        .expect("row");
    let saved = ed
        .create(
            actor,
            &Draft {
                section_id: section,
                title: "Có video".into(),
                body_html: format!(r#"<video src="/media/{}"></video>"#, v.file_name),
                ..Draft::default()
            },
        )
        .await
        .expect("draft");
    let kind = crate::trash::TrashKind::Video;
    assert!(matches!(
        trash.put(actor, kind, id).await,
        Err(Error::Conflict(m)) if m.contains("Có video")
    ));
    // The article no longer plays it: it may go.
    let (row, _) = ed.get(actor, saved.id).await.expect("row");
    ed.save(
        actor,
        saved.id,
        &Draft {
            section_id: section,
            title: "Có video".into(),
            body_html: "<p>Không còn video.</p>".into(),
            base_revision: Some(row.revision),
            ..Draft::default()
        },
    )
    .await
    .expect("save");
    trash.put(actor, kind, id).await.expect("trash");
    assert!(
        media
            .list_videos(cong_store::SiteId::FIRST, None, 10, 0)
            .await
            .expect("list")
            .0
            .is_empty(),
        "out of the library"
    );
    assert_eq!(trash.purge_expired(30).await.expect("young"), 0);
    clock.advance(SignedDuration::from_hours(31 * 24));
    assert_eq!(trash.purge_expired(30).await.expect("old"), 1);
    assert!(matches!(
        media.find_video(cong_store::SiteId::FIRST, id).await,
        Err(Error::NotFound)
    ));
    assert!(
        store
            .media_files()
            .get(&v.file_name)
            .await
            .expect("read")
            .is_none(),
        "its file is gone"
    );
    let (log, _) = store
        .audit()
        .list(&Default::default(), 50, 0)
        .await
        .expect("audit");
    assert!(
        log.iter()
            .any(|l| l.action == "video.delete" && l.username == "(tự động)"),
        "{log:?}"
    );
}
