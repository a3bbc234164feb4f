//! The library on a real store (SQLite, or PostgreSQL with `CONG_TEST_BACKEND=postgres`)
//! with a hand-moved clock: the status of effect across dates and relations, every filter
//! alone and together, the pager, the roles, revisions and audit entries.

use super::*;
use crate::ManualClock;
use crate::audit::Actor;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::files::FileIntake;
use cong_config::AuthConfig;
use jiff::Timestamp;

#[allow(clippy::unwrap_used)]
mod setup {
    use super::*;

    pub struct Lib {
        pub _dir: tempfile::TempDir,
        pub _db: cong_store::testing::TestDb,
        pub store: Store,
        pub clock: Arc<ManualClock>,
        pub docs: Documents,
        pub editor: User,
        pub author: User,
        pub quyet_dinh: i64,
        pub ke_hoach: i64,
        pub so: i64,
        pub ubnd: i64,
        pub khcn: i64,
        pub cds: i64,
    }

    pub async fn lib() -> Lib {
        let dir = tempfile::tempdir().unwrap();
        let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
        let clock = Arc::new(ManualClock::new(at("2026-03-10T03:00:00Z")));
        let tz = TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let docs = Documents::new(store.clone(), clock.clone(), tz);
        let secrets = Arc::new(crate::secrets::Secrets::ephemeral());
        let auth = Auth::new(store.clone(), AuthConfig::default(), secrets, clock.clone());
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
                .unwrap()
            }
        };
        let editor = user("bientap", Role::Editor).await;
        let author = user("phongvien", Role::Author).await;
        let s = SiteId::FIRST;
        let t = |v, n: &'static str| {
            let docs = docs.clone();
            async move { docs.ensure_term(s, v, n).await.unwrap() }
        };
        Lib {
            quyet_dinh: t(Vocabulary::Type, "Quyết định").await,
            ke_hoach: t(Vocabulary::Type, "Kế hoạch").await,
            so: t(Vocabulary::Issuer, "Sở Khoa học và Công nghệ").await,
            ubnd: t(Vocabulary::Issuer, "UBND tỉnh").await,
            khcn: t(Vocabulary::Field, "Khoa học và công nghệ").await,
            cds: t(Vocabulary::Field, "Chuyển đổi số").await,
            _dir: dir,
            _db: db,
            store,
            clock,
            docs,
            editor,
            author,
        }
    }

    pub fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }
}

use setup::{at, lib};

fn actor(u: &User, role: Role) -> Actor<'_> {
    Actor {
        user: u,
        ip: "10.0.0.1",
        site: SiteId::FIRST,
        role,
    }
}

fn draft(number: &str, type_id: i64, issuer_id: i64, issued: &str) -> DocumentDraft {
    DocumentDraft {
        number: number.into(),
        type_id,
        issuer_id,
        summary: format!("Trích yếu của văn bản {number}"),
        issued_on: issued.into(),
        ..DocumentDraft::default()
    }
}

async fn effect_of(docs: &Documents, id: i64) -> Effect {
    docs.by_id(SiteId::FIRST, id).await.expect("doc").doc.effect
}

