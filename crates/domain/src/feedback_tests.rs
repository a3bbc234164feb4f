//! Góp ý with a real store and a hand-moved clock: the guard's every refusal, routing by
//! topic, retention, and a person's data found, exported and erased.

use super::*;
use crate::ManualClock;
use crate::auth::{Auth, By, Grant, Role, User};
use crate::forms::{Limits, Puzzles, Refusal};
use crate::mail::MailTemplates;
use crate::privacy::Privacy;
use crate::secrets::Secrets;
use cong_config::AuthConfig;
use jiff::{SignedDuration, Timestamp};

/// Subject and body straight from the context (the theme's own are tested in the render crate).
struct Plain;

impl MailTemplates for Plain {
    fn render_mail(
        &self,
        name: &str,
        c: &serde_json::Value,
    ) -> std::result::Result<(String, String), String> {
        Ok((
            format!("{name} {}\n\n{}", c["code"], c["body"]),
            String::new(),
        ))
    }
}

struct World {
    _dir: tempfile::TempDir,
    _db: cong_store::testing::TestDb,
    store: Store,
    clock: Arc<ManualClock>,
    service: FeedbackService,
    privacy: Privacy,
    admin: User,
    topic: i64,
}

async fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let (db, store) = cong_store::testing::migrated_store(dir.path()).await;
    // Near the real time: the ALTCHA crate checks a challenge's expiry on the system clock.
    let clock = Arc::new(ManualClock::new(Timestamp::now()));
    let guard = FormGuard::new(
        store.clone(),
        clock.clone(),
        Puzzles::new([[7; 32], [8; 32]], 10, 40, 600),
        Limits {
            min_fill_secs: 5,
            per_address_per_hour: 2,
        },
    );
    let mailer = Mailer::new(store.clone(), clock.clone(), Arc::new(Plain), true);
    let service = FeedbackService::new(store.clone(), clock.clone(), guard, mailer);
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
    let topic = store
        .feedback()
        .insert_topic(
            &mut tx,
            SiteId::FIRST,
            &TopicName::vi("Phản ánh"),
            "thanhtra@example.vn",
            0,
        )
        .await
        .expect("topic");
    tx.commit().await.expect("commit");
    let privacy = Privacy::new(store.clone(), clock.clone(), 365);
    World {
        _dir: dir,
        _db: db,
        store,
        clock,
        service,
        privacy,
        admin,
        topic,
    }
}

fn venue() -> Venue<'static> {
    Venue {
        site: SiteId::FIRST,
        site_name: "Sở Khoa học",
        base_url: Some("https://skhcn.example.vn"),
        policy_version: "3 (01/12/2026)",
    }
}

fn message(w: &World, email: &str) -> Message {
    Message {
        topic_id: Some(w.topic),
        name: "Nguyễn Văn A".to_owned(),
        email: email.to_owned(),
        phone: "0912 345 678".to_owned(),
        address: String::new(),
        subject: "Đèn đường hỏng".to_owned(),
        body: "Đèn đường trước số 5 hỏng đã một tuần.".to_owned(),
    }
}

/// A solved challenge issued now.
fn answer(w: &World) -> String {
    Puzzles::solve(&w.service.guard().challenge().expect("challenge")).expect("solved")
}

fn proof<'a>(answer: &'a str, ip: &'a str) -> Proof<'a> {
    Proof {
        answer,
        hidden: "",
        consent: true,
        ip,
    }
}

