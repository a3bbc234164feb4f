//! Consultations with a real store and a hand-moved clock: comments taken only from the
//! opening day's first second to the closing day's last (in Hà Nội), moderation audited,
//! and the commenters' data in a person's export, erasure and retention.

use super::*;
use crate::ManualClock;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::documents::{DocumentDraft, Documents, Status, Vocabulary};
use crate::forms::{Limits, Puzzles};
use crate::privacy::Privacy;
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use jiff::{SignedDuration, Timestamp};

struct World {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    service: Consultations,
    guard: FormGuard,
    privacy: Privacy,
    editor: User,
    admin: User,
    doc: i64,
    tz: TimeZone,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    // Near the real time: the ALTCHA crate checks a challenge's expiry on the system clock
    // (the clock only moves forward from here).
    let clock = Arc::new(ManualClock::new(Timestamp::now()));
    let tz = TimeZone::get("Asia/Ho_Chi_Minh").expect("tz");
    let guard = FormGuard::new(
        store.clone(),
        clock.clone(),
        Puzzles::new([[7; 32], [8; 32]], 10, 40, 600),
        Limits {
            min_fill_secs: 5,
            per_address_per_hour: 100,
        },
    );
    let service = Consultations::new(store.clone(), clock.clone(), tz.clone());
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
    let docs = Documents::new(store.clone(), clock.clone(), tz.clone());
    let s = SiteId::FIRST;
    let draft = DocumentDraft {
        number: "12/DT-SKHCN".into(),
        type_id: docs
            .ensure_term(s, Vocabulary::Type, "Dự thảo")
            .await
            .expect("type"),
        issuer_id: docs
            .ensure_term(s, Vocabulary::Issuer, "Sở Khoa học và Công nghệ")
            .await
            .expect("issuer"),
        summary: "Dự thảo quy chế quản lý nhiệm vụ khoa học".into(),
        issued_on: "2026-11-01".into(),
        ..DocumentDraft::default()
    };
    let doc = docs
        .import(s, &draft, Status::Published)
        .await
        .expect("doc")
        .id;
    let privacy = Privacy::new(store.clone(), clock.clone(), 30);
    World {
        _dir: dir,
        _db: db,
        store,
        clock,
        service,
        guard,
        privacy,
        editor,
        admin,
        doc,
        tz,
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

fn comment(email: &str) -> Comment {
    Comment {
        name: "Trần Thị B".into(),
        email: email.into(),
        organisation: "Hội Luật gia".into(),
        body: "Điều 5 nên quy định rõ thời hạn nghiệm thu.".into(),
    }
}

impl World {
    /// The first second of `days` after today in Hà Nội.
    fn midnight(&self, days: i64) -> Timestamp {
        let today = self.tz.to_datetime(self.clock.now()).date();
        today
            .checked_add(jiff::Span::new().days(days))
            .and_then(|d| {
                self.tz
                    .to_ambiguous_timestamp(d.at(0, 0, 0, 0))
                    .compatible()
            })
            .expect("day")
    }

    /// Sends a comment from a form opened at `at`, six seconds later (past the fill time).
    async fn send_at(&self, at: Timestamp, email: &str) -> std::result::Result<i64, SubmitError> {
        self.clock.set(at);
        let answer = Puzzles::solve(&self.guard.challenge().expect("challenge")).expect("solved");
        self.clock.advance(SignedDuration::from_secs(6));
        let proof = Proof {
            answer: &answer,
            hidden: "",
            consent: true,
            ip: "192.0.2.7",
        };
        self.service
            .comment(
                &self.guard,
                SiteId::FIRST,
                self.doc,
                "2 (01/12/2026)",
                &comment(email),
                &proof,
            )
            .await
    }
}

fn day_after(w: &World, days: i64) -> String {
    w.tz.to_datetime(w.clock.now())
        .date()
        .checked_add(jiff::Span::new().days(days))
        .expect("day")
        .to_string()
}

fn closed_message(r: std::result::Result<i64, SubmitError>) -> String {
    match r {
        Err(SubmitError::Failed(Error::Invalid(m))) => m,
        other => panic!("not refused for its dates: {other:?}"),
    }
}

#[tokio::test]
async fn comments_are_taken_only_between_the_dates_in_the_sites_calendar() {
    let w = world().await;
    // Open tomorrow and the day after, in Hà Nội.
    let (opens, closes) = (day_after(&w, 1), day_after(&w, 2));
    let open_at = w.midnight(1);
    let end_at = w.midnight(3);
    w.service
        .configure(
            actor(&w.editor, Role::Editor),
            w.doc,
            Some((&opens, &closes)),
        )
        .await
        .expect("configured");
    let c = w
        .service
        .get(SiteId::FIRST, w.doc)
        .await
        .expect("read")
        .expect("one");
    assert_eq!(c.state, State::Upcoming);

    // Ten seconds before the opening day (the form sent four seconds before midnight).
    let before = w
        .send_at(open_at - SignedDuration::from_secs(10), "b@example.vn")
        .await;
    let m = closed_message(before);
    assert!(m.contains("bắt đầu lấy ý kiến từ ngày"), "{m}");
    assert!(m.contains(&day(&opens)), "{m}");

    // On the opening day, from its first second.
    let first = w
        .send_at(open_at, "b@example.vn")
        .await
        .expect("taken on the first day");
    // The closing day's last seconds still count.
    w.send_at(end_at - SignedDuration::from_secs(7), "c@example.vn")
        .await
        .expect("taken on the last day");
    assert_eq!(
        w.service
            .get(SiteId::FIRST, w.doc)
            .await
            .expect("read")
            .expect("one")
            .state,
        State::Open
    );

    // The day after the closing day: refused, and nothing stored.
    let after = w.send_at(end_at, "d@example.vn").await;
    let m = closed_message(after);
    assert!(m.contains("đã kết thúc ngày"), "{m}");
    let c = w
        .service
        .get(SiteId::FIRST, w.doc)
        .await
        .expect("read")
        .expect("one");
    assert_eq!(c.state, State::Closed);
    assert_eq!(c.row.comments, 2, "every comment received counts");

    // Moderation: none is public until published; each step audited with its user.
    assert!(
        w.service
            .published_comments(w.doc)
            .await
            .expect("list")
            .is_empty()
    );
    w.service
        .moderate(
            actor(&w.editor, Role::Editor),
            first,
            CommentStatus::Published,
        )
        .await
        .expect("published");
    let public = w.service.published_comments(w.doc).await.expect("list");
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].moderated_by.as_deref(), Some("bientap"));
    let (audit, _) = w
        .store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 50, 0)
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "consultation.moderate" && e.username == "bientap"),
        "{audit:?}"
    );
}

