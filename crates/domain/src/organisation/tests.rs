//! The organisation with a real store (SQLite, or PostgreSQL with CONG_TEST_BACKEND): the
//! tree's order, precedence, terms ending by the site's today, the folded directory, the
//! refused cycle, and each write's audit entry and change record.

use super::*;
use crate::ManualClock;
use crate::audit::Actor;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use cong_store::audit::AuditFilter;
use cong_store::changes::ChangeKind;
use jiff::Timestamp;

struct World {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    org: Organisation,
    editor: User,
    author: User,
}

fn tz() -> TimeZone {
    TimeZone::get("Asia/Ho_Chi_Minh").expect("zone")
}

/// Noon of a day in Hà Nội.
fn at(day: &str) -> Timestamp {
    let d: Date = day.parse().expect("day");
    d.at(12, 0, 0, 0)
        .to_zoned_datetime(tz())
        .expect("zoned")
        .timestamp()
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(at("2026-12-07")));
    let auth = Auth::new(
        store.clone(),
        AuthConfig::default(),
        Arc::new(Secrets::ephemeral()),
        clock.clone(),
    );
    let user = |name: &'static str, role: Role| {
        let auth = auth.clone();
        async move {
            auth.create_user(
                By::CommandLine,
                name,
                name,
                Grant::On(SiteId::FIRST, role),
                "Đồng hồ cát 2026",
            )
            .await
            .expect("user")
        }
    };
    let editor = user("bientap", Role::Editor).await;
    let author = user("chuyenvien", Role::Author).await;
    World {
        org: Organisation::new(store.clone(), clock.clone(), tz()),
        _dir: dir,
        _db: db,
        store,
        clock,
        editor,
        author,
    }
}

fn actor(u: &User, role: Role) -> Actor<'_> {
    Actor {
        user: u,
        ip: "10.0.0.9",
        site: SiteId::FIRST,
        role,
    }
}

fn unit(kind: &str, name: &str, parent: Option<UnitId>) -> UnitForm {
    UnitForm {
        kind: kind.to_owned(),
        name: name.to_owned(),
        parent: parent.map(|p| p.0.to_string()).unwrap_or_default(),
        ..UnitForm::default()
    }
}

fn person(u: UnitId, name: &str, title: &str, precedence: i64) -> PersonForm {
    PersonForm {
        unit: u.0.to_string(),
        name: name.to_owned(),
        title: title.to_owned(),
        precedence: precedence.to_string(),
        ..PersonForm::default()
    }
}

impl World {
    async fn unit(&self, kind: &str, name: &str, parent: Option<UnitId>) -> UnitId {
        self.org
            .save_unit(
                actor(&self.editor, Role::Editor),
                None,
                &unit(kind, name, parent),
            )
            .await
            .unwrap_or_else(|e| panic!("unit {name}: {e:?}"))
    }

    async fn person(&self, f: PersonForm) -> PersonId {
        self.org
            .save_person(actor(&self.editor, Role::Editor), None, &f)
            .await
            .unwrap_or_else(|e| panic!("person: {e:?}"))
    }

    async fn names(&self) -> Vec<(usize, String)> {
        self.org
            .units(SiteId::FIRST)
            .await
            .expect("units")
            .into_iter()
            .map(|(d, u)| (d, u.name))
            .collect()
    }
}

#[tokio::test]
async fn the_tree_puts_the_leadership_first_and_siblings_in_their_order() {
    let w = world().await;
    let office = w.unit("department", "Văn phòng Sở", None).await;
    let inspect = w.unit("department", "Thanh tra Sở", None).await;
    let centre = w.unit("affiliate", "Trung tâm Ứng dụng", None).await;
    let board = w.unit("leadership", "Ban Giám đốc", None).await;
    w.unit("department", "Tổ Hành chính", Some(office)).await;
    assert_eq!(
        w.names().await,
        vec![
            (0, "Ban Giám đốc".to_owned()),
            (0, "Văn phòng Sở".to_owned()),
            (1, "Tổ Hành chính".to_owned()),
            (0, "Thanh tra Sở".to_owned()),
            (0, "Trung tâm Ứng dụng".to_owned()),
        ]
    );
    let ed = actor(&w.editor, Role::Editor);
    w.org.move_unit(ed, inspect, Move::Up).await.expect("up");
    // At the top of its group already: nothing moves.
    w.org.move_unit(ed, inspect, Move::Up).await.expect("up");
    w.org.move_unit(ed, centre, Move::Down).await.expect("down");
    let top: Vec<String> = w
        .names()
        .await
        .into_iter()
        .filter(|(d, _)| *d == 0)
        .map(|(_, n)| n)
        .collect();
    assert_eq!(
        top,
        [
            "Ban Giám đốc",
            "Thanh tra Sở",
            "Văn phòng Sở",
            "Trung tâm Ứng dụng"
        ]
    );
    let structure = w.org.structure(SiteId::FIRST).await.expect("structure");
    assert_eq!(structure[0].unit.id, board);
    assert_eq!(structure[2].children.len(), 1, "the office's own unit");
}

