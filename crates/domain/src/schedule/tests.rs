//! The schedule with a real store (SQLite or PostgreSQL) and a hand-set clock: weeks in Hà
//! Nội's zone, drafts never public, "Điều chỉnh" only after publication, recurring entries
//! copied once, and each write's audit entry and change record in its transaction.

use super::*;
use crate::ManualClock;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use jiff::Timestamp;
use jiff::civil::date;

struct World {
    _dir: tempfile::TempDir,
    db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    service: Schedule,
    editor: User,
    author: User,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    // Monday 07/12/2026, 09:00 in Hà Nội.
    let clock = Arc::new(ManualClock::new(
        "2026-12-07T02:00:00Z".parse::<Timestamp>().expect("ts"),
    ));
    let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("tz");
    let service = Schedule::new(store.clone(), clock.clone(), tz);
    let auth = Auth::new(
        store.clone(),
        AuthConfig::default(),
        Arc::new(Secrets::ephemeral()),
        clock.clone(),
    );
    let user = |name: &'static str, role| {
        let auth = auth.clone();
        async move {
            auth.create_user(
                By::CommandLine,
                name,
                "",
                Grant::On(SiteId::FIRST, role),
                "Giấy trắng 2026!",
            )
            .await
            .expect("user")
        }
    };
    let editor = user("bientap", Role::Editor).await;
    let author = user("tacgia", Role::Author).await;
    World {
        _dir: dir,
        db,
        store,
        clock,
        service,
        editor,
        author,
    }
}

fn actor(u: &User, role: Role) -> Actor<'_> {
    Actor {
        user: u,
        ip: "10.0.0.1",
        site: SiteId::FIRST,
        role,
    }
}

fn row(day: &str, start: &str, content: &str) -> RowInput {
    RowInput {
        date: day.into(),
        start: start.into(),
        leaders: "Giám đốc Nguyễn Văn An".into(),
        content: content.into(),
        place: "Phòng họp số 1".into(),
        ..RowInput::default()
    }
}

impl World {
    fn ed(&self) -> Actor<'_> {
        actor(&self.editor, Role::Editor)
    }

    async fn public(&self, day: Date) -> Vec<String> {
        self.service
            .week(SiteId::FIRST, day)
            .await
            .expect("week")
            .entries()
            .map(|e| e.fields.content.clone())
            .collect()
    }
}

#[tokio::test]
async fn weeks_are_monday_to_sunday_in_ha_noi() {
    let w = world().await;
    let monday = date(2026, 12, 7);
    w.service
        .save_week(
            w.ed(),
            monday,
            &[
                row("13/12/2026", "23:30", "Trực ban cuối tuần"),
                row("2026-12-07", "00:15", "Trực đêm đầu tuần"),
            ],
        )
        .await
        .expect("saved");
    w.service.publish_week(w.ed(), monday).await.expect("pub");
    // 23:30 on Sunday in Hà Nội is 16:30 UTC on Sunday: in that week, on its Sunday.
    let week = w
        .service
        .week(SiteId::FIRST, date(2026, 12, 10))
        .await
        .expect("week");
    assert_eq!(week.monday, monday);
    assert_eq!(week.days.len(), 7);
    assert_eq!(week.days[6].date, date(2026, 12, 13));
    assert_eq!(week.days[6].entries.len(), 1);
    assert_eq!(week.days[0].entries[0].fields.content, "Trực đêm đầu tuần");
    assert!(w.public(date(2026, 12, 14)).await.is_empty());
    // 00:15 on Monday local is Sunday 17:15 UTC, still this week's Monday.
    assert!(w.public(date(2026, 12, 6)).await.is_empty());

    // A week across the new year: Monday 29/12/2025 to Sunday 04/01/2026.
    w.service
        .save_week(
            w.ed(),
            date(2026, 1, 1),
            &[
                row("29/12/2025", "08:00", "Tổng kết năm 2025"),
                row("02/01/2026", "14:00", "Triển khai nhiệm vụ năm 2026"),
                row("04/01/2026", "", "Trực Tết Dương lịch"),
            ],
        )
        .await
        .expect("saved");
    w.service
        .publish_week(w.ed(), date(2025, 12, 31))
        .await
        .expect("pub");
    let week = w
        .service
        .week(SiteId::FIRST, date(2026, 1, 4))
        .await
        .expect("week");
    assert_eq!(week.monday, date(2025, 12, 29));
    assert_eq!(week.sunday(), date(2026, 1, 4));
    assert_eq!(week.entries().count(), 3);
    assert!(week.days[6].entries[0].fields.all_day);
    // A day outside the week in the form is refused, and nothing is saved.
    let err = w
        .service
        .save_week(
            w.ed(),
            date(2026, 1, 1),
            &[
                row("31/12/2025", "10:00", "Đúng tuần"),
                row("05/01/2026", "10:00", "Sai tuần"),
            ],
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::Fields(f) if f.len() == 1 && f[0].0 == "row-1"),
        "{err:?}"
    );
    assert_eq!(
        w.service
            .draft_week(w.ed(), date(2026, 1, 1))
            .await
            .expect("w")
            .entries()
            .count(),
        3
    );
}