#[tokio::test]
async fn the_status_of_effect_follows_the_dates_and_the_relations() {
    let l = lib().await;
    let s = SiteId::FIRST;
    let mut a = draft("10/QĐ-SKHCN", l.quyet_dinh, l.so, "01/03/2026");
    a.effective_on = "15/03/2026".into();
    a.expires_on = "2026-12-31".into();
    let a = l.docs.import(s, &a, Status::Published).await.expect("a").id;
    assert_eq!(effect_of(&l.docs, a).await, Effect::NotYet);
    // Midnight in Hà Nội is 17:00 UTC the day before: the day turns there, not at 00:00 UTC.
    l.clock.set(at("2026-03-14T16:59:59Z"));
    assert_eq!(effect_of(&l.docs, a).await, Effect::NotYet);
    l.clock.set(at("2026-03-14T17:00:00Z"));
    assert_eq!(effect_of(&l.docs, a).await, Effect::InForce);

    // Amended from 1 May: partly expired from then on, not before.
    let mut b = draft("20/QĐ-SKHCN", l.quyet_dinh, l.so, "2026-04-20");
    b.effective_on = "2026-05-01".into();
    b.relations = vec![(Relation::Amends, a)];
    let b = l.docs.import(s, &b, Status::Published).await.expect("b").id;
    assert_eq!(effect_of(&l.docs, a).await, Effect::InForce);
    l.clock.set(at("2026-04-30T17:00:00Z"));
    assert_eq!(effect_of(&l.docs, a).await, Effect::PartlyExpired);

    // A replacement still a draft changes nothing; published, it ends the first one.
    let mut c = draft("30/QĐ-SKHCN", l.quyet_dinh, l.so, "2026-05-02");
    c.relations = vec![(Relation::Replaces, a)];
    let c = l.docs.import(s, &c, Status::Draft).await.expect("c").id;
    assert_eq!(effect_of(&l.docs, a).await, Effect::PartlyExpired);
    l.clock.set(at("2026-05-02T03:00:00Z"));
    let editor = actor(&l.editor, Role::Editor);
    l.docs
        .set_status(editor, c, Status::Published)
        .await
        .expect("publish");
    assert_eq!(effect_of(&l.docs, a).await, Effect::Expired);
    assert_eq!(effect_of(&l.docs, b).await, Effect::InForce);

    // Past its own expiry date, with no relation at all.
    let mut d = draft("40/KH-SKHCN", l.ke_hoach, l.so, "2026-01-05");
    d.expires_on = "2026-06-30".into();
    let d = l.docs.import(s, &d, Status::Published).await.expect("d").id;
    assert_eq!(effect_of(&l.docs, d).await, Effect::InForce);
    l.clock.set(at("2026-06-29T17:00:00Z"));
    assert_eq!(effect_of(&l.docs, d).await, Effect::Expired);

    // Relations read both ways: the first says who replaced and amended it.
    let detail = l.docs.by_id(s, a).await.expect("a");
    let incoming: Vec<(Relation, i64, bool)> = detail
        .related
        .iter()
        .map(|r| (r.relation, r.id, r.outgoing))
        .collect();
    assert!(
        incoming.contains(&(Relation::Replaces, c, false)),
        "{incoming:?}"
    );
    assert!(
        incoming.contains(&(Relation::Amends, b, false)),
        "{incoming:?}"
    );
    let detail = l.docs.by_id(s, c).await.expect("c");
    assert_eq!(detail.related.len(), 1);
    assert!(detail.related[0].outgoing);
    assert_eq!(detail.related[0].number, "10/QĐ-SKHCN");
    // The public page of the replaced one lists only published relations: the draft-free
    // set here is both.
    let public = l
        .docs
        .published(s, &detail.related[0].slug)
        .await
        .expect("public");
    assert_eq!(public.related.len(), 2);
}

