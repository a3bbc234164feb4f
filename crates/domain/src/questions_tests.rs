//! Hỏi đáp with a real store: the whole cycle from a citizen's question to the published
//! answer, who may take which step, the mails, tracking by code, and the folded search.

use super::*;
use crate::ManualClock;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::forms::{Limits, Puzzles};
use crate::mail::MailTemplates;
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use jiff::{SignedDuration, Timestamp};

struct Plain;

impl MailTemplates for Plain {
    fn render_mail(
        &self,
        name: &str,
        c: &serde_json::Value,
    ) -> std::result::Result<(String, String), String> {
        Ok((
            format!("{name} {}\n\n{}", c["code"], c["link"]),
            String::new(),
        ))
    }
}

struct World {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    guard: FormGuard,
    service: QuestionService,
    editor: User,
    author: User,
    other: User,
    topic: i64,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(Timestamp::now()));
    let guard = FormGuard::new(
        store.clone(),
        clock.clone(),
        Puzzles::new([[3; 32], [4; 32]], 10, 40, 600),
        Limits {
            min_fill_secs: 1,
            per_address_per_hour: 50,
        },
    );
    let mailer = Mailer::new(store.clone(), clock.clone(), Arc::new(Plain), true);
    let service = QuestionService::new(store.clone(), clock.clone(), guard.clone(), mailer);
    let auth = Auth::new(
        store.clone(),
        AuthConfig::default(),
        Arc::new(Secrets::ephemeral()),
        clock.clone(),
    );
    let user = |name: &'static str, role: Role| {
        let auth = auth.clone();
        async move {
            let u = auth
                .create_user(
                    By::CommandLine,
                    name,
                    name,
                    Grant::On(SiteId::FIRST, role),
                    "Đồng hồ cát 2026",
                )
                .await
                .expect("user");
            auth.set_email(By::CommandLine, &u, &format!("{name}@example.vn"))
                .await
                .expect("email");
            u
        }
    };
    let editor = user("bientap", Role::Editor).await;
    let author = user("chuyenvien", Role::Author).await;
    let other = user("phongvien", Role::Author).await;
    let mut tx = store.begin().await.expect("tx");
    let topic = store
        .questions()
        .insert_topic(&mut tx, SiteId::FIRST, "Sở hữu trí tuệ", 0)
        .await
        .expect("topic");
    tx.commit().await.expect("commit");
    World {
        _dir: dir,
        _db: db,
        store,
        clock,
        guard,
        service,
        editor,
        author,
        other,
        topic,
    }
}

