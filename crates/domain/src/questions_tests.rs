//! Hỏi đáp with a real store: the whole cycle from a citizen's question to the published
//! answer, who may take which step, the mails, tracking by code, and the folded search.

use super::*;
use crate::ManualClock;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::forms::{Fault, Limits, Puzzles};
use crate::mail::MailTemplates;
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use cong_store::feedback::TopicName;
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
        .insert_topic(&mut tx, SiteId::FIRST, &TopicName::vi("Sở hữu trí tuệ"), 0)
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
    ask_with(w, title, email, None)
        .await
        .unwrap_or_else(|e| panic!("asked: {e:?}"))
}

/// A proper PDF, as a citizen would attach one.
fn scan() -> Attachment {
    Attachment {
        name: "Giấy chứng nhận.pdf".to_owned(),
        bytes: cong_files::make::pdf("Giấy chứng nhận", &["Số 12/GCN"]),
    }
}

async fn ask_with(
    w: &World,
    title: &str,
    email: &str,
    file: Option<Attachment>,
) -> std::result::Result<Receipt, SubmitError> {
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
    w.service.ask(&venue(), &msg, &proof, file).await
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
    let pending = ask_with(&w, "Câu hỏi chưa trả lời", "x@example.vn", Some(scan()))
        .await
        .expect("asked with a file");
    let kept = ask_with(&w, "Câu hỏi của người khác", "y@example.vn", Some(scan()))
        .await
        .expect("asked with a file");
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
    let json = data.to_json().to_string();
    assert!(json.contains("Câu hỏi chưa trả lời"));
    assert!(
        json.contains("Giấy chứng nhận.pdf"),
        "the file is named: {json}"
    );
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
    assert_eq!(k.file, None, "the attached file is the asker's data too");
    for id in [pending.id, kept.id] {
        assert!(
            w.store
                .questions()
                .file(SiteId::FIRST, id)
                .await
                .expect("file")
                .is_none()
        );
    }
}