#[tokio::test]
async fn drafts_are_never_public_and_adjustments_follow_publication() {
    let w = world().await;
    let monday = date(2026, 12, 7);
    w.service
        .save_week(
            w.ed(),
            monday,
            &[row("08/12/2026", "08:00", "Họp giao ban")],
        )
        .await
        .expect("saved");
    assert!(w.public(monday).await.is_empty());
    assert!(
        w.service
            .feed(SiteId::FIRST)
            .await
            .expect("feed")
            .is_empty()
    );
    // Changed before publication: not an adjustment.
    let draft = w.service.draft_week(w.ed(), monday).await.expect("w");
    let mut r = RowInput::of(draft.entries().next().expect("entry"), w.service.tz());
    r.start = "08:30".into();
    w.service
        .save_week(w.ed(), monday, &[r.clone()])
        .await
        .expect("saved");
    assert_eq!(
        w.service.publish_week(w.ed(), monday).await.expect("pub"),
        1
    );
    let e = w.service.week(SiteId::FIRST, monday).await.expect("w");
    let e = e.entries().next().expect("public");
    assert_eq!(e.status, EntryStatus::Published);
    assert_eq!(e.adjusted_at, None);
    assert_eq!(e.sequence, 0);
    // Changed after: marked with the time of the change, its sequence bumped.
    w.clock.advance(jiff::SignedDuration::from_hours(2));
    r.place = "Hội trường tầng 3".into();
    w.service
        .save_week(w.ed(), monday, &[r])
        .await
        .expect("saved");
    let week = w.service.week(SiteId::FIRST, monday).await.expect("w");
    let e = week.entries().next().expect("public");
    assert_eq!(e.adjusted_at, Some(w.clock.now().as_second()));
    assert_eq!(e.sequence, 1);
    assert_eq!(e.fields.place, "Hội trường tầng 3");
    // Called off: still listed, cancelled, adjusted again; a draft cannot be called off.
    w.service
        .call_off(w.ed(), e.id, CallOff::Postpone)
        .await
        .expect("postponed");
    let week = w.service.week(SiteId::FIRST, monday).await.expect("w");
    let e = week.entries().next().expect("still listed");
    assert_eq!(e.status, EntryStatus::Postponed);
    assert_eq!(e.sequence, 2);
    w.service
        .save_week(w.ed(), monday, &[row("09/12/2026", "", "Đi cơ sở")])
        .await
        .expect("saved");
    let draft = w.service.draft_week(w.ed(), monday).await.expect("w");
    let d = draft
        .entries()
        .find(|e| e.status == EntryStatus::Draft)
        .expect("draft");
    assert!(matches!(
        w.service.call_off(w.ed(), d.id, CallOff::Cancel).await,
        Err(Error::Conflict(_))
    ));
    // An emptied row deletes its draft.
    let emptied = RowInput {
        id: Some(d.id),
        date: "09/12/2026".into(),
        ..RowInput::default()
    };
    let saved = w
        .service
        .save_week(w.ed(), monday, &[emptied])
        .await
        .expect("saved");
    assert_eq!(saved.removed, 1);
    assert_eq!(
        w.service
            .draft_week(w.ed(), monday)
            .await
            .expect("w")
            .entries()
            .count(),
        1
    );
    // Authors may do none of it.
    let a = actor(&w.author, Role::Author);
    for r in [
        w.service.save_week(a, monday, &[]).await.map(|_| ()),
        w.service.publish_week(a, monday).await.map(|_| ()),
        w.service.copy_recurring(a, monday).await.map(|_| ()),
        w.service.draft_week(a, monday).await.map(|_| ()),
    ] {
        assert!(matches!(r, Err(Error::Forbidden(_))), "{r:?}");
    }
}

#[tokio::test]
async fn recurring_entries_are_copied_once() {
    let w = world().await;
    let last = date(2026, 11, 30);
    let mut giao_ban = row("30/11/2026", "07:30", "Giao ban lãnh đạo Sở");
    giao_ban.recurring = true;
    w.service
        .save_week(
            w.ed(),
            last,
            &[giao_ban, row("01/12/2026", "14:00", "Một lần")],
        )
        .await
        .expect("saved");
    w.service.publish_week(w.ed(), last).await.expect("pub");
    let this = date(2026, 12, 9);
    assert_eq!(
        w.service.copy_recurring(w.ed(), this).await.expect("copy"),
        1
    );
    assert_eq!(
        w.service.copy_recurring(w.ed(), this).await.expect("copy"),
        0
    );
    let week = w.service.draft_week(w.ed(), this).await.expect("w");
    let copies: Vec<_> = week.entries().collect();
    assert_eq!(copies.len(), 1);
    let c = copies[0];
    assert_eq!(c.status, EntryStatus::Draft);
    assert!(c.fields.recurring);
    assert_eq!(week.days[0].date, date(2026, 12, 7));
    assert_eq!(week.days[0].entries.len(), 1);
    assert_eq!(
        calendar::hm(calendar::local_time(c.fields.starts_at, w.service.tz())),
        "07:30"
    );
    // Copied as a draft: not public until this week is published.
    assert!(w.public(this).await.is_empty());
}

#[tokio::test]
async fn audit_and_change_stand_or_fall_with_the_write() {
    let w = world().await;
    let monday = date(2026, 12, 7);
    let before = w.store.changes().last_id().await.expect("last");
    w.service
        .save_week(w.ed(), monday, &[row("07/12/2026", "08:00", "Họp")])
        .await
        .expect("saved");
    let changes = w.store.changes().list_after(before, 10).await.expect("ch");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, Some(ChangeKind::Schedule));
    assert_eq!(changes[0].entity_id, SiteId::FIRST.0);
    let (audit, _) = w
        .store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 50, 0)
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "schedule.save" && e.username == "bientap")
    );

    // The audit insert fails: neither the entry nor the change is left.
    cong_store::testing::break_audit(w.db.url(), "schedule.publish").await;
    let last = w.store.changes().last_id().await.expect("last");
    assert!(w.service.publish_week(w.ed(), monday).await.is_err());
    assert!(w.public(monday).await.is_empty());
    assert_eq!(w.store.changes().last_id().await.expect("last"), last);
}