fn venue() -> Venue<'static> {
    Venue {
        site: SiteId::FIRST,
        site_name: "Sở Khoa học",
        base_url: Some("https://skhcn.example.vn"),
        policy_version: "1 (01/12/2026)",
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

async fn ask(w: &World, title: &str, email: &str) -> Receipt {
    let answer = Puzzles::solve(&w.guard.challenge().expect("challenge")).expect("solved");
    w.clock.advance(SignedDuration::from_secs(2));
    let msg = Message {
        topic_id: Some(w.topic),
        name: "Phạm Thị Dung".to_owned(),
        email: email.to_owned(),
        phone: "0912 000 111".to_owned(),
        address: String::new(),
        subject: title.to_owned(),
        body: "Thủ tục đăng ký nhãn hiệu cần những giấy tờ gì?".to_owned(),
    };
    let proof = Proof {
        answer: &answer,
        hidden: "",
        consent: true,
        ip: "10.1.1.1",
    };
    w.service.ask(&venue(), &msg, &proof).await.expect("asked")
}

async fn recipients(w: &World) -> Vec<(String, String)> {
    let mut mails = w
        .store
        .mail()
        .list(SiteId::FIRST, 50, 0)
        .await
        .expect("mails");
    mails.reverse();
    mails.into_iter().map(|m| (m.recipient, m.kind)).collect()
}

#[tokio::test]
async fn a_question_goes_from_the_form_to_a_published_answer() {
    let w = world().await;
    let r = ask(&w, "Đăng ký nhãn hiệu", "dung@example.vn").await;
    assert!(r.code.starts_with("HD-"));
    let ed = actor(&w.editor, Role::Editor);
    let me = actor(&w.author, Role::Author);
    let (service, v, id) = (&w.service, venue(), r.id);
    let decide = |a, d| service.decide(a, &v, id, d);
    // An author not assigned may do nothing with it.
    assert!(matches!(
        decide(me, Decision::Answer { text: "x".into() }).await,
        Err(Error::Forbidden(_))
    ));
    decide(
        ed,
        Decision::Accept {
            title: "Hồ sơ đăng ký nhãn hiệu".into(),
            body: "Cần những giấy tờ gì?".into(),
        },
    )
    .await
    .expect("accepted");
    decide(
        ed,
        Decision::Assign {
            user_id: w.author.id,
        },
    )
    .await
    .expect("assigned");
    // The assignee answers; another author may not.
    let other = actor(&w.other, Role::Author);
    assert!(
        decide(other, Decision::Answer { text: "x".into() })
            .await
            .is_err()
    );
    decide(
        me,
        Decision::Answer {
            text: "Hồ sơ gồm tờ khai và mẫu nhãn hiệu.".into(),
        },
    )
    .await
    .expect("answered");
    assert!(
        matches!(
            decide(me, Decision::Approve).await,
            Err(Error::Forbidden(_))
        ),
        "not the assignee's to approve"
    );
    assert!(
        w.service.public(SiteId::FIRST, r.id).await.is_err(),
        "not public before approval"
    );
    decide(ed, Decision::Approve).await.expect("published");
    // A second click (another editor at the same moment) is a conflict, not a second publish.
    assert!(matches!(
        decide(ed, Decision::Approve).await,
        Err(Error::Conflict(_))
    ));

    let q = w.service.public(SiteId::FIRST, r.id).await.expect("public");
    assert_eq!(q.public_title, "Hồ sơ đăng ký nhãn hiệu");
    assert_eq!(q.answer, "Hồ sơ gồm tờ khai và mẫu nhãn hiệu.");
    assert_eq!(q.answered_by.as_deref(), Some("chuyenvien"));
    // The search folds: "ho so nhan hieu" and "HỒ SƠ" find it, "bằng sáng chế" does not.
    for (query, n) in [
        ("ho so nhan hieu", 1),
        ("HỒ SƠ", 1),
        ("to khai", 1),
        ("bằng sáng chế", 0),
    ] {
        let found = w
            .service
            .published(SiteId::FIRST, None, query, 1, 10)
            .await
            .expect("list");
        assert_eq!(found.total, n, "{query}");
    }
    // Tracking by code, any case.
    let t = w
        .service
        .track(SiteId::FIRST, &r.code.to_lowercase())
        .await
        .expect("track");
    assert_eq!(t.map(|t| t.status), Some(QuestionStatus::Published));
    // Mails: the receipt, the assignment, the answer.
    assert_eq!(
        recipients(&w).await,
        [
            ("dung@example.vn".into(), "question_received".into()),
            ("chuyenvien@example.vn".into(), "question_assigned".into()),
            ("dung@example.vn".into(), "question_answered".into()),
        ]
    );
    let audit: Vec<String> = w
        .store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 20, 0)
        .await
        .expect("audit")
        .0
        .into_iter()
        .filter(|e| e.object_kind == "question")
        .map(|e| e.action)
        .collect();
    assert_eq!(
        audit,
        [
            "question.publish",
            "question.answer",
            "question.assign",
            "question.accept"
        ]
    );
}

