use super::{Rendered, link_base, retry_delay};

#[test]
fn links_come_from_the_configured_address_only() {
    let site = link_base("https://skhcn.example.vn/", Some("https://cong.example.vn"));
    assert_eq!(site.as_deref(), Some("https://skhcn.example.vn"));
    let public = link_base("", Some("https://cong.example.vn/"));
    assert_eq!(public.as_deref(), Some("https://cong.example.vn"));
    assert_eq!(link_base("", None), None);
}

#[test]
fn the_first_line_is_the_subject() {
    let r = Rendered::split("Đặt lại mật khẩu\n\nChào bạn,\nliên kết", "<p>x</p>".into());
    assert_eq!(r.subject, "Đặt lại mật khẩu");
    assert_eq!(r.text, "Chào bạn,\nliên kết");
}

#[test]
fn retries_back_off_then_stop() {
    let delays: Vec<_> = (1..=7).map(|a| retry_delay(a, 6, 60)).collect();
    assert_eq!(
        delays,
        [
            Some(60),
            Some(300),
            Some(1800),
            Some(7200),
            Some(21_600),
            None,
            None
        ]
    );
}

mod smtp {
    use crate::mail::Sender;
    use crate::{ManualClock, SystemClock};
    use cong_config::{MailConfig, SmtpSecurity};
    use cong_store::SiteId;
    use cong_store::mail::{MailStatus, NewMail};
    use cong_store::testing::migrated_store;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command};
    use std::sync::Arc;

    /// The test tools' Python (`scripts/install-test-tools.sh` installs aiosmtpd there).
    fn python() -> PathBuf {
        let dir = std::env::var("TEST_TOOLS_DIR").unwrap_or_else(|_| {
            format!(
                "{}/.cache/portal-test-tools",
                std::env::var("HOME").unwrap_or_default()
            )
        });
        PathBuf::from(format!("{dir}/venv/bin/python"))
    }

    /// A real SMTP server (aiosmtpd) writing what it receives to the maildir `dir`.
    struct Smtp(Child);

    impl Smtp {
        async fn start(port: u16, dir: &Path) -> Smtp {
            let smtp = Smtp(
                Command::new(python())
                    .args(["-m", "aiosmtpd", "-n", "-l"])
                    .arg(format!("127.0.0.1:{port}"))
                    .args(["-c", "aiosmtpd.handlers.Mailbox"])
                    .arg(dir)
                    .spawn()
                    .expect("aiosmtpd (scripts/install-test-tools.sh installs it)"),
            );
            for _ in 0..100 {
                if tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
                {
                    return smtp;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("aiosmtpd did not listen");
        }
    }

    impl Drop for Smtp {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port()
    }

    fn received(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir.join("new"))
            .map(|d| {
                d.flatten()
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn config(port: u16) -> MailConfig {
        MailConfig {
            enabled: true,
            smtp_host: "127.0.0.1".to_owned(),
            smtp_port: u32::from(port),
            security: SmtpSecurity::None,
            from_address: "no-reply@example.vn".to_owned(),
            from_name: "Cổng thử".to_owned(),
            ..MailConfig::default()
        }
    }

    /// A mail due while the server is down fails and waits its back-off; once the server is
    /// up and the wait is over it arrives, exactly once.
    #[tokio::test]
    async fn a_mail_waits_out_a_stopped_server_and_arrives_once() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, store) = migrated_store(dir.path()).await;
        let maildir = dir.path().join("maildir");
        let port = free_port();
        let start = jiff::Timestamp::from_second(1_800_000_000).expect("t");
        let clock = Arc::new(ManualClock::new(start));
        let sender = Sender::new(store.clone(), clock.clone(), config(port));

        let mut tx = store.begin().await.expect("begin");
        let mail = NewMail {
            site_id: SiteId::FIRST,
            recipient: "nva@example.vn",
            subject: "Đặt lại mật khẩu",
            body_text: "Xin chào Nguyễn Văn A",
            body_html: "<p>Xin chào Nguyễn Văn A</p>",
            kind: "password_reset",
        };
        let id = store
            .mail()
            .enqueue(&mut tx, &mail, start.as_second())
            .await
            .expect("queue");
        tx.commit().await.expect("commit");

        assert_eq!(sender.send_due().await.expect("round"), 0, "no server yet");
        let m = store.mail().find(id).await.expect("find").expect("row");
        assert_eq!((m.status, m.attempts), (MailStatus::Queued, 1));
        assert!(!m.last_error.is_empty());
        assert_eq!(m.next_attempt_at, start.as_second() + 60, "first back-off");

        let _smtp = Smtp::start(port, &maildir).await;
        assert_eq!(sender.send_due().await.expect("round"), 0, "still waiting");
        clock.advance(jiff::SignedDuration::from_secs(60));
        assert_eq!(sender.send_due().await.expect("round"), 1);
        assert_eq!(sender.send_due().await.expect("round"), 0, "sent once");
        let got = received(&maildir);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("To: nva@example.vn"), "{}", got[0]);
        assert!(got[0].contains("multipart/alternative"), "{}", got[0]);
        let m = store.mail().find(id).await.expect("find").expect("row");
        assert_eq!((m.status, m.attempts), (MailStatus::Sent, 2));
    }

    /// A node sending at once with another never sends a mail twice.
    #[tokio::test]
    async fn two_senders_send_each_mail_once() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, store) = migrated_store(dir.path()).await;
        let maildir = dir.path().join("maildir");
        let port = free_port();
        let _smtp = Smtp::start(port, &maildir).await;
        let mut tx = store.begin().await.expect("begin");
        for i in 0..10 {
            let to = format!("u{i}@example.vn");
            let mail = NewMail {
                site_id: SiteId::FIRST,
                recipient: &to,
                subject: "Thử",
                body_text: "x",
                body_html: "<p>x</p>",
                kind: "test",
            };
            store
                .mail()
                .enqueue(&mut tx, &mail, 0)
                .await
                .expect("queue");
        }
        tx.commit().await.expect("commit");
        let a = Sender::new(store.clone(), Arc::new(SystemClock), config(port));
        let b = Sender::new(store.clone(), Arc::new(SystemClock), config(port));
        let (x, y) = tokio::join!(a.send_due(), b.send_due());
        assert_eq!(x.expect("a") + y.expect("b"), 10);
        assert_eq!(received(&maildir).len(), 10);
    }
}
