//! Certificates over ACME from a real CA on this machine (pebble): the first one obtained
//! once a site has a name, a forced renewal served without dropping an open connection, and
//! a CA outage that leaves the site serving its current certificate with the failure shown.

use crate::pebble::{Pebble, free_port};
use crate::support::*;
use std::time::Duration;

const METRICS_TOKEN: &str = "metrics-token-for-the-acme-test";

/// A client that reaches the site's names on this machine and trusts only `root`.
pub fn site_client(https: u16, root: &str) -> reqwest::Client {
    let at = std::net::SocketAddr::from(([127, 0, 0, 1], https));
    https_client(
        reqwest::Client::builder()
            .user_agent(GOOGLEBOT)
            .resolve("skhcn.test", at)
            .resolve("www.skhcn.test", at),
        &[root],
    )
}

/// Runs `cong COMMAND --database URL ARGS` beside a node (same folder, so the same secrets
/// key) with `env`.
pub async fn cong(app: &TestApp, env: &[(String, String)], args: &[&str]) -> (i32, String) {
    let (command, rest) = args.split_first().expect("a command");
    let out = tokio::process::Command::new(BIN)
        .arg(command)
        .arg("--database")
        .arg(app.db_url())
        .args(rest)
        .current_dir(app.dir.path())
        .env_remove("CONG_CONFIG")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .await
        .expect("run cong");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Waits until `url` answers over HTTPS with a certificate that verifies (60 s at most).
pub async fn until_served(client_for: impl Fn() -> reqwest::Client, url: &str) -> Option<Vec<u8>> {
    for _ in 0..600 {
        if let Ok(res) = client_for().get(url).send().await {
            return Some(peer_der(&res));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test]
async fn acme_obtains_renews_and_outlives_a_ca_outage() {
    let (plain, https) = (free_port(), free_port());
    let mut pebble = Pebble::start(plain, https).await;
    // The node checks TLS-ALPN-01 itself; `cong tls renew` below uses HTTP-01.
    let env = pebble.env(https, "tls-alpn-01");
    let mut b = TestApp::builder()
        .listen(&format!("127.0.0.1:{plain}"))
        .env("CONG_METRICS__TOKEN", METRICS_TOKEN)
        .no_wait();
    for (k, v) in &env {
        b = b.env(k, v);
    }
    let mut app = b.start().await;
    assert_eq!((app.port, app.plain_port), (https, plain));
    app.wait_for_log(" ready").await;

    // The demo site answers on any name: nothing to certify until it has one.
    let (code, out) = cong(
        &app,
        &env,
        &[
            "site",
            "set",
            "1",
            "--address",
            "http://skhcn.test",
            "--alias",
            "www.skhcn.test",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}");
    let root = pebble.root().await;
    let url = format!("https://skhcn.test:{https}/");
    let first = until_served(|| site_client(https, &root), &url)
        .await
        .unwrap_or_else(|| {
            panic!(
                "{url} never served a certificate that verifies\nnode:\n{}\npebble:\n{}",
                app.stderr(),
                pebble.log()
            )
        });
    let res = site_client(https, &root)
        .get(&url)
        .send()
        .await
        .expect("home");
    assert_eq!(res.status(), 200);
    let body = res.text().await.expect("body");
    assert!(
        body.contains(&format!("https://skhcn.test:{https}/")),
        "links use the https address"
    );
    // The alias is on the same certificate, and redirects to the address over https.
    let res = site_client(https, &root)
        .get(format!("https://www.skhcn.test:{https}/tin-tuc"))
        .send()
        .await
        .expect("alias");
    assert_eq!(res.status(), 301);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("https://skhcn.test:{https}/tin-tuc").as_str())
    );
    let metrics = site_client(https, &root)
        .get(format!("{url}metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    let expiry = metrics
        .lines()
        .find(|l| l.starts_with("cong_tls_certificate_expiry_timestamp_seconds{site=\"1\"}"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no expiry metric:\n{metrics}"));
    assert!(expiry > jiff::Timestamp::now().as_second() as f64 + 86_400.0);
    assert!(metrics.contains("cong_tls_renewal_failures{site=\"1\"} 0"));
    let (code, out) = cong(&app, &env, &["tls", "status"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("skhcn.test, www.skhcn.test") && out.contains("Pebble"),
        "{out}"
    );

    // A forced renewal (HTTP-01, answered by the node from the store): new connections get
    // the new certificate; one kept open goes on with the old.
    let kept = site_client(https, &root);
    let res = kept.get(&url).send().await.expect("kept");
    assert_eq!(peer_der(&res), first);
    let mut renew_env = pebble.env(https, "http-01");
    renew_env.push(("RUST_LOG".to_owned(), "warn,cong=info".to_owned()));
    let (code, out) = cong(&app, &renew_env, &["tls", "renew", "--site", "1"]).await;
    assert_eq!(code, 0, "{out}\n{}", pebble.log());
    assert!(out.contains("site 1: renewed"), "{out}");
    let mut second = first.clone();
    for _ in 0..200 {
        second = until_served(|| site_client(https, &root), &url)
            .await
            .expect("still served");
        if second != first {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_ne!(
        second, first,
        "the renewed certificate is served within 20 s"
    );
    let res = kept.get(&url).send().await.expect("kept after");
    assert_eq!(res.status(), 200);
    assert_eq!(peer_der(&res), first, "the open connection was not dropped");

    // The CA goes away: a renewal fails, the site serves on with what it has, and the
    // failure shows in the log, `/healthz?details` and `cong tls status`.
    pebble.stop().await;
    let (code, out) = cong(&app, &renew_env, &["tls", "renew", "--site", "1"]).await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("not renewed") && out.contains("current one"),
        "{out}"
    );
    let res = site_client(https, &root)
        .get(&url)
        .send()
        .await
        .expect("still served");
    assert_eq!(res.status(), 200);
    assert_eq!(peer_der(&res), second);
    let mut details = String::new();
    for _ in 0..150 {
        details = site_client(https, &root)
            .get(format!("{url}healthz?details"))
            .send()
            .await
            .expect("healthz")
            .text()
            .await
            .expect("body");
        if details.contains("\"failures\":1") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        details.contains("\"failures\":1") && details.contains("\"last_error\":\"ACME"),
        "{details}"
    );
    let (_, out) = cong(&app, &env, &["tls", "status"]).await;
    assert!(out.contains("failing: 1 order(s) in a row"), "{out}");

    // The operator rotates the sealing key: the certificate's key and the ACME account are
    // re-sealed, and after the restart the node serves the same certificate.
    app.stop().await;
    let key = app.dir.path().join("data/secret.key");
    let old = app.dir.path().join("old.key");
    std::fs::rename(&key, &old).expect("move the key");
    let mut rotate_env = env.clone();
    rotate_env.push((
        "CONG_SECRETS__OLD_KEY_FILES".to_owned(),
        old.display().to_string(),
    ));
    let (code, out) = cong(&app, &rotate_env, &["secrets", "rotate"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 value(s) re-sealed"), "{out}");
    std::fs::remove_file(&old).expect("old key gone");
    app.restart().await;
    app.wait_for_log(" ready").await;
    let res = site_client(https, &root)
        .get(&url)
        .send()
        .await
        .expect("after the rotation");
    assert_eq!(res.status(), 200);
    assert_eq!(
        peer_der(&res),
        second,
        "the same certificate, opened with the new key"
    );
}