#[tokio::test]
async fn questions_are_rejected_with_a_reason_or_merged_into_another() {
    let w = world().await;
    let first = ask(&w, "Phí đăng ký sáng chế", "a@example.vn").await;
    let second = ask(&w, "Lệ phí sáng chế bao nhiêu", "b@example.vn").await;
    let spam = ask(&w, "Quảng cáo", "c@example.vn").await;
    let ed = actor(&w.editor, Role::Editor);
    let r = w
        .service
        .decide(
            ed,
            &venue(),
            spam.id,
            Decision::Reject { reason: " ".into() },
        )
        .await;
    assert!(matches!(r, Err(Error::Fields(_))), "a reason is required");
    w.service
        .decide(
            ed,
            &venue(),
            spam.id,
            Decision::Reject {
                reason: "Không thuộc lĩnh vực của Sở.".into(),
            },
        )
        .await
        .expect("rejected");
    let r = w
        .service
        .decide(
            ed,
            &venue(),
            second.id,
            Decision::Merge {
                into: second.code.clone(),
            },
        )
        .await;
    assert!(matches!(r, Err(Error::Fields(_))), "not into itself");
    w.service
        .decide(
            ed,
            &venue(),
            second.id,
            Decision::Merge {
                into: first.code.clone(),
            },
        )
        .await
        .expect("merged");
    let q = w
        .store
        .questions()
        .find(SiteId::FIRST, second.id)
        .await
        .expect("r")
        .expect("row");
    assert_eq!(
        (q.status, q.merged_into),
        (QuestionStatus::Merged, Some(first.id))
    );
    let kinds: Vec<(String, String)> = recipients(&w).await.into_iter().skip(3).collect();
    assert_eq!(
        kinds,
        [
            ("c@example.vn".into(), "question_rejected".into()),
            ("b@example.vn".into(), "question_merged".into()),
        ]
    );
    // Neither is public; a rejected one cannot be assigned.
    assert!(w.service.public(SiteId::FIRST, spam.id).await.is_err());
    let r = w
        .service
        .decide(
            ed,
            &venue(),
            spam.id,
            Decision::Assign {
                user_id: w.author.id,
            },
        )
        .await;
    assert!(matches!(r, Err(Error::Conflict(_))));
}

#[tokio::test]
async fn an_askers_data_is_erased_and_expires_but_a_published_answer_stays() {
    let w = world().await;
    let published = ask(&w, "Đăng ký nhãn hiệu", "x@example.vn").await;
    let pending = ask(&w, "Câu hỏi chưa trả lời", "x@example.vn").await;
    let kept = ask(&w, "Câu hỏi của người khác", "y@example.vn").await;
    let ed = actor(&w.editor, Role::Editor);
    for d in [
        Decision::Accept {
            title: "Nhãn hiệu".into(),
            body: "Hồ sơ?".into(),
        },
        Decision::Assign {
            user_id: w.author.id,
        },
        Decision::Answer {
            text: "Tờ khai và mẫu nhãn.".into(),
        },
        Decision::Approve,
    ] {
        w.service
            .decide(ed, &venue(), published.id, d)
            .await
            .expect("step");
    }
    let privacy = crate::privacy::Privacy::new(w.store.clone(), w.clock.clone(), 365);
    let admin = User { ..w.editor.clone() };
    let data = privacy
        .find(actor(&admin, Role::Admin), "X@example.vn", true)
        .await
        .expect("find");
    assert_eq!(data.questions.len(), 2);
    assert!(data.to_json().to_string().contains("Câu hỏi chưa trả lời"));
    let erased = privacy
        .erase(actor(&admin, Role::Admin), "x@example.vn")
        .await
        .expect("erase");
    assert_eq!(erased.questions, 2);
    assert!(
        w.store
            .questions()
            .find(SiteId::FIRST, pending.id)
            .await
            .expect("r")
            .is_none(),
        "deleted"
    );
    let p = w
        .service
        .public(SiteId::FIRST, published.id)
        .await
        .expect("still public");
    assert_eq!(
        (p.name.as_str(), p.email.as_str(), p.body.as_str()),
        ("", "", "")
    );
    assert_eq!(
        p.answer, "Tờ khai và mẫu nhãn.",
        "the agency's answer stays"
    );
    // Retention: a rejected question's asker is forgotten a year after it closed.
    w.service
        .decide(
            ed,
            &venue(),
            kept.id,
            Decision::Reject {
                reason: "Trùng lặp.".into(),
            },
        )
        .await
        .expect("rejected");
    w.clock.advance(SignedDuration::from_hours(366 * 24));
    assert_eq!(privacy.expire().await.expect("expire"), 1);
    let k = w
        .store
        .questions()
        .find(SiteId::FIRST, kept.id)
        .await
        .expect("r")
        .expect("row");
    assert_eq!(k.email, "");
    assert!(k.anonymised_at.is_some());
}