#[tokio::test]
async fn every_filter_alone_and_together_and_the_pager() {
    let l = lib().await;
    let s = SiteId::FIRST;
    // 25 published: decisions of the Sở in 2024 and 2025, plans of the UBND in 2025; and a
    // draft that no public list shows.
    for i in 0..25 {
        let (t, issuer, year) = match i % 3 {
            0 => (l.quyet_dinh, l.so, 2024),
            1 => (l.quyet_dinh, l.so, 2025),
            _ => (l.ke_hoach, l.ubnd, 2025),
        };
        let mut d = draft(
            &format!("{}/X-{i}", 100 + i),
            t,
            issuer,
            &format!("{year}-0{}-1{}", 1 + i % 9, i % 10),
        );
        d.fields = if i % 2 == 0 {
            vec![l.khcn]
        } else {
            vec![l.cds]
        };
        if i == 7 {
            d.summary = "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị".into();
        }
        l.docs.import(s, &d, Status::Published).await.expect("doc");
    }
    l.docs
        .import(
            s,
            &draft("999/NHAP", l.quyet_dinh, l.so, "2025-05-05"),
            Status::Draft,
        )
        .await
        .expect("draft");
    let count = |q: Query| {
        let docs = l.docs.clone();
        async move { docs.list(s, &q, 1, true).await.expect("list").total }
    };
    assert_eq!(count(Query::default()).await, 25);
    let by_type = Query {
        type_id: Some(l.quyet_dinh),
        ..Query::default()
    };
    assert_eq!(count(by_type.clone()).await, 17);
    assert_eq!(
        count(Query {
            issuer_id: Some(l.ubnd),
            ..Query::default()
        })
        .await,
        8
    );
    assert_eq!(
        count(Query {
            field_id: Some(l.khcn),
            ..Query::default()
        })
        .await,
        13
    );
    assert_eq!(
        count(Query {
            year: Some(2024),
            ..Query::default()
        })
        .await,
        9
    );
    assert_eq!(
        count(Query {
            effect: Some(Effect::InForce),
            ..Query::default()
        })
        .await,
        25
    );
    assert_eq!(
        count(Query {
            effect: Some(Effect::Expired),
            ..Query::default()
        })
        .await,
        0
    );
    // Together: decisions of 2025 in the digital-transformation field.
    assert_eq!(
        count(Query {
            year: Some(2025),
            field_id: Some(l.cds),
            ..by_type.clone()
        })
        .await,
        4
    );
    // Words, with or without marks, whole words only; the number too.
    for text in ["phản ánh kiến nghị", "phan anh kien nghi", "107/X-7"] {
        assert_eq!(
            count(Query {
                text: text.into(),
                ..Query::default()
            })
            .await,
            1,
            "{text}"
        );
    }
    assert_eq!(
        count(Query {
            text: "phan an".into(),
            ..Query::default()
        })
        .await,
        0,
        "a part of a word is not a word"
    );
    // The back office sees the draft too.
    assert_eq!(
        l.docs
            .list(s, &Query::default(), 1, false)
            .await
            .expect("all")
            .total,
        26
    );
    // Newest first, 20 a page; a page past the end is not found.
    let p1 = l
        .docs
        .list(s, &Query::default(), 1, true)
        .await
        .expect("p1");
    assert_eq!((p1.items.len(), p1.pages), (20, 2));
    assert!(
        p1.items
            .windows(2)
            .all(|w| w[0].issued_on >= w[1].issued_on)
    );
    let p2 = l
        .docs
        .list(s, &Query::default(), 2, true)
        .await
        .expect("p2");
    assert_eq!(p2.items.len(), 5);
    assert!(matches!(
        l.docs.list(s, &Query::default(), 3, true).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn authors_draft_editors_publish_and_every_write_is_audited() {
    let l = lib().await;
    let author = actor(&l.author, Role::Author);
    let editor = actor(&l.editor, Role::Editor);
    let d = draft("5/TB-SKHCN", l.quyet_dinh, l.so, "2026-03-09");
    let saved = l.docs.create(author, &d).await.expect("author drafts");
    assert!(matches!(
        l.docs.set_status(author, saved.id, Status::Published).await,
        Err(Error::Forbidden(_))
    ));
    l.docs
        .set_status(author, saved.id, Status::Pending)
        .await
        .expect("author submits");
    // Submitted, it is no longer the author's to change.
    assert!(matches!(
        l.docs.save(author, saved.id, &d).await,
        Err(Error::Forbidden(_))
    ));
    l.docs
        .set_status(editor, saved.id, Status::Published)
        .await
        .expect("editor publishes");
    let mut changed = d.clone();
    changed.summary = "Trích yếu đã sửa".into();
    l.docs.save(editor, saved.id, &changed).await.expect("save");
    assert_eq!(
        l.docs
            .revisions(SiteId::FIRST, saved.id)
            .await
            .expect("revisions")
            .len(),
        2
    );
    let (audit, _) = l
        .store
        .audit()
        .list(&Default::default(), 50, 0)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for a in [
        "document.create",
        "document.submit",
        "document.publish",
        "document.save",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    // The lists are the administrator's.
    assert!(matches!(
        l.docs.add_term(editor, Vocabulary::Type, "Hướng dẫn").await,
        Err(Error::Forbidden(_))
    ));
}

#[tokio::test]
async fn a_bad_draft_says_what_is_wrong_field_by_field_and_saves_nothing() {
    let l = lib().await;
    let editor = actor(&l.editor, Role::Editor);
    let mut d = draft("", 0, l.so, "31/02/2026");
    d.expires_on = "2020-01-01".into();
    d.relations = vec![(Relation::Replaces, 9999)];
    let Err(Error::Fields(f)) = l.docs.create(editor, &d).await else {
        panic!("refused");
    };
    let fields: Vec<&str> = f.iter().map(|(k, _)| k.as_str()).collect();
    for k in ["number", "type_id", "issued_on", "relations"] {
        assert!(fields.contains(&k), "{k} in {fields:?}");
    }
    assert_eq!(
        l.docs
            .list(SiteId::FIRST, &Query::default(), 1, false)
            .await
            .expect("list")
            .total,
        0
    );
    // Expiry before effect.
    let mut d = draft("1/QĐ", l.quyet_dinh, l.so, "2026-03-01");
    d.expires_on = "2026-02-01".into();
    let Err(Error::Fields(f)) = l.docs.create(editor, &d).await else {
        panic!("refused");
    };
    assert_eq!(f[0].0, "expires_on");
}

#[tokio::test]
async fn a_sheet_of_200_rows_with_3_bad_imports_197_and_says_why_for_the_3() {
    let l = lib().await;
    let files = FileIntake::new(l.store.clone(), cong_files::Limits::default(), None);
    let mut csv = String::from(
        "STT;Số ký hiệu;Loại văn bản;Cơ quan ban hành;Người ký;Trích yếu;Ngày ban hành;Lĩnh vực;Tệp\n",
    );
    let mut sent = std::collections::HashMap::new();
    for i in 0..200 {
        let date = if i == 49 {
            "31/02/2025".to_owned()
        } else {
            format!("{:02}/03/2025", 1 + i % 28)
        };
        let summary = if i == 149 {
            String::new()
        } else {
            format!("Về việc thứ {i} của năm")
        };
        let file = match i {
            0..5 => {
                let name = format!("Quyết định {i}.pdf");
                sent.insert(
                    name.clone(),
                    cong_files::make::pdf(
                        "Quyết định",
                        &[&format!("Nội dung riêng số {i} rừng ngập mặn")],
                    ),
                );
                name
            }
            99 => "khong-co.pdf".to_owned(),
            _ => String::new(),
        };
        let kind = if i % 2 == 0 {
            "Quyết định"
        } else {
            "Hướng dẫn"
        };
        csv.push_str(&format!(
            "{i};{n}/QĐ-NHAP;{kind};Sở Khoa học và Công nghệ;Nguyễn Văn A;{summary};{date};Khoa học và công nghệ; {file}\n",
            n = 1000 + i
        ));
    }
    // The fields cell above is one item; the file column is the last.
    let report = l
        .docs
        .import_sheet(
            By::CommandLine,
            SiteId::FIRST,
            &files,
            csv.as_bytes(),
            &Source::Sent(sent),
            Status::Published,
        )
        .await
        .expect("import");
    assert_eq!(report.imported.len(), 197, "{:?}", report.refused);
    let refused: Vec<usize> = report.refused.iter().map(|r| r.0).collect();
    assert_eq!(refused, [51, 101, 151]);
    assert!(
        report.refused[0].2.contains("31/02/2025"),
        "{:?}",
        report.refused[0]
    );
    assert!(
        report.refused[1].2.contains("khong-co.pdf"),
        "{:?}",
        report.refused[1]
    );
    assert!(
        report.refused[2].2.contains("trích yếu"),
        "{:?}",
        report.refused[2]
    );
    // A type the list lacked was added, once.
    assert_eq!(report.added, ["Loại văn bản: Hướng dẫn"]);
    let all = l
        .docs
        .list(SiteId::FIRST, &Query::default(), 1, true)
        .await
        .expect("list");
    assert_eq!(all.total, 197);
    let with_file = l
        .docs
        .by_id(SiteId::FIRST, {
            let q = Query {
                text: "1003/QĐ-NHAP".into(),
                ..Query::default()
            };
            l.docs
                .list(SiteId::FIRST, &q, 1, true)
                .await
                .expect("one")
                .items[0]
                .id
        })
        .await
        .expect("doc");
    assert_eq!(with_file.files.len(), 1);
    assert_eq!(with_file.files[0].name, "Quyết định 3.pdf");
    // A second run of the same sheet refuses every row as already there.
    let again = l
        .docs
        .import_sheet(
            By::CommandLine,
            SiteId::FIRST,
            &files,
            csv.as_bytes(),
            &Source::Sent(Default::default()),
            Status::Published,
        )
        .await
        .expect("again");
    assert!(again.imported.is_empty());
}