fn refused(r: std::result::Result<Receipt, SubmitError>) -> Refusal {
    match r {
        Err(SubmitError::Refused(why)) => why,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn the_guard_refuses_each_kind_of_spam_and_takes_a_person_once() {
    let w = world().await;
    let msg = message(&w, "Dan@Example.vn");
    let a = answer(&w);
    // Sent two seconds after the form opened: five are needed.
    w.clock.advance(SignedDuration::from_secs(2));
    let ip = "2001:db8:1:2::10";
    assert_eq!(
        refused(w.service.submit(&venue(), &msg, &proof(&a, ip)).await),
        Refusal::TooFast(3)
    );
    w.clock.advance(SignedDuration::from_secs(4));
    let no_consent = Proof {
        consent: false,
        ..proof(&a, ip)
    };
    assert_eq!(
        refused(w.service.submit(&venue(), &msg, &no_consent).await),
        Refusal::NoConsent
    );
    let filled = Proof {
        hidden: "http://spam.example",
        ..proof(&a, ip)
    };
    assert_eq!(
        refused(w.service.submit(&venue(), &msg, &filled).await),
        Refusal::HiddenField
    );
    assert_eq!(
        refused(w.service.submit(&venue(), &msg, &proof("", ip)).await),
        Refusal::NoProof
    );
    assert_eq!(
        refused(
            w.service
                .submit(&venue(), &msg, &proof("eyJ4IjoxfQ==", ip))
                .await
        ),
        Refusal::WrongProof
    );
    // Refusals stored nothing.
    assert_eq!(
        w.store
            .feedback()
            .by_email("dan@example.vn")
            .await
            .expect("rows")
            .len(),
        0
    );

    let receipt = w
        .service
        .submit(&venue(), &msg, &proof(&a, ip))
        .await
        .expect("taken");
    assert!(receipt.code.starts_with("GY-"), "{}", receipt.code);
    let row = w
        .store
        .feedback()
        .find(SiteId::FIRST, receipt.id)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.email, "dan@example.vn", "kept lower-case");
    assert_eq!(row.consent_version, "3 (01/12/2026)");
    assert_eq!(row.consent_at, w.clock.now().as_second());
    // Mailed to the sender and to the topic's mailbox.
    let mails = w
        .store
        .mail()
        .list(SiteId::FIRST, 10, 0)
        .await
        .expect("mails");
    let to: Vec<&str> = mails.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(to, ["thanhtra@example.vn", "dan@example.vn"]);
    // The same proof again (a double click, a replay): refused, on any node (the store).
    assert_eq!(
        refused(w.service.submit(&venue(), &msg, &proof(&a, ip)).await),
        Refusal::SpentProof
    );

    // Two an hour from one /64: the third, from another address in it, is refused …
    let b = answer(&w);
    w.clock.advance(SignedDuration::from_secs(6));
    w.service
        .submit(&venue(), &msg, &proof(&b, "2001:db8:1:2::11"))
        .await
        .expect("second");
    let c = answer(&w);
    w.clock.advance(SignedDuration::from_secs(6));
    match refused(
        w.service
            .submit(&venue(), &msg, &proof(&c, "2001:db8:1:2:ffff::1"))
            .await,
    ) {
        Refusal::TooMany(wait) => assert!((3000..=3600).contains(&wait), "{wait}"),
        other => panic!("{other:?}"),
    }
    // … from another /64 it is taken, with the very same (unspent) proof.
    w.service
        .submit(&venue(), &msg, &proof(&c, "2001:db8:1:3::1"))
        .await
        .expect("other net");
    // An hour later the first /64 may send again.
    w.clock.advance(SignedDuration::from_mins(61));
    let d = answer(&w);
    w.clock.advance(SignedDuration::from_secs(6));
    w.service
        .submit(&venue(), &msg, &proof(&d, ip))
        .await
        .expect("an hour later");
}

#[tokio::test]
async fn fields_are_checked_before_anything_is_spent() {
    let w = world().await;
    let a = answer(&w);
    w.clock.advance(SignedDuration::from_secs(6));
    let bad = Message {
        topic_id: Some(9999),
        name: " ".to_owned(),
        email: "khong-phai-thu".to_owned(),
        phone: "abc".to_owned(),
        subject: "Dòng một\r\nBcc: x@example.vn".to_owned(),
        ..message(&w, "")
    };
    match w
        .service
        .submit(&venue(), &bad, &proof(&a, "10.0.0.1"))
        .await
    {
        Err(SubmitError::Fields(f)) => {
            let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, ["name", "email", "phone", "topic"]);
        }
        other => panic!("{other:?}"),
    }
    // The proof was not spent: the corrected form goes through with it.
    let fixed = Message {
        subject: "Dòng một\r\nBcc: x@example.vn".to_owned(),
        ..message(&w, "a@example.vn")
    };
    let r = w
        .service
        .submit(&venue(), &fixed, &proof(&a, "10.0.0.1"))
        .await
        .expect("taken");
    let row = w
        .store
        .feedback()
        .find(SiteId::FIRST, r.id)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(
        row.subject, "Dòng một  Bcc: x@example.vn",
        "one line, always"
    );
}

fn actor(w: &World) -> crate::audit::Actor<'_> {
    crate::audit::Actor {
        user: &w.admin,
        ip: "10.0.0.9",
        site: SiteId::FIRST,
        role: Role::Admin,
    }
}