#[tokio::test]
async fn dates_and_permissions_are_checked() {
    let w = world().await;
    let err = w
        .service
        .configure(
            actor(&w.editor, Role::Editor),
            w.doc,
            Some(("2026-12-10", "2026-12-01")),
        )
        .await
        .expect_err("backwards");
    assert!(matches!(err, Error::Fields(_)), "{err:?}");
    let err = w
        .service
        .configure(
            actor(&w.editor, Role::Author),
            w.doc,
            Some(("2026-12-01", "2026-12-10")),
        )
        .await
        .expect_err("an author may not");
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    // A document that is not a consultation takes no comment.
    let r = w.send_at(w.clock.now(), "e@example.vn").await;
    assert!(
        matches!(r, Err(SubmitError::Failed(Error::NotFound))),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_commenters_data_is_found_erased_and_expires() {
    let w = world().await;
    let today = day_after(&w, 0);
    w.service
        .configure(
            actor(&w.editor, Role::Editor),
            w.doc,
            Some((&today, &today)),
        )
        .await
        .expect("configured");
    let now = w.clock.now();
    w.send_at(now, "Mot@Example.vn").await.expect("one");
    w.send_at(now + SignedDuration::from_secs(10), "hai@example.vn")
        .await
        .expect("two");
    let admin = actor(&w.admin, Role::Admin);
    let found = w
        .privacy
        .find(admin, "mot@example.vn", true)
        .await
        .expect("found");
    assert_eq!(found.comments.len(), 1);
    assert_eq!(found.comments[0].email, "mot@example.vn");
    let json = found.to_json();
    assert_eq!(
        json["consultation_comments"][0]["organisation"],
        "Hội Luật gia"
    );
    let erased = w
        .privacy
        .erase(admin, "mot@example.vn")
        .await
        .expect("erased");
    assert_eq!(erased.comments, 1);
    assert!(
        w.store
            .consultations()
            .by_email("mot@example.vn")
            .await
            .expect("rows")
            .is_empty()
    );

    // Retention: thirty days after the closing day ends, the other commenter is anonymous.
    w.clock.set(w.midnight(30));
    assert_eq!(w.privacy.expire().await.expect("expire"), 0, "not yet");
    w.clock.set(w.midnight(32));
    assert_eq!(w.privacy.expire().await.expect("expire"), 1);
    let rows = w
        .store
        .consultations()
        .comments(w.doc, None)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].email.is_empty() && rows[0].name.is_empty());
    assert!(rows[0].anonymised_at.is_some());
    assert!(!rows[0].body.is_empty(), "the comment itself stays");
}
