//! Two nodes on one PostgreSQL database under ACME: one orders the certificate (the lease
//! in the database), both serve it (the other reads it through the change feed).

use crate::pebble::{Pebble, free_port};
use crate::support::*;
use cong_store::Backend;
use std::time::Duration;

async fn served(https: u16, root: &str) -> Option<Vec<u8>> {
    let at = std::net::SocketAddr::from(([127, 0, 0, 1], https));
    let client = https_client(
        reqwest::Client::builder()
            .user_agent(GOOGLEBOT)
            .resolve("skhcn.test", at),
        &[root],
    );
    let res = client
        .get(format!("https://skhcn.test:{https}/healthz"))
        .send()
        .await
        .ok()?;
    (res.status() == 200).then(|| peer_der(&res))
}

#[tokio::test]
async fn one_node_orders_the_certificate_and_both_serve_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = demo_database(Backend::Postgres, dir.path()).await;
    // Both nodes seal and open with one key, as every node of a site must.
    let key = dir.path().join("secret.key");
    let (plain_a, https_a, plain_b, https_b) = (free_port(), free_port(), free_port(), free_port());
    // The CA checks HTTP-01 on node A's port; whichever node orders, A answers from the store.
    let pebble = Pebble::start(plain_a, https_a).await;
    let node = |plain: u16, https: u16| {
        let mut b = TestApp::builder()
            .shared(db.url())
            .listen(&format!("127.0.0.1:{plain}"))
            .env("CONG_SECRETS__KEY_FILE", key.to_str().expect("path"))
            .no_wait();
        for (k, v) in pebble.env(https, "http-01") {
            b = b.env(&k, &v);
        }
        b
    };
    let a = node(plain_a, https_a).start().await;
    let b = node(plain_b, https_b).start().await;
    a.wait_for_log(" ready").await;
    b.wait_for_log(" ready").await;
    let out = std::process::Command::new(BIN)
        .args([
            "site",
            "--database",
            db.url(),
            "set",
            "1",
            "--address",
            "http://skhcn.test",
        ])
        .env_remove("CONG_CONFIG")
        .output()
        .expect("cong site set");
    assert!(out.status.success(), "{out:?}");

    let root = pebble.root().await;
    let (mut on_a, mut on_b) = (None, None);
    for _ in 0..600 {
        on_a = served(https_a, &root).await;
        on_b = served(https_b, &root).await;
        if on_a.is_some() && on_b.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let on_a = on_a.unwrap_or_else(|| {
        panic!(
            "node A serves no certificate that verifies\nA:\n{}\nB:\n{}\npebble:\n{}",
            a.stderr(),
            b.stderr(),
            pebble.log()
        )
    });
    let on_b = on_b.expect("node B serves one too");
    assert_eq!(on_a, on_b, "the same certificate on both nodes");
    let ordered = [&a, &b]
        .iter()
        .map(|n| n.stderr().matches("ordering a certificate").count())
        .sum::<usize>();
    assert_eq!(
        ordered,
        1,
        "one order in all:\nA:\n{}\nB:\n{}",
        a.stderr(),
        b.stderr()
    );
}