#[tokio::test]
async fn people_come_in_order_of_precedence_and_leave_with_their_last_day() {
    let w = world().await;
    let board = w.unit("leadership", "Ban Giám đốc", None).await;
    w.person(person(board, "Trần Thị Bình", "Phó Giám đốc", 3))
        .await;
    w.person(person(board, "Nguyễn Văn An", "Giám đốc", 1))
        .await;
    let leaving = w
        .person(PersonForm {
            served_from: "01/01/2021".into(),
            served_until: "2026-12-08".into(),
            ..person(board, "Lê Văn Cường", "Phó Giám đốc", 2)
        })
        .await;
    let names = |nodes: Vec<UnitNode>| -> Vec<String> {
        nodes[0].people.iter().map(|p| p.name.clone()).collect()
    };
    let site = SiteId::FIRST;
    assert_eq!(
        names(w.org.structure(site).await.expect("s")),
        ["Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình"]
    );
    assert!(w.org.past_leaders(site).await.expect("past").is_empty());
    // The last day in office still counts; the day after, a past leader.
    w.clock.set(at("2026-12-08"));
    assert_eq!(names(w.org.structure(site).await.expect("s")).len(), 3);
    w.clock.set(at("2026-12-09"));
    assert_eq!(
        names(w.org.structure(site).await.expect("s")),
        ["Nguyễn Văn An", "Trần Thị Bình"]
    );
    let past = w.org.past_leaders(site).await.expect("past");
    assert_eq!(past.len(), 1);
    assert_eq!(past[0].id, leaving);
    assert_eq!(past[0].served_from.as_deref(), Some("2021-01-01"));
    assert!(
        !w.org
            .directory(site, "cuong", None)
            .await
            .expect("dir")
            .iter()
            .any(|p| p.id == leaving),
        "a past leader is not in the directory"
    );
}