async fn send(w: &World, email: &str, ip: &str) -> Receipt {
    let a = answer(w);
    w.clock.advance(SignedDuration::from_secs(6));
    w.service
        .submit(&venue(), &message(w, email), &proof(&a, ip))
        .await
        .expect("taken")
}

#[tokio::test]
async fn closed_messages_lose_their_senders_data_after_the_retention_period() {
    let w = world().await;
    let handled = send(&w, "a@example.vn", "10.0.0.1").await;
    let open = send(&w, "b@example.vn", "10.0.0.2").await;
    w.service
        .set_status(
            actor(&w),
            handled.id,
            FeedbackStatus::Handled,
            "Đã chuyển phòng",
        )
        .await
        .expect("handled");
    w.clock.advance(SignedDuration::from_hours(364 * 24));
    assert_eq!(w.privacy.expire().await.expect("expire"), 0, "not yet");
    w.clock.advance(SignedDuration::from_hours(2 * 24));
    assert_eq!(w.privacy.expire().await.expect("expire"), 1);
    assert_eq!(
        w.privacy.expire().await.expect("again"),
        0,
        "once; any node may run it"
    );
    let gone = w
        .store
        .feedback()
        .find(SiteId::FIRST, handled.id)
        .await
        .expect("r")
        .expect("row");
    assert_eq!(
        (gone.name.as_str(), gone.email.as_str(), gone.phone.as_str()),
        ("", "", "")
    );
    assert!(gone.anonymised_at.is_some());
    assert_eq!(
        gone.body, "Đèn đường trước số 5 hỏng đã một tuần.",
        "the matter stays"
    );
    let kept = w
        .store
        .feedback()
        .find(SiteId::FIRST, open.id)
        .await
        .expect("r")
        .expect("row");
    assert_eq!(
        kept.email, "b@example.vn",
        "an open matter keeps its sender"
    );
}

#[tokio::test]
async fn a_persons_data_is_found_exported_and_erased_with_an_audit_trail() {
    let w = world().await;
    let first = send(&w, "c@example.vn", "10.0.0.1").await;
    let second = send(&w, "C@Example.VN", "10.0.0.2").await;
    send(&w, "someone-else@example.vn", "10.0.0.3").await;
    let data = w
        .privacy
        .find(actor(&w), " C@example.vn ", true)
        .await
        .expect("found");
    assert_eq!(data.feedback.len(), 2);
    assert_eq!(data.mails.len(), 2, "the two receipts");
    let json = data.to_json().to_string();
    for needle in [
        &first.code,
        &second.code,
        "0912 345 678",
        "Đèn đường hỏng",
        "Nguyễn Văn A",
    ] {
        assert!(json.contains(needle), "{needle} in {json}");
    }
    let erased = w
        .privacy
        .erase(actor(&w), "c@example.vn")
        .await
        .expect("erased");
    assert_eq!((erased.feedback, erased.mails), (2, 2));
    assert!(
        w.privacy
            .find(actor(&w), "c@example.vn", false)
            .await
            .expect("find")
            .is_empty()
    );
    assert_eq!(
        w.store
            .feedback()
            .by_email("someone-else@example.vn")
            .await
            .expect("r")
            .len(),
        1
    );
    let (log, _) = w
        .store
        .audit()
        .list(&cong_store::audit::AuditFilter::default(), 20, 0)
        .await
        .expect("audit");
    let lines: Vec<String> = log
        .iter()
        .filter(|r| r.object_kind == "personal_data")
        .map(|r| format!("{} {}", r.action, r.detail))
        .collect();
    assert_eq!(
        lines,
        [
            "privacy.find c***@example.vn: 0 góp ý, 0 câu hỏi, 0 ý kiến dự thảo, 0 thư",
            "privacy.erase c***@example.vn: đã xoá 2 góp ý, 0 câu hỏi, 0 ý kiến dự thảo, 2 thư",
            "privacy.export c***@example.vn: 2 góp ý, 0 câu hỏi, 0 ý kiến dự thảo, 2 thư",
        ]
    );
    assert!(
        !log.iter().any(|r| r.detail.contains("c@example.vn")),
        "the address is not kept"
    );
    // An editor may not.
    let editor = crate::audit::Actor {
        role: Role::Editor,
        ..actor(&w)
    };
    assert!(matches!(
        w.privacy.erase(editor, "someone-else@example.vn").await,
        Err(Error::Forbidden(_))
    ));
}