#[tokio::test]
async fn an_attachment_is_checked_kept_and_shown_only_to_who_may_see_the_question() {
    let w = world().await;
    // Refused by the file rules: the form comes back with the field's message.
    for bad in [
        b"MZ\x90\x00 this is a program".to_vec(),
        b"<html><script>alert(1)</script></html>".to_vec(),
    ] {
        let r = ask_with(
            &w,
            "Tệp lạ",
            "e@example.vn",
            Some(Attachment {
                name: "giay-to.pdf".to_owned(),
                bytes: bad,
            }),
        )
        .await;
        match r {
            Err(SubmitError::Fields(f)) => {
                assert_eq!(f[0].0, ATTACHMENT_FIELD);
                assert!(matches!(f[0].1, Fault::File(_)), "{:?}", f[0].1);
            }
            other => panic!("not refused: {other:?}"),
        }
    }
    // Too large for the form's limit, though the library would take it.
    let small = w.service.clone().with_attachments(cong_files::Limits {
        max_pdf: 100,
        max_office: 100,
        ..cong_files::Limits::default()
    });
    let answer = Puzzles::solve(&w.guard.challenge().expect("challenge")).expect("solved");
    w.clock.advance(SignedDuration::from_secs(2));
    let msg = Message {
        topic_id: Some(w.topic),
        name: "An".to_owned(),
        email: "an@example.vn".to_owned(),
        subject: "Tệp lớn".to_owned(),
        body: "Nội dung".to_owned(),
        ..Message::default()
    };
    let proof = Proof {
        answer: &answer,
        hidden: "",
        consent: true,
        ip: "10.1.1.2",
    };
    assert!(matches!(
        small.ask(&venue(), &msg, &proof, Some(scan())).await,
        Err(SubmitError::Fields(_))
    ));

    let r = ask_with(&w, "Giấy chứng nhận", "f@example.vn", Some(scan()))
        .await
        .expect("asked");
    let ed = actor(&w.editor, Role::Editor);
    let (file, bytes) = w.service.attachment(ed, r.id).await.expect("the editor's");
    assert_eq!(
        (file.name.as_str(), file.kind.as_str()),
        ("Giấy chứng nhận.pdf", "pdf")
    );
    assert_eq!(bytes, scan().bytes);
    assert_eq!(file.size, i64::try_from(bytes.len()).expect("size"));
    // An author it is not given to may not see it; once given to them, they may.
    let me = actor(&w.author, Role::Author);
    assert!(matches!(
        w.service.attachment(me, r.id).await,
        Err(Error::Forbidden(_))
    ));
    w.service
        .decide(
            ed,
            &venue(),
            r.id,
            Decision::Accept {
                title: "Giấy chứng nhận".into(),
                body: "Hỏi về giấy chứng nhận".into(),
            },
        )
        .await
        .expect("accepted");
    w.service
        .decide(
            ed,
            &venue(),
            r.id,
            Decision::Assign {
                user_id: w.author.id,
            },
        )
        .await
        .expect("assigned");
    assert!(w.service.attachment(me, r.id).await.is_ok());
    // A question without a file has none to download.
    let plain = ask(&w, "Không kèm tệp", "g@example.vn").await;
    assert!(matches!(
        w.service.attachment(ed, plain.id).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn the_queue_filters_by_field_assignee_and_day_and_publishing_is_a_change() {
    let w = world().await;
    let mut tx = w.store.begin().await.expect("tx");
    let other_topic = w
        .store
        .questions()
        .insert_topic(
            &mut tx,
            SiteId::FIRST,
            &TopicName::vi("Tiêu chuẩn đo lường"),
            1,
        )
        .await
        .expect("topic");
    tx.commit().await.expect("commit");
    let first = ask(&w, "Câu hỏi thứ nhất", "a@example.vn").await;
    w.clock.advance(SignedDuration::from_hours(48));
    let second = ask(&w, "Câu hỏi thứ hai", "b@example.vn").await;
    let ed = actor(&w.editor, Role::Editor);
    let v = venue();
    let step = |id, d| w.service.decide(ed, &v, id, d);
    step(
        second.id,
        Decision::Accept {
            title: "Thứ hai".into(),
            body: "Nội dung".into(),
        },
    )
    .await
    .expect("accepted");
    step(
        second.id,
        Decision::Assign {
            user_id: w.author.id,
        },
    )
    .await
    .expect("assigned");
    let ids = |f: QuestionFilter| {
        let s = &w.service;
        async move {
            let mut ids: Vec<i64> = s
                .list(ed, &f, 1, 50)
                .await
                .expect("list")
                .rows
                .iter()
                .map(|q| q.id)
                .collect();
            ids.sort_unstable();
            ids
        }
    };
    assert_eq!(ids(QuestionFilter::default()).await, [first.id, second.id]);
    let given = QuestionFilter {
        assignee_id: Some(w.author.id),
        ..QuestionFilter::default()
    };
    assert_eq!(ids(given).await, [second.id]);
    let field = QuestionFilter {
        topic_id: Some(other_topic),
        ..QuestionFilter::default()
    };
    assert!(ids(field).await.is_empty());
    let now = w.clock.now().as_second();
    let recent = QuestionFilter {
        from: Some(now - 3600),
        ..QuestionFilter::default()
    };
    assert_eq!(ids(recent).await, [second.id]);
    let older = QuestionFilter {
        until: Some(now - 3600),
        ..QuestionFilter::default()
    };
    assert_eq!(ids(older).await, [first.id]);
    // Someone who does not handle questions sees only what is given to them, whatever
    // they ask for.
    let me = actor(&w.author, Role::Author);
    let mine = w
        .service
        .list(me, &QuestionFilter::default(), 1, 50)
        .await
        .expect("list");
    assert_eq!(
        mine.rows.iter().map(|q| q.id).collect::<Vec<_>>(),
        [second.id]
    );

    // Only what the public sees is a change (the pages and the index follow it).
    let changes = || async {
        w.store
            .changes()
            .list_after(0, 100)
            .await
            .expect("changes")
            .into_iter()
            .filter(|c| c.kind == Some(cong_store::changes::ChangeKind::Question))
            .map(|c| c.entity_id)
            .collect::<Vec<_>>()
    };
    assert!(changes().await.is_empty(), "nothing public yet");
    step(
        second.id,
        Decision::Answer {
            text: "Trả lời.".into(),
        },
    )
    .await
    .expect("answered");
    step(second.id, Decision::Approve).await.expect("published");
    step(
        second.id,
        Decision::Edit {
            title: "Thứ hai (sửa)".into(),
            body: "Nội dung".into(),
        },
    )
    .await
    .expect("edited");
    assert_eq!(changes().await, [second.id, second.id]);
}

#[tokio::test]
async fn an_administrator_arranges_the_fields_in_both_languages() {
    let w = world().await;
    let admin = actor(&w.editor, Role::Admin);
    let names = |vi, en| TopicName { vi, en };
    assert!(matches!(
        w.service
            .save_topic(
                actor(&w.author, Role::Author),
                None,
                names("Năng lượng", ""),
                1
            )
            .await,
        Err(Error::Forbidden(_))
    ));
    let id = w
        .service
        .save_topic(
            admin,
            None,
            names("  Năng lượng nguyên tử ", "Atomic energy"),
            1,
        )
        .await
        .expect("added");
    match w
        .service
        .save_topic(admin, None, names("Năng lượng nguyên tử", ""), 2)
        .await
    {
        Err(Error::Fields(f)) => assert_eq!(f[0].0, "name"),
        other => panic!("a second field of the same name: {other:?}"),
    }
    w.service
        .save_topic(
            admin,
            Some(id),
            names("Năng lượng nguyên tử", "Nuclear energy"),
            -1,
        )
        .await
        .expect("renamed");
    let topics = w.service.topics(SiteId::FIRST).await.expect("topics");
    let shown: Vec<(&str, &str)> = topics
        .iter()
        .map(|t| (t.name.as_str(), t.name_en.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Năng lượng nguyên tử", "Nuclear energy"),
            ("Sở hữu trí tuệ", "")
        ],
        "in order, trimmed"
    );
    // Every node's Hỏi đáp pages follow: a change of the site's settings per write.
    let settings = w
        .store
        .changes()
        .list_after(0, 100)
        .await
        .expect("changes")
        .into_iter()
        .filter(|c| c.kind == Some(cong_store::changes::ChangeKind::Settings))
        .count();
    assert_eq!(settings, 2);
    w.service.delete_topic(admin, id).await.expect("removed");
    assert!(matches!(
        w.service.delete_topic(admin, id).await,
        Err(Error::NotFound)
    ));
    assert_eq!(
        w.service.topics(SiteId::FIRST).await.expect("topics").len(),
        1
    );
    let (audit, _) = w
        .store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 50, 0)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit
        .iter()
        .filter(|e| e.action.starts_with("question.topic"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions.len(),
        3,
        "two saves and a removal, each audited: {actions:?}"
    );
}