#[tokio::test]
async fn the_directory_matches_folded_words_and_filters_by_unit() {
    let w = world().await;
    let office = w.unit("department", "Văn phòng Sở", None).await;
    let team = w.unit("department", "Tổ Hành chính", Some(office)).await;
    let plan = w
        .unit("department", "Phòng Kế hoạch – Tài chính", None)
        .await;
    w.person(person(office, "Nguyễn Thị Hoa", "Chánh Văn phòng", 1))
        .await;
    w.person(person(team, "Phạm Văn Toàn", "Tổ trưởng", 1))
        .await;
    w.person(person(plan, "Đặng Quốc Nguyên", "Trưởng phòng", 1))
        .await;
    let site = SiteId::FIRST;
    let find = |q: &'static str, u: Option<&'static str>| {
        let org = w.org.clone();
        async move {
            org.directory(site, q, u)
                .await
                .expect("directory")
                .into_iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        find("nguyen", None).await,
        ["Nguyễn Thị Hoa", "Đặng Quốc Nguyên"]
    );
    assert_eq!(find("NGUYỄN thị", None).await, ["Nguyễn Thị Hoa"]);
    assert_eq!(find("dang quoc", None).await, ["Đặng Quốc Nguyên"]);
    // At a word's start only: "an" is not in "Toàn".
    assert!(find("an", None).await.is_empty());
    // By unit name, and the unit with those under it.
    assert_eq!(find("ke hoach", None).await, ["Đặng Quốc Nguyên"]);
    assert_eq!(
        find("", Some("van-phong-so")).await,
        ["Nguyễn Thị Hoa", "Phạm Văn Toàn"]
    );
    assert!(find("", Some("khong-co")).await.is_empty());
}

#[tokio::test]
async fn a_unit_cannot_go_under_itself_or_be_deleted_while_it_holds_anything() {
    let w = world().await;
    let ed = actor(&w.editor, Role::Editor);
    let office = w.unit("department", "Văn phòng Sở", None).await;
    let team = w.unit("department", "Tổ Hành chính", Some(office)).await;
    let cell = w.unit("department", "Nhóm Văn thư", Some(team)).await;
    for parent in [office, cell] {
        let err = w
            .org
            .save_unit(
                ed,
                Some(office),
                &unit("department", "Văn phòng Sở", Some(parent)),
            )
            .await
            .expect_err("cycle");
        match err {
            Error::Fields(f) => assert_eq!(f[0].0, "parent", "{f:?}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(w.names().await.len(), 3);
    assert!(matches!(
        w.org.delete_unit(ed, team).await,
        Err(Error::Conflict(m)) if m.contains("đơn vị trực thuộc")
    ));
    w.person(person(cell, "Vũ Thị Lan", "Văn thư", 1)).await;
    assert!(matches!(
        w.org.delete_unit(ed, cell).await,
        Err(Error::Conflict(m)) if m.contains("1 người")
    ));
    // The slug is the site's once.
    let err = w
        .org
        .save_unit(ed, None, &unit("department", "Văn phòng sở", None))
        .await
        .expect_err("slug taken");
    assert!(matches!(err, Error::Fields(f) if f[0].0 == "slug"));
    // Moving under another branch is fine.
    let plan = w.unit("department", "Phòng Kế hoạch", None).await;
    w.org
        .save_unit(
            ed,
            Some(team),
            &unit("department", "Tổ Hành chính", Some(plan)),
        )
        .await
        .expect("moved");
    w.org.delete_unit(ed, office).await.expect("empty now");
}

#[tokio::test]
async fn writes_are_audited_with_their_change_and_refused_to_authors() {
    let w = world().await;
    let ed = actor(&w.editor, Role::Editor);
    let board = w.unit("leadership", "Ban Giám đốc", None).await;
    let p = w
        .person(person(board, "Nguyễn Văn An", "Giám đốc", 1))
        .await;
    w.org.delete_person(ed, p).await.expect("delete");
    w.org.delete_unit(ed, board).await.expect("delete");
    let (entries, _) = w
        .store
        .audit()
        .list(&AuditFilter::default(), 50, 0)
        .await
        .expect("audit");
    let mut actions: Vec<&str> = entries
        .iter()
        .filter(|e| e.action.starts_with("organisation."))
        .map(|e| e.action.as_str())
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "organisation.unit.create",
            "organisation.person.create",
            "organisation.person.delete",
            "organisation.unit.delete",
        ]
    );
    let changes: Vec<i64> = w
        .store
        .changes()
        .list_after(0, 100)
        .await
        .expect("changes")
        .into_iter()
        .filter(|c| c.kind == Some(ChangeKind::Organisation))
        .map(|c| c.entity_id)
        .collect();
    assert_eq!(changes, [1, 1, 1, 1], "one change per write, for the site");
    // An author may not; nothing is written.
    let au = actor(&w.author, Role::Author);
    assert!(matches!(
        w.org
            .save_unit(au, None, &unit("department", "Phòng X", None))
            .await,
        Err(Error::Forbidden(_))
    ));
    assert!(w.names().await.is_empty());
    // Bad input: every field said, nothing written.
    let err = w
        .org
        .save_person(
            ed,
            None,
            &PersonForm {
                unit: "999".into(),
                email: "khong-phai-thu".into(),
                served_from: "31/02/2025".into(),
                phone: "gọi tôi".into(),
                ..PersonForm::default()
            },
        )
        .await
        .expect_err("refused");
    let Error::Fields(f) = err else {
        panic!("{err:?}")
    };
    let fields: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    for want in ["name", "title", "email", "phone", "served_from", "unit"] {
        assert!(fields.contains(&want), "{want} in {fields:?}");
    }
}
